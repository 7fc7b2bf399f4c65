"""Shards: `--shard auto` from each engine's environment, balanced splits, and the merge's
list of what is left to build. Renders nothing."""

from __future__ import annotations

import json

import pytest

from pressroom.errors import UsageError
from pressroom.jobs import Filters
from pressroom.plan import make_plan
from pressroom.render_log import RenderLog, save_render_log
from pressroom.shard_merge import select_jobs
from pressroom.shards import ENGINES, SHARD_VARIABLE, TOTAL_VARIABLE, Shard, detect_shard, split

from .conftest import ROOT, invoke
from .test_commands import MERGE_PLAN, A, B, C, _folder

ALL_VARIABLES = [SHARD_VARIABLE, TOTAL_VARIABLE] + [
    name for engine in ENGINES for name in (engine.index, engine.total) if name
]


@pytest.fixture(autouse=True)
def _no_engine(monkeypatch):
    """The tests may themselves run in CI: none of its shard variables leak in."""
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("environ", "shards", "expected", "engine"),
    [
        ({"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"}, None, (2, 4), "GitLab CI"),
        ({"CI_NODE_INDEX": "4", "CI_NODE_TOTAL": "4"}, 4, (4, 4), "GitLab CI"),
        ({"JOB_COMPLETION_INDEX": "0"}, 3, (1, 3), "Kubernetes"),
        ({"JOB_COMPLETION_INDEX": "2", TOTAL_VARIABLE: "3"}, None, (3, 3), "Kubernetes"),
        ({"AWS_BATCH_JOB_ARRAY_INDEX": "1", "AWS_BATCH_JOB_ARRAY_SIZE": "5"}, None, (2, 5), "AWS"),
        ({"AWS_BATCH_JOB_ARRAY_INDEX": "0"}, 2, (1, 2), "AWS"),
        ({"PARALLEL_SEQ": "3", "PARALLEL_JOBSLOT": "1"}, 3, (3, 3), "GNU parallel"),
        # The documented convention for a GitHub matrix; explicit, so it wins over an engine.
        ({SHARD_VARIABLE: "2", TOTAL_VARIABLE: "2", "PARALLEL_SEQ": "1"}, None, (2, 2), "PRESS"),
    ],
)
def test_shard_auto_reads_each_engine(environ, shards, expected, engine):
    found = detect_shard(environ, shards)
    assert (found.index, found.count) == expected
    assert found.source.startswith(engine)


@pytest.mark.parametrize(
    ("environ", "shards", "message"),
    [
        ({}, None, "no shard index in the environment; set PRESSROOM_SHARD=K"),
        ({"CI_NODE_INDEX": "two", "CI_NODE_TOTAL": "4"}, None, "CI_NODE_INDEX='two' is not a"),
        ({"CI_NODE_INDEX": "5", "CI_NODE_TOTAL": "4"}, None, "is shard 5 (counting from 1) but"),
        ({"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"}, 3, "CI_NODE_TOTAL=4 but --shards=3"),
        ({"JOB_COMPLETION_INDEX": "0"}, None, "give --shards N or set PRESSROOM_SHARDS=N"),
        ({"JOB_COMPLETION_INDEX": "3"}, 3, "JOB_COMPLETION_INDEX=3 is shard 4"),
        ({"JOB_COMPLETION_INDEX": "-1"}, 3, "is not a whole number"),
        ({"PARALLEL_SEQ": "1", "CI_NODE_INDEX": "1"}, 2, "more than one engine"),
        ({"PARALLEL_SEQ": "1", TOTAL_VARIABLE: "1.5"}, None, "PRESSROOM_SHARDS='1.5' is not"),
    ],
)
def test_shard_auto_fails_clearly(environ, shards, message):
    with pytest.raises(UsageError) as raised:
        detect_shard(environ, shards)
    assert message in raised.value.message


def test_shard_auto_on_the_command_line_exits_2_and_says_what_to_set(tmp_path, monkeypatch):
    out = tmp_path / "out"
    result = invoke("build", "--shard", "auto", "--out", str(out))
    assert result.exit_code == 2
    assert "--shard auto: no shard index" in result.output and "--shard K/N" in result.output
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "7")
    result = invoke("build", "--shard", "auto", "--shards", "4", "--out", str(out))
    assert result.exit_code == 2 and "is shard 8 (counting from 1)" in result.output
    result = invoke("build", "--shard", "1/2", "--shards", "2", "--out", str(out))
    assert result.exit_code == 2 and "--shards: only with --shard auto" in result.output
    assert not out.exists()


