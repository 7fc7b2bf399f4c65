"""Benchmark: hostile catalog sizes cost linear time, measured as ratios in one run.

Run:  .venv/bin/python bench/hostile.py

On a scratch copy of the project, times `check --no-layout` and a one-PDF build (Swiss
German mission poster, office) three ways: the catalog as shipped; with one translation of
100,000 letters (the old e-mail pattern was quadratic on it: 62 s for one PDF; it cannot fit
the poster, so that build exits 1 with an overflow message); and with 10,000 extra entries.
Prints the times and ratios and writes bench/hostile.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = "locales/de/LC_MESSAGES/messages.po"
TITLE = 'msgid "The IAIM mission"\nmsgstr "Das Leitbild der IAIM"'
SCOPE = ["--chapter", "switzerland", "--lang", "de", "--brochure", "mission"]


def timed(project: Path, *args: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), "--project", str(project), *args],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if "Traceback" in result.stderr:
        sys.exit(result.stderr)
    return elapsed, result.returncode


def measure(project: Path, out: Path) -> dict:
    check, check_exit = timed(project, "check", "--no-layout", *SCOPE)
    build, build_exit = timed(
        project,
        "build",
        "-j",
        "1",
        "--force",
        "--variant",
        "office",
        "--quiet",
        "--out",
        str(out),
        *SCOPE,
    )
    return {
        "check_s": round(check, 2),
        "check_exit": check_exit,
        "build_s": round(build, 2),
        "build_exit": build_exit,
    }


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory(prefix="pressroom-hostile-") as scratch:
        project = Path(scratch) / "project"
        for folder in ("brochures", "styles", "locales", "chapters", "clinics"):
            shutil.copytree(ROOT / folder, project / folder)
        catalog = project / PO
        shipped = catalog.read_text(encoding="utf-8")
        results["shipped"] = measure(project, Path(scratch) / "out-shipped")

        # the poster's title: the build must lay it out and report that it does not fit
        assert TITLE in shipped
        catalog.write_text(
            shipped.replace(TITLE, 'msgid "The IAIM mission"\nmsgstr "' + "a" * 100_000 + '"'),
            encoding="utf-8",
        )
        results["one 100,000-letter translation"] = measure(project, Path(scratch) / "out-long")

        extra = "".join(
            f'\nmsgid "Extra message number {n}, for size"\n'
            f'msgstr "Zusätzliche Nachricht Nummer {n}, für die Größe"\n'
            for n in range(10_000)
        )
        catalog.write_text(shipped + extra, encoding="utf-8")
        results["10,000 extra entries"] = measure(project, Path(scratch) / "out-big")

    base = results["shipped"]
    for name, row in results.items():
        print(
            f"{name:32} check {row['check_s']:6.2f} s ({row['check_s'] / base['check_s']:.2f}"
            f" x, exit {row['check_exit']})   one-PDF build {row['build_s']:6.2f} s "
            f"({row['build_s'] / base['build_s']:.2f} x, exit {row['build_exit']})"
        )
    (ROOT / "bench/hostile.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
