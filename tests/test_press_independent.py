"""Press PDFs as a print shop would receive them, checked by tools other than our preflight:
Ghostscript renders the separations (total ink, bleed), qpdf shows every object (no RGB);
chapters with their own logos (PNG, Adobe RGB JPEG, SVG) pass; a failed preflight stays failed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pressroom.variants import MM

from .conftest import copy_project, invoke, manifest
from .logos import adobe_rgb_jpeg_logo, png_logo, svg_logo

pytestmark = [
    pytest.mark.render,  # every test here renders
    pytest.mark.skipif(
        not shutil.which("gs") or not shutil.which("qpdf"),
        reason="scripts/setup installs ghostscript and qpdf",
    ),
]
DPI = 150


def ghostscript_cmyk(path: Path, tmp_path: Path, dpi: int = DPI, box: str = "") -> list:
    """Each page rendered by Ghostscript to CMYK pixels (tiff32nc: the plates as separated,
    through the output intent), optionally only inside the BleedBox."""
    from PIL import Image

    options = [f"-dUse{box}Box"] if box else []
    pattern = tmp_path / f"{path.stem}-%d.tif"
    subprocess.run(
        [
            "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=tiff32nc",
            f"-r{dpi}",
            *options,
            f"-sOutputFile={pattern}",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    pages = []
    for number in range(1, len(PdfReader(path).pages) + 1):
        with Image.open(str(pattern).replace("%d", str(number))) as image:
            pages.append(image.copy())
    return pages


def max_total_ink(image) -> float:
    """The highest C+M+Y+K of any pixel, in per cent."""
    from PIL import ImageMath

    c, m, y, k = (band.convert("I") for band in image.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 255 * 100


def unfilled_bleed(image, trim_px: tuple[float, float, float, float]) -> list[str]:
    """Where a ground touching the trim (0.5 mm inside) is paper 2.8 mm outside it: the render
    covers the BleedBox, `trim_px` is the trim in its pixels (left, top, right, bottom)."""
    px_mm = DPI / 25.4
    left, top, right, bottom = trim_px
    inside, outside = 0.5 * px_mm, 2.8 * px_mm
    pixels = image.load()
    problems = []

    def inked(x: float, y: float) -> bool:
        return sum(pixels[int(x), int(y)]) > 0

    for edge, points in (
        (
            "top",
            [((x, top + inside), (x, top - outside)) for x in range(int(left) + 9, int(right) - 9)],
        ),
        (
            "bottom",
            [
                ((x, bottom - inside), (x, bottom + outside))
                for x in range(int(left) + 9, int(right) - 9)
            ],
        ),
        (
            "left",
            [
                ((left + inside, y), (left - outside, y))
                for y in range(int(top) + 9, int(bottom) - 9)
            ],
        ),
        (
            "right",
            [
                ((right - inside, y), (right + outside, y))
                for y in range(int(top) + 9, int(bottom) - 9)
            ],
        ),
    ):
        short = [a for a, b in points if inked(*a) and not inked(*b)]
        if short:
            problems.append(f"{edge}: {len(short)} px")
    return problems


def qpdf_text(path: Path) -> str:
    return subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(path), "-"],
        check=True,
        capture_output=True,
    ).stdout.decode("latin-1")


RGB = re.compile(r"/DeviceRGB|/CalRGB|(?<![\w/])(rg|RG)(?!\w)")


def check_press_file(path: Path, tmp_path: Path) -> None:
    """Ink at most 300 % inside the BleedBox, no RGB anywhere, grounds filling the bleed."""
    reader = PdfReader(path)
    for number, (page, image) in enumerate(
        zip(reader.pages, ghostscript_cmyk(path, tmp_path, box="Bleed"), strict=True), 1
    ):
        assert max_total_ink(image) <= 300.5, (path, number)
        bleed = [float(v) for v in page.bleedbox]
        trim = [float(v) for v in page.trimbox]
        assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [
            3.0,
            3.0,
        ] and [round((b - t) / MM, 2) for t, b in zip(trim[2:], bleed[2:], strict=True)] == [
            3.0,
            3.0,
        ], "BleedBox of exactly 3 mm"
        scale = DPI / 72
        trim_px = (
            (trim[0] - bleed[0]) * scale,
            (bleed[3] - trim[3]) * scale,
            (trim[2] - bleed[0]) * scale,
            (bleed[3] - trim[1]) * scale,
        )
        assert unfilled_bleed(image, trim_px) == [], (path, number)
    text = qpdf_text(path)
    streams = re.findall(r"stream\n(.*?)endstream", text, re.DOTALL)
    assert "/DeviceRGB" not in text and "/CalRGB" not in text, path
    assert not [s for s in streams if re.search(r"(?m)^[\d. ]+ (rg|RG)$", s)], path


def test_english_press_files_pass_independent_checks(english_build, tmp_path):
    press = [entry for entry in manifest(english_build) if entry["variant"] == "press"]
    assert press
    for entry in press:
        assert entry["preflight"] == [], entry
        check_press_file(english_build / entry["path"], tmp_path)


def test_the_tri_fold_grounds_really_reach_into_the_bleed(english_build, tmp_path):
    """The check above would pass a file with no ground at all: the tri-fold has grounds on
    three edges of its outside and two of its inside, and they print in the bleed zone."""
    path = english_build / "uk/en_GB/benefits-press.pdf"
    outside, inside = ghostscript_cmyk(path, tmp_path, box="Bleed")
    width, height = outside.size
    depth = round(2.8 * DPI / 25.4)
    cream = outside.getpixel((width - depth, height // 2))  # right bleed, beside the cover
    assert cream == outside.getpixel((width - depth - 60, height // 2)) != (0, 0, 0, 0)
    assert outside.getpixel((width - 60, depth)) == cream  # top bleed above the cover
    assert outside.getpixel((width - 60, height - depth)) == cream  # and below it
    assert inside.getpixel((width // 2, height - depth)) != (0, 0, 0, 0)  # sage panel


def test_a_short_bleed_is_seen_by_the_independent_check(english_build, tmp_path):
    """The independent bleed check can fail: the old 215.5 mm sheet leaves 2.5 mm at the foot."""
    project = copy_project(tmp_path / "p")
    css = project / "styles/trifold-press.css"
    css.write_text(
        css.read_text().replace(".sheet { height: 216mm; }", ".sheet { height: 215.5mm; }")
    )
    out = tmp_path / "out"
    result = invoke(
        "build",
        "--chapter",
        "uk",
        "--lang",
        "en_GB",
        "--brochure",
        "benefits",
        "--variant",
        "press",
        "-j",
        "1",
        "--quiet",
        "--out",
        str(out),
        root=project,
    )
    assert result.exit_code == 1
    assert (
        "artwork fills the bleed: page 1: bottom edge: artwork touching the trim reaches "
        "only 2.5 mm" in result.output
    )
    path = out / "uk/en_GB/benefits-press.pdf"
    page = PdfReader(path).pages[0]
    bleed, trim = [float(v) for v in page.bleedbox], [float(v) for v in page.trimbox]
    scale = DPI / 72
    image = ghostscript_cmyk(path, tmp_path, box="Bleed")[0]
    trim_px = (
        (trim[0] - bleed[0]) * scale,
        (bleed[3] - trim[3]) * scale,
        (trim[2] - bleed[0]) * scale,
        (bleed[3] - trim[1]) * scale,
    )
    assert [p.split(":")[0] for p in unfilled_bleed(image, trim_px)] == ["bottom"]


LOGOS = {"png": png_logo, "jpg": adobe_rgb_jpeg_logo, "svg": svg_logo}


def logo_chapter(root: Path, suffix: str, make) -> None:
    make(root / "chapters" / f"logo-{suffix}.{suffix}")
    (root / "chapters" / f"logo{suffix}.toml").write_text(
        f'id = "logo{suffix}"\nname = "IAIM Logo {suffix.upper()}"\ncountry = "DE"\n'
        f'languages = ["en"]\nlogo = "logo-{suffix}.{suffix}"\n'
        '[contact]\nwebsite = "https://www.example.org/"\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def logo_build(tmp_path_factory) -> Path:
    """Chapters with an RGB PNG logo (with transparency), a JPEG with an embedded Adobe RGB
    profile and an SVG logo: the tri-fold and the handout in both variants."""
    from .conftest import build_ok, built_once, make_scratch_project

    def build(folder: Path) -> None:
        root = make_scratch_project(folder / "project")
        for suffix, make in LOGOS.items():
            logo_chapter(root, suffix, make)
        build_ok(
            *("--lang", "en", "--brochure", "benefits", "--brochure", "what-is-infant-massage"),
            *("--quiet", "--out", str(folder / "out")),
            root=root,
        )

    return built_once(tmp_path_factory, "logos", build) / "out"


@pytest.mark.parametrize("suffix", sorted(LOGOS))
def test_chapter_logos_pass_the_press_checks(logo_build, tmp_path, suffix):
    for entry in manifest(logo_build):
        if entry["chapter"] == f"logo{suffix}" and entry["variant"] == "press":
            assert entry["preflight"] == [], entry
            check_press_file(logo_build / entry["path"], tmp_path)


def _images(path: Path) -> list[str]:
    out = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    return [line.split()[5] for line in out if line.split()[2] == "image"]


@pytest.mark.parametrize("suffix", ["png", "jpg"])
def test_raster_logos_print_in_cmyk_and_stay_rgb_for_office(logo_build, suffix):
    """The logo heads the cover and signs the contact block: every copy is CMYK in press."""
    folder = logo_build / f"logo{suffix}" / "en"
    press, office = (_images(folder / f"benefits-{variant}.pdf") for variant in ("press", "office"))
    assert press and set(press) == {"cmyk"}
    assert office and set(office) == {"rgb"}


def test_the_adobe_rgb_profile_is_used(tmp_path):
    """The same pixels read as Adobe RGB convert to other CMYK than read as sRGB: the embedded
    profile reaches littleCMS."""
    import io

    from PIL import Image

    from pressroom.images import raster_to_cmyk
    from pressroom.variants import DEFAULT_CMYK_PROFILE

    tagged = adobe_rgb_jpeg_logo(tmp_path / "a.jpg")
    plain = tmp_path / "s.jpg"
    with Image.open(tagged) as image:
        image.save(plain, quality=92)  # the same pixels, no profile: sRGB
    teal = [
        Image.open(io.BytesIO(raster_to_cmyk(path, DEFAULT_CMYK_PROFILE))).getpixel((120, 200))
        for path in (tagged, plain)
    ]
    assert teal[0] != teal[1] and all(channel < 256 for channel in teal[0])


def test_a_failed_preflight_stays_failed(tmp_path, scratch_project):
    """A logo too coarse for print fails the preflight; the second build, with nothing to
    render, fails again and names the file, and so does verify."""
    from PIL import Image

    root = scratch_project
    Image.new("RGB", (30, 12), (31, 94, 90)).save(root / "chapters" / "tiny.png")
    (root / "chapters" / "tiny.toml").write_text(
        'id = "tiny"\nname = "Tiny"\ncountry = "DE"\nlanguages = ["en"]\nlogo = "tiny.png"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ("build", "--brochure", "benefits", "--variant", "press", "-j", "1", "--out", str(out))
    first = invoke(*args, root=root)
    assert first.exit_code == 1
    assert (
        "preflight FAILED tiny/en/benefits-press.pdf: images at print resolution" in first.output
        and "(from chapters/tiny.png)" in first.output
    )
    second = invoke(*args, root=root)
    assert second.exit_code == 1, second.output
    assert "0 PDF(s) built, 1 up to date" in second.output
    assert "preflight FAILED (up to date, as built) tiny/en/benefits-press.pdf" in second.output
    verify = invoke("verify", str(out))
    assert verify.exit_code == 1
    assert (
        "tiny/en/benefits-press.pdf: failed preflight: images at print resolution" in verify.output
    )
