"""Clinics from a spreadsheet: one CSV row per clinic, read as Excel and LibreOffice save it
(UTF-8 with or without a BOM, quoted cells, CRLF, `,` `;` or tab between cells), each row
checked by the same rules as a TOML clinic record (chapters.clinic_from_fields)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .inputs import InputError, read_input
from .project import Project

if TYPE_CHECKING:
    from .chapters import Chapter, Clinic

# The header, in the order the README documents; the contact columns are the fields of a
# record's [contact] table ("contact.address" is accepted for "address").
COLUMNS = ("id", "name", "chapter", "organisation", "address", "phone", "email", "website")
CONTACT = frozenset(("organisation", "address", "phone", "email", "website"))
DELIMITERS = (",", ";", "\t")
_SEP_LINE = re.compile(r"^sep=(.)\s*$")  # Excel's hint line naming the delimiter
SAVE_AS_UTF8 = (
    "save it as UTF-8: in Excel 'CSV UTF-8 (Comma delimited)', in LibreOffice "
    "'Text CSV' with the character set 'Unicode (UTF-8)'"
)


def _decode(data: bytes, label: str, problems: list[Problem]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(label, "", f"is UTF-16 text ('Unicode text'); {SAVE_AS_UTF8}"))
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        problems.append(
            Problem(f"{label}:{line}", "", f"is not UTF-8 text (byte 0x{byte}); {SAVE_AS_UTF8}")
        )
        return None


def _column(field: str) -> str:
    """A record field as the sheet's column: `contact.address` is the `address` column."""
    return field.removeprefix("contact.")


def _header(
    cells: list[str], where: str, problems: list[Problem], owner: Chapter | None
) -> list[str] | None:
    """The column of each cell ('' for one not read), or None when a required one is missing."""
    columns, seen = [], set()
    for cell in cells:
        name = _column(cell.strip().lower())
        if name in seen:
            problems.append(Problem(where, cell.strip(), "is a second column of that name"))
            name = ""
        elif name not in COLUMNS:
            if name:
                problems.append(
                    Problem(
                        where,
                        cell.strip(),
                        f"unknown column; the columns are: {', '.join(COLUMNS)}",
                    )
                )
            name = ""
        seen.add(name)
        columns.append(name)
    required = ("id", "name") if owner else ("id", "name", "chapter")
    missing = [name for name in required if name not in seen]
    for name in missing:
        problems.append(
            Problem(
                where,
                name,
                "missing column; the first line must name the columns, e.g. " + ",".join(COLUMNS),
            )
        )
    return None if missing else columns


def _row_fields(columns: list[str], cells: list[str], owner: Chapter | None) -> dict:
    """A row as the fields of a clinic record: empty cells are fields not given."""
    data: dict = {"contact": {}}
    for name, cell in zip(columns, cells, strict=False):
        if name in CONTACT:
            data["contact"][name] = cell
        elif name:
            data[name] = cell
    if owner and not data.get("chapter", "").strip():
        data["chapter"] = owner.id
    return data


def _rows(text: str):
    """(line, cells) of each row that is not blank, with the line it starts on."""
    first, _, rest = text.partition("\n")
    skipped = 0
    if match := _SEP_LINE.match(first.rstrip("\r")):
        delimiter, text, skipped = match.group(1), rest, 1
        first = rest.partition("\n")[0]
    else:
        delimiter = max(DELIMITERS, key=first.count) if any(map(first.count, DELIMITERS)) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a NUL byte, or a quote left open at the end
            raise SheetError(start + skipped, str(error)) from None
        if any(cell.strip() for cell in cells):
            yield start + skipped, cells
        start = reader.line_num + 1


class SheetError(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def read_sheet(
    path: Path, project: Project, problems: list[Problem], owner: Chapter | None = None
) -> list[Clinic]:
    """The clinics of one sheet, the problems of every row added to `problems`. A sheet a
    chapter names (`owner`) may leave out the chapter column; it lists that chapter's clinics."""
    from .chapters import record_label
    from .clinics import clinic_from_fields

    label = project.relative(path)
    try:
        data = read_input(path, label, "clinic sheet", (project.root,) if owner else ())
    except InputError as error:
        problems.append(Problem(label, "", error.message.removeprefix(f"{label}: ")))
        return []
    text = _decode(data, label, problems)
    if text is None:
        return []
    clinics: list[Clinic] = []
    columns: list[str] | None = None
    try:
        for line, cells in _rows(text):
            if columns is None:
                columns = _header(cells, f"{label}:{line}", problems, owner)
                if columns is None:
                    return []
                continue
            where = f"{label}:{line}"
            if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
                problems.append(
                    Problem(
                        where,
                        "",
                        f"has {len(cells)} cells, the header {len(columns)}; put a cell "
                        "holding a comma or semicolon in double quotes",
                    )
                )
                continue
            before = len(problems)
            fields = _row_fields(columns, cells, owner)
            clinic = clinic_from_fields(fields, where, path, problems, line)
            problems[before:] = [replace(p, field=_column(p.field)) for p in problems[before:]]
            if clinic and owner and clinic.chapter != owner.id:
                problems.append(
                    Problem(
                        where,
                        "chapter",
                        f"this sheet lists the clinics of {record_label(project, owner)} "
                        f"({owner.id}); list a clinic of {clinic.chapter!r} in its own sheet",
                    )
                )
            elif clinic:
                clinics.append(clinic)
    except SheetError as error:
        problems.append(
            Problem(
                f"{label}:{error.line}",
                "",
                f"cannot be read as CSV ({error.reason}); check the double quotes of this row",
            )
        )
        return clinics
    if columns is None:
        problems.append(Problem(label, "", "is empty; the first line must name the columns"))
    return clinics
