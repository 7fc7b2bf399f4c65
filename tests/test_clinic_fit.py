"""Each record fits: a clinic's name or address too long for its block is an error naming the
record (a sheet's line and column) and the brochure, found by `check`'s layout rules; it is
never shrunk or clipped to fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.boxes import Block, PageLayout, Rect, Region
from pressroom.layout_checks import record_lines

from .conftest import ROOT, write_record

# 120 characters of ordinary words: it wraps cleanly, but not into two lines of a contact block.
LONG_NAME = (
    "The Riverside Community Family Health and Wellbeing Clinic for Parents, "
    "Babies and Young Children of Greater Springfield"
)


def page_with(*blocks: Block) -> PageLayout:
    trim = Rect(0, 0, 210, 297)
    return PageLayout(1, 210, 297, (Region("page", trim, trim),), (), blocks)


def test_a_name_on_more_lines_than_its_block_allows_is_an_error_and_two_are_not():
    two = Block("p", "contact-name", "A B", ("A", "B"), "page")
    three = Block("p", "contact-name", "A B C", ("A", "B", "C"), "page")
    body = Block("p", "", "A B C", ("A", "B", "C"), "page")
    assert record_lines(page_with(two, body)) == []
    (problem,) = record_lines(page_with(three))
    assert (problem.check, problem.severity, problem.figure) == ("too-long", "error", 3.0)
    assert "p.contact-name, at most 2" in problem.detail and problem.texts == ("A B C",)


@pytest.mark.render
def test_a_clinic_with_a_120_character_name_is_reported_by_check_naming_its_csv_line(
    scratch_project: Path,
):
    from pressroom.jobs import Filters
    from pressroom.plan import make_plan
    from pressroom.project_check import run_checks

    assert len(LONG_NAME) == 120
    root = scratch_project
    usa = (ROOT / "chapters/usa.toml").read_text(encoding="utf-8")
    write_record(root / "chapters", "usa.toml", usa)
    sheet = write_record(
        root / "clinics",
        "chapter-clinics.csv",
        "id,name,chapter,website\n"
        "short,Short Clinic,usa,https://short.example.org/\n"
        f'long,"{LONG_NAME}",usa,https://long.example.org/\n',
    )
    filters = Filters(("usa",), ("en",), ("what-is-infant-massage",), ("office",))
    plan = make_plan(root, filters, (sheet,))
    (job,) = [job for job in plan.jobs if job.clinic and job.clinic.id == "long"]  # one document
    report = run_checks(plan.project, [job])
    assert report.rendered == 1
    about = [f for f in report.errors if f.check == "too-long"]
    assert about, [str(f) for f in report.findings]
    (finding,) = about
    assert "chapter-clinics.csv:3: name" in finding.message  # the sheet's line and column
    assert "what-is-infant-massage, page 2" in finding.message  # the brochure and page
    assert "p.contact-name" in finding.message and "usa+long" in finding.message
    printed = (ROOT / finding.file).read_text(encoding="utf-8").splitlines()[finding.line - 1]
    assert 'class="contact-name"' in printed, printed


@pytest.mark.render
@pytest.mark.parametrize("chapter, lang", [("uk", "en_GB"), ("usa", "en"), ("israel", "he")])
def test_an_ordinary_long_website_fits_its_contact_block_without_covering_or_overflowing(
    scratch_project: Path, chapter: str, lang: str
):
    """A 45-character address (a clinic's page on its practice's site) does not fit beside the
    QR code on one line: it breaks before a "/" of its path, and nothing overlaps or
    overflows (the QR code covered its last characters before)."""
    from pressroom.jobs import Filters
    from pressroom.plan import make_plan
    from pressroom.project_check import run_checks

    root = scratch_project
    for name in ("uk", "usa", "israel"):
        record = (ROOT / f"chapters/{name}.toml").read_text(encoding="utf-8")
        write_record(root / "chapters", f"{name}.toml", record)
    website = "https://clinic-0002.example.org/infant-massage"
    sheet = write_record(
        root / "clinics",
        "clinics.csv",
        f"id,name,chapter,phone,email,website\nlong-url,Clinic 0002,{chapter},+1 555 010002,"
        f"classes-0002@example.org,{website}\n",
    )
    filters = Filters((chapter,), (lang,), ("what-is-infant-massage",), ("office",))
    plan = make_plan(root, filters, (sheet,))
    (job,) = [job for job in plan.jobs if job.clinic]
    report = run_checks(plan.project, [job])
    assert report.rendered == 1
    assert not report.findings, [str(f) for f in report.findings]
