"""`check`: catalog checks, glyph coverage and the designer's layout checks together."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .boxes import Problem
from .catalog_checks import ERROR, WARNING, Finding, check_catalog, errors_among
from .fonts import coverage, fonts_for
from .inputs import InputError
from .jobs import Job
from .languages import SOURCE_LANGUAGE, catalog_path, is_pseudo
from .layout_report import LayoutReport, layout_problems
from .pofile import Entry, read_po_file
from .project import Project
from .room import StringRoom, measure, tightest

IGNORED_CHARACTERS = re.compile(r"[\s\u00ad\u200c\u200d]")


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    rendered: int = 0  # documents laid out for this check
    rooms: list[StringRoom] = field(default_factory=list)  # every string in every document

    @property
    def room(self) -> list[StringRoom]:
        """Each string's tightest room, by language."""
        return tightest(self.rooms)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == WARNING]


def _entries(project: Project, code: str) -> tuple[str, list[Entry]]:
    path = (
        catalog_path(project, code) if code != SOURCE_LANGUAGE else project.locales / "messages.pot"
    )
    try:
        return project.relative(path), read_po_file(project, path).entries
    except InputError:  # check_catalog reports it
        return project.relative(path), []


def glyph_findings(project: Project, code: str) -> list[Finding]:
    """Characters of the translations that none of the language's fonts can draw."""
    label, entries = _entries(project, code)
    fonts = fonts_for(code)
    covered = frozenset().union(*(coverage(font) for font in fonts if font.regular.is_file()))
    findings = []
    for entry in entries:
        for text in entry.translations:
            missing = sorted(
                {char for char in IGNORED_CHARACTERS.sub("", text) if ord(char) not in covered}
            )
            if missing:
                shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing)
                findings.append(
                    Finding(
                        ERROR,
                        code,
                        label,
                        entry.line,
                        entry.msgid,
                        "glyphs",
                        f"no glyph for {shown} in {', '.join(font.family for font in fonts)}; "
                        "use another character or ask for a font that has it",
                    )
                )
    return findings


def _overflow_problems(job: Job, error) -> list[Problem]:
    """A document that does not fit, as problems: each overflowing panel with its text, or
    the pages it runs over with the text on them."""
    problems = [
        Problem(
            "overflow",
            ERROR,
            overflow.page,
            overflow.box.split()[-1],
            overflow.by_mm,
            f"panel '{overflow.box}' (page {overflow.page}) overflows by "
            f"{overflow.by_mm} mm; shorten its strings",
            (overflow.text,),
        )
        for overflow in error.overflows
    ]
    rendered = error.rendered
    if not problems and rendered is not None and rendered.layout:
        extra = rendered.layout[job.brochure.pages :] or rendered.layout[-1:]
        texts = tuple(
            dict.fromkeys(block.text for page in extra for block in page.blocks if block.text)
        )
        problems.append(
            Problem(
                "overflow",
                ERROR,
                job.brochure.pages,
                "page",
                float(rendered.pages),
                f"{error.message}; the strings that no longer fit are listed",
                texts[:8],
            )
        )
    return problems or [Problem("overflow", ERROR, 1, "", 0.0, error.message)]


def layout_findings(
    project: Project,
    jobs: list[Job],
    report: CheckReport,
    on_job: Callable[[Job], None] = lambda job: None,
) -> None:
    """Lay out every job and report what a designer would see (layout_checks.py), merged to
    one finding per problem across chapters, variants, papers and clinics."""
    from .documents import DocumentMaker, LayoutError  # WeasyPrint: only when needed
    from .errors import PublishError

    merged = LayoutReport(project)
    maker = None
    for job in jobs:
        on_job(job)
        maker = maker or DocumentMaker(project)
        template = f"brochures/{job.brochure.template}"
        report.rendered += 1
        overflows: tuple = ()
        try:
            rendered = maker.pdf(job, read_layout=True, write=False)
            problems = []
        except LayoutError as error:
            rendered, overflows = error.rendered, error.overflows
            problems = _overflow_problems(job, error)
        except PublishError as error:
            report.findings.append(
                Finding(
                    ERROR, job.lang, template, 1, "", "render", f"{job.describe()}: {error.message}"
                )
            )
            continue
        if rendered is not None:
            report.rooms += measure(job, rendered.layout, merged.sources(job.lang), overflows)
            # What an overflow causes (text past the trim, a foot over pushed text, pages the
            # design has not) is that overflow's finding, not another one.
            over = {(p.page, p.region) for p in problems}
            problems += [
                p
                for p in layout_problems(job, rendered.layout)
                if (p.page, p.region) not in over and p.page <= job.brochure.pages
            ]
            for warning in rendered.warnings:
                problems.append(Problem("renderer", WARNING, 0, "", 0.0, f"WeasyPrint: {warning}"))
        merged.add(job, problems)
    report.findings += merged.findings()


def run_checks(
    project: Project,
    jobs: list[Job],
    *,
    layout: bool = True,
    on_job: Callable[[Job], None] = lambda job: None,
    unlisted: tuple[str, ...] = (),
) -> CheckReport:
    report = CheckReport()
    languages = sorted({job.lang for job in jobs})
    for code in sorted(set(unlisted) & set(languages)):
        edition = next(job.chapter.id for job in jobs if job.lang == code)
        report.findings.append(
            Finding(
                WARNING,
                code,
                project.relative(catalog_path(project, code)),
                1,
                "",
                "unlisted",
                f"no chapter lists {code!r} yet: checked as the {edition!r} edition would "
                f"print it; add it to a chapter's `languages` to build it",
            )
        )
    broken = set()
    for code in languages:
        if is_pseudo(code):
            continue  # made from the template: no catalog, every glyph is Latin
        if code != SOURCE_LANGUAGE:
            findings = check_catalog(project, code)
            report.findings += findings
            if errors_among(findings):
                broken.add(code)
        report.findings += glyph_findings(project, code)
    if layout:  # a catalog with errors cannot be laid out faithfully: fix it first
        layout_findings(project, [job for job in jobs if job.lang not in broken], report, on_job)
    return report


def room_jobs(jobs: list[Job]) -> list[Job]:
    """Enough layouts to measure every string's room: one office document per language,
    brochure and paper, in the international edition where it has one."""
    chosen: dict[tuple, Job] = {}
    for job in jobs:
        key = (job.lang, job.brochure.name, job.paper)
        if job.variant != "office" or job.clinic is not None:
            continue
        if key not in chosen or job.chapter.id == "international":
            chosen[key] = job
    return list(chosen.values())


def measure_room(project: Project, jobs: list[Job]) -> dict[str, list[StringRoom]]:
    """Each string's tightest room, by language (languages whose catalogs have errors are
    not laid out, so they have none)."""
    report = run_checks(project, room_jobs(jobs))
    rooms: dict[str, list[StringRoom]] = {}
    for room in report.room:
        rooms.setdefault(room.lang, []).append(room)
    return {code: rooms.get(code, []) for code in sorted({job.lang for job in jobs})}


def catalog_errors(project: Project, languages: list[str]) -> dict[str, list[Finding]]:
    """The cheap checks a build runs first: languages whose catalogs have errors."""
    from .catalog_checks import catalog_errors as errors_of

    found = {code: errors_of(project, code) for code in sorted(set(languages))}
    return {code: errors for code, errors in found.items() if errors}
