"""The README's GNU parallel recipe, for real: three shards with `--shard auto`, one of them
killed, the merge's list of missing jobs built again, and the merged folder byte for byte
what one local build makes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.jobs import Filters
from pressroom.plan import make_plan
from pressroom.shards import Shard, split

from .conftest import ROOT

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(not shutil.which("parallel"), reason="scripts/setup installs parallel"),
]
# One chapter, one language, three brochures, office only: five PDFs.
FILTERS = ["--chapter", "usa", "--lang", "en", "--variant", "office"]
FILTERS += ["--brochure", "benefits", "--brochure", "mission", "--brochure"]
FILTERS += ["what-is-infant-massage"]
# A shard's run; the one named by KILL_SHARD is killed (SIGKILL, no chance to write its
# manifest) as soon as its first PDF is on disk.
SHARD_RUN = """\
"$@" --out "shard-$PARALLEL_SEQ" &
pid=$!
if [ "$PARALLEL_SEQ" = "$KILL_SHARD" ]; then
  until find "shard-$PARALLEL_SEQ" -name '*.pdf' 2>/dev/null | grep -q .; do sleep 0.02; done
  kill -KILL "$pid"
fi
wait "$pid"
"""


def publish(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "publish.py"), "--project", str(ROOT), *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert not check or result.returncode == 0, result.stdout + result.stderr
    return result


def contents(folder: Path) -> dict[str, bytes]:
    """Every file a reader of the folder gets; not the lock or the (timing) render log."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in (".pressroom.lock", "render-log.json")
    }


def test_three_shards_through_gnu_parallel_one_killed_rerun_and_merged_equal_local(tmp_path):
    jobs = make_plan(
        ROOT,
        Filters(("usa",), ("en",), ("benefits", "mission", "what-is-infant-massage"), ("office",)),
    ).jobs
    parts = {index: split(jobs, Shard(index, 3)) for index in (1, 2, 3)}
    killed = max(parts, key=lambda index: len(parts[index]))  # the shard with the most work
    assert len(parts[killed]) >= 2
    script = tmp_path / "shard-run.sh"
    script.write_text(SHARD_RUN, encoding="utf-8")
    env = {**os.environ, "KILL_SHARD": str(killed)}
    command = [sys.executable, str(ROOT / "publish.py"), "--project", str(ROOT), "build"]
    ran = subprocess.run(
        ["parallel", "--will-cite", "-N0", "-j3", "sh", str(script), *command, *FILTERS]
        + ["--shard", "auto", "--shards", "3", "-j", "1", "--quiet", ":::", "1", "2", "3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr  # GNU parallel: one job failed
    for index in (1, 2, 3):
        assert f"shard {index}/3 (GNU parallel: PARALLEL_SEQ={index}" in ran.stderr
    assert not (tmp_path / f"shard-{killed}/manifest.json").exists()

    shards = [str(tmp_path / f"shard-{index}") for index in (1, 2, 3)]
    merged = publish(
        "manifest",
        "merge",
        *FILTERS,
        *shards,
        "-o",
        "merged.json",
        "--missing-out",
        "todo.txt",
        cwd=tmp_path,
        check=False,
    )
    assert merged.returncode == 1, merged.stdout + merged.stderr
    assert f"{len(jobs) - len(parts[killed])} of {len(jobs)} planned PDF(s)" in merged.stdout
    todo = (tmp_path / "todo.txt").read_text().splitlines()
    assert [line for line in todo if not line.startswith("#")] == sorted(
        job.output for job in parts[killed]
    )

    rerun = publish("build", *FILTERS, "--job-list", "todo.txt", "--out", "rerun", cwd=tmp_path)
    assert f"{len(parts[killed])} PDF(s) built" in rerun.stdout

    dist = tmp_path / "dist"
    for folder in [*shards, str(tmp_path / "rerun")]:
        shutil.copytree(folder, dist, dirs_exist_ok=True)
    final = publish(
        "manifest", "merge", *FILTERS, *shards, "rerun", "-o", "dist/manifest.json", cwd=tmp_path
    )
    assert f"{len(jobs)} of {len(jobs)} planned PDF(s)" in final.stdout
    assert "catalog page: " in final.stdout
    # The shards' render times, merged: what `--balance-from dist` splits the next build by.
    seconds = json.loads((dist / "render-log.json").read_text())["seconds"]
    assert sorted(seconds) == sorted(job.output for job in jobs)
    assert all(0 < value < 120 for value in seconds.values())

    publish("build", *FILTERS, "-j", "1", "--out", "local", cwd=tmp_path)
    local, assembled = contents(tmp_path / "local"), contents(dist)
    assert sorted(assembled) == sorted(local)
    assert len([path for path in local if path.endswith(".pdf")]) == len(jobs)
    for path, data in local.items():
        assert assembled[path] == data, f"{path} differs from the local build's"
