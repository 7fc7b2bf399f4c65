"""Layout problems as `check` findings: each with the strings it involves (PO file:line), the
template's real line, and one finding per problem however many chapters, variants, papers
and clinics share it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .boxes import Problem
from .catalog_checks import Finding
from .jobs import Job
from .languages import SOURCE_LANGUAGE, catalog_path, is_pseudo, language
from .layout_checks import Geometry, check_layout
from .pofile import Entry, read_po_file
from .project import Project
from .pseudo import pseudo_entries
from .variants import fold_positions_mm

_MARKUP = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
# Soft hyphens, zero-width spaces (phrase breaks) and bidi controls the templates may add.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
MAX_STRINGS = 6


def _flat(text: str) -> str:
    """Text as compared: invisible characters out, white space collapsed, case folded (the
    laid-out text is the element's source text, so words keep their spaces and hyphens)."""
    return " ".join(_INVISIBLE.sub("", text).split()).casefold()


@dataclass(frozen=True)
class Source:
    """A catalog string that a laid-out text is made of."""

    where: str  # "locales/de/LC_MESSAGES/messages.po:41"
    msgid: str
    templates: tuple[str, ...]  # its `#:` references, e.g. "brochures/benefits.html:17"
    context: str | None = None


def _references(pot: Path) -> dict[int, tuple[str, ...]]:
    """The `#:` references above each entry of the template catalog, by the entry's line."""
    lines = pot.read_text(encoding="utf-8").splitlines()
    found, pending = {}, []
    for number, line in enumerate(lines, 1):
        if line.startswith("#:"):
            pending += line[2:].split()
        elif line.startswith("msgid ") and pending:
            found[number] = tuple(pending)
            pending = []
        elif not line.strip():
            pending = []
    return found


class Sources:
    """Finds the strings of one language's catalog in laid-out text."""

    def __init__(self, project: Project, lang: str):
        pot = project.locales / "messages.pot"
        path = catalog_path(project, lang) if lang != SOURCE_LANGUAGE else pot
        self.label = project.relative(path)
        entries = read_po_file(project, path).entries if path.is_file() else []
        if is_pseudo(lang):
            self.label, entries = project.relative(pot), pseudo_entries(project, lang)
        references = {}
        if pot.is_file():
            by_line = _references(pot)
            references = {
                e.key: by_line.get(e.line, ()) for e in read_po_file(project, pot).entries
            }
        self.strings: list[tuple[Entry, list[str], tuple[str, ...]]] = []
        for entry in entries:
            if entry.obsolete or not entry.msgid:
                continue
            text = (
                entry.translations[0]
                if entry.translations and entry.translations[0] and not entry.fuzzy
                else entry.msgid
            )
            parts = [_flat(part) for part in _PLACEHOLDER.split(_MARKUP.sub("", text))]
            parts = [part.strip() for part in parts]
            parts = [part for part in parts if part]
            if sum(map(len, parts)) >= 2:
                self.strings.append((entry, parts, references.get(entry.key, ())))

    def all(self) -> list[Source]:
        return [
            Source(f"{self.label}:{entry.line}", entry.msgid, refs, entry.context)
            for entry, _, refs in self.strings
        ]

    def find(self, text: str) -> list[Source]:
        """The strings whose every literal part is in the text, longest first, leaving out
        those inside a longer one found (a heading's words inside a paragraph)."""
        flat = _flat(text)
        if not flat:
            return []
        hits = [
            (entry, parts, refs)
            for entry, parts, refs in self.strings
            if all(part in flat for part in parts)
            and (sum(map(len, parts)) >= 4 or "".join(parts) == flat)
        ]
        hits.sort(key=lambda hit: -sum(map(len, hit[1])))
        kept: list = []
        for hit in hits:
            if not any(all(part in "".join(other[1]) for part in hit[1]) for other in kept):
                kept.append(hit)
        return [
            Source(f"{self.label}:{entry.line}", entry.msgid, refs, entry.context)
            for entry, _, refs in kept
        ]


def _template_files(project: Project, job: Job) -> list[str]:
    own = f"brochures/{job.brochure.template}"
    partials = sorted(
        f"brochures/partials/{path.name}"
        for path in (project.brochures / "partials").glob("*.html")
    )
    return [own, *partials, "brochures/base.html"]


def _lines(project: Project, name: str) -> list[str]:
    path = project.root / name
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def _opens(line: str, element: str) -> bool:
    """Whether a template line opens this element ("h1", "p.contact-name", "div.qr")."""
    if element.startswith("@"):
        return False  # a page-margin box: styles/, not a template, places it
    tag, *classes = element.split(".")
    classes = [name for name in classes if name]
    if classes:
        return bool(re.search(r"class=\"[^\"]*\b" + re.escape(classes[-1]) + r"\b", line))
    return bool(tag) and f"<{tag}" in line


def template_line(
    project: Project,
    job: Job,
    sources: list[Source],
    elements: tuple[str, ...],
    fields: tuple[str, ...] = (),
) -> tuple[str, int]:
    """The template line a problem comes from: where its first string is used in this
    brochure's templates (on the line opening the element concerned, when the string is used
    twice, e.g. as the PDF title and as the cover's h1), else the line opening the element
    (a panel, the QR code), else the brochure's template. `fields` are record fields
    involved ("contact.website"): the line printing one is next best after a string."""
    files = _template_files(project, job)
    for source in sources:
        candidates = []
        for wanted in files:
            for reference in source.templates:
                path, _, line = reference.rpartition(":")
                if path == wanted and line.isdigit():
                    candidates.append((path, int(line)))
        for path, number in candidates:
            text = _lines(project, path)[number - 1 : number]
            if text and any(_opens(text[0], element) for element in elements):
                return path, number
        if candidates:
            return candidates[0]
    printing = []  # (file, line, whether it opens an element concerned)
    for key in fields:
        printed = {
            "contact.website": r"\.contact\.website_label\b",
            "name": r"\.name\b|\.name_in\(",
        }.get(key, re.escape(f".{key}") + r"\b")
        for name in files:
            for number, line in enumerate(_lines(project, name), 1):
                if re.search(printed, line) and not line.lstrip().startswith("{% if"):
                    printing.append((name, number, any(_opens(line, e) for e in elements)))
    if printing:  # the line printing the field in the element concerned, else the first
        name, number, _ = next((found for found in printing if found[2]), printing[0])
        return name, number
    for element in elements:
        for name in files:
            for number, line in enumerate(_lines(project, name), 1):
                if _opens(line, element):
                    return name, number
    return files[0], 1


def record_fields(job: Job) -> list[tuple[str, str]]:
    """The text a job prints from its records, with where it comes from."""
    fields = []
    for record, source in (
        (job.chapter, job.chapter.source),
        (job.clinic, job.clinic.source if job.clinic else None),
    ):
        if record is None:
            continue
        # A sheet's row is named by its line, and its fields by the sheet's columns.
        line = getattr(record, "line", 0)
        where = (source.name if source else "") + (f":{line}" if line else "")
        contact = "" if line else "contact."
        name = record.name_in(job.lang) if hasattr(record, "name_in") else record.name
        fields.append((f"{where}: name", name))
        for key in ("organisation", "address", "website", "email", "phone"):
            value = getattr(record.contact, key)
            if value:  # a website prints as its label, without https://
                shown = record.contact.website_label if key == "website" else value
                fields.append((f"{where}: {contact}{key}", shown))
    return fields


def _field(where: str) -> str:
    """The record field a `record_fields` label names: a sheet's `address` is `contact.address`."""
    key = where.split(": ")[-1]
    return key if key in ("name", "id", "chapter") or "." in key else f"contact.{key}"


def layout_problems(job: Job, pages: tuple) -> list[Problem]:
    """The layout rules on one job's laid-out pages (boxes.PageLayout), with its folds, its
    language and the names its records print."""
    rtl = language(job.lang).direction == "rtl"
    folds = (
        {
            number: fold_positions_mm(job.paper, number - 1, rtl)
            for number in range(1, len(pages) + 1)
        }
        if job.brochure.landscape
        else {}
    )
    names = tuple(
        value
        for where, value in record_fields(job)
        if where.endswith((": name", "organisation", "address"))
    )
    return check_layout(pages, Geometry(folds, job.lang, names))


@dataclass
class _Merged:
    problem: Problem
    file: str
    line: int
    strings: list[str]
    chapters: set[str] = field(default_factory=set)
    variants: set[str] = field(default_factory=set)
    worst: dict[str, float] = field(default_factory=dict)  # paper -> worst figure


class LayoutReport:
    """Collects the problems of many documents and merges those that are the same problem:
    same language, brochure, kind, page, panel and strings."""

    def __init__(self, project: Project):
        self.project = project
        self._sources: dict[str, Sources] = {}
        self._merged: dict[tuple, _Merged] = {}

    def sources(self, lang: str) -> Sources:
        if lang not in self._sources:
            self._sources[lang] = Sources(self.project, lang)
        return self._sources[lang]

    def add(self, job: Job, problems: list[Problem]) -> None:
        catalog = self.sources(job.lang)
        records = record_fields(job)
        for problem in problems:
            found: list[Source] = []
            for text in problem.texts:
                found += [s for s in catalog.find(text) if s not in found]
            strings = [f"{s.where} {s.msgid[:40]!r}" for s in found[:MAX_STRINGS]]
            involved = [
                (where, value)
                for where, value in records
                if any(value in text for text in problem.texts[:3])
            ]
            fields = list(dict.fromkeys(f"{where} {value[:40]!r}" for where, value in involved))[:3]
            file, line = template_line(
                self.project,
                job,
                found,
                problem.what,
                tuple(_field(where) for where, _ in involved),
            )
            subject = (
                (problem.figure,)
                if problem.check == "small-text"
                else tuple(strings) or problem.texts[:1] or problem.what or (problem.detail,)
            )
            strings += fields
            key = (
                job.lang,
                job.brochure.name,
                problem.check,
                problem.page,
                problem.region,
                subject,
                job.clinic is not None,
            )
            merged = self._merged.setdefault(key, _Merged(problem, file, line, []))
            merged.strings += [text for text in strings if text not in merged.strings]
            if problem.figure > max(merged.worst.values(), default=float("-inf")):
                merged.problem = problem
            merged.worst[job.paper] = max(
                merged.worst.get(job.paper, problem.figure), problem.figure
            )
            merged.chapters.add(job.chapter.id + (f"+{job.clinic.id}" if job.clinic else ""))
            merged.variants.add(job.variant)

    def findings(self) -> list[Finding]:
        findings = []
        for (lang, brochure, _, page, region, _, _), merged in self._merged.items():
            problem = merged.problem
            place = f"{brochure}, page {page}" + (f", {region}" if region else "")
            papers = ", ".join(
                f"{paper}: {figure:g}" for paper, figure in sorted(merged.worst.items())
            )
            strings = f"; strings: {'; '.join(merged.strings)}" if merged.strings else ""
            findings.append(
                Finding(
                    problem.severity,
                    lang,
                    merged.file,
                    merged.line,
                    "",
                    problem.check,
                    f"{place}: {problem.detail} [worst by paper: {papers}; "
                    f"{', '.join(sorted(merged.chapters))}; {', '.join(sorted(merged.variants))}]"
                    + strings,
                )
            )
        return findings
