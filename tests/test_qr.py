"""The QR code's one SVG path covers exactly the dark modules segno computes (the printed code
decodes, in test_browser.py; this pins the geometry without rendering)."""

from __future__ import annotations

import re

import segno

from pressroom.qr import QUIET_ZONE, qr_code


def _painted(path: str, side: int) -> list[list[bool]]:
    cells = [[False] * side for _ in range(side)]
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        for column in range(int(x), int(x) + int(length)):
            assert not cells[int(y)][column], "a module painted twice"
            cells[int(y)][column] = True
    return cells


def test_the_path_paints_every_dark_module_and_nothing_else():
    url = "https://www.example.org/iaim/find-an-instructor"
    code = qr_code(url)
    assert re.fullmatch(r"(M\d+ \d+h(\d+)v1h-\2z)+", code.path)
    matrix = segno.make(url, error="m", micro=False).matrix
    expected = [[False] * code.side for _ in range(code.side)]
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            expected[row + QUIET_ZONE][column + QUIET_ZONE] = bool(dark)
    assert _painted(code.path, code.side) == expected
    assert code.side == len(matrix) + 2 * QUIET_ZONE


def test_the_codes_alternate_text_is_not_counted_as_text_to_fit():
    """The fit checks compare laid-out text with the element's text: an inline SVG's <title>
    (the QR code's address) and comments are never laid out, so they are not counted."""
    import xml.etree.ElementTree as ET

    from pressroom.boxes import printed_text

    block = ET.fromstring(
        '<div xmlns:svg="http://www.w3.org/2000/svg">Web <span>example.org</span> '
        "<svg:svg><svg:title>https://example.org/</svg:title></svg:svg>end</div>"
    )
    comment = ET.Comment(" not printed ")
    comment.tail = "!"
    block.append(comment)
    assert printed_text(block) == "Web example.org end!"
