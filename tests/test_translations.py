"""Every shipped language renders every publication in its own words, script and direction."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from pressroom import fonts
from pressroom.errors import RenderError
from pressroom.languages import available_languages, catalog_path, language
from pressroom.project import Project

from .conftest import ROOT, invoke, manifest, normalize, pdf_text

PROJECT = Project.at(ROOT)
# en_GB is English in British spelling: the UK edition, tested with the English build.
LANGUAGES = sorted(available_languages(PROJECT) - {"en", "en_GB"})
MISSION = (
    "The purpose of the International Association of Infant Massage is to promote "
    "nurturing touch and communication through training, education and research so that "
    "parents, caregivers and children are loved, valued and respected throughout the "
    "world community."
)
REGIONAL_CJK = {"ja": "CJK-JP", "zh_Hans": "CJK-SC"}


def translation(code: str, msgid: str) -> str:
    with catalog_path(PROJECT, code).open("rb") as handle:
        return read_po(handle)[msgid].string


def printed(statement: str, text: str, code: str) -> bool:
    """Whether a statement is in the extracted text. Text extraction reorders the runs of a
    right-to-left line and splits Devanagari clusters, so for those scripts nearly all of the
    statement's words must be there instead."""
    if language(code).direction == "rtl" or code == "hi":
        words = set(re.findall(r"\w+", text))
        wanted = re.findall(r"\w+", statement)
        return sum(word in words for word in wanted) >= 0.7 * len(wanted)
    return normalize(statement) in normalize(text)


@pytest.mark.render
@pytest.mark.parametrize("code", LANGUAGES)
def test_language_renders_its_own_words(world_build, code):
    mission = pdf_text(world_build / f"international/{code}/mission-office.pdf")
    statement = translation(code, MISSION)
    assert statement and printed(statement, mission, code)
    assert normalize(MISSION) not in normalize(mission)
    author = PdfReader(world_build / f"international/{code}/mission-office.pdf").metadata.author
    if code in ("ja", "zh_Hans", "de", "ar"):  # the international record's name_in
        assert author == translation(code, "International Association of Infant Massage")
    benefits = pdf_text(world_build / f"international/{code}/benefits-office.pdf")
    assert printed(translation(code, "Gas and colic"), benefits, code)
    assert "Gas and colic" not in benefits
    assert "IAIM" in benefits


@pytest.mark.render
@pytest.mark.parametrize("code", LANGUAGES)
def test_pdf_language_and_page_count(world_build, code):
    entries = [e for e in manifest(world_build) if e["lang"] == code]
    assert {e["brochure"]: e["pages"] for e in entries} == {"benefits": 2, "mission": 1}
    reader = PdfReader(world_build / f"international/{code}/mission-office.pdf")
    assert reader.trailer["/Root"]["/Lang"] == language(code).tag


def cover_title_x(path, title: str) -> float:
    """Where, across the outside sheet, the cover title starts (0 = left edge, 1 = right)."""
    page = PdfReader(path).pages[0]
    width, found = float(page.mediabox.width), []

    def visit(text, cm, tm, font, size):
        if text.strip() and normalize(text) in normalize(title):
            found.append((cm[4] + tm[4] * cm[0]) / width)

    page.extract_text(visitor_text=visit)
    assert found, title
    return min(found)


@pytest.mark.render
@pytest.mark.parametrize("code", ["ar", "he", "en", "de"])
def test_right_to_left_tri_fold_opens_the_other_way(world_build, code):
    title = (
        translation(code, "Advantages of the IAIM Infant Massage Program")
        if code != "en"
        else "Advantages of the IAIM Infant Massage Program"
    )
    position = cover_title_x(world_build / f"international/{code}/benefits-office.pdf", title)
    if language(code).direction == "rtl":
        assert position < 1 / 3, "an RTL cover panel is the left-hand panel"
    else:
        assert position > 2 / 3, "an LTR cover panel is the right-hand panel"


def test_rtl_languages_are_marked_rtl():
    assert [code for code in LANGUAGES if language(code).direction == "rtl"] == ["ar", "he"]
    assert language("ar").native_name == "العربية"
    assert language("zh_Hans").native_name.startswith("中文")


@pytest.mark.render
@pytest.mark.parametrize("code, family", sorted(REGIONAL_CJK.items()))
def test_japanese_and_chinese_use_their_own_regional_font(world_build, code, family):
    reader = PdfReader(world_build / f"international/{code}/mission-office.pdf")
    names = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(family in name for name in names), names
    other = REGIONAL_CJK["zh_Hans" if code == "ja" else "ja"]
    assert not any(other in name for name in names), names


def test_missing_font_is_named_before_rendering(monkeypatch, tmp_path):
    absent = fonts.Font(
        "Noto Sans Imaginary", tmp_path / "none.ttf", tmp_path / "none-b.ttf", "fonts-imaginary"
    )
    monkeypatch.setitem(fonts.SCRIPT_FONTS, "Hebr", (absent,))
    with pytest.raises(RenderError, match="'Noto Sans Imaginary' for language 'he' is missing"):
        fonts.check_fonts("he")


@pytest.mark.render
def test_overflowing_translation_names_its_panel(scratch_project, tmp_path):
    """A translator's too-long text must fail the build and say which panel, not vanish."""
    import shutil

    shutil.copy(ROOT / "chapters" / "switzerland.toml", scratch_project / "chapters")
    path = catalog_path(Project.at(scratch_project), "de")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    long_message = catalog[
        "Touch is a very powerful element in human bonding. Communication, "
        "both verbal and non-verbal, and prolonged eye contact are also "
        "important elements of bonding. Infant massage encompasses and "
        "supports all these vital aspects of bonding."
    ]
    long_message.string = " ".join([long_message.string] * 6)
    from babel.messages.pofile import write_po

    with path.open("wb") as handle:
        write_po(handle, catalog)
    result = invoke(
        "build",
        "--chapter",
        "switzerland",
        "--lang",
        "de",
        "--brochure",
        "benefits",
        "--variant",
        "office",
        "--out",
        str(tmp_path / "out"),
        root=scratch_project,
    )
    assert result.exit_code == 1
    assert "panel 'panel panel-flap' on page 1 overflows by" in result.output
    assert not (tmp_path / "out" / "switzerland/de/benefits-office.pdf").exists()
