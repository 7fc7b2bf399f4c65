"""Loading what every command needs: the project, its records and the planned jobs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .chapters import Chapter, Clinic, load_records
from .jobs import Filters, Job, plan_jobs
from .languages import PSEUDO_LOCALES, available_languages, is_pseudo
from .project import Project

STAND_IN = "international"  # the edition a language no chapter lists yet is laid out in


@dataclass(frozen=True)
class Plan:
    project: Project
    chapters: list[Chapter]
    clinics: list[Clinic]
    jobs: list[Job]
    unlisted: tuple[str, ...] = ()  # catalogs no chapter lists yet, planned in a stand-in


def _with_unlisted(chapters: list[Chapter], filters: Filters, extra: list[str]) -> list[Chapter]:
    """The chapters, with the languages no chapter lists yet added to one stand-in: the
    chapter the command names, else the international record, else the first."""
    if not extra or not chapters:
        return chapters
    ids = [chapter.id for chapter in chapters]
    stand_in = next(
        (i for i in filters.chapters if i in ids),
        STAND_IN if STAND_IN in ids else ids[0],
    )
    return [
        dataclasses.replace(chapter, languages=chapter.languages + tuple(extra))
        if chapter.id == stand_in
        else chapter
        for chapter in chapters
    ]


def make_plan(
    root: Path | None,
    filters: Filters,
    clinic_files: tuple[Path, ...] = (),
    *,
    unlisted: bool = False,
    with_pseudo: bool = False,
) -> Plan:
    """The project, its records and the jobs the filters select. With `unlisted` (for
    `check`), a catalog no chapter lists yet is planned too, in a stand-in edition, so a new
    language can be checked before any chapter publishes it."""
    project = Project.at(root)
    available = available_languages(project)
    chapters, clinics = load_records(project, available, clinic_files)
    # a pseudo-locale is planned when asked for by name, never by default
    pseudo = [code for code in filters.languages if is_pseudo(code)]
    if with_pseudo and not filters.languages:  # the preview offers them in the stand-in
        pseudo = list(PSEUDO_LOCALES)
    extra: list[str] = []
    if unlisted:
        listed = {code for chapter in chapters for code in chapter.languages}
        extra = sorted(
            code
            for code in available - listed
            if not filters.languages or code in filters.languages
        )
    chapters = _with_unlisted(chapters, filters, extra + pseudo)
    return Plan(project, chapters, clinics, plan_jobs(chapters, clinics, filters), tuple(extra))
