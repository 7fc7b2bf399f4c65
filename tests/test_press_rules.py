"""The print shop's rules in the preflight, each shown failing on a crafted press PDF (and a
clean crafted page passing): bleed filled, text inks, tints, total area coverage, the
registration colour, unique subset tags, RGB images named with their input file.
Crafted with pypdf, so nothing here runs WeasyPrint (the bleed check renders with pdftoppm)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
)

from pressroom.preflight import preflight
from pressroom.variants import MM

WIDTH, HEIGHT = 210 * MM, 297 * MM
MARGIN = 12 * MM  # room for marks around the trim, as in the project's press PDFs
RULES = (
    "artwork fills the bleed",
    "text inks",
    "tints",
    "total area coverage",
    "registration marks",
    "unique font subset tags",
    "no RGB colour",
)


def _name(text: str) -> NameObject:
    return NameObject(text)


def _stream(data: bytes, **entries) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[_name(f"/{key}")] = value
    return stream


def _font(writer: PdfWriter, base: str, program: bytes):
    descriptor = DictionaryObject(
        {
            _name("/Type"): _name("/FontDescriptor"),
            _name("/FontName"): _name(f"/{base}"),
            _name("/Flags"): NumberObject(32),
            _name("/FontFile2"): writer._add_object(_stream(program)),
        }
    )
    return writer._add_object(
        DictionaryObject(
            {
                _name("/Type"): _name("/Font"),
                _name("/Subtype"): _name("/TrueType"),
                _name("/BaseFont"): _name(f"/{base}"),
                _name("/FontDescriptor"): writer._add_object(descriptor),
            }
        )
    )


def _cmyk_jpeg(value: int) -> DecodedStreamObject:
    """A CMYK JPEG image XObject, every pixel at `value` on all four plates."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("CMYK", (40, 40), (value,) * 4).save(out, format="JPEG", quality=100)
    image = _stream(
        b"",
        Type=_name("/XObject"),
        Subtype=_name("/Image"),
        Width=NumberObject(40),
        Height=NumberObject(40),
        ColorSpace=_name("/DeviceCMYK"),
        BitsPerComponent=NumberObject(8),
        Filter=_name("/DCTDecode"),
        Decode=ArrayObject([NumberObject(v) for v in (1, 0) * 4]),
    )
    image._data = out.getvalue()  # already encoded: stored as it is
    return image


def _rgb_image() -> DecodedStreamObject:
    return _stream(
        bytes([200, 30, 30]) * 4,
        Type=_name("/XObject"),
        Subtype=_name("/Image"),
        Width=NumberObject(2),
        Height=NumberObject(2),
        ColorSpace=_name("/DeviceRGB"),
        BitsPerComponent=NumberObject(8),
    )


