"""The fonts each language is set in, and a check that they are installed before rendering."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import RenderError

FONT_ROOT = Path("/usr/share/fonts")
TRUETYPE = Path("/usr/share/fonts/truetype/noto")
OPENTYPE = Path("/usr/share/fonts/opentype/noto")


@dataclass(frozen=True)
class Font:
    """A family in regular and bold static instances, and the Debian package that ships it."""

    family: str
    regular: Path
    bold: Path
    package: str


def _noto(stem: str, family: str) -> Font:
    return Font(
        family, TRUETYPE / f"{stem}-Regular.ttf", TRUETYPE / f"{stem}-Bold.ttf", "fonts-noto-core"
    )


def _cjk(style: str, region: str) -> Font:
    return Font(
        f"Noto {style} CJK {region}",
        OPENTYPE / f"Noto{style}CJK-Regular.ttc",
        OPENTYPE / f"Noto{style}CJK-Bold.ttc",
        "fonts-noto-cjk",
    )


LATIN_GREEK_CYRILLIC = (_noto("NotoSans", "Noto Sans"), _noto("NotoSerif", "Noto Serif"))
SCRIPT_FONTS: dict[str, tuple[Font, ...]] = {
    "Latn": LATIN_GREEK_CYRILLIC,
    "Grek": LATIN_GREEK_CYRILLIC,
    "Cyrl": LATIN_GREEK_CYRILLIC,
    "Arab": (
        _noto("NotoNaskhArabic", "Noto Naskh Arabic"),
        _noto("NotoSansArabic", "Noto Sans Arabic"),
    ),
    "Hebr": (
        _noto("NotoSansHebrew", "Noto Sans Hebrew"),
        _noto("NotoSerifHebrew", "Noto Serif Hebrew"),
    ),
    "Deva": (
        _noto("NotoSansDevanagari", "Noto Sans Devanagari"),
        _noto("NotoSerifDevanagari", "Noto Serif Devanagari"),
    ),
    # One CJK family each, headings in its bold: the CJK faces are 20-27 MB apiece, and a
    # second family would double a worker's memory for no typographic need.
    "Jpan": (_cjk("Sans", "JP"),),
    "Hans": (_cjk("Sans", "SC"),),
}
# Latin stays available to every language: IAIM®, names, addresses and URLs are in Latin.
LANGUAGE_SCRIPTS = {
    "el": "Grek",
    "ru": "Cyrl",
    "uk": "Cyrl",
    "bg": "Cyrl",
    "ar": "Arab",
    "fa": "Arab",
    "he": "Hebr",
    "hi": "Deva",
    "ja": "Jpan",
    "zh_Hans": "Hans",
}


def harfbuzz_subsetting() -> bool:
    """Whether WeasyPrint can subset fonts with HarfBuzz (else fontTools: 3× slower for Latin,
    ~40× for CJK). Debian's libharfbuzz-subset0, installed by scripts/setup."""
    from ctypes.util import find_library

    return find_library("harfbuzz-subset") is not None


def fonts_for(code: str) -> tuple[Font, ...]:
    script = LANGUAGE_SCRIPTS.get(code, "Latn")
    fonts = SCRIPT_FONTS[script]
    return fonts if script == "Latn" else fonts + LATIN_GREEK_CYRILLIC


def check_fonts(code: str) -> None:
    """Fail before rendering, naming the font and its package, rather than print tofu."""
    for font in fonts_for(code):
        for path in (font.regular, font.bold):
            if not path.is_file():
                raise RenderError(
                    f"font {font.family!r} for language {code!r} is missing ({path}); "
                    f"install the Debian package {font.package} (scripts/setup does this)"
                )


@cache
def coverage(font: Font) -> frozenset[int]:
    """The code points the font's regular face has glyphs for (fontTools, cmap only)."""
    from fontTools.ttLib import TTCollection, TTFont

    if font.regular.suffix.lower() == ".ttc":
        with TTCollection(str(font.regular), lazy=True) as collection:
            for face in collection.fonts:
                names = {
                    record.toUnicode() for record in face["name"].names if record.nameID in (1, 16)
                }
                if font.family in names:
                    return frozenset(face.getBestCmap())
        return frozenset()
    with TTFont(str(font.regular), lazy=True) as face:
        return frozenset(face.getBestCmap())
