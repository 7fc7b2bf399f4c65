"""`check`: catalog checks, glyph coverage and layout (overflow, renderer warnings) together."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .checks import ERROR, WARNING, Finding, check_catalog, errors_among
from .fingerprints import fingerprint
from .fonts import coverage, fonts_for
from .inputs import InputError
from .jobs import Job
from .languages import SOURCE_LANGUAGE, catalog_path
from .outputs import read_manifest, up_to_date
from .pofile import Entry, read_po_file
from .project import Project

IGNORED_CHARACTERS = re.compile(r"[\s\u00ad\u200c\u200d]")


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    rendered: int = 0  # documents laid out for this check
    reused: int = 0  # documents a build already proved to fit

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == WARNING]


def _entries(project: Project, code: str) -> tuple[str, list[Entry]]:
    path = catalog_path(project, code) if code != SOURCE_LANGUAGE else \
        project.locales / "messages.pot"
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
            missing = sorted({char for char in IGNORED_CHARACTERS.sub("", text)
                              if ord(char) not in covered})
            if missing:
                shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing)
                findings.append(Finding(
                    ERROR, code, label, entry.line, entry.msgid, "glyphs",
                    f"no glyph for {shown} in {', '.join(font.family for font in fonts)}; "
                    "use another character or ask for a font that has it"))
    return findings


def _strings_in(text: str, entries: list[Entry], label: str) -> list[str]:
    flat = re.sub(r"\s+", "", text)
    found = []
    for entry in entries:
        translation = entry.translations[0] if entry.translations and entry.translations[0] \
            else entry.msgid
        words = re.sub(r"<[^>]+>|%\(\w+\)s", "", translation)
        if len(words) > 3 and re.sub(r"\s+", "", words) in flat:
            found.append(f"{label}:{entry.line} {entry.msgid[:40]!r}")
    return found


def layout_findings(project: Project, jobs: list[Job], out: Path | None, report: CheckReport,
                    on_job: Callable[[Job], None] = lambda job: None) -> None:
    """Lay out the jobs a build has not already proved to fit, and report what does not."""
    from .documents import DocumentMaker, LayoutError  # WeasyPrint: only when needed
    from .errors import PublishError

    built = {entry.path: entry for entry in read_manifest(out)} if out else {}
    catalogs: dict[str, tuple[str, list[Entry]]] = {}
    maker = None
    for job in jobs:
        on_job(job)
        entry = built.get(job.output)
        # A PDF built with or without --strict proves the same layout.
        if entry and out and any(up_to_date(entry, fingerprint(project, job, options), out)
                                 for options in ((), ("strict",))):
            report.reused += 1
            continue
        maker = maker or DocumentMaker(project)
        template = f"brochures/{job.brochure.template}"
        if job.lang not in catalogs:
            catalogs[job.lang] = _entries(project, job.lang)
        label, entries = catalogs[job.lang]
        report.rendered += 1
        try:
            rendered = maker.pdf(job)
            warnings = rendered.warnings
        except LayoutError as error:
            warnings = ()
            for overflow in error.overflows or (None,):
                strings = _strings_in(overflow.text, entries, label) if overflow else []
                where = (f"panel '{overflow.box}' (page {overflow.page}) overflows by "
                         f"{overflow.by_mm} mm" if overflow else error.message)
                report.findings.append(Finding(
                    ERROR, job.lang, template, 0, "", "overflow",
                    f"{job.brochure.name}, {job.paper}, {job.variant}: {where}"
                    + (f"; its strings: {'; '.join(strings[:8])}" if strings else "")
                    + "; shorten these translations"))
        except PublishError as error:
            warnings = ()
            report.findings.append(Finding(ERROR, job.lang, template, 0, "", "render",
                                           error.message))
        for warning in warnings:
            report.findings.append(Finding(WARNING, job.lang, template, 0, "", "renderer",
                                           f"{job.output}: WeasyPrint: {warning}"))


def run_checks(project: Project, jobs: list[Job], *, out: Path | None = None,
               layout: bool = True,
               on_job: Callable[[Job], None] = lambda job: None) -> CheckReport:
    report = CheckReport()
    languages = sorted({job.lang for job in jobs})
    broken = set()
    for code in languages:
        if code != SOURCE_LANGUAGE:
            findings = check_catalog(project, code)
            report.findings += findings
            if errors_among(findings):
                broken.add(code)
        report.findings += glyph_findings(project, code)
    if layout:  # a catalog with errors cannot be laid out faithfully: fix it first
        layout_findings(project, [job for job in jobs if job.lang not in broken], out, report,
                        on_job)
    return report


def catalog_errors(project: Project, languages: list[str]) -> dict[str, list[Finding]]:
    """The cheap checks a build runs first: languages whose catalogs have errors."""
    from .checks import catalog_errors as errors_of

    found = {code: errors_of(project, code) for code in sorted(set(languages))}
    return {code: errors for code, errors in found.items() if errors}
