"""Edit-to-screen time of the live preview, as a translator sees it: `publish.py preview` on a
copy of the project, the page open in Chromium (headless, Playwright), a PO file saved N times
with a new translation each time; each time is measured from the save to the new page images
drawn in the browser (the page records when it swapped them in, `window.__shown`). In the
same run, the same document's bare render (`DocumentMaker.pdf`, warm, in-process) gives the
ratio: what the preview adds to the render it cannot avoid.

    .venv/bin/python bench/preview_latency.py [--edits 10] [--brochure mission]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
# the string each brochure shows, German, and the chapter that prints it
EDITED = {
    "mission": 'msgstr "Das Leitbild der IAIM"',
    "benefits": 'msgstr "Mehr über Bindung"',
    "what-is-infant-massage": 'msgstr "Sensorische Integration"',
}


def measure(edits: int, brochure: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="preview-bench-") as folder:
        root = Path(folder)
        for name in ("brochures", "styles", "locales", "chapters", "clinics"):
            shutil.copytree(ROOT / name, root / name)
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "publish.py"), "--project", str(root), "preview"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            url = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group(0)
            po = root / "locales/de/LC_MESSAGES/messages.po"
            original = po.read_text(encoding="utf-8")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    args=CHROMIUM_ARGS,
                )
                page = browser.new_page()
                page.goto(f"{url}?chapter=switzerland&lang=de&brochure={brochure}")
                page.wait_for_function("window.__shown !== undefined", timeout=120_000)
                times = []
                for number in range(1, edits + 1):
                    before = page.evaluate("window.__shown.version")
                    time.sleep(0.6)  # a translator's pause: the watcher is idle, nothing queued
                    edited = original.replace(
                        EDITED[brochure], f'{EDITED[brochure][:-1]} {number}"'
                    )
                    saved = time.time() * 1000
                    po.write_text(edited, encoding="utf-8")
                    page.wait_for_function(
                        f"window.__shown.version !== {json.dumps(before)}", timeout=120_000
                    )
                    times.append((page.evaluate("window.__shown.at") - saved) / 1000)
                browser.close()
            return times
        finally:
            server.terminate()
            server.wait(timeout=10)
            server.stdout.close()


def bare_render_s(brochure: str, runs: int = 5) -> float:
    """The median time of the render alone, warm, for the same document."""
    sys.path.insert(0, str(ROOT))
    from pressroom.documents import DocumentMaker
    from pressroom.jobs import Filters
    from pressroom.plan import make_plan

    plan = make_plan(
        ROOT,
        Filters(chapters=("switzerland",), languages=("de",), brochures=(brochure,)),
    )
    job = next(job for job in plan.jobs if job.variant == "office")
    maker = DocumentMaker(plan.project, highlight_untranslated=True)
    maker.pdf(job)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        maker.pdf(job)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--brochure", choices=sorted(EDITED), default="mission")
    options = parser.parse_args()
    times = measure(options.edits, options.brochure)
    bare = bare_render_s(options.brochure)
    print(
        json.dumps(
            {
                "brochure": options.brochure,
                "edits": len(times),
                "median_s": round(statistics.median(times), 2),
                "max_s": round(max(times), 2),
                "times_s": [round(t, 2) for t in times],
                "bare_render_s": round(bare, 2),
                "median_over_render": round(statistics.median(times) / bare, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
