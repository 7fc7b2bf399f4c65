"""OUT/render-log.json: how long each PDF took to make and which ones failed.

Kept apart from manifest.json on purpose: times differ on every run, and the manifest must
stay byte-identical between serial, parallel, sharded and repeated builds. The times balance
the shards of a later build (`--balance-from`); the failures tell `manifest merge` a job
that failed from one that never ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PublishError, UsageError
from .inputs import InputError, read_input
from .outputs import MANIFEST, write_atomic

LOG = "render-log.json"


@dataclass
class RenderLog:
    seconds: dict[str, float] = field(default_factory=dict)  # output path: render seconds
    failed: dict[str, str] = field(default_factory=dict)  # output path: the error


def _parse(path: Path) -> RenderLog:
    try:
        raw = json.loads(read_input(path, str(path), "manifest").decode("utf-8"))
        seconds, failed = raw["seconds"], raw["failed"]
        if not (
            all(isinstance(k, str) and type(v) in (int, float) for k, v in seconds.items())
            and all(isinstance(k, str) and isinstance(v, str) for k, v in failed.items())
        ):
            raise ValueError("not a table of paths")
    except InputError as error:
        raise UsageError(error.message) from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise UsageError(
            f"{path}: not a render log written by publish.py ({str(error)[:80]}); "
            "move it away (only shard balancing and merge reports use it)"
        ) from None
    return RenderLog({k: float(v) for k, v in seconds.items()}, dict(failed))


def read_render_log(folder: Path) -> RenderLog:
    """The folder's render log (empty when there is none)."""
    return _parse(folder / LOG) if (folder / LOG).is_file() else RenderLog()


def render_times(given: Path) -> dict[str, float]:
    """Render seconds by output path from an earlier build: its folder, its manifest.json or
    its render-log.json (`build --balance-from`)."""
    path = given / LOG if given.is_dir() else given
    if path.name == MANIFEST:
        path = path.with_name(LOG)
    if not path.is_file():
        raise UsageError(
            f"--balance-from {given}: no {LOG} there; give the folder of an earlier build "
            "(a merged dist/ has one) or leave the option out to split by hash"
        )
    return _parse(path).seconds


def save_render_log(folder: Path, log: RenderLog) -> None:
    text = json.dumps(
        {"seconds": dict(sorted(log.seconds.items())), "failed": dict(sorted(log.failed.items()))},
        indent=1,
        ensure_ascii=False,
    )
    write_atomic(folder / LOG, (text + "\n").encode("utf-8"))


def record_results(folder: Path, results: Iterable, dropped: Iterable[str] = ()) -> None:
    """Add a build's JobResults to the folder's log: a rendered PDF's time, a failure's
    message; up-to-date PDFs keep the time they took when they were made."""
    try:
        log = read_render_log(folder)
    except UsageError:  # a damaged log costs only old times: start a new one
        log = RenderLog()
    for result in results:
        path = result.job.output
        if result.error:
            log.failed[path] = result.error
        elif not result.reused:
            log.seconds[path] = round(result.seconds, 3)
            log.failed.pop(path, None)
    for path in dropped:
        log.seconds.pop(path, None)
        log.failed.pop(path, None)
    try:
        save_render_log(folder, log)
    except PublishError:  # a full disk: the build's own report says so; times are optional
        pass
