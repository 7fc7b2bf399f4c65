"""The two kinds of PDF a publication is made as (for office printers, for a print shop), and
the paper sizes it is made on: the one table of each that everything else reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Ghostscript's CMYK profile (Debian's libgs-common): the default press output intent.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
MM = 72 / 25.4


@dataclass(frozen=True)
class Paper:
    name: str  # as records, file names and the command line spell it
    label: str  # as people read it
    mm: tuple[float, float]  # width, height
    # Roll-fold panel widths (mirrored in styles/trifold.css): the fold-in panel is narrower.
    panel_mm: tuple[float, float]


PAPERS: dict[str, Paper] = {
    "a4": Paper("a4", "A4", (210.0, 297.0), (100.0, 97.0)),
    "letter": Paper("letter", "Letter", (215.9, 279.4), (94.0, 91.4)),
}
PAPER_MM = {name: paper.mm for name, paper in PAPERS.items()}
PANEL_MM = {name: paper.panel_mm for name, paper in PAPERS.items()}


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    stylesheets: tuple[str, ...]  # added after the publication's own
    trifold_stylesheets: tuple[str, ...]  # added for the tri-fold only
    pdf_variant: str
    cmyk: bool  # colours in CMYK with an output intent, bleed and printer's marks


VARIANTS: dict[str, Variant] = {
    "office": Variant(
        "office",
        "office printers and e-mail: RGB, tagged and accessible (PDF/UA)",
        (),
        (),
        "pdf/ua-1",
        False,
    ),
    "press": Variant(
        "press",
        "print shops: PDF/X-4, CMYK, 3 mm bleed, crop and fold marks",
        ("press.css",),
        ("trifold-press.css",),
        "pdf/x-4",
        True,
    ),
}


def fold_positions_mm(paper: str, page_index: int, rtl: bool) -> tuple[float, float]:
    """Where the two folds of a tri-fold sheet are, in mm from the left trim edge."""
    panel, fold_in = PANEL_MM[paper]
    outside = page_index == 0
    narrow_first = outside != rtl  # LTR outside and RTL inside start with the fold-in panel
    first = fold_in if narrow_first else panel
    return first, first + panel
