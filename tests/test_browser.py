"""The catalog page and the live preview in a real browser (Debian's Chromium, headless,
driven by Playwright), and the printed QR code decoded by an independent reader (zbar)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, manifest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a sandbox, with no network: no sandboxing, and none of Chromium's own traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = [
    pytest.mark.render,  # a browser on the preview's renders
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by scripts/setup"
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_catalog_page_lists_every_pdf_and_works_from_the_file_system(browser, english_build):
    page = browser.new_page()
    problems = watch_console(page)
    page.goto((english_build / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "IAIM brochures and handouts"
    assert page.locator("h2").count() == 2  # uk and usa
    hrefs = page.locator("a[href$='.pdf']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert sorted(hrefs) == sorted(entry["path"] for entry in manifest(english_build))
    for href in hrefs:
        assert not href.startswith(("/", "http", "file:")), "links must be relative"
        assert (english_build / href).is_file()
    images = page.locator("img")
    assert images.count() == len(hrefs) // 2  # office and press share a card
    loaded = "img => img.complete && img.naturalWidth > 0"
    for index in range(images.count()):
        image = images.nth(index)
        assert image.get_attribute("loading") == "lazy"
        image.scroll_into_view_if_needed()  # a lazy thumbnail loads when it comes into view
        assert wait_for(lambda image=image: image.evaluate(loaded))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    assert page.locator("[lang]").first.get_attribute("lang") == "en"
    assert problems == []
    page.close()


def test_catalog_page_groups_clinic_editions_and_filters_them(browser, english_build):
    page = browser.new_page()
    problems = watch_console(page)
    page.goto((english_build / "index.html").as_uri())
    clinic = page.locator("details.clinic")
    assert clinic.count() == 1 and clinic.get_attribute("open") is not None  # few: open
    assert clinic.locator("summary").inner_text().startswith("Example Family Clinic")
    imprinted = [e["path"] for e in manifest(english_build) if e["clinic"]]
    inside = clinic.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(inside) == sorted(imprinted)  # every clinic edition, under its clinic only
    cards = page.locator("li.doc")
    total = cards.count()

    def shown() -> int:
        return page.locator("li.doc:visible").count()

    box = page.locator("#filter")
    assert box.is_visible()  # unhidden by the page's own script, from file://
    box.fill("example family mission")
    assert wait_for(lambda: shown() == 1, 5)  # both words, in the clinic's and card's text
    assert page.locator("#shown").inner_text() == f"1 of {total} shown"
    assert not page.locator("section:has(#uk)").is_visible()  # a chapter with no match
    box.fill("united kingdom")  # a chapter's name narrows to that chapter's cards
    assert wait_for(lambda: shown() == 3, 5)
    box.fill("no such thing")
    assert wait_for(lambda: shown() == 0, 5)
    box.fill("")
    assert wait_for(lambda: shown() == total, 5)
    assert problems == []
    page.close()


@pytest.fixture
def preview(copied_project: Path):
    """`publish.py preview` on a copy of the project, on a free port."""
    root = copied_project
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "publish.py"), "--project", str(root), "preview"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
    yield url, root
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


def open_preview(browser, url: str, query: str):
    page = browser.new_page()
    problems = watch_console(page)
    page.goto(url + "?" + query)
    return page, problems


def page_text(page) -> str:
    text = page.evaluate(
        "[...document.querySelectorAll('pre.page-text')].map(p => p.textContent).join(' ')"
    )
    return " ".join(text.split())


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_preview_shows_the_render_and_follows_a_po_edit_live(browser, preview):
    url, root = preview
    page, problems = open_preview(
        browser, url, "chapter=switzerland&lang=de&brochure=mission&paper=&clinic="
    )
    assert wait_for(lambda: "Leitbild" in page_text(page)), page_text(page)
    image = page.locator("#pages img").first
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#download").get_attribute("href").startswith("/document.pdf?")
    page.evaluate("window.__samePage = true")

    po = root / "locales/de/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace('msgstr "Das Leitbild der IAIM"', 'msgstr "Unser Leitbild, frisch übersetzt"'),
        encoding="utf-8",
    )
    assert wait_for(lambda: "frisch übersetzt" in page_text(page)), page_text(page)
    assert page.evaluate("window.__samePage === true"), "the page must update, not reload"
    assert problems == []


def test_preview_highlights_untranslated_strings(browser, preview):
    url, root = preview
    po = root / "locales/fr/LC_MESSAGES/messages.po"
    po.write_text(
        re.sub(r'(msgid "Cramps"\nmsgstr )".*"', r'\1""', po.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    page, _ = open_preview(browser, url, "chapter=canada&lang=fr&brochure=benefits")
    assert wait_for(lambda: page.locator("#untranslated li").count() == 1)
    # the string, and where to translate it
    text = page.locator("#untranslated li").inner_text()
    line = po.read_text(encoding="utf-8").splitlines().index('msgid "Cramps"') + 1
    assert text == f"Cramps locales/fr/LC_MESSAGES/messages.po:{line}"
    link = page.locator("#untranslated li a")
    assert (
        link.get_attribute("href") == f"/po?file=locales%2Ffr%2FLC_MESSAGES%2Fmessages.po#L{line}"
    )
    catalog = browser.new_page()
    catalog.goto(url.rstrip("/") + link.get_attribute("href"))
    assert catalog.locator(":target").inner_text() == f'{line} msgid "Cramps"'
    catalog.close()


def test_preview_shows_a_broken_catalog_on_the_page(browser, preview):
    url, root = preview
    po = root / "locales/de/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgstr "Blähungen und Koliken"', 'msgstr "Blähungen und Koliken'
        ),
        encoding="utf-8",
    )
    page, _ = open_preview(browser, url, "chapter=switzerland&lang=de&brochure=mission")
    error = page.locator("#error")
    assert wait_for(lambda: error.is_visible())
    assert re.search(
        r"locales/de/LC_MESSAGES/messages\.po:\d+: error: syntax: unterminated", error.inner_text()
    )


def test_preview_keeps_the_last_good_pages_under_a_broken_catalogs_error(browser, preview):
    """Saved with a typo: the error (file:line) shows above the pages that last rendered,
    which stay; fixed, the new pages come. Each panel shows its room."""
    url, root = preview
    page, problems = open_preview(browser, url, "chapter=switzerland&lang=de&brochure=benefits")
    assert wait_for(lambda: page.locator("#pages img").count() == 2, 60)
    panels = page.locator("#panels").inner_text()
    assert "page 1, flap:" in panels and "locales/de/LC_MESSAGES/messages.po:" in panels
    po = root / "locales/de/LC_MESSAGES/messages.po"
    good = po.read_text(encoding="utf-8")
    po.write_text(good.replace('msgstr "Väter"', 'msgstr "Väter'), encoding="utf-8")
    error = page.locator("#error")
    assert wait_for(lambda: error.is_visible(), 60)
    assert re.search(r"messages\.po:\d+: error: syntax", error.inner_text())
    assert "last ones that rendered" in error.evaluate(
        "e => getComputedStyle(e, '::after').content"
    )
    assert page.locator("#pages img").count() == 2
    assert page.locator("#pages img").first.evaluate("img => img.naturalWidth > 0")
    po.write_text(good.replace('msgstr "Väter"', 'msgstr "Die Väter"'), encoding="utf-8")
    assert wait_for(lambda: not error.is_visible(), 60)
    assert wait_for(lambda: "Die Väter" in page_text(page), 60)
    assert problems == []


def test_preview_serves_nothing_but_its_own_routes(preview):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    url, _ = preview
    for path in (
        "../../etc/passwd",
        "locales/",
        "locales/de/LC_MESSAGES/messages.po",
        "%2e%2e/%2e%2e/etc/passwd",
        "brochures/base.html",
        "styles/base.css",
    ):
        with pytest.raises(HTTPError) as caught:
            urlopen(url + path, timeout=10).close()
        caught.value.close()
        assert caught.value.code == 404
    with urlopen(url, timeout=10) as response:
        assert response.status == 200


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools is installed by scripts/setup")
@pytest.mark.parametrize(
    "path, website",
    [
        ("usa/en/benefits-office.pdf", "https://usa.example.org/"),
        ("usa/en/benefits-press.pdf", "https://usa.example.org/"),
        (
            "usa/en/what-is-infant-massage-example-family-clinic-office.pdf",
            "https://clinic.example.org/",
        ),
    ],
)
def test_printed_qr_code_decodes_to_the_website(english_build, tmp_path, path, website):
    pages = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(english_build / path), str(pages)], check=True
    )
    decoded = set()
    for image in sorted(tmp_path.glob("page-*.png")):
        result = subprocess.run(
            ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True
        )
        decoded |= set(result.stdout.split())
    assert decoded == {website}