def test_balanced_shards_cover_every_job_once_and_even_out_the_time():
    jobs = make_plan(ROOT, Filters()).jobs
    # Uneven times, as a real build has them: press and CJK jobs take longer.
    seconds = {
        job.output: (2.5 if job.variant == "press" else 1.0) * (3 if job.lang in "ja zh" else 1)
        for job in jobs[1:]  # the first has no time: it counts as the median
    }
    for count in (2, 3, 7):
        parts = [split(jobs, Shard(index, count), seconds) for index in range(1, count + 1)]
        outputs = [job.output for part in parts for job in part]
        assert sorted(outputs) == sorted(job.output for job in jobs)
        assert len(set(outputs)) == len(outputs)
        loads = [sum(seconds.get(job.output, 1.0) for job in part) for part in parts]
        assert max(loads) - min(loads) <= 7.5  # at most one of the longest jobs apart
        # The same split on every machine, whatever order the plan came in.
        shuffled = list(reversed(jobs))
        again = [split(shuffled, Shard(index, count), seconds) for index in range(1, count + 1)]
        assert [sorted(job.output for job in part) for part in again] == [
            sorted(job.output for job in part) for part in parts
        ]
        by_hash = [split(jobs, Shard(index, count)) for index in range(1, count + 1)]
        hash_loads = [sum(seconds.get(job.output, 1.0) for job in part) for part in by_hash]
        assert max(loads) - min(loads) <= max(hash_loads) - min(hash_loads)


def test_merge_lists_missing_and_failed_jobs_for_a_rerun_of_only_those(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    _folder(one, {A: b"%PDF-a"})
    save_render_log(one, RenderLog({A: 1.25}, {}))
    save_render_log(two, RenderLog({}, {C: "usa/en/mission: out of memory"}))  # killed early
    merged, todo = tmp_path / "dist/manifest.json", tmp_path / "todo.txt"
    merged.parent.mkdir()
    result = invoke(
        "manifest", "merge", *MERGE_PLAN, str(one), str(two), "-o", str(merged),
        "--missing-out", str(todo),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "1 of 3 planned PDF(s)" in result.output
    assert (
        f"missing {B}" in result.output and f"FAILED {C}: usa/en/mission: out of" in result.output
    )
    assert f"--job-list {todo}" in result.output
    listed = [line for line in todo.read_text().splitlines() if not line.startswith("#")]
    assert listed == sorted([B, C])
    # The list is what `build --job-list` takes: exactly those jobs of the plan.
    plan = make_plan(ROOT, Filters(("usa",), ("en",), ("benefits", "mission"), ("office",)))
    assert sorted(job.output for job in select_jobs(plan.jobs, todo)) == sorted([B, C])
    log = json.loads((merged.parent / "render-log.json").read_text())
    assert log == {"seconds": {A: 1.25}, "failed": {C: "usa/en/mission: out of memory"}}
    assert "catalog page not written" in result.output  # the PDFs were not copied there


def test_a_job_list_naming_an_unplanned_pdf_is_refused_with_its_line(tmp_path):
    todo = tmp_path / "todo.txt"
    todo.write_text(f"# header\n{A}\nusa/xx/benefits-office.pdf\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", *MERGE_PLAN, "--job-list", str(todo), "--out", str(out))
    assert result.exit_code == 2
    assert f"{todo}:3: 'usa/xx/benefits-office.pdf'" in result.output
    assert not out.exists()


def test_merge_refuses_pdfs_the_options_do_not_plan(tmp_path):
    _folder(tmp_path, {A: b"%PDF-a"})
    result = invoke(
        "manifest", "merge", "--chapter", "uk", str(tmp_path), "-o", str(tmp_path / "m.json")
    )
    assert result.exit_code == 2 and "not planned with these options" in result.output


def test_balance_from_needs_a_shard_and_an_earlier_builds_times(tmp_path):
    earlier, out = tmp_path / "earlier", tmp_path / "out"
    earlier.mkdir()
    result = invoke("build", "--shard", "1/2", "--balance-from", str(earlier), "--out", str(out))
    assert result.exit_code == 2 and "no render-log.json there" in result.output
    result = invoke("build", "--balance-from", str(earlier), "--out", str(out))
    assert result.exit_code == 2 and "--balance-from: only with --shard" in result.output
    (earlier / "render-log.json").write_text('{"seconds": {"a.pdf": "slow"}, "failed": {}}')
    result = invoke("build", "--shard", "1/2", "--balance-from", str(earlier), "--out", str(out))
    assert result.exit_code == 2 and "not a render log written by publish.py" in result.output
    assert not out.exists()
