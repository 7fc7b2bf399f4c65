"""Clinic records, from a TOML file or a spreadsheet row (clinic_sheets.py): one set of rules."""

from __future__ import annotations

import re
from pathlib import Path

from .chapters import Chapter, Clinic, read_contact
from .clinic_sheets import read_sheet
from .errors import Problem
from .project import Project
from .records import SAFE_ID, FieldReader, read_toml

# Clinic text is printed as typed: a tag or an entity is a paste from a web page or a mistake,
# and a line break inside a cell (Alt+Enter in a spreadsheet) is not a layout instruction.
MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z]+);")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read_clinic(
    source: Path, project: Project, problems: list[Problem], given: bool = False
) -> Clinic | None:
    """A clinic record of the project, or one `given` on the command line (read wherever
    it is, but still a regular file under the size limit)."""
    label = project.relative(source)
    data = read_toml(source, label, problems, () if given else (project.root,))
    return None if data is None else clinic_from_fields(data, label, source, problems)


def clinic_from_fields(
    data: dict, label: str, source: Path, problems: list[Problem], line: int = 0
) -> Clinic | None:
    """A clinic from its fields, as a TOML record or a spreadsheet row gives them: the one
    set of rules for both."""
    before = len(problems)
    record = FieldReader(data, label, problems)
    clinic_id = record.text(
        "id", required=True, pattern=SAFE_ID, hint="lower-case letters, digits and hyphens"
    )
    name = record.text("name", required=True)
    chapter = record.text("chapter", required=True, hint="the id of the clinic's IAIM chapter")
    contact = read_contact(record, with_address=True)
    record.reject_unknown()
    for field, value in (
        ("name", name),
        ("contact.organisation", contact.organisation),
        ("contact.address", contact.address),
    ):
        if MARKUP.search(value):
            record.problem(field, "has markup (a tag or &entity;); give plain text, as printed")
        elif CONTROL.search(value):
            record.problem(field, "has a line break or control character; keep it on one line")
    if len(problems) > before:
        return None
    return Clinic(clinic_id, name, chapter, contact, source, line)


def read_sheets(
    project: Project, chapters: list[Chapter], given: tuple[Path, ...], problems: list[Problem]
) -> list[Clinic]:
    """The clinics of the spreadsheets chapters name and of those given (`--clinics`)."""
    clinics: list[Clinic] = []
    for chapter in chapters:
        if chapter.clinics:
            clinics += read_sheet(chapter.clinics, project, problems, owner=chapter)
    for path in given:
        if Path(path).suffix.lower() == ".csv":
            clinics += read_sheet(Path(path).absolute(), project, problems)
    return clinics
