"""The layout checks on real WeasyPrint layouts: fixture catalogs and records that break a
design, and the finding each must give, with its place and strings. Marked `render` (a few
seconds each), so `pytest -m "not render"` keeps a tier that renders nothing."""

from __future__ import annotations

import json
import re

import pytest

from pressroom.boxes import read_page
from pressroom.layout_checks import overlaps
from pressroom.pofile import parse_po
from pressroom.render import Renderer

from .conftest import ROOT, invoke, write_record

pytestmark = pytest.mark.render


def layout_findings(root, *args):
    result = invoke("check", "--json", *args, root=root)
    report = json.loads(result.output)
    return [f for f in report["findings"] if not f["file"].startswith("locales/")], result


def po_line(root, lang: str, msgid_start: str) -> int:
    path = root / f"locales/{lang}/LC_MESSAGES/messages.po"
    (entry,) = [e for e in parse_po(path).entries if e.msgid.startswith(msgid_start)]
    return entry.line


def test_a_float_inside_rtl_inline_blocks_is_seen_over_the_text(tmp_path):
    """The D1 pattern, on a minimal page: the QR floats inside right-to-left inline blocks and
    WeasyPrint paints it over the start of the text; the check reads it off the boxes."""
    css = tmp_path / "page.css"
    css.write_text(
        "@page { size: A4; margin: 14mm 16mm }"
        ".cols > * { display: inline-block; vertical-align: top; width: 47% }"
        ".qr { float: inline-end; direction: ltr; width: 25mm; height: 25mm;"
        " background: white }"
        # a tint behind the text (as the office tri-fold's grounds): not ink on it
        ".cols { position: relative; z-index: 0 }"
        ".cols::before { content: ''; position: absolute; z-index: -1; inset: 0;"
        " background: #eee }",
        encoding="utf-8",
    )
    html = (
        '<html dir="rtl" lang="he"><body><div class="cols"><div><p>אפשר למצוא מדריכים של '
        'IAIM באזור שלכם דרך סניף IAIM במדינה שלכם.</p></div><div><div class="qr"></div>'
        "<p>IAIM</p></div></div></body></html>"
    )
    page_html = tmp_path / "page.html"
    page_html.write_text(html, encoding="utf-8")
    from weasyprint import HTML  # the test looks at the boxes of a real layout

    document = HTML(string=html, base_url=str(tmp_path)).render(stylesheets=[str(css)])
    page = read_page(document.pages[0]._page_box, 1)
    assert [ink.what for ink in page.inks if ink.kind == "graphic"] == ["div.qr"]
    found = overlaps(page)
    assert found, "the QR code covers the text in this layout"
    assert found[0].what[0] == "div.qr" and "אפשר למצוא" in found[0].texts[0]
    assert Renderer  # the project's renderer is the one that keeps these boxes (read_layout)


LONG_WORD = "Spädbarnsmassageinstruktörsutbildningsprogrammetsfördelar"


def long_swedish_title(root):
    """The Swedish catalog with one 57-letter word as the tri-fold's title."""
    write_record(
        root / "chapters",
        "sweden.toml",
        (ROOT / "chapters/sweden.toml").read_text(encoding="utf-8"),
    )
    path = root / "locales/sv/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    title = re.search(
        r'msgid "Advantages of the IAIM Infant Massage Program"\nmsgstr "([^"]+)"', text
    ).group(1)
    path.write_text(text.replace(f'msgstr "{title}"', f'msgstr "{LONG_WORD}"'), encoding="utf-8")


def test_a_long_word_in_a_title_is_found_at_its_panel_and_string(scratch_project):
    """Set unbroken, the word runs out of the cover's safe area (an error); hyphenated, it
    makes a ladder (a warning). Either way the finding names the cover, the h1's template
    line and the title's PO line."""
    root = scratch_project
    long_swedish_title(root)
    findings, _ = layout_findings(
        root, "--chapter", "sweden", "--lang", "sv", "--brochure", "benefits"
    )
    title_line = f"locales/sv/LC_MESSAGES/messages.po:{po_line(root, 'sv', 'Advantages of the')}"
    (found,) = [f for f in findings if title_line in f["message"]]
    assert (found["severity"], found["check"]) in {
        ("error", "safe-area"),
        ("warning", "hyphen-ladder"),
    }
    assert found["file"] == "brochures/benefits.html"
    assert (
        "<h1" in (ROOT / found["file"]).read_text(encoding="utf-8").splitlines()[found["line"] - 1]
    )  # the cover's h1, not the PDF title that uses the same string
    assert "benefits, page 1, panel-cover" in found["message"]
    assert "sweden; office, press" in found["message"]


