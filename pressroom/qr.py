"""QR codes for print: a chapter's website as runs of dark modules, drawn by CSS.

Drawn as positioned boxes rather than an image so the press variant prints them in its CMYK
ink, and so they stay sharp at any resolution.
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
