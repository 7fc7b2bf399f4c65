"""Benchmark: the full default matrix built the naive way, serially and on every core.

Run:  .venv/bin/python bench/run.py [--limit N]

It copies the project to a scratch folder (so it can edit a catalog there), then measures in
one run on this machine:
  1. naive: the `weasyprint` command once per document, serially, over the same HTML and CSS
     the pipeline renders;
  2. `publish.py build -j 1`;
  3. `publish.py build` (every core);
  and bare in-process WeasyPrint on the same HTML (reused fonts and parsed CSS), a no-op
rebuild, a rebuild after editing one language's PO file, and the peak memory of a worker.
It prints the times and the ratios and writes bench/results.json.
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
PUBLISH = [sys.executable, str(ROOT / "publish.py")]
WEASYPRINT = str(Path(sys.executable).parent / "weasyprint")


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}{result.stderr}")
    return elapsed, result.stdout


def prepare_documents(project: Path, work: Path, limit: int | None):
    """The HTML, stylesheets and PDF options of every job, as the pipeline would render."""
    sys.path.insert(0, str(ROOT))
    from pressroom.document_inputs import stylesheets_for
    from pressroom.documents import DocumentMaker
    from pressroom.jobs import Filters
    from pressroom.plan import make_plan
    from pressroom.variants import DEFAULT_CMYK_PROFILE, VARIANTS

    plan = make_plan(project, Filters())
    jobs = plan.jobs[:limit] if limit else plan.jobs
    maker = DocumentMaker(plan.project)
    profile_css = work / "profile.css"
    profile = DEFAULT_CMYK_PROFILE.as_uri()
    profile_css.write_text(
        f"@color-profile device-cmyk {{ src: url({profile}); components: c, m, y, k }}"
    )
    documents = []
    for number, job in enumerate(jobs):
        html = work / f"{number:04}.html"
        html.write_text(maker.html(job), encoding="utf-8")
        variant = VARIANTS[job.variant]
        sheets = [plan.project.styles / name for name in stylesheets_for(job)]
        if variant.cmyk:
            sheets.insert(0, profile_css)
        documents.append((html, sheets, variant.pdf_variant))
    return plan, jobs, documents


def naive(documents, base_url: Path, out: Path) -> float:
    started = time.perf_counter()
    for html, sheets, pdf_variant in documents:
        command = [WEASYPRINT, "--base-url", f"{base_url}/", "--pdf-variant", pdf_variant]
        for sheet in sheets:
            command += ["-s", str(sheet)]
        subprocess.run(
            command + [str(html), str(out / (html.stem + ".pdf"))], check=True, capture_output=True
        )
    return time.perf_counter() - started


def bare_in_process(documents, base_url: Path) -> float:
    code = f"""
import sys, time, weasyprint
from weasyprint.text.fonts import FontConfiguration
docs = {[(str(h), [str(s) for s in sheets], v) for h, sheets, v in documents]!r}
fonts, parsed, profiles = FontConfiguration(), {{}}, {{}}
started = time.perf_counter()
for html, sheets, variant in docs:
    css = [parsed.setdefault(s, weasyprint.CSS(filename=s, font_config=fonts,
                                               color_profiles=profiles)) for s in sheets]
    doc = weasyprint.HTML(filename=html, base_url={str(base_url) + "/"!r}).render(
        stylesheets=css, font_config=fonts, color_profiles=profiles, pdf_variant=variant)
    doc.write_pdf(pdf_variant=variant)
print(time.perf_counter() - started)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def count_built(output: str) -> int:
    return int(re.search(r"(\d+) PDF\(s\) built", output).group(1))


def peak_mb(output: str) -> int:
    found = re.search(r"peak (\d+) MB per worker", output)
    return int(found.group(1)) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N jobs (a quick try)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as scratch:
        scratch = Path(scratch)
        project = scratch / "project"
        for folder in ("brochures", "styles", "locales", "chapters", "clinics"):
            shutil.copytree(ROOT / folder, project / folder)
        plan, jobs, documents = prepare_documents(project, scratch, args.limit)
        count = len(jobs)
        cores = len(os.sched_getaffinity(0))
        limit_args = []
        if args.limit:  # build the same jobs with the CLI: narrow to their chapters
            for chapter in sorted({job.chapter.id for job in jobs}):
                limit_args += ["--chapter", chapter]
        build = [*PUBLISH, "--project", str(project), "build", "--quiet", *limit_args]
        print(f"{count} documents, {cores} cores, Python {platform.python_version()}", flush=True)

        naive_out = scratch / "naive"
        naive_out.mkdir()
        t_naive = naive(documents, project / "brochures", naive_out)
        print(f"1. naive weasyprint CLI, serial: {t_naive:.1f} s", flush=True)
        t_bare = bare_in_process(documents, project / "brochures")
        print(f"   bare in-process WeasyPrint:    {t_bare:.1f} s", flush=True)
        t_serial, _ = timed([*build, "-j", "1", "--force", "--out", str(scratch / "serial")])
        print(f"2. publish.py build -j 1:        {t_serial:.1f} s", flush=True)
        t_parallel, out = timed([*build, "--force", "--out", str(scratch / "dist")])
        print(f"3. publish.py build (-j {cores}):     {t_parallel:.1f} s", flush=True)
        t_noop, noop_out = timed([*build, "--out", str(scratch / "dist")])
        po = project / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
        po.write_text(po.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        t_touch, touch_out = timed([*build, "--out", str(scratch / "dist")])
        french = sum(1 for job in jobs if job.lang == "fr")

    results = {
        "machine": f"{platform.machine()}, {cores} cores, {platform.platform()}",
        "documents": count,
        "naive_s": round(t_naive, 1),
        "bare_in_process_s": round(t_bare, 1),
        "build_j1_s": round(t_serial, 1),
        "build_all_cores_s": round(t_parallel, 1),
        "noop_rebuild_s": round(t_noop, 2),
        "noop_rebuilt": count_built(noop_out),
        "one_language_rebuild_s": round(t_touch, 1),
        "one_language_rebuilt": count_built(touch_out),
        "one_language_jobs": french,
        "peak_worker_mb": peak_mb(out),
        "ratio_naive_over_all_cores": round(t_naive / t_parallel, 2),
        "ratio_j1_over_all_cores": round(t_serial / t_parallel, 2),
        "ratio_j1_over_bare": round(t_serial / t_bare, 3),
    }
    print(json.dumps(results, indent=2))
    (ROOT / "bench" / ("results.json" if not args.limit else "results-limited.json")).write_text(
        json.dumps(results, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
