"""Loading what every command needs: the project, its records and the planned jobs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chapters import Chapter, Clinic, load_records
from .jobs import Filters, Job, plan_jobs
from .languages import available_languages
from .project import Project


@dataclass(frozen=True)
class Plan:
    project: Project
    chapters: list[Chapter]
    clinics: list[Clinic]
    jobs: list[Job]


def make_plan(root: Path | None, filters: Filters, clinic_files: tuple[Path, ...] = ()) -> Plan:
    project = Project.at(root)
    chapters, clinics = load_records(project, available_languages(project), clinic_files)
    return Plan(project, chapters, clinics, plan_jobs(chapters, clinics, filters))
