"""Office and press variants, checked by the preflight and by independent tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from pressroom.preflight import preflight
from pressroom.variants import MM, PAPER_MM

from .conftest import invoke, manifest

pytestmark = pytest.mark.render  # every test here renders

PRESS = [
    ("uk/en_GB/benefits-press.pdf", "a4", True),
    ("usa/en/benefits-press.pdf", "letter", True),
    ("uk/en_GB/what-is-infant-massage-press.pdf", "a4", False),
    ("usa/en/mission-example-family-clinic-press.pdf", "letter", False),
]


def test_every_pdf_of_the_build_passes_preflight(english_build):
    for entry in manifest(english_build):
        report = preflight(english_build / entry["path"], entry["variant"], entry["paper"])
        assert report.ok, (entry["path"], [c for c in report.checks if not c.ok])
        assert report.variant == entry["variant"]


@pytest.mark.parametrize("path, paper, landscape", PRESS)
def test_press_boxes_bleed_and_marks_room(english_build, path, paper, landscape):
    short, long = PAPER_MM[paper]
    width, height = (long, short) if landscape else (short, long)
    for page in PdfReader(english_build / path).pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert trim[2] - trim[0] == pytest.approx(width * MM, abs=0.5)
        assert trim[3] - trim[1] == pytest.approx(height * MM, abs=0.5)
        assert (
            min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
            >= 3 * MM - 0.01
        )
        assert media[0] < bleed[0] - 5 * MM, "room for crop marks outside the bleed"


def test_office_pdfs_are_tagged_with_language_and_live_links(english_build):
    reader = PdfReader(english_build / "usa/en/what-is-infant-massage-office.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    uris = {
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    }
    assert {"https://usa.example.org/", "mailto:usa@example.org"} <= uris


def test_press_output_intent_is_the_cmyk_profile(english_build):
    root = PdfReader(english_build / "uk/en_GB/benefits-press.pdf").trailer["/Root"]
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4


def test_paper_option_overrides_the_chapter(tmp_path):
    result = invoke(
        "build",
        "--chapter",
        "uk",
        "--lang",
        "en_GB",
        "--brochure",
        "mission",
        "--variant",
        "press",
        "--paper",
        "letter",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "uk/en_GB/mission-press-letter.pdf"
    assert preflight(path, "press", "letter").ok
    assert not preflight(path, "press", "a4").ok


@pytest.mark.skipif(
    not shutil.which("qpdf") or not shutil.which("pdffonts"),
    reason="poppler-utils and qpdf are installed by scripts/setup",
)
def test_independent_tools_agree(english_build):
    press = english_build / "uk/en_GB/benefits-press.pdf"
    for entry in manifest(english_build):
        subprocess.run(
            ["qpdf", "--check", str(english_build / entry["path"])], check=True, capture_output=True
        )
    boxes = subprocess.run(
        ["pdfinfo", "-box", str(press)], check=True, capture_output=True, text=True
    ).stdout
    trim = [float(v) for v in boxes.split("TrimBox:")[1].split()[:4]]
    bleed = [float(v) for v in boxes.split("BleedBox:")[1].split()[:4]]
    assert trim[0] - bleed[0] >= 3 * MM - 0.01
    fonts = subprocess.run(
        ["pdffonts", str(press)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column


def broken_copy(source: Path, target: Path, breaks) -> Path:
    writer = PdfWriter(clone_from=source)
    breaks(writer)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_preflight_catches_a_missing_trim_box(english_build, tmp_path):
    def drop_trim(writer):
        del writer.pages[1][NameObject("/TrimBox")]

    path = broken_copy(english_build / "uk/en_GB/benefits-press.pdf", tmp_path / "x.pdf", drop_trim)
    failed = {c.name: c.detail for c in preflight(path).checks if not c.ok}
    assert "page 2: no TrimBox" in failed["TrimBox and BleedBox"]


def test_preflight_catches_an_unembedded_font(english_build, tmp_path):
    def add_base14_font(writer):
        from pypdf.generic import DictionaryObject

        page = writer.pages[0]
        fonts = page["/Resources"]["/Font"]
        fonts[NameObject("/Fx")] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                }
            )
        )

    path = broken_copy(
        english_build / "uk/en_GB/benefits-press.pdf", tmp_path / "x.pdf", add_base14_font
    )
    failed = {c.name: c.detail for c in preflight(path).checks if not c.ok}
    assert failed == {"fonts embedded": "font not embedded: /Helvetica"}


def test_preflight_catches_an_rgb_image(tmp_path):
    """A press PDF whose chapter logo is an RGB PNG: the renderer keeps it RGB; preflight says."""
    from pressroom.render import Renderer
    from pressroom.variants import DEFAULT_CMYK_PROFILE

    png = tmp_path / "logo.png"
    png.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408"
            "d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
        )
    )
    html = (
        f"<html lang=en><head><title>t</title><style>@page{{size:a4;bleed:3mm}}</style>"
        f"</head><body><img src='{png.as_uri()}' style='width:20mm'></body></html>"
    )
    renderer = Renderer(allowed=(tmp_path, DEFAULT_CMYK_PROFILE.parent))
    rendered = renderer.render(
        html, tmp_path, (), pdf_variant="pdf/x-4", cmyk_profile=DEFAULT_CMYK_PROFILE
    )
    path = tmp_path / "rgb.pdf"
    path.write_bytes(rendered.data)
    failed = {c.name: c.detail for c in preflight(path, "press").checks if not c.ok}
    assert "RGB image" in failed["no RGB colour"]


@pytest.mark.parametrize("pixels, passes", [(40, False), (300, True)])
def test_preflight_checks_image_resolution_at_printed_size(tmp_path, pixels, passes):
    """A 20 mm wide CMYK image: 40 px is 51 ppi (fails), 300 px is 381 ppi (passes)."""
    from PIL import Image

    from pressroom.render import Renderer
    from pressroom.variants import DEFAULT_CMYK_PROFILE

    image = tmp_path / "logo.jpg"
    Image.new("CMYK", (pixels, pixels), (0, 80, 90, 10)).save(image)
    html = (
        f"<html lang=en><head><title>t</title><style>@page{{size:a4;bleed:3mm}}</style>"
        f"</head><body><img src='{image.as_uri()}' style='width:20mm'></body></html>"
    )
    renderer = Renderer(allowed=(tmp_path, DEFAULT_CMYK_PROFILE.parent))
    path = tmp_path / "image.pdf"
    path.write_bytes(
        renderer.render(
            html, tmp_path, (), pdf_variant="pdf/x-4", cmyk_profile=DEFAULT_CMYK_PROFILE
        ).data
    )
    (check,) = [
        c for c in preflight(path, "press").checks if c.name == "images at print resolution"
    ]
    assert check.ok is passes, check.detail
    if not passes:
        assert "prints at 51 ppi" in check.detail


SEGMENT = re.compile(r"(-?[\d.]+) (-?[\d.]+) m (-?[\d.]+) (-?[\d.]+) l S")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"')


def _marks(page) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """The crop marks (solid) and fold marks (dashed) of the stream the finisher appended."""
    marks = page["/Contents"][-1].get_object().get_data().decode("latin-1")
    assert "/All CS 1 SCN" in marks, "marks in the registration colour"
    solid, _, dashed = marks.partition("[2 2] 0 d")
    return (
        [tuple(map(float, s)) for s in SEGMENT.findall(solid)],
        [tuple(map(float, s)) for s in SEGMENT.findall(dashed)],
    )


def _word_columns(path: Path, page_number: int, left: float) -> list[tuple[float, float]]:
    """Each printed word's left and right edge in PDF units, as poppler finds them."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page_number), "-l", str(page_number), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(left + float(x0), left + float(x1)) for x0, x1 in WORD.findall(html)]


