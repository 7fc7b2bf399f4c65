"""Chapter logos as chapters send them, made with Pillow: an RGB PNG with transparency, a JPEG
with an embedded Adobe RGB (1998) profile, an ordinary SVG, and a corrupt file."""

from __future__ import annotations

import struct
from pathlib import Path


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)


def adobe_rgb_profile() -> bytes:
    """An ICC v2 matrix/TRC profile with the published Adobe RGB (1998) primaries (adapted to
    D50, as ICC profiles store them) and its 2.2 gamma: what cameras and Photoshop embed."""
    name = b"Adobe RGB (1998) compatible (test)"
    desc = (
        b"desc"
        + bytes(4)
        + struct.pack(">I", len(name) + 1)
        + name
        + b"\0"
        + bytes(8)
        + bytes(3)
        + bytes(67)
    )
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)  # gamma 563/256
    tags = [
        (b"desc", desc),
        (b"cprt", b"text" + bytes(4) + b"No copyright, test data\0"),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.60974, 0.31111, 0.01947)),
        (b"gXYZ", _xyz(0.20528, 0.62567, 0.06087)),
        (b"bXYZ", _xyz(0.14919, 0.06322, 0.74457)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + bytes(4)
        + bytes((2, 0x10, 0, 0))
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2020, 9, 1, 0, 0, 0)
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8)
        + struct.pack(">I", 0)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + bytes(4 + 16 + 28)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def _artwork(size=(600, 240)):
    """A logo-like picture: teal and terracotta shapes and black lettering-like bars."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=(31, 94, 90, 255))
    draw.ellipse((120, 40, 220, 140), fill=(184, 100, 62, 255))
    for row in range(4):
        draw.rectangle((260, 40 + row * 45, 580, 65 + row * 45), fill=(0, 0, 0, 255))
    return image


def png_logo(path: Path) -> Path:
    _artwork().save(path, format="PNG")
    return path


def adobe_rgb_jpeg_logo(path: Path) -> Path:
    from PIL import Image

    picture = Image.new("RGB", (600, 240), (255, 255, 255))
    artwork = _artwork()
    picture.paste(artwork, mask=artwork.getchannel("A"))
    picture.save(path, format="JPEG", quality=92, icc_profile=adobe_rgb_profile())
    return path


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="150" height="60" viewBox="0 0 150 60">
  <style>.accent { fill: #b8643e; }</style>
  <circle cx="30" cy="30" r="28" fill="#1f5e5a"/>
  <circle cx="45" cy="22" r="12" class="accent"/>
  <rect x="70" y="12" width="76" height="8" style="fill: rgb(20, 20, 20)"/>
  <rect x="70" y="28" width="76" height="8"/>
  <path d="M70 46 H146" stroke="teal" stroke-width="3"/>
</svg>
"""


def svg_logo(path: Path) -> Path:
    path.write_text(SVG, encoding="utf-8")
    return path


def corrupt_png_logo(path: Path) -> Path:
    """A PNG cut short, as an interrupted upload leaves it."""
    png_logo(path)
    path.write_bytes(path.read_bytes()[:300])
    return path
