"""Benchmark at the scale of 1,000 clinics: planning, no-op rebuild, throughput, memory,
manifest and catalog page size, and GNU parallel shards against one local build.

Run:  .venv/bin/python bench/scale.py [--sample 40] [--shard-sample 24]

It copies the project to a scratch folder and adds 1,000 generated clinic records, 250 in
each of four chapters (switzerland, israel: 3 languages; canada, usa: 2), which makes
10,000 clinic handouts on top of the default matrix. What it measures, in one run:

- planning: `make_plan` in a fresh process, and `publish.py list --json` end to end;
- fingerprints: the up-to-date check of every job (the no-op build's work), in process;
- a no-op rebuild through the real CLI of every job. Rendering 10,000+ PDFs takes about
  1.5 hours of this 2-core machine, so the folder is prepared instead: every manifest entry
  carries its job's real fingerprint, and its file is a hard link to a real PDF of the same
  brochure and variant rendered by this run (the no-op path reads the manifest, computes
  fingerprints and stat()s files; it never reads a PDF). The catalog page of that folder
  is written by the real code, and its size and the manifest's are reported;
- throughput: the same sample of default-matrix jobs built at -j 1 in the default project
  and in the 10,000-job project (per-job cost must not grow with the list), and a sample of
  clinic handouts at -j 1 and -j 2; peak memory of the parent and of a worker;
- GNU parallel: the README's recipe with 4 shards against one local build of the same
  jobs: the times, and whether the merged folder is byte-identical to the local one.

Prints a table and writes bench/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
CHAPTERS = ("switzerland", "israel", "canada", "usa")
CLINICS = 1000


def make_project(target: Path, clinics: int) -> Path:
    for folder in ("brochures", "styles", "locales", "chapters", "clinics"):
        shutil.copytree(ROOT / folder, target / folder)
    for number in range(clinics):
        chapter = CHAPTERS[number % len(CHAPTERS)]
        (target / "clinics" / f"clinic-{number:04d}.toml").write_text(
            f'id = "clinic-{number:04d}"\n'
            f'name = "Family Clinic {number:04d}"\n'
            f'chapter = "{chapter}"\n\n[contact]\n'
            f'address = "{number + 1} Sample Street, Springfield"\n'
            f'phone = "+1 555 01{number:04d}"\n'
            f'email = "clinic-{number:04d}@example.org"\n'
            f'website = "https://clinic-{number:04d}.example.org/"\n',
            encoding="utf-8",
        )
    return target


def run(command: list[str], *, cwd: Path | None = None, check: bool = True) -> dict:
    """Run a command; its wall time, output and the peak memory of its own process (VmHWM,
    polled from /proc: not its workers)."""
    started = time.perf_counter()
    # Output to files, not pipes: a pipe nobody reads while we poll would fill and block.
    out_file, err_file = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    process = subprocess.Popen(command, cwd=cwd, stdout=out_file, stderr=err_file, text=True)
    peak_kb = 0
    status = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        try:
            found = re.search(r"VmHWM:\s+(\d+)", status.read_text())
            peak_kb = max(peak_kb, int(found.group(1))) if found else peak_kb
        except OSError:
            pass
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    out_file.seek(0), err_file.seek(0)
    out, err = out_file.read(), err_file.read()
    if check and process.returncode:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{out}{err}")
    return {"seconds": elapsed, "stdout": out, "stderr": err, "peak_mb": peak_kb / 1024}


def publish(project: Path, *args: str, cwd: Path | None = None, check: bool = True) -> dict:
    return run([PYTHON, str(ROOT / "publish.py"), "--project", str(project), *args], cwd=cwd,
               check=check)  # fmt: skip


def worker_peak(result: dict) -> float:
    found = re.search(r"peak (\d+) MB per worker", result["stdout"])
    return float(found.group(1)) if found else 0.0


def job_list(path: Path, outputs: list[str]) -> Path:
    path.write_text("".join(f"{output}\n" for output in outputs), encoding="utf-8")
    return path


def spread(items: list, count: int) -> list:
    """`count` items evenly spread over the list (deterministic)."""
    step = max(1, len(items) // count)
    return items[::step][:count]


def planning(project: Path) -> dict:
    code = (
        "import time, json; t = time.perf_counter()\n"
        "from pressroom.plan import make_plan\nfrom pressroom.jobs import Filters\n"
        "from pressroom.fingerprints import Fingerprints\n"
        f"plan = make_plan({str(project)!r}, Filters()); t1 = time.perf_counter()\n"
        "fingerprint = Fingerprints(plan.project)\n"
        "marks = [fingerprint(job) for job in plan.jobs]; t2 = time.perf_counter()\n"
        "print(json.dumps({'jobs': len(plan.jobs), 'clinics': len(plan.clinics),"
        " 'plan_s': t1 - t, 'fingerprint_s': t2 - t1}))"
    )
    measured = run([PYTHON, "-c", code], cwd=ROOT)
    listed = publish(project, "list", "--json")
    return {**json.loads(measured["stdout"]), "list_cli_s": listed["seconds"]}


def prepare_noop_folder(project: Path, rendered: list[Path], folder: Path) -> int:
    """Every job of the plan listed with its real fingerprint, its file a hard link to a
    real PDF of its brochure and variant from `rendered` (see the module docstring)."""
    from dataclasses import replace

    from pressroom.fingerprints import Fingerprints
    from pressroom.jobs import Filters
    from pressroom.outputs import read_manifest, save_manifest
    from pressroom.plan import make_plan
    from pressroom.site import write_catalog_page

    plan = make_plan(project, Filters())
    real = {
        (entry.brochure, entry.variant, entry.paper): (where, entry)
        for where in rendered
        for entry in read_manifest(where)
    }
    fingerprint = Fingerprints(plan.project)
    entries = []
    for job in plan.jobs:
        # The same brochure, variant and paper where the samples have one, else the nearest.
        where, source = next(
            real[key]
            for want in (3, 2, 1, 0)
            for key in real
            if key[:want] == (job.brochure.name, job.variant, job.paper)[:want]
        )
        target = folder / job.output
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(where / source.path, target)
        entries.append(
            replace(
                source,
                path=job.output,
                chapter=job.chapter.id,
                lang=job.lang,
                paper=job.paper,
                clinic=job.clinic.id if job.clinic else None,
                fingerprint=fingerprint(job),
            )
        )
    entries.sort(key=lambda entry: entry.path)
    save_manifest(folder / "manifest.json", entries)
    write_catalog_page(plan.project, folder, plan.chapters, entries)
    return len(entries)


def contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in (".pressroom.lock", "render-log.json")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="jobs per throughput sample")
    parser.add_argument("--shard-sample", type=int, default=24, help="jobs for parallel")
    options = parser.parse_args()
    from pressroom.jobs import Filters
    from pressroom.plan import make_plan

    work = Path(tempfile.mkdtemp(prefix="pressroom-scale-"))
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                     f"Python {platform.python_version()}"}  # fmt: skip
    try:
        small = make_project(work / "default", 0)
        big = make_project(work / "clinics", CLINICS)
        results["planning"] = planning(big)
        results["planning_default"] = planning(small)
        print("planning:", results["planning"], flush=True)

        # Throughput. The same default-matrix jobs in both projects: the list size alone differs.
        default_jobs = [job.output for job in make_plan(small, Filters()).jobs]
        big_jobs = make_plan(big, Filters()).jobs
        clinic_jobs = [
            job.output
            for job in big_jobs
            if job.clinic and job.clinic.id != "example-family-clinic"
        ]
        same = job_list(work / "same.txt", spread(default_jobs, options.sample))
        clinic = job_list(work / "clinic.txt", spread(clinic_jobs, options.sample))
        throughput: dict[str, dict] = {}
        # The pair that compares list sizes runs twice, alternating, the best of each kept:
        # the first build of a run also pays for cold caches.
        for name, project, jobs, workers in (
            ("default_matrix_j1", small, same, "1"),
            ("in_10k_list_j1", big, same, "1"),
            ("default_matrix_j1", small, same, "1"),
            ("in_10k_list_j1", big, same, "1"),
            ("clinic_j1", big, clinic, "1"),
            ("clinic_j2", big, clinic, "2"),
        ):
            out = work / f"out-{name}"
            result = publish(project, "build", "--job-list", str(jobs), "-j", workers, "--quiet",
                             "--force", "--out", str(out))  # fmt: skip
            built = int(re.search(r"(\d+) PDF\(s\) built", result["stdout"]).group(1))
            log = json.loads((out / "render-log.json").read_text())["seconds"]
            measured = {
                "pdfs": built,
                "wall_s": result["seconds"],
                "per_pdf_s": result["seconds"] / built,
                "worker_s_per_pdf": sum(log.values()) / len(log),
                "parent_peak_mb": result["peak_mb"],
                "worker_peak_mb": worker_peak(result),
            }
            if name not in throughput or measured["wall_s"] < throughput[name]["wall_s"]:
                throughput[name] = measured
            print(name, measured, flush=True)
        results["throughput"] = throughput

        # The no-op rebuild of every job, through the CLI.
        noop = work / "noop"
        # (The clinic sample holds office and press PDFs of both handouts; the default-matrix
        # sample, the benefits tri-fold.)
        rendered = [work / "out-clinic_j1", work / "out-default_matrix_j1"]
        results["noop_jobs"] = prepare_noop_folder(big, rendered, noop)
        noop_build = publish(big, "build", "--out", str(noop), "--quiet")
        summary = noop_build["stdout"].strip().splitlines()[0]
        results["noop"] = {
            "wall_s": noop_build["seconds"],
            "parent_peak_mb": noop_build["peak_mb"],
            "summary": summary,
            "manifest_bytes": (noop / "manifest.json").stat().st_size,
            "index_html_bytes": (noop / "index.html").stat().st_size,
        }
        merged = publish(big, "manifest", "merge", str(noop), "-o", str(work / "merged.json"))
        results["merge_10k_s"] = merged["seconds"]
        print("no-op:", results["noop"], flush=True)

        # GNU parallel, 4 shards (the README's recipe), against one local build.
        shard_jobs = job_list(work / "shard.txt", spread(clinic_jobs[1:], options.shard_sample))
        local = publish(big, "build", "--job-list", str(shard_jobs), "--quiet", "--out",
                        str(work / "local"))  # fmt: skip
        base = [PYTHON, str(ROOT / "publish.py"), "--project", str(big)]
        parallel = run(
            ["parallel", "--will-cite", "-N0", "-j4", *base, "build", "--job-list",
             str(shard_jobs), "--shard", "auto", "--shards", "4", "-j", "1", "--quiet",
             "--out", "shards/{#}", ":::", "1", "2", "3", "4"], cwd=work,
        )  # fmt: skip
        started = time.perf_counter()
        (work / "dist").mkdir()
        for shard in sorted((work / "shards").iterdir()):
            shutil.copytree(shard, work / "dist", dirs_exist_ok=True)
        merge = publish(big, "manifest", "merge", "--job-list", str(shard_jobs),
                        *sorted(str(p) for p in (work / "shards").iterdir()), "-o",
                        str(work / "dist/manifest.json"))  # fmt: skip
        merge_s = time.perf_counter() - started
        same_bytes = contents(work / "dist") == contents(work / "local")
        results["parallel"] = {
            "pdfs": options.shard_sample,
            "local_s": local["seconds"],
            "parallel_4_shards_s": parallel["seconds"],
            "gather_and_merge_s": merge_s,
            "merge_said": merge["stdout"].strip().splitlines()[0],
            "byte_identical": same_bytes,
        }
        print("parallel:", results["parallel"], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (ROOT / "bench/scale.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