@pytest.mark.parametrize("code", ["en", "de", "he", "ar"])
def test_crop_and_fold_marks_sit_on_the_trim_and_on_the_panel_gutters(world_build, code):
    """Crop marks continue the trim edges outside the bleed; fold marks stand where the
    panels meet, which poppler's word positions confirm independently: no word within
    4 mm of a fold, words on all three panels, and the fold-in panel (3 mm narrower) on the
    side the brochure opens from, mirrored for right-to-left editions."""
    path = (
        world_build.with_name(world_build.name + "-press")
        / f"international/{code}/benefits-press.pdf"
    )
    rtl = code in ("he", "ar")
    for number, page in enumerate(PdfReader(path).pages):
        left, bottom, right, top = (float(v) for v in page.trimbox)
        bleed = [float(v) for v in page.bleedbox]
        crops, folds = _marks(page)
        assert len(crops) == 8
        for x0, y0, x1, y1 in crops:
            horizontal = y0 == y1
            edge = y0 if horizontal else x0
            assert (
                min(abs(edge - e) for e in ((bottom, top) if horizontal else (left, right))) < 0.01
            )
            far, near = (x0, x1) if horizontal else (y0, y1)
            low, high = (bleed[0], bleed[2]) if horizontal else (bleed[1], bleed[3])
            assert not (low < far < high or low < near < high), "a crop mark inside the bleed"
            assert abs(far - near) == pytest.approx(6 * MM, abs=0.01)
        fold_xs = sorted({x0 for x0, _, x1, _ in folds if x0 == x1})
        assert len(fold_xs) == 2 and len(folds) == 4
        for _, y0, _, y1 in folds:
            assert min(y0, y1) >= top + 5 * MM - 0.01 or max(y0, y1) <= bottom - 5 * MM + 0.01
        words = _word_columns(path, number + 1, float(page.mediabox[0]))
        for fold in fold_xs:
            crossing = [w for w in words if w[0] - 4 * MM < fold < w[1] + 4 * MM]
            assert not crossing, f"page {number + 1}: words within 4 mm of the fold at {fold}"
        edges = [left, *fold_xs, right]
        for start, end in zip(edges, edges[1:], strict=False):
            assert any(start < x0 and x1 < end for x0, x1 in words), "a panel with no words"
        first, last = fold_xs[0] - left, right - fold_xs[1]
        fold_in_on_left = (number == 0) != rtl
        narrower, wider = (first, last) if fold_in_on_left else (last, first)
        assert wider - narrower == pytest.approx(3 * MM, abs=0.5), (number, first, last)
