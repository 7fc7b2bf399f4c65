"""1,000 clinics from one spreadsheet, built for real: every clinic gets its handout.

Run:  .venv/bin/python bench/clinic_sheet.py [--clinics 1000] [-j 2]

Writes a CSV of generated clinics (250 in each of usa, canada, uk and israel, with names,
addresses and contact details of varied length, some with accents and `&`), saved the way
Excel saves "CSV UTF-8" (byte-order mark, CRLF). Then, through the real CLI:

- `list --json --clinics`: the sheet read, every row checked, the jobs planned;
- `build --clinics` of each clinic's English office handout (`--lang en --lang en_GB
  --variant office --brochure what-is-infant-massage`): one real PDF per clinic, plus the
  four chapters' own handouts. A whole edition (both languages, both variants and the
  poster: 8,000 PDFs) is the same work repeated and takes about 1.5 hours of this machine;
- a second `build`: nothing to do.

Prints a table and writes bench/clinic_sheet.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ("usa", "canada", "uk", "israel")
STREETS = ("Maple Grove Road", "Rue Saint-Denis", "Église Street", "High Street", "Herzl Street")
KINDS = ("Family Practice", "Birth Center & Midwifery", "Pediatrics", "Health Centre")


def write_sheet(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["id", "name", "chapter", "organisation", "address", "phone", "email",
                         "website"])  # fmt: skip
        for number in range(count):
            chapter = CHAPTERS[number % len(CHAPTERS)]
            kind = KINDS[number % len(KINDS)]
            street = STREETS[number % len(STREETS)]
            writer.writerow(
                [
                    f"clinic-{number:04d}",
                    f"Clinic {number:04d} {kind}",
                    chapter,
                    f"Sample Health Network {number % 7}" if number % 3 == 0 else "",
                    f"{number + 1} {street}, Unit {number % 40}, Springfield",
                    f"+1 555 01{number:04d}",
                    f"classes-{number:04d}@example.org",
                    f"https://clinic-{number:04d}.example.org/infant-massage",
                ]
            )


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-3000:]}"
                 f"{result.stderr[-3000:]}")  # fmt: skip
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinics", type=int, default=1000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="clinic-sheet-"))
    try:
        project = work / "project"
        for folder in ("brochures", "styles", "locales", "chapters", "clinics"):
            shutil.copytree(ROOT / folder, project / folder)
        sheet = project / "clinics" / "generated.csv"
        write_sheet(sheet, args.clinics)
        base = [sys.executable, str(ROOT / "publish.py"), "--project", str(project)]
        filters = ["--chapter=" + c for c in CHAPTERS] + ["--clinics", str(sheet)]
        listed_s, listed = timed([*base, "list", "--json", *filters])
        planned = len(json.loads(listed.stdout)["jobs"])
        only = ["--lang", "en", "--lang", "en_GB", "--variant", "office",
                "--brochure", "what-is-infant-massage"]  # fmt: skip
        out = work / "dist"
        build_cmd = [*base, "build", *filters, *only, "-j", str(args.jobs), "--out", str(out),
                     "--json"]  # fmt: skip
        build_s, built = timed(build_cmd)
        report = json.loads(built.stdout)
        noop_s, _ = timed(build_cmd)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        clinic_pdfs = [e for e in manifest if e.get("clinic")]
        results = {
            "clinics in the sheet": args.clinics,
            "sheet bytes": sheet.stat().st_size,
            "jobs planned for the four chapters (every language, variant, brochure)": planned,
            "list --json, s": round(listed_s, 2),
            "PDFs built": len(manifest),
            "clinic handouts built": len(clinic_pdfs),
            "distinct clinics with a PDF": len({e["clinic"] for e in clinic_pdfs}),
            "build, s": round(build_s, 1),
            f"s per PDF (wall, -j {args.jobs})": round(build_s / max(1, len(manifest)), 3),
            "no-op rebuild, s": round(noop_s, 2),
            "layout findings the build reported": len(report.get("layout", [])),
        }
        for key, value in results.items():
            print(f"{key:>70}: {value}")
        (ROOT / "bench" / "clinic_sheet.json").write_text(
            json.dumps(results, indent=2) + "\n", encoding="utf-8"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
