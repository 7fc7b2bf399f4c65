"""Does the artwork fill the bleed? The boxes only promise it: this renders each page (poppler's
pdftoppm) and measures, on every edge, how far artwork that touches the trim runs past it."""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .poppler import pdftoppm
from .variants import MM

DPI = 150  # 0.17 mm a pixel
WHITE = 250  # a pixel whose every channel is at least this is paper
TOUCH_MM = 0.5  # artwork this close inside the trim touches it
EDGES = ("left", "bottom", "right", "top")


@dataclass(frozen=True)
class EdgeBleed:
    page: int
    edge: str
    touching: bool  # some artwork touches the trim on this edge
    shortest_mm: float  # the least it runs past the trim where it touches (0 when not touching)
    where_mm: float  # along the edge, from the trim's start, where it is shortest


def _render(path: Path, numbers: set[int], dpi: int) -> dict:
    """The pages, rendered in one pdftoppm run (antialiasing off: a pixel is ink or paper)."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="bleed-") as folder:
        pdftoppm(
            path,
            Path(folder) / "p",
            "-r",
            str(dpi),
            "-f",
            str(min(numbers)),
            "-l",
            str(max(numbers)),
            "-cropbox",
            "-aa",
            "no",
            "-aaVector",
            "no",
        )
        images = {}
        for file in Path(folder).glob("p-*.ppm"):
            number = int(file.stem.rsplit("-", 1)[1])
            if number in numbers:
                with Image.open(file) as image:
                    images[number] = image.convert("RGB")
    return images


def measure_bleed(
    path: Path, pages, dpi: int = DPI, limit_mm: float = 3.0, only: set[int] | None = None
) -> list[EdgeBleed]:
    """For each page and edge: does artwork touch the trim, and how far past it does it reach
    at its shortest (measured up to `limit_mm` beyond the trim, plus a pixel). `only`: the
    page numbers to render (the others have no artwork near the trim)."""
    wanted = {number for number in range(1, len(pages) + 1) if only is None or number in only}
    images = _render(path, wanted, dpi) if wanted else {}
    results = []
    for number, page in enumerate(pages, 1):
        if number not in wanted:
            continue
        if number not in images:
            raise OSError(f"pdftoppm made no image of page {number}")
        crop = [float(v) for v in (page.get("/CropBox") or page.mediabox)]
        trim = [float(v) for v in (page.get("/TrimBox") or crop)]
        results += _page_edges(number, images[number], crop, trim, dpi, limit_mm)
    return results


def _page_edges(number: int, image, crop, trim, dpi: int, limit_mm: float) -> list[EdgeBleed]:
    """Pixel i covers [i, i + 1) on its axis; the trim lies at a fractional pixel position, so
    the reach is measured from it to the far side of the last inked pixel (±half a pixel with
    antialiasing off)."""
    scale = dpi / 72
    pixels = image.load()
    width, height = image.size
    reach = int(limit_mm * MM * scale) + 2
    touch = TOUCH_MM * MM * scale
    results = []
    for edge in EDGES:
        horizontal = edge in ("bottom", "top")
        if horizontal:
            t = (crop[3] - (trim[1] if edge == "bottom" else trim[3])) * scale
            outward = 1 if edge == "bottom" else -1
            start, stop, size = trim[0], trim[2], height
        else:
            t = ((trim[0] if edge == "left" else trim[2]) - crop[0]) * scale
            outward = -1 if edge == "left" else 1
            start, stop, size = trim[1], trim[3], width

        def ink(i: int, across: int, horizontal=horizontal, size=size) -> bool:
            if not 0 <= i < size:
                return False
            return min(pixels[(across, i) if horizontal else (i, across)]) < WHITE

        shortest, where, touching = None, 0.0, False
        position = start + MM  # corners are where two edges meet: leave them to both
        while position < stop - MM:
            across = int(((position - crop[0]) if horizontal else (crop[3] - position)) * scale)
            if ink(math.floor(t - outward * touch), across):
                touching = True
                first = math.floor(t)
                last = None
                for k in range(reach):
                    if not ink(first + outward * k, across):
                        break
                    last = first + outward * k
                if last is None:
                    extent = 0.0
                else:
                    extent = (last + 1 - t) if outward > 0 else (t - last)
                mm = max(extent, 0.0) / scale / MM
                if shortest is None or mm < shortest:
                    shortest, where = mm, (position - start) / MM
            position += MM * 0.5  # every half millimetre along the edge
        results.append(
            EdgeBleed(number, edge, touching, round(shortest or 0.0, 2), round(where, 1))
        )
    return results


def bleed_problems(path: Path, pages, bleed_mm: float, only: set[int] | None = None) -> list[str]:
    """Edges where artwork touching the trim stops short of the BleedBox (at least `bleed_mm`
    out): the box must promise no more than the artwork delivers. A pixel's tolerance."""
    tolerance = 25.4 / DPI / 2  # half a pixel
    wanted = {}
    for number, page in enumerate(pages, 1):
        trim = [float(v) for v in (page.get("/TrimBox") or page.mediabox)]
        box = [float(v) for v in (page.get("/BleedBox") or trim)]
        margins = (trim[0] - box[0], trim[1] - box[1], box[2] - trim[2], box[3] - trim[3])
        for side, margin in zip(EDGES, margins, strict=True):
            wanted[number, side] = max(margin / MM, bleed_mm)
    problems = []
    for edge in measure_bleed(
        path, pages, limit_mm=max(wanted.values(), default=bleed_mm), only=only
    ):
        needed = wanted[edge.page, edge.edge]
        if edge.touching and edge.shortest_mm < needed - tolerance:
            problems.append(
                f"page {edge.page}: {edge.edge} edge: artwork touching the trim "
                f"reaches only {edge.shortest_mm:.1f} mm into the bleed "
                f"({edge.where_mm:.0f} mm along the edge); the BleedBox needs "
                f"{needed:.1f} mm"
            )
    return problems
