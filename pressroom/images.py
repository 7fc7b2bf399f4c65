"""Chapter logos: checked when the record is read, and converted for press to the output
intent's CMYK through littleCMS (Pillow's ImageCms). The office variant keeps the original.

Rendering intent: relative colorimetric with black point compensation, the usual choice for
logos and flat colour (in-gamut colours print as they are, out-of-gamut ones are clipped to
the nearest printable colour, and black maps to the profile's black). Neutral greys and black
print from the black plate only, so thin lines and small type cannot fringe."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import PublishError

# Total ink after conversion: preflight allows 300 %; JPEG's rounding adds a few per cent.
MAX_TAC = 2.9
JPEG_QUALITY = 95  # WeasyPrint embeds CMYK rasters only as JPEG
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")
SVG_NS = "{http://www.w3.org/2000/svg}"
# Presentation attributes and properties that carry a colour.
COLOUR_PROPERTIES = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
_DECLARATION = re.compile(
    r"(?P<name>" + "|".join(COLOUR_PROPERTIES) + r")\s*:\s*(?P<value>[^;}\"]+)"
)
CMYK_HINT = (
    "or supply a CMYK version of the logo (a CMYK JPEG, or an SVG whose colours are "
    "written as device-cmyk(c m y k))"
)


class ImageProblem(ValueError):
    """A logo that cannot be used; the message says why and what to do."""


def image_problem(path: Path) -> str | None:
    """Why this logo cannot be used (unreadable, corrupt, not an image), or None."""
    if path.suffix.lower() == ".svg":
        try:
            _parse_svg(path)
        except ImageProblem as problem:
            return str(problem)
        return None
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint, once imported, tells Pillow to accept truncated files, for everyone.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(path) as image:
            image.load()  # decodes every pixel: a truncated file fails here, not in the PDF
    except (
        OSError,
        UnidentifiedImageError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        return f"not a readable PNG or JPEG image ({error}); export it again"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def office_logo(path: Path) -> str:
    return path.as_uri()


def press_logo(path: Path, profile: Path, label: str) -> str:
    """A data: URI of the logo in the output profile's CMYK; `label` names the record."""
    try:
        if path.suffix.lower() == ".svg":
            data = svg_to_cmyk(path, profile)
            return "data:image/svg+xml;base64," + base64.b64encode(data).decode()
        data = raster_to_cmyk(path, profile)
        return "data:image/jpeg;base64," + base64.b64encode(data).decode()
    except ImageProblem as problem:
        raise PublishError(f"{label}: logo {path.name}: {problem}") from None


def _transform(profile: Path, source_profile: bytes | None = None):
    from PIL import ImageCms

    try:
        source = (
            ImageCms.ImageCmsProfile(io.BytesIO(source_profile))
            if source_profile
            else ImageCms.createProfile("sRGB")
        )
    except (OSError, ImageCms.PyCMSError) as error:
        raise ImageProblem(
            f"its embedded colour profile is unreadable ({error}); save it "
            f"again with an sRGB or Adobe RGB profile, {CMYK_HINT}"
        ) from None
    try:
        return ImageCms.buildTransform(
            source,
            ImageCms.getOpenProfile(str(profile)),
            "RGB",
            "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
    except (OSError, ImageCms.PyCMSError) as error:
        raise ImageProblem(f"cannot convert with the output profile {profile} ({error})") from None


def _limit_ink(image):
    """Take cyan, magenta and yellow back where the total would pass 290 % (Ghostscript's
    default profile makes black 296 %; a print shop's profile may make more); black stays."""
    from PIL import Image, ImageMath

    c, m, y, k = (band.convert("F") for band in image.split())
    limit = MAX_TAC * 255
    colour = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"], c=c, m=m, y=y)
    if colour.getextrema()[1] + k.getextrema()[1] <= limit:
        return image
    scale = ImageMath.lambda_eval(
        lambda a: a["min"](a["max"](limit - a["k"], 0) / a["max"](a["s"], 1), 1.0), k=k, s=colour
    )
    bands = [
        ImageMath.lambda_eval(lambda a: a["v"] * a["f"], v=v, f=scale).convert("L")
        for v in (c, m, y)
    ]
    return Image.merge("CMYK", (*bands, k.convert("L")))


def raster_to_cmyk(path: Path, profile: Path) -> bytes:
    """PNG or JPEG (any mode, with or without an embedded profile) to a CMYK JPEG. Transparent
    parts become paper white: the logo sits on paper, and PDF/X keeps no CMYK alpha here."""
    from PIL import Image, ImageCms, ImageOps

    try:
        with Image.open(path) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            icc = opened.info.get("icc_profile")
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageProblem(f"not a readable image ({error}); export it again") from None
    if image.mode == "CMYK":
        return _jpeg(_limit_ink(image))  # already separated: taken as the print shop's CMYK
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA")
    if image.mode in ("LA", "RGBA") or "transparency" in image.info:
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image).convert("RGB")
    if image.mode in ("1", "L", "I", "I;16", "F"):
        # Greys print from the black plate only.
        grey = image.convert("L")
        blank = Image.new("L", grey.size, 0)
        return _jpeg(Image.merge("CMYK", (blank, blank, blank, ImageOps.invert(grey))))
    image = image.convert("RGB")
    cmyk = ImageCms.applyTransform(image, _transform(profile, icc))
    return _jpeg(_limit_ink(cmyk))


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, subsampling=0)
    return out.getvalue()


