"""Finishing the PDF object tree before it is written: printer's marks in the registration
colour (WeasyPrint's are RGB), a BleedBox of exactly the bleed, font subset tags unique to
each file, and the stable bytes reproducible builds need where WeasyPrint varies run to run."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Sequence

import pydyf

from .variants import MM

OFFSET = 5 * MM  # marks start this far from the trim, clear of the 3 mm bleed
LENGTH = 6 * MM
LINE_WIDTH = 0.25
BLEED = 3 * MM  # the artwork's bleed (styles/trifold-press.css), and so the BleedBox's
# The registration colour: /Separation /All prints on every plate, spot and varnish included.
REGISTRATION = "/All CS 1 SCN"


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


def _object(pdf: pydyf.PDF, reference):
    """The object a pydyf reference (b'12 0 R') points to, or the value itself."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return pdf.objects[int(reference.split()[0])]
    return reference


def _registration_space(pdf: pydyf.PDF, page) -> None:
    """/All in the pages' colour spaces: a Separation whose alternate is 100 % of CMYK."""
    spaces = _object(pdf, _object(pdf, page["Resources"])["ColorSpace"])
    if "All" not in spaces:
        tint = pydyf.Dictionary(
            {
                "FunctionType": 2,
                "Domain": pydyf.Array((0, 1)),
                "C0": pydyf.Array((0, 0, 0, 0)),
                "C1": pydyf.Array((1, 1, 1, 1)),
                "N": 1,
            }
        )
        pdf.add_object(tint)
        spaces["All"] = pydyf.Array(("/Separation", "/All", "/DeviceCMYK", tint.reference))


def add_marks(pdf: pydyf.PDF, folds_for_page: Callable[[int], Sequence[float]]) -> None:
    """A WeasyPrint finisher step: set the BleedBox to the bleed, wrap each page's content
    and append its marks in the registration colour."""
    pages = [
        obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"
    ]
    for index, page in enumerate(pages):
        trim = [float(value) for value in page["TrimBox"]]
        # WeasyPrint puts the BleedBox 10 pt out; it must promise what the artwork delivers.
        page["BleedBox"] = pydyf.Array(
            (trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED)
        )
        _registration_space(pdf, page)
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
            obj.stream = [
                _DOCUMENT_ID.sub(
                    rb"\g<1>" + str(document_id).encode(),
                    bytes(part) if not isinstance(part, str) else part.encode(),
                )
                for part in obj.stream
            ]


def original_icc_profile(pdf: pydyf.PDF, profile: bytes) -> None:
    """Embed the ICC profile file as it is: WeasyPrint re-serializes it through LittleCMS,
    which stamps the current time into the profile header."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("N") == 4 and obj.stream:
            data = obj.stream[0]
            if isinstance(data, bytes) and data[36:40] == b"acsp":
                obj.stream = [profile]


def unique_subset_tags(pdf: pydyf.PDF, document_id: uuid.UUID) -> None:
    """Give each font subset a tag from its own bytes and this file's id: WeasyPrint derives
    the tag from the whole font, so subsets with different glyphs in different files share it,
    and a RIP ganging those files may merge them and lose glyphs."""
    renamed: dict[bytes, bytes] = {}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/FontDescriptor":
            name = obj.get("FontName")
            files = [obj[key] for key in ("FontFile", "FontFile2", "FontFile3") if key in obj]
            if not isinstance(name, bytes) or b"+" not in name or not files:
                continue
            digest = hashlib.sha256(str(document_id).encode() + name)
            for part in _object(pdf, files[0]).stream:
                digest.update(part if isinstance(part, bytes) else str(part).encode())
            number = int.from_bytes(digest.digest()[:8], "big")
            tag = bytes(65 + (number >> (5 * i)) % 26 for i in range(6))
            renamed[name] = b"/" + tag + name[name.index(b"+") :]
            obj["FontName"] = renamed[name]
    for obj in pdf.objects:
        if (
            isinstance(obj, pydyf.Dictionary)
            and obj.get("Type") == "/Font"
            and obj.get("BaseFont") in renamed
        ):
            obj["BaseFont"] = renamed[obj["BaseFont"]]
