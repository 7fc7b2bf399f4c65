"""The cost of the layout checks, as a ratio, in one run: each document rendered to PDF as a
build does, then again reading its boxes and running the rules (as a build now does), and laid
out for `check` (boxes and rules, no PDF written).

    .venv/bin/python bench/layout_checks.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pressroom.documents import DocumentMaker, LayoutError  # noqa: E402
from pressroom.jobs import Filters  # noqa: E402
from pressroom.layout_report import layout_problems  # noqa: E402
from pressroom.plan import make_plan  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=24)
    limit = parser.parse_args().limit
    jobs = make_plan(None, Filters(chapters=("international",), variants=("office",))).jobs
    jobs = jobs[:: max(1, len(jobs) // limit)][:limit]
    maker = DocumentMaker(make_plan(None, Filters()).project)
    for job in jobs:  # warm every language's fonts, catalogs and stylesheets first
        try:
            maker.pdf(job)
        except LayoutError:
            pass
    times = {"pdf": 0.0, "pdf+rules": 0.0, "check (rules, no pdf)": 0.0}
    for job in jobs:
        for name, options in (
            ("pdf", {}),
            ("pdf+rules", {"read_layout": True}),
            ("check (rules, no pdf)", {"read_layout": True, "write": False}),
        ):
            start = time.perf_counter()
            try:
                rendered = maker.pdf(job, **options)
            except LayoutError as error:
                rendered = error.rendered
            if options:
                layout_problems(job, rendered.layout)
            times[name] += time.perf_counter() - start
    base = times["pdf"]
    print(
        json.dumps(
            {
                "documents": len(jobs),
                **{k: round(v, 2) for k, v in times.items()},
                "ratios": {k: round(v / base, 3) for k, v in times.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
