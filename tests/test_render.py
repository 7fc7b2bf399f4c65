"""Real renders of the English publications, read back from the PDFs."""

from __future__ import annotations

import hashlib

import pytest
from pypdf import PdfReader

from .conftest import ROOT, manifest, normalize, pdf_text

pytestmark = pytest.mark.render  # every test here renders

MM = 72 / 25.4
SIZES_MM = {
    ("a4", False): (210, 297),
    ("a4", True): (297, 210),
    ("letter", False): (215.9, 279.4),
    ("letter", True): (279.4, 215.9),
}


def seed_statements() -> list[str]:
    lines = (ROOT / "tests" / "seed_statements.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_every_seed_statement_is_printed(english_build):
    printed = normalize(
        " ".join(
            pdf_text(english_build / entry["path"])
            for entry in manifest(english_build)
            if entry["variant"] == "office"
        )
    )
    missing = [s for s in seed_statements() if normalize(s) not in printed]
    assert not missing, missing


def test_no_web_page_leftovers(english_build):
    for entry in manifest(english_build):
        text = pdf_text(english_build / entry["path"]).lower()
        for leftover in ("click", "(link)", "print friendly", "see sensory processing", "video:"):
            assert leftover not in text, (entry["path"], leftover)


def test_manifest_describes_each_pdf(english_build):
    entries = manifest(english_build)
    assert len(entries) == 16  # (uk: 3 brochures; usa: 3 + 2 clinic handouts) × 2 variants
    assert {entry["variant"] for entry in entries} == {"office", "press"}
    for entry in entries:
        data = (english_build / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["lang"] == ("en_GB" if entry["chapter"] == "uk" else "en")
        assert len(PdfReader(english_build / entry["path"]).pages) == entry["pages"]


@pytest.mark.parametrize(
    "path, pages, paper, landscape",
    [
        ("uk/en_GB/benefits-office.pdf", 2, "a4", True),
        ("usa/en/benefits-office.pdf", 2, "letter", True),
        ("uk/en_GB/what-is-infant-massage-office.pdf", 2, "a4", False),
        ("usa/en/what-is-infant-massage-example-family-clinic-office.pdf", 2, "letter", False),
        ("uk/en_GB/mission-office.pdf", 1, "a4", False),
        ("usa/en/mission-office.pdf", 1, "letter", False),
    ],
)
def test_page_count_and_size(english_build, path, pages, paper, landscape):
    reader = PdfReader(english_build / path)
    assert len(reader.pages) == pages
    width, height = SIZES_MM[paper, landscape]
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height * MM, abs=0.5)


def test_pdf_metadata(english_build):
    reader = PdfReader(english_build / "usa/en/benefits-office.pdf")
    info = reader.metadata
    assert info.title == "Advantages of the IAIM Infant Massage Program"
    assert info.author == "IAIM Chapter USA (sample)"
    assert "benefits of infant massage" in info.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_the_uk_edition_is_british_and_the_us_edition_american(english_build):
    british = normalize(pdf_text(english_build / "uk/en_GB/benefits-office.pdf"))
    american = normalize(pdf_text(english_build / "usa/en/benefits-office.pdf"))
    for gb, us in [
        ("Programme", "Program"),
        ("paediatrician", "pediatrician"),
        ("1 September 2020", "September 1, 2020"),
    ]:
        assert normalize(gb) in british and normalize(gb) not in american
        assert normalize(us) in american
    assert normalize("Wind and colic") in british and normalize("Gas and colic") in american


def test_clinic_imprint_comes_from_the_record(english_build):
    imprinted = pdf_text(
        english_build / "usa/en/what-is-infant-massage-example-family-clinic-office.pdf"
    )
    plain = pdf_text(english_build / "usa/en/what-is-infant-massage-office.pdf")
    statement = "Example Family Clinic and staff are certified infant massage instructors"
    assert normalize(statement) in normalize(imprinted)
    assert "clinic.example.org" in imprinted
    # With a clinic, parents are asked to book with it, not sent to look up a chapter.
    assert normalize("Book a class with us") in normalize(imprinted)
    assert normalize("look up International Representation") not in normalize(imprinted)
    assert normalize("look up International Representation") in normalize(plain)
    assert "Example Family Clinic" not in plain
    assert "usa.example.org" in plain
