"""QR codes for print: a chapter's website as one vector path of dark modules.

Drawn as an inline SVG path rather than a bitmap so the press variant prints it in one CMYK
ink and it stays sharp at any resolution; one path rather than a box per dark run so laying
out a tri-fold does not lay out a thousand absolutely positioned boxes (0.5 s of a 2.7 s
preview render).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import segno

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


@dataclass(frozen=True)
class QrCode:
    modules: int  # modules per side, without the quiet zone
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of each dark run

    @property
    def side(self) -> int:
        """Modules per side with the quiet zone: the SVG's viewBox."""
        return self.modules + 2 * QUIET_ZONE

    @property
    def path(self) -> str:
        """SVG path data for every dark run, one module high, in module units."""
        return "".join(
            f"M{column + QUIET_ZONE} {row + QUIET_ZONE}h{length}v1h-{length}z"
            for row, column, length in self.runs
        )


@cache
def qr_code(data: str) -> QrCode:
    matrix = segno.make(data, error="m", micro=False).matrix
    runs = []
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if cells[column]:
                start = column
                while column < len(cells) and cells[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return QrCode(len(matrix), tuple(runs))