def test_build_prints_the_layout_findings_of_what_it_renders(scratch_project, tmp_path):
    long_swedish_title(scratch_project)
    result = invoke(
        "build",
        "--brochure",
        "benefits",
        "--variant",
        "office",
        "-j",
        "1",
        "--out",
        str(tmp_path / "out"),
        root=scratch_project,
    )
    assert result.exit_code == 0, result.output  # check is the gate; build reports
    title_line = f"messages.po:{po_line(scratch_project, 'sv', 'Advantages of the')}"
    (line,) = [line for line in result.output.splitlines() if title_line in line]
    assert line.startswith("layout brochures/benefits.html:")
    assert "benefits, page 1, panel-cover" in line and "sweden; office]" in line
    assert re.search(
        r"^layout: \d+ error\(s\), \d+ warning\(s\) in the PDFs built", result.output, re.M
    )
    assert (tmp_path / "out/sweden/sv/benefits-office.pdf").is_file()


CHAPTER = """id = "testland"
name = "IAIM Testland (sample)"
country = "{country}"
languages = ["{lang}"]

[contact]
organisation = "{organisation}"
website = "{website}"
email = "info@example.org"
"""


def test_a_long_url_in_a_record_names_the_record_and_the_contact_template(scratch_project):
    root = scratch_project
    write_record(
        root / "chapters",
        "testland.toml",
        CHAPTER.format(
            country="GB",
            lang="en",
            organisation="IAIM Testland",
            # one path segment too long for the contact block (it may break only at a "/")
            website="https://www.example.org/find-an-instructor-and-infant-massage-classes-near-you",
        ),
    )
    findings, _ = layout_findings(root, "--brochure", "what-is-infant-massage", "--lang", "en")
    about = [f for f in findings if "testland.toml: contact.website" in f["message"]]
    assert about, findings
    assert {f["file"] for f in about} == {"brochures/partials/contact.html"}
    assert any(
        "a URL is broken across lines" in f["message"] or f["check"] == "safe-area" for f in about
    )


# A name wraps between its words (never hyphenated), so a long one of many words fits; one word
# too long for the block cannot, and must be reported rather than printed past the trim.
LONG_CLINIC = "Saeuglingsmassagegemeinschaftspraxisverbundzentrumfamilienwohlbefindensklinik Ost"


def test_a_long_clinic_name_is_reported_with_the_clinic_record_and_imprint_string(scratch_project):
    root = scratch_project
    write_record(
        root / "chapters", "usa.toml", (ROOT / "chapters/usa.toml").read_text(encoding="utf-8")
    )
    write_record(
        root / "clinics",
        "long.toml",
        f"""id = "long"
name = "{LONG_CLINIC}"
chapter = "usa"

[contact]
website = "https://clinic.example.org/"
""",
    )
    findings, _ = layout_findings(root, "--lang", "en", "--brochure", "what-is-infant-massage")
    about = [f for f in findings if "long.toml: name" in f["message"]]
    assert about, findings
    for finding in about:  # the clinic's handouts only, at the template line printing it
        assert "usa+long" in finding["message"] and "usa;" not in finding["message"]
        printed = (
            (ROOT / finding["file"]).read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
        )
        assert "clinic" in printed or "name" in printed, printed


def test_a_tripled_german_catalog_gives_one_finding_per_panel_and_page(scratch_project):
    """Issue 14's example: every German string three times as long overflows six panels and
    the handout's pages; one finding each, not one per chapter and variant, each with its
    strings (PO file:line) and the template's real line."""
    from babel.messages.pofile import read_po, write_po

    root = scratch_project
    write_record(
        root / "chapters",
        "switzerland.toml",
        (ROOT / "chapters/switzerland.toml").read_text(encoding="utf-8"),
    )
    path = root / "locales/de/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if (
            message.id
            and isinstance(message.string, str)
            and "%(" not in message.string
            and "<" not in message.string
        ):
            message.string = " ".join([message.string] * 3)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    findings, result = layout_findings(
        root, "--lang", "de", "--brochure", "benefits", "--brochure", "what-is-infant-massage"
    )
    assert result.exit_code == 1
    overflows = [f for f in findings if f["check"] == "overflow"]
    places = sorted(f["message"].split(":")[0] for f in overflows)
    assert places == [
        "benefits, page 1, panel-back",
        "benefits, page 1, panel-cover",
        "benefits, page 1, panel-flap",
        "benefits, page 2, panel-inside-1",
        "benefits, page 2, panel-inside-2",
        "benefits, page 2, panel-inside-3",
        "what-is-infant-massage, page 2, page",
    ]
    for finding in overflows:
        assert finding["line"] > 0 and finding["file"].startswith("brochures/")
        assert "locales/de/LC_MESSAGES/messages.po:" in finding["message"]
        assert "switzerland; office, press" in finding["message"]
    assert not [f for f in findings if f["severity"] == "error" and f["check"] != "overflow"]
