"""Does the artwork fill the bleed? The boxes only promise it: this renders each page (poppler's
pdftoppm) and measures, on every edge, how far artwork that touches the trim runs past it."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

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


def _render(path: Path, number: int, dpi: int):
    from PIL import Image

    done = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number),
                           "-cropbox", str(path)], capture_output=True, check=False)
    if done.returncode != 0 or not done.stdout:
        raise OSError(done.stderr.decode(errors="replace").strip() or "pdftoppm failed")
    return Image.open(io.BytesIO(done.stdout)).convert("RGB")


def measure_bleed(path: Path, pages, dpi: int = DPI, limit_mm: float = 3.0) -> list[EdgeBleed]:
    """For each page and edge: does artwork touch the trim, and how far past it does it reach
    at its shortest (measured up to `limit_mm` beyond the trim, plus a pixel)."""
    if shutil.which("pdftoppm") is None:
        raise OSError("pdftoppm not found; install poppler-utils (scripts/setup does)")
    results = []
    for number, page in enumerate(pages, 1):
        crop = [float(v) for v in (page.get("/CropBox") or page.mediabox)]
        trim = [float(v) for v in (page.get("/TrimBox") or crop)]
        results += _page_edges(number, _render(path, number, dpi), crop, trim, dpi, limit_mm)
    return results


def _page_edges(number: int, image, crop, trim, dpi: int, limit_mm: float) -> list[EdgeBleed]:
    results = []
    scale = dpi / 72
    pixels = image.load()
    width, height = image.size

    def px(x: float) -> int:
        return round((x - crop[0]) * scale)

    def py(y: float) -> int:
        return round((crop[3] - y) * scale)

    def ink(col: int, row: int) -> bool:
        if not (0 <= col < width and 0 <= row < height):
            return False
        return min(pixels[col, row]) < WHITE

    step = MM * 0.5  # sample every half millimetre along the edge
    reach = int(limit_mm * MM * scale) + 2
    for edge in EDGES:
        horizontal = edge in ("bottom", "top")
        start, stop = (trim[0], trim[2]) if horizontal else (trim[1], trim[3])
        shortest, where, touching = None, 0.0, False
        position = start + MM  # corners are where two edges meet: leave them to both
        while position < stop - MM:
            if horizontal:
                col = px(position)
                inner = py(trim[1] + TOUCH_MM * MM) if edge == "bottom" else \
                    py(trim[3] - TOUCH_MM * MM)
                outward = 1 if edge == "bottom" else -1
                edge_row = py(trim[1]) if edge == "bottom" else py(trim[3])
                probe = [(col, edge_row + outward * k) for k in range(reach)]
                touches = ink(col, inner)
            else:
                row = py(position)
                inner = px(trim[0] + TOUCH_MM * MM) if edge == "left" else \
                    px(trim[2] - TOUCH_MM * MM)
                outward = -1 if edge == "left" else 1
                edge_col = px(trim[0]) if edge == "left" else px(trim[2])
                probe = [(edge_col + outward * k, row) for k in range(reach)]
                touches = ink(inner, row)
            if touches:
                touching = True
                run = next((k for k, (c, r) in enumerate(probe) if not ink(c, r)), reach)
                mm = run / scale / MM
                if shortest is None or mm < shortest:
                    shortest, where = mm, (position - start) / MM
            position += step
        results.append(EdgeBleed(number, edge, touching, round(shortest or 0.0, 2),
                                 round(where, 1)))
    return results


def bleed_problems(path: Path, pages, bleed_mm: float) -> list[str]:
    """Edges where artwork touching the trim stops short of the BleedBox (at least `bleed_mm`
    out): the box must promise no more than the artwork delivers. A pixel's tolerance."""
    tolerance = 25.4 / DPI
    wanted = {}
    for number, page in enumerate(pages, 1):
        trim = [float(v) for v in (page.get("/TrimBox") or page.mediabox)]
        box = [float(v) for v in (page.get("/BleedBox") or trim)]
        margins = (trim[0] - box[0], trim[1] - box[1], box[2] - trim[2], box[3] - trim[3])
        for edge, margin in zip(EDGES, margins, strict=True):
            wanted[number, edge] = max(margin / MM, bleed_mm)
    problems = []
    for edge in measure_bleed(path, pages, limit_mm=max(wanted.values(), default=bleed_mm)):
        needed = wanted[edge.page, edge.edge]
        if edge.touching and edge.shortest_mm < needed - tolerance:
            problems.append(f"page {edge.page}: {edge.edge} edge: artwork touching the trim "
                            f"reaches only {edge.shortest_mm:.1f} mm into the bleed "
                            f"({edge.where_mm:.0f} mm along the edge); the BleedBox needs "
                            f"{needed:.1f} mm")
    return problems