def _registration_space(writer: PdfWriter):
    tint = DictionaryObject(
        {
            _name("/FunctionType"): NumberObject(2),
            _name("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
            _name("/C0"): ArrayObject([NumberObject(0)] * 4),
            _name("/C1"): ArrayObject([NumberObject(1)] * 4),
            _name("/N"): NumberObject(1),
        }
    )
    return ArrayObject(
        [_name("/Separation"), _name("/All"), _name("/DeviceCMYK"), writer._add_object(tint)]
    )


def ground(bleed_mm: float) -> bytes:
    """A cream ground over the top half of the page, running `bleed_mm` past three edges."""
    b = bleed_mm * MM
    return (
        f"q 0 0.05 0.10 0 k {-b:.3f} {HEIGHT / 2:.3f} {WIDTH + 2 * b:.3f} "
        f"{HEIGHT / 2 + b:.3f} re f Q\n"
    ).encode()


CLEAN = (
    ground(3) + b"BT /F1 9 Tf 1 0 0 1 70 300 Tm 0 0 0 0.9 k (Body) Tj ET\n"
    b"BT /F1 20 Tf 1 0 0 1 70 500 Tm 0.5 0 0 0.75 k (Heading) Tj ET\n"
    b"q /All CS 1 SCN 0.25 w -14.2 0 m -31.2 0 l S Q\n"
    b"q 0.10 0.60 0.75 0.20 k 300 100 40 40 re f Q\n"
    b"q 100 0 0 100 200 200 cm /Im1 Do Q\n"
)


def crafted(
    tmp_path: Path,
    content: bytes,
    *,
    bleed_box_mm: float = 3.0,
    fonts: dict[str, bytes] | None = None,
    image=None,
    name: str = "crafted.pdf",
) -> Path:
    """A one-page A4 press PDF: TrimBox, BleedBox, room for marks, the given content."""
    writer = PdfWriter()
    page = writer.add_blank_page(WIDTH + 2 * MARGIN, HEIGHT + 2 * MARGIN)
    page.mediabox = RectangleObject([-MARGIN, -MARGIN, WIDTH + MARGIN, HEIGHT + MARGIN])
    page.trimbox = RectangleObject([0, 0, WIDTH, HEIGHT])
    b = bleed_box_mm * MM
    page.bleedbox = RectangleObject([-b, -b, WIDTH + b, HEIGHT + b])
    fonts = fonts or {"/F1": ("ABCDEF+Noto-Sans", b"glyphs of one subset")}
    resources = DictionaryObject(
        {
            _name("/Font"): DictionaryObject(
                {_name(key): _font(writer, base, program) for key, (base, program) in fonts.items()}
            ),
            _name("/ColorSpace"): DictionaryObject({_name("/All"): _registration_space(writer)}),
            _name("/XObject"): DictionaryObject(
                {_name("/Im1"): writer._add_object(image if image is not None else _cmyk_jpeg(60))}
            ),
        }
    )
    page[_name("/Resources")] = resources
    page[_name("/Contents")] = writer._add_object(_stream(content))
    path = tmp_path / name
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def failures(path: Path, **options) -> dict[str, str]:
    return {
        c.name: c.detail
        for c in preflight(path, "press", "a4", **options).checks
        if not c.ok and c.name in RULES
    }


def test_a_clean_crafted_page_passes_every_artwork_rule(tmp_path):
    assert failures(crafted(tmp_path, CLEAN)) == {}


def test_artwork_two_mm_into_the_bleed_fails(tmp_path):
    content = CLEAN.replace(ground(3), ground(2))
    detail = failures(crafted(tmp_path, content))["artwork fills the bleed"]
    for edge in ("left", "right", "top"):
        assert f"page 1: {edge} edge: artwork touching the trim reaches only 2.0 mm" in detail
    assert "bottom" not in detail  # the ground does not touch the bottom trim


def test_a_two_mm_bleed_box_fails(tmp_path):
    path = crafted(tmp_path, CLEAN.replace(ground(3), ground(2)), bleed_box_mm=2)
    (boxes,) = [
        c for c in preflight(path, "press", "a4").checks if c.name == "TrimBox and BleedBox"
    ]
    assert not boxes.ok and "page 1: bleed 2.0 mm, needs 3 mm" in boxes.detail


def test_a_bleed_box_promising_more_than_the_artwork_fails(tmp_path):
    detail = failures(crafted(tmp_path, CLEAN, bleed_box_mm=3.53))["artwork fills the bleed"]
    assert "the BleedBox needs 3.5 mm" in detail


def test_nine_point_text_in_four_inks_fails(tmp_path):
    content = CLEAN.replace(b"0 0 0 0.9 k (Body)", b"0.25 0.12 0.10 0.78 k (Body)")
    assert failures(crafted(tmp_path, content)) == {
        "text inks": (
            "page 1: text ABCDEF+Noto-Sans 9 pt at (25, 106) mm is in 4 inks (C25 M12 Y10 K78); "
            "text under 12 pt needs one ink"
        )
    }


def test_a_heading_in_three_inks_fails(tmp_path):
    content = CLEAN.replace(b"0.5 0 0 0.75 k (Heading)", b"0.8 0.2 0.45 0.45 k (Heading)")
    detail = failures(crafted(tmp_path, content))["text inks"]
    assert "20 pt" in detail and "in 4 inks" in detail and "at most two inks" in detail


def test_a_ground_with_a_tint_under_five_percent_fails(tmp_path):
    content = CLEAN.replace(b"0 0.05 0.10 0 k", b"0 0.03 0.07 0.01 k")
    detail = failures(crafted(tmp_path, content))["tints"]
    assert "page 1: fill" in detail and "M at 3.0 %, K at 1.0 %" in detail


def test_a_320_percent_area_fails(tmp_path):
    content = CLEAN.replace(b"0.10 0.60 0.75 0.20 k", b"0.8 0.8 0.8 0.8 k")
    detail = failures(crafted(tmp_path, content))["total area coverage"]
    assert "page 1: fill at (106, 35) mm in C80 M80 Y80 K80 is 320 % total ink" in detail


def test_an_image_of_320_percent_fails_by_its_pixels(tmp_path):
    path = crafted(tmp_path, CLEAN, image=_cmyk_jpeg(204))  # 4 × 80 %
    detail = failures(path)["total area coverage"]
    assert "page 1: image /Im1 reaches 320 % total ink" in detail


def test_marks_in_400_percent_cmyk_fail(tmp_path):
    content = CLEAN.replace(b"/All CS 1 SCN", b"1 1 1 1 K")
    found = failures(crafted(tmp_path, content))
    assert "use the registration colour /Separation /All" in found["registration marks"]
    assert "400 % total ink" in found["total area coverage"]


def test_an_rgb_image_fails_naming_its_input_file(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (2, 2), (200, 30, 30)).save(logo)
    path = crafted(tmp_path, CLEAN, image=_rgb_image())
    detail = failures(path, inputs={"chapters/logos/logo.png": logo})["no RGB colour"]
    assert detail.startswith("page 1: RGB image /Im1 (from chapters/logos/logo.png)")


def test_a_duplicated_subset_tag_fails(tmp_path):
    fonts = {
        "/F1": ("ABCDEF+Noto-Sans", b"one subset"),
        "/F2": ("ABCDEF+Noto-Serif", b"another subset"),
    }
    assert failures(crafted(tmp_path, CLEAN, fonts=fonts)) == {
        "unique font subset tags": (
            "subset tag ABCDEF names 2 different font programs (ABCDEF+Noto-Sans, "
            "ABCDEF+Noto-Serif); a RIP may merge them"
        )
    }


@pytest.mark.parametrize("text", [b"(a) Tj", b"[(a) 20 (b)] TJ", b"(a) '"])
def test_every_text_operator_is_seen(tmp_path, text):
    content = CLEAN + b"BT /F1 8 Tf 1 0 0 1 70 200 Tm 0.5 0.5 0 0 k " + text + b" ET\n"
    assert "8 pt" in failures(crafted(tmp_path, content))["text inks"]
