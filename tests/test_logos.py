"""Logo conversion for press, without rendering: littleCMS to the output profile's CMYK."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from pressroom.images import ImageProblem, image_problem, raster_to_cmyk, svg_to_cmyk
from pressroom.variants import DEFAULT_CMYK_PROFILE

from .logos import adobe_rgb_jpeg_logo, corrupt_png_logo, png_logo, svg_logo

pytestmark = pytest.mark.skipif(
    not DEFAULT_CMYK_PROFILE.is_file(), reason="scripts/setup installs libgs-common"
)


def cmyk(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("make", [png_logo, adobe_rgb_jpeg_logo])
def test_raster_logos_become_cmyk_within_the_ink_limit(tmp_path, make):
    from PIL import ImageMath

    image = cmyk(raster_to_cmyk(make(tmp_path / "logo"), DEFAULT_CMYK_PROFILE))
    assert image.mode == "CMYK" and image.size == (600, 240)
    c, m, y, k = (band.convert("I") for band in image.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    assert 200 < total.getextrema()[1] / 255 * 100 <= 300  # rich black, limited
    assert image.getpixel((5, 5)) == (0, 0, 0, 0)  # transparent (PNG) or white: paper


def test_grey_logos_print_from_the_black_plate_only(tmp_path):
    path = tmp_path / "grey.png"
    Image.new("L", (10, 10), 64).save(path)
    assert cmyk(raster_to_cmyk(path, DEFAULT_CMYK_PROFILE)).getpixel((5, 5))[:3] == (0, 0, 0)


def test_svg_colours_become_device_cmyk(tmp_path):
    text = svg_to_cmyk(svg_logo(tmp_path / "logo.svg"), DEFAULT_CMYK_PROFILE).decode()
    assert not re.search(r"#[0-9a-f]{3,6}\b|rgb\(|\bteal\b", text)
    assert 'fill="device-cmyk(0 0 0 1)"' in text  # SVG's default black: black plate
    assert "fill: device-cmyk(0.000 0.000 0.000 0.922)" in text  # grey: black plate only
    assert ".accent { fill: device-cmyk(" in text  # colours inside <style> too
    assert text.count("device-cmyk(") == 5  # root, <style>, circle, rect style, stroke


def test_svg_colour_alpha_is_kept(tmp_path):
    path = tmp_path / "a.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="rgba(31,94,90,0.5)"/></svg>',
        encoding="utf-8",
    )
    assert re.search(
        r'fill="device-cmyk\([\d. ]+ / 0.5\)"', svg_to_cmyk(path, DEFAULT_CMYK_PROFILE).decode()
    )


@pytest.mark.parametrize(
    "body, says",
    [
        ('<rect fill="icc-color(x, 1)"/>', "colour 'icc-color(x, 1)' cannot be converted"),
        ('<image href="photo.jpg"/>', "embeds an <image> element"),
    ],
)
def test_svg_that_cannot_be_converted_is_refused_saying_what_to_do(tmp_path, body, says):
    path = tmp_path / "bad.svg"
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>', encoding="utf-8")
    with pytest.raises(ImageProblem) as caught:
        svg_to_cmyk(path, DEFAULT_CMYK_PROFILE)
    assert says in str(caught.value) and "device-cmyk(c m y k)" in str(caught.value)


def test_image_problems_are_found_when_the_record_is_read(tmp_path):
    assert image_problem(png_logo(tmp_path / "ok.png")) is None
    assert image_problem(svg_logo(tmp_path / "ok.svg")) is None
    assert "truncated" in image_problem(corrupt_png_logo(tmp_path / "bad.png"))
    broken = tmp_path / "bad.svg"
    broken.write_text("<svg", encoding="utf-8")
    assert "not a readable SVG file" in image_problem(broken)


def test_a_truncated_logo_is_found_in_a_process_that_imported_weasyprint(tmp_path):
    """WeasyPrint's import makes Pillow accept truncated files process-wide (check, preview)."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert "truncated" in image_problem(corrupt_png_logo(tmp_path / "bad.png"))
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's own setting is left as it was
