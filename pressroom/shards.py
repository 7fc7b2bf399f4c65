"""Shards of a build: which part of the job list this machine builds, and how it is split.

`--shard K/N` names the part; `--shard auto` reads it from the engine that started us (CI
matrix, Kubernetes, AWS Batch, GNU parallel). Every machine must compute the same split, so
the split depends only on the job list and, when given, one shared file of render times.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from .errors import UsageError
from .jobs import Job

# Our own variables: any engine (a GitHub matrix has no built-in ones) sets these.
SHARD_VARIABLE, TOTAL_VARIABLE = "PRESSROOM_SHARD", "PRESSROOM_SHARDS"


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int
    source: str = ""  # where `--shard auto` found it, for the user to see

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class _Engine:
    name: str
    index: str  # the variable holding this machine's index
    base: int  # 0 or 1: the index of the first machine
    total: str = ""  # the variable holding the count, where the engine sets one


# Each engine is recognised by its index variable.
ENGINES = (
    _Engine("GitLab CI parallel job", "CI_NODE_INDEX", 1, "CI_NODE_TOTAL"),
    _Engine("Kubernetes Indexed Job", "JOB_COMPLETION_INDEX", 0),
    _Engine("AWS Batch array job", "AWS_BATCH_JOB_ARRAY_INDEX", 0, "AWS_BATCH_JOB_ARRAY_SIZE"),
    _Engine("GNU parallel", "PARALLEL_SEQ", 1),
)
AUTO_HELP = (
    f"set {SHARD_VARIABLE}=K and {TOTAL_VARIABLE}=N (K from 1), run under GitLab CI "
    "`parallel:`, a Kubernetes Indexed Job, an AWS Batch array job or GNU parallel, "
    "or give --shard K/N"
)


def parse_shard(text: str) -> Shard:
    """'K/N' (1 ≤ K ≤ N), or a UsageError saying what is expected."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        index = count = 0
    if not 1 <= index <= count:
        raise UsageError(f"--shard: {text!r} is not K/N with 1 ≤ K ≤ N, e.g. 2/4")
    return Shard(index, count)


def _number(environ: Mapping[str, str], name: str) -> int:
    text = environ[name].strip()
    if not text.isdigit():  # also refuses '-1' and '2.0'
        raise UsageError(f"--shard auto: {name}={environ[name]!r} is not a whole number")
    return int(text)


def detect_shard(environ: Mapping[str, str], shards: int | None = None) -> Shard:
    """The shard the environment names; `shards` (--shards) is the total where the engine
    sets none. Ambiguous, incomplete or inconsistent settings are a UsageError."""
    given_total = shards
    if given_total is None and environ.get(TOTAL_VARIABLE, "").strip():
        given_total = _number(environ, TOTAL_VARIABLE)
    total_from = "--shards" if shards is not None else TOTAL_VARIABLE
    if environ.get(SHARD_VARIABLE, "").strip():  # explicit: wins over any engine's
        engine = _Engine(SHARD_VARIABLE, SHARD_VARIABLE, 1)
    else:
        found = [engine for engine in ENGINES if environ.get(engine.index, "").strip()]
        if not found:
            raise UsageError(f"--shard auto: no shard index in the environment; {AUTO_HELP}")
        if len(found) > 1:
            names = ", ".join(f"{e.name} ({e.index})" for e in found)
            raise UsageError(
                f"--shard auto: more than one engine sets a shard index: {names}; "
                f"say which shard with {SHARD_VARIABLE} and {TOTAL_VARIABLE}, or --shard K/N"
            )
        engine = found[0]
    index = _number(environ, engine.index) + 1 - engine.base
    count = given_total
    if engine.total and environ.get(engine.total, "").strip():
        count = _number(environ, engine.total)
        if given_total is not None and given_total != count:
            raise UsageError(
                f"--shard auto: {engine.total}={count} but {total_from}={given_total}; "
                "they must agree (or drop one)"
            )
        total_from = engine.total
    if count is None:
        raise UsageError(
            f"--shard auto: {engine.name} sets {engine.index} but not how many shards there "
            f"are; give --shards N or set {TOTAL_VARIABLE}=N"
        )
    if not 1 <= index <= count:
        raise UsageError(
            f"--shard auto: {engine.index}={environ[engine.index].strip()} is shard {index} "
            f"(counting from 1) but {total_from} says there are {count}"
        )
    return Shard(
        index,
        count,
        f"{engine.name}: {engine.index}={environ[engine.index].strip()}, "
        f"{count} shard(s) from {total_from}",
    )


def resolve_shard(text: str | None, shards: int | None, environ: Mapping[str, str]) -> Shard | None:
    """The --shard option ('K/N', 'auto' or None) with --shards, as a Shard or None."""
    if shards is not None and text != "auto":
        raise UsageError("--shards: only with --shard auto (--shard K/N gives the total)")
    if text is None:
        return None
    return detect_shard(environ, shards) if text == "auto" else parse_shard(text)


def _stable(job: Job) -> int:
    return int(hashlib.sha256(job.output.encode()).hexdigest(), 16)


def split(
    jobs: Sequence[Job], shard: Shard, seconds: Mapping[str, float] | None = None
) -> list[Job]:
    """This shard's jobs, in plan order. Without render times a job's shard follows from its
    output path alone (adding a chapter moves no other job). With the times of an earlier
    build, longest job first to the least-loaded shard (ties: lowest hash, lowest shard);
    a job it lacks counts as the median. Whole milliseconds, so every machine sums alike."""
    if not seconds:
        return [job for job in jobs if _stable(job) % shard.count == shard.index - 1]
    typical = median(seconds.values())
    weights = [(-round(1000 * seconds.get(job.output, typical)), _stable(job)) for job in jobs]
    order = sorted(range(len(jobs)), key=weights.__getitem__)
    loads = [(0, number) for number in range(shard.count)]  # (milliseconds, shard - 1)
    mine = set()
    for position in order:
        load, number = heapq.heappop(loads)
        if number == shard.index - 1:
            mine.add(position)
        heapq.heappush(loads, (load - weights[position][0], number))
    return [job for position, job in enumerate(jobs) if position in mine]
