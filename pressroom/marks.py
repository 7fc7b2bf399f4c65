"""Finishing the PDF object tree before it is written: CMYK printer's marks (WeasyPrint's
are RGB), and the stable bytes reproducible builds need where WeasyPrint varies run to run."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence

import pydyf

from .variants import MM

OFFSET = 5 * MM  # marks start this far from the trim, clear of the 3 mm bleed
LENGTH = 6 * MM
LINE_WIDTH = 0.25
REGISTRATION = "1 1 1 1 K"  # printed on every plate, as marks should be


def _line(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S"


def marks_operators(trim: Sequence[float], folds_mm: Sequence[float]) -> str:
    """Crop marks at the four corners and fold marks above and below each fold."""
    left, bottom, right, top = trim
    ops = ["q", REGISTRATION, f"{LINE_WIDTH} w"]
    for x, outward in ((left, -1), (right, 1)):
        for y, upward in ((bottom, -1), (top, 1)):
            ops.append(_line(x + outward * OFFSET, y, x + outward * (OFFSET + LENGTH), y))
            ops.append(_line(x, y + upward * OFFSET, x, y + upward * (OFFSET + LENGTH)))
    ops.append("[2 2] 0 d")  # fold marks dashed, as print shops expect
    for fold in folds_mm:
        x = left + fold * MM
        ops.append(_line(x, top + OFFSET, x, top + OFFSET + LENGTH))
        ops.append(_line(x, bottom - OFFSET, x, bottom - OFFSET - LENGTH))
    ops.append("Q")
    return "\n".join(ops)


def add_marks(pdf: pydyf.PDF, folds_for_page: Callable[[int], Sequence[float]]) -> None:
    """A WeasyPrint finisher step: wrap each page's content and append its marks."""
    pages = [obj for obj in pdf.objects
             if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]
    for index, page in enumerate(pages):
        trim = [float(value) for value in page["TrimBox"]]
        before = pydyf.Stream(["q"])
        after = pydyf.Stream(["Q", marks_operators(trim, folds_for_page(index))])
        pdf.add_object(before)
        pdf.add_object(after)
        contents = page["Contents"]
        existing = list(contents) if isinstance(contents, pydyf.Array) else [contents]
        page["Contents"] = pydyf.Array([before.reference, *existing, after.reference])


_DOCUMENT_ID = re.compile(rb"(xmp\.did:|uuid:)[0-9a-f-]{36}")


def stable_document_id(pdf: pydyf.PDF, document_id: uuid.UUID) -> None:
    """Replace the random XMP DocumentID with one derived from the job, for reproducibility."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            obj.stream = [_DOCUMENT_ID.sub(rb"\g<1>" + str(document_id).encode(), bytes(part)
                                           if not isinstance(part, str) else part.encode())
                          for part in obj.stream]


def original_icc_profile(pdf: pydyf.PDF, profile: bytes) -> None:
    """Embed the ICC profile file as it is: WeasyPrint re-serializes it through LittleCMS,
    which stamps the current time into the profile header."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("N") == 4 and obj.stream:
            data = obj.stream[0]
            if isinstance(data, bytes) and data[36:40] == b"acsp":
                obj.stream = [profile]
