"""Office PDFs as a screen reader gets them: checked by an independent tool (outloud), by our
own preflight, and by extracting their text and reading order with poppler and MuPDF."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

from pressroom.documents import DocumentMaker
from pressroom.jobs import Filters
from pressroom.plan import make_plan
from pressroom.preflight import preflight

from .conftest import ROOT, build_ok, built_once

OUTLOUD = Path(sys.executable).with_name("outloud")
# Warnings that remain, each explained in README.md ("Accessibility"): Noto's several glyphs
# for one letter (TXT-004), and a tri-fold's cover read before the panels painted left of it
# (ORD-001).
EXPLAINED_WARNINGS = {"TXT-004", "ORD-001"}


@pytest.fixture(scope="session")
def script_build(tmp_path_factory) -> Path:
    """The Hindi and Arabic office PDFs of the international chapter: Devanagari conjuncts and
    reordered vowel signs, Arabic contextual forms and ligatures, a right-to-left tri-fold."""

    def build(out: Path) -> None:
        build_ok(
            *("--chapter", "international", "--variant", "office"),
            *("--lang", "hi", "--lang", "ar", "--out", str(out)),
        )

    return built_once(tmp_path_factory, "scripts", build)


def outloud(paths: list[Path]) -> list[dict]:
    done = subprocess.run(
        [str(OUTLOUD), *map(str, paths), "--json", "-", "--fail-on", "never", "-q"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout[done.stdout.index("{") :])["results"]


@pytest.mark.render
def test_every_office_pdf_passes_the_independent_checker(english_build, script_build):
    """outloud (PDF/UA-1 plus semantic rules, pinned in the lock) finds no error in any office
    PDF of the test builds, and only the warnings README.md explains."""
    paths = sorted([*english_build.rglob("*-office*.pdf"), *script_build.rglob("*-office*.pdf")])
    assert len(paths) >= 12
    results = outloud(paths)
    assert len(results) == len(paths)
    errors = {
        r["path"]: [
            f"{f['rule']}: {f['message']}" for f in r["findings"] if f["severity"] == "error"
        ]
        for r in results
    }
    assert [r["verdict"] for r in results if r["verdict"] not in ("pass", "review")] == [], errors
    warnings = {f["rule"] for r in results for f in r["findings"] if f["severity"] == "warning"}
    assert warnings <= EXPLAINED_WARNINGS


@pytest.mark.render
def test_our_preflight_checks_what_a_screen_reader_needs(english_build, script_build):
    for path in sorted([*english_build.rglob("*-office*.pdf"), *script_build.rglob("*.pdf")]):
        checks = {check.name: check for check in preflight(path, "office").checks}
        for name in ("headings", "lists", "text extracts", "links", "title shown"):
            assert checks[name].ok, f"{path}: {name}: {checks[name].detail}"


def _broken(source: Path, target: Path, breaks) -> Path:
    writer = PdfWriter(clone_from=source)
    breaks(writer)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.mark.render
def test_preflight_catches_a_heading_and_a_link_that_a_reader_would_miss(english_build, tmp_path):
    def break_them(writer):
        root = writer._root_object["/StructTreeRoot"].get_object()
        pending = [root]
        while pending:
            element = pending.pop(0)
            if element.get("/S") == "/H1":
                element[NameObject("/S")] = NameObject("/H2")
                break
            kids = element.get("/K")
            kids = kids.get_object() if kids is not None else []
            pending += [k.get_object() for k in (kids if isinstance(kids, list) else [kids])]
            pending = [k for k in pending if hasattr(k, "get")]
        for page in writer.pages:
            for annotation in page.get("/Annots") or []:
                annotation.get_object()[NameObject("/F")] = NumberObject(0)

    path = _broken(english_build / "usa/en/benefits-office.pdf", tmp_path / "x.pdf", break_them)
    failed = {c.name: c.detail for c in preflight(path, "office").checks if not c.ok}
    assert "the first heading is H2, not H1" in failed["headings"]
    assert "without the Print flag" in failed["links"]


# What the extracted text is compared by: NFC; no whitespace (lines break anywhere, and an
# extractor adds or drops spaces there); no hyphens (poppler joins a word broken after its hard
# hyphen and drops the hyphen, as it would a hyphenation's); no soft hyphen, bidi controls (the
# templates isolate "IAIM®") or zero-width (non-)joiners, which steer shaping but draw nothing.
_INVISIBLE = re.compile(
    "[\\s\\-\u00ad\u2010\u2011\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2060\ufeff]+"
)


def _normal(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def _words(text: str) -> list[str]:
    """Arabic is compared word by word (its letters, without the marks), and so are the Latin
    words in it: an extractor orders a right-to-left line by where things are drawn, and where
    the line holds left-to-right runs (IAIM®, International Representation) or ends on a neutral
    mark (a comma, with a shadda drawn raised beside it), whole runs land elsewhere in the line."""
    text = unicodedata.normalize("NFC", re.sub(r"%\(\w+\)s", " ", text))
    kept = "".join(c for c in text if unicodedata.category(c) != "Mn")
    spaced = "".join(c if unicodedata.category(c).startswith("L") else " " for c in kept)
    return re.sub(
        r"(?<=[\u0600-\u06ff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u0600-\u06ff])", " ", spaced
    ).split()


def _extract(path: Path, lang: str) -> str:
    """Devanagari through poppler, which reads /ActualText; Arabic through MuPDF, which orders
    right-to-left lines logically (poppler splits a line where a mark is raised)."""
    if lang == "ar":
        import pymupdf

        with pymupdf.open(path) as document:
            return "\n".join(page.get_text() for page in document)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def _printed_strings(lang: str) -> list[str]:
    """Every msgstr of the catalog that the international handout prints: its pieces between
    placeholders all occur in the handout's own HTML text."""
    plan = make_plan(ROOT, Filters(("international",), (lang,), ("what-is-infant-massage",)))
    document = plan.jobs[0]
    page = _normal(
        html.unescape(re.sub(r"<[^>]+>", "", DocumentMaker(plan.project).html(document)))
    )
    with (ROOT / f"locales/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    printed = []
    for message in catalog:
        if not message.id or not isinstance(message.string, str) or not message.string:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", message.string))
        pieces = [_normal(p) for p in re.split(r"%\(\w+\)s|\{\w+\}", text) if _normal(p)]
        if pieces and all(p in page for p in pieces):
            printed.append(text)
    return printed


@pytest.mark.render
@pytest.mark.parametrize("lang", ["hi", "ar"])
def test_the_handout_text_extracts_as_its_catalog_says(script_build, lang):
    """Copying, searching or hearing the handout gives the translator's words: each string of
    the catalog that the handout prints is in the text extracted from its PDF."""
    strings = _printed_strings(lang)
    assert len(strings) >= 35  # the handout's headings, paragraphs, list items, senses
    raw = _extract(script_build / f"international/{lang}/what-is-infant-massage-office.pdf", lang)
    if lang == "ar":
        words = set(_words(raw))
        missing = [string for string in strings if not set(_words(string)) <= words]
    else:
        text = _normal(raw)
        missing = [
            string
            for string in strings
            if not all(_normal(piece) in text for piece in re.split(r"%\(\w+\)s", string))
        ]
    assert missing == []


def _headings(path: Path) -> list[tuple[str, str]]:
    """(tag, text) of each heading in the order of the structure tree (poppler)."""
    lines = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    headings, current = [], None
    for line in lines:
        tag = re.match(r"\s*(H[1-6])\b", line)
        if tag:
            current = tag[1]
            headings.append([current, ""])
        elif current and line.strip().startswith('"') and headings[-1][1] == "":
            headings[-1][1] = line.strip().strip('"')
    return [(tag, text) for tag, text in headings]


def _msgstr(lang: str, msgid: str) -> str:
    with (ROOT / f"locales/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle)[msgid].string


@pytest.mark.render
@pytest.mark.parametrize(
    "build, path, lang",
    [
        ("english", "uk/en_GB/benefits-office.pdf", "en_GB"),
        ("scripts", "international/ar/benefits-office.pdf", "ar"),
    ],
)
def test_a_tri_fold_reads_cover_first_then_panels_in_reading_direction(
    english_build, script_build, build, path, lang
):
    """The title (H1) is read first; then the outside sheet's panels as the reader meets them
    across the sheet, the fold-in flap first (left in English, right in Arabic), and then the
    inside sheet's three panels in the same direction."""
    pdf = (english_build if build == "english" else script_build) / path
    headings = _headings(pdf)
    assert headings[0][0] == "H1" and [tag for tag, _ in headings].count("H1") == 1
    order = [
        "More about bonding",
        "Find an instructor",
        "How babies and families may benefit",
        "A mother’s experience",
        "A pediatrician’s view",
    ]
    wanted = [_msgstr(lang, msgid) or msgid for msgid in order]
    # poppler prints right-to-left text in visual order: read it back the other way.
    texts = [text[::-1] if lang == "ar" else text for tag, text in headings if tag == "H2"]
    found = [next(i for i, t in enumerate(texts) if _normal(t)[:8] in _normal(w)) for w in wanted]
    assert found == sorted(found)
    # The flap, first after the cover, is on the reader's starting side of the outside sheet.
    width = 842  # both are A4 landscape, in points
    start = 2 * width // 3 if lang == "ar" else 0
    crop = ["-x", str(start), "-y", "0", "-W", str(width // 3), "-H", "595"]
    third = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", *crop, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flap = _normal(wanted[0])[:6]
    assert flap in _normal(third) or flap[::-1] in _normal(third)


@pytest.mark.render
def test_a_handouts_running_foot_page_number_is_an_artifact_its_attribution_is_read(
    english_build,
):
    pdf = english_build / "uk/en_GB/what-is-infant-massage-office.pdf"
    tree = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Content provided by IAIM® 1\u00a0September\u00a02020" in tree
    assert "2 / 2" not in tree
    page = PdfReader(pdf).pages[1].get_contents().get_data()
    assert re.search(rb"/Artifact\s*<</Type /Pagination\s*/Subtype /Footer>>\s*BDC", page)
