"""Planning a build: the matrix of chapters × languages × brochures as a list of jobs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .brochures import BROCHURE_NAMES, BROCHURES, Brochure
from .chapters import Chapter, Clinic
from .errors import UsageError
from .variants import VARIANTS


@dataclass(frozen=True)
class Filters:
    """What the command line narrowed the build to; an empty tuple means everything."""

    chapters: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    brochures: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    paper: str | None = None  # overrides every chapter's paper size


@dataclass(frozen=True)
class Job:
    """One PDF to make."""

    chapter: Chapter
    lang: str
    brochure: Brochure
    variant: str
    paper: str
    clinic: Clinic | None = None

    @property
    def output(self) -> str:
        """The PDF's path inside the output folder; a paper size other than the chapter's
        own is part of the name, so both can sit side by side."""
        imprint = f"-{self.clinic.id}" if self.clinic else ""
        paper = f"-{self.paper}" if self.paper != self.chapter.paper else ""
        return (
            f"{self.chapter.id}/{self.lang}/{self.brochure.name}{imprint}-{self.variant}{paper}.pdf"
        )

    def describe(self) -> str:
        imprint = f" for {self.clinic.id}" if self.clinic else ""
        return f"{self.chapter.id}/{self.lang}/{self.brochure.name}{imprint} ({self.paper})"


def _check_known(option: str, asked: Sequence[str], known: Sequence[str]) -> None:
    unknown = [value for value in asked if value not in known]
    if unknown:
        raise UsageError(
            f"{option}: unknown {', '.join(map(repr, unknown))}; choose from: {', '.join(known)}"
        )


def plan_jobs(
    chapters: Sequence[Chapter], clinics: Sequence[Clinic], filters: Filters = Filters()
) -> list[Job]:
    """Every job the filters select, in a stable order; a filter naming nothing is an error."""
    _check_known("--chapter", filters.chapters, [c.id for c in chapters])
    _check_known("--brochure", filters.brochures, BROCHURE_NAMES)
    _check_known("--variant", filters.variants, tuple(VARIANTS))
    selected = [c for c in chapters if not filters.chapters or c.id in filters.chapters]
    offered = sorted({code for chapter in selected for code in chapter.languages})
    _check_known("--lang", filters.languages, offered)
    jobs = []
    for chapter in selected:
        imprints = [None] + [clinic for clinic in clinics if clinic.chapter == chapter.id]
        for lang in chapter.languages:
            if filters.languages and lang not in filters.languages:
                continue
            for brochure in BROCHURES:
                if filters.brochures and brochure.name not in filters.brochures:
                    continue
                for clinic in imprints:
                    if clinic and not brochure.takes_imprint:
                        continue
                    for variant in filters.variants or VARIANTS:
                        jobs.append(
                            Job(
                                chapter,
                                lang,
                                brochure,
                                variant,
                                filters.paper or chapter.paper,
                                clinic,
                            )
                        )
    _check_distinct_outputs(jobs)
    return jobs


def _check_distinct_outputs(jobs: Sequence[Job]) -> None:
    """Two jobs writing one file would overwrite each other: refuse before rendering."""
    first: dict[str, Job] = {}
    for job in jobs:
        other = first.get(job.output)
        first[job.output] = job
        if other is not None:
            raise UsageError(
                f"{job.describe()} and {other.describe()} would both write "
                f"{job.output}; give the clinic or chapter another id"
            )