def _parse_svg(path: Path) -> ET.ElementTree:
    text = path.read_bytes()
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise ImageProblem("SVG with a DOCTYPE or entities is not accepted; save it as plain SVG")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise ImageProblem(f"not a readable SVG file ({error})") from None
    tree = ET.ElementTree(root)
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise ImageProblem(f"not an SVG image (its root element is {root.tag})")
    return tree


def svg_to_cmyk(path: Path, profile: Path) -> bytes:
    """Every colour of the SVG as device-cmyk(), converted like raster pixels; an SVG with
    embedded raster images or colours this cannot read is refused, saying what to do."""
    from PIL import Image, ImageCms
    from tinycss2.color5 import parse_color

    tree = _parse_svg(path)
    transform = _transform(profile)
    cache: dict[str, str] = {}

    def convert(value: str) -> str:
        value = value.strip()
        if value in cache:
            return cache[value]
        if value in ("none", "currentColor", "inherit", "transparent") or value.startswith(
            ("url(", "device-cmyk(")
        ):
            return value
        colour = parse_color(value)
        if colour is None or not hasattr(colour, "to"):
            raise ImageProblem(
                f"colour {value!r} cannot be converted to CMYK; use #rrggbb colours, {CMYK_HINT}"
            )
        red, green, blue = (
            round(max(0.0, min(1.0, v)) * 255) for v in colour.to("srgb").coordinates
        )
        if red == green == blue:  # greys and black from the black plate only
            cmyk = (0, 0, 0, 255 - red)
        else:
            pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), (red, green, blue)), transform)
            cmyk = _limit_ink(pixel).getpixel((0, 0))
        alpha = f" / {colour.alpha:g}" if colour.alpha < 1 else ""
        cache[value] = "device-cmyk(" + " ".join(f"{v / 255:.3f}" for v in cmyk) + alpha + ")"
        return cache[value]

    def convert_css(text: str) -> str:
        return _DECLARATION.sub(lambda m: f"{m['name']}: {convert(m['value'])}", text)

    root = tree.getroot()
    assert root is not None  # _parse_svg returns a tree with its root
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        if tag in ("image", "foreignObject"):
            raise ImageProblem(
                f"the SVG embeds an <{tag}> element, which cannot be "
                f"converted to CMYK; flatten it to vector shapes, {CMYK_HINT}"
            )
        for name in COLOUR_PROPERTIES:
            if name in element.attrib:
                element.set(name, convert(element.attrib[name]))
        if "style" in element.attrib:
            element.set("style", convert_css(element.attrib["style"]))
        if tag == "style" and element.text:
            element.text = convert_css(element.text)
    if "fill" not in root.attrib:  # SVG's default fill is black: black plate only
        root.set("fill", "device-cmyk(0 0 0 1)")
    ET.register_namespace("", SVG_NS[1:-1])
    return ET.tostring(root, encoding="utf-8")
