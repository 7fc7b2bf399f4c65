"""Benchmark: the catalog page (dist/index.html) of a build with 1,000 clinics.

Run:  .venv/bin/python bench/catalog_page.py [--clinics 1000] [--no-browser]

Renders no PDF: it plans the real jobs of four chapters with 1,000 generated clinics, makes the
manifest entries such a build would write (sizes and hashes made up, paths real), and renders
the page from them as a build does (thumbnail paths named as the build names them). It prints
the page's weight, in all and per PDF, and, opened from the file system in Debian's Chromium
(headless, via Playwright): the time to load it, the thumbnails it fetches, and the time the
filter box takes to narrow it to one clinic. Writes bench/catalog_page.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.chapters import Clinic, Contact, load_records  # noqa: E402
from pressroom.jobs import Filters, plan_jobs  # noqa: E402
from pressroom.languages import available_languages  # noqa: E402
from pressroom.outputs import ManifestEntry  # noqa: E402
from pressroom.project import Project  # noqa: E402
from pressroom.site import catalog_html  # noqa: E402

CHAPTERS = ("usa", "canada", "switzerland", "uk")
PLACES = "Maple Oak Cedar River Lake Hill Meadow Harbor Sunrise Willow Pine Bay".split()
KINDS = "Family Clinic|Birth Center|Pediatrics|Midwifery Practice|Health Centre".split("|")


def clinics(count: int, source: Path) -> list[Clinic]:
    made = []
    for number in range(count):
        place, kind = PLACES[number % len(PLACES)], KINDS[number // len(PLACES) % len(KINDS)]
        made.append(
            Clinic(
                f"clinic-{number:04d}",
                f"{place} {kind} {number}",
                CHAPTERS[number % len(CHAPTERS)],
                Contact(address=f"{number} {place} Street", website="https://example.org/"),
                source,
                number + 2,
            )
        )
    return made


def entries_for(jobs) -> list[ManifestEntry]:
    return [
        ManifestEntry(
            job.chapter.id,
            job.lang,
            job.brochure.name,
            job.variant,
            job.paper,
            job.output,
            job.brochure.pages,
            (160 if job.variant == "press" else 30) * 1024,
            hashlib.sha256(job.output.encode()).hexdigest(),
            job.clinic.id if job.clinic else None,
        )
        for job in jobs
    ]


def in_browser(page_path: Path) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        images: list[str] = []
        page.on("request", lambda r: images.append(r.url) if r.url.endswith(".png") else None)
        started = time.perf_counter()
        page.goto(page_path.as_uri(), wait_until="load")
        loaded = time.perf_counter() - started
        timing = page.evaluate(
            "(() => { const t = performance.getEntriesByType('navigation')[0];"
            " return {dom: t.domContentLoadedEventEnd, load: t.loadEventEnd}; })()"
        )
        # Typing a clinic's name: the time from the input event to the list narrowed, less the
        # 120 ms the box waits for the typing to pause.
        filtered = page.evaluate(
            """async () => {
              const box = document.getElementById('filter');
              const shown = document.getElementById('shown');
              const done = new Promise(resolve =>
                new MutationObserver(resolve).observe(shown, {childList: true}));
              const start = performance.now();
              box.value = 'clinic-0417';
              box.dispatchEvent(new Event('input'));
              await done;
              const visible = [...document.querySelectorAll('li.doc')]
                .filter(card => card.offsetParent !== null).length;
              return {ms: performance.now() - start - 120, visible, status: shown.textContent};
            }"""
        )
        browser.close()
    return {
        "load_s": round(loaded, 2),
        "dom_content_loaded_ms": round(timing["dom"]),
        "load_event_ms": round(timing["load"]),
        "thumbnails_fetched_on_load": len(images),
        "filter_to_one_clinic_ms": round(filtered["ms"]),
        "cards_shown_after_filter": filtered["visible"],
        "filter_status": filtered["status"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=1000)
    parser.add_argument("--no-browser", action="store_true")
    options = parser.parse_args()
    project = Project.at(ROOT)
    chapters, _ = load_records(project, available_languages(project))
    chapters = [chapter for chapter in chapters if chapter.id in CHAPTERS]
    made = clinics(options.clinics, ROOT / "clinics/generated.csv")
    jobs = plan_jobs(chapters, made, Filters())
    entries = entries_for(jobs)
    started = time.perf_counter()
    html = catalog_html(
        project, chapters, made, entries, lambda e: f"thumbs/{e.sha256[:20]}.png"
    ).encode()
    rendered = time.perf_counter() - started
    clinic_pdfs = sum(1 for entry in entries if entry.clinic)
    result = {
        "clinics": options.clinics,
        "chapters": list(CHAPTERS),
        "pdfs": len(entries),
        "clinic_pdfs": clinic_pdfs,
        "cards": html.count(b'<li class="doc">'),
        "index_html_bytes": len(html),
        "index_html_gzip_bytes": len(gzip.compress(html, 6)),
        "bytes_per_pdf": round(len(html) / len(entries)),
        "bytes_per_clinic": round(len(html) / max(options.clinics, 1)),
        "page_render_s": round(rendered, 3),
    }
    if not options.no_browser:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "index.html"
            path.write_bytes(html)
            result["chromium"] = in_browser(path)
    print(json.dumps(result, indent=2))
    (ROOT / "bench/catalog_page.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
