"""Running planned jobs: template to HTML to PDF, written with the manifest last."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import jinja2

from . import __version__
from .catalogs import load_translations
from .errors import PublishError
from .fonts import check_fonts
from .jobs import Job
from .languages import language
from .marks import add_marks
from .outputs import ManifestEntry, entry_for, write_atomic, write_manifest
from .project import Project
from .templating import make_environment, render_html
from .variants import DEFAULT_CMYK_PROFILE, VARIANTS, fold_positions_mm

# The date IAIM supplied the source content ("content provided by IAIM® Sept 1, 2020").
CONTENT_DATE = date(2020, 9, 1)
STYLESHEETS = {True: ("base.css", "trifold.css"), False: ("base.css", "handout.css")}


def stylesheets_for(job: Job) -> tuple[str, ...]:
    variant = VARIANTS[job.variant]
    landscape = job.brochure.landscape
    return (STYLESHEETS[landscape] + variant.stylesheets
            + (variant.trifold_stylesheets if landscape else ()))


@dataclass(frozen=True)
class JobResult:
    job: Job
    entry: ManifestEntry | None = None
    error: str = ""
    warnings: tuple[str, ...] = ()
    untranslated: tuple[str, ...] = ()  # strings that fell back to English


@dataclass
class BuildReport:
    results: list[JobResult] = field(default_factory=list)

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if result.error]

    @property
    def built(self) -> list[JobResult]:
        return [result for result in self.results if result.entry]


class DocumentMaker:
    """Turns jobs into HTML and PDF bytes, keeping per-language environments and the renderer."""

    def __init__(self, project: Project):
        from .render import Renderer  # WeasyPrint loads only when something is rendered

        self.project = project
        self.renderer = Renderer()
        self._environments: dict[str, jinja2.Environment] = {}
        self._translations: dict[str, gettext.NullTranslations] = {}

    def environment(self, code: str) -> jinja2.Environment:
        if code not in self._environments:
            self._translations[code] = load_translations(self.project, code)
            self._environments[code] = make_environment(self.project, language(code),
                                                        self._translations[code])
        return self._environments[code]

    def untranslated(self, code: str) -> tuple[str, ...]:
        """Every string of this language that fell back to English so far."""
        return tuple(sorted(getattr(self._translations.get(code), "missing", ())))

    def html(self, job: Job) -> str:
        context = {
            "chapter": job.chapter,
            "clinic": job.clinic,
            "lang": language(job.lang),
            "brochure": job.brochure,
            "paper": job.paper,
            "variant": job.variant,
            "content_date": CONTENT_DATE,
            "generator": f"IAIM press room {__version__}",
        }
        return render_html(self.environment(job.lang), job.brochure.template, context)

    def pdf(self, job: Job, *, strict: bool = False):
        check_fonts(job.lang)
        html = self.html(job)
        missing = self.untranslated(job.lang)
        if strict and missing:
            raise PublishError(
                f"{len(missing)} string(s) untranslated in locales/{job.lang}/LC_MESSAGES/"
                f"messages.po (--strict): " + "; ".join(repr(text[:60]) for text in missing))
        sheets = tuple(self.project.styles / name for name in stylesheets_for(job))
        variant = VARIANTS[job.variant]
        finisher = None
        if variant.cmyk:
            rtl = language(job.lang).direction == "rtl"

            def folds(index: int) -> tuple[float, ...]:
                return fold_positions_mm(job.paper, index, rtl) if job.brochure.landscape else ()

            finisher = partial(add_marks, folds_for_page=folds)
        rendered = self.renderer.render(
            html, self.project.brochures, sheets, pdf_variant=variant.pdf_variant,
            cmyk_profile=(job.chapter.icc_profile or DEFAULT_CMYK_PROFILE) if variant.cmyk
            else None, finisher=finisher, fixed_boxes="panel" if job.brochure.landscape else "")
        check_fit(job, rendered)
        return rendered


def check_fit(job: Job, rendered) -> None:
    """A publication must keep the pages (and a tri-fold its panels) that its design has."""
    problems = [f"panel '{o.box}' on page {o.page} overflows by {o.by_mm} mm"
                for o in rendered.overflows]
    if rendered.pages != job.brochure.pages:
        problems.append(f"the content needs {rendered.pages} page(s) but the design has "
                        f"{job.brochure.pages}")
    elif rendered.boxes_per_page and set(rendered.boxes_per_page) != {3}:
        problems.append(f"panels per page are {list(rendered.boxes_per_page)} instead of 3 "
                        "each: a panel's text pushed the others off its sheet")
    if problems:
        raise PublishError("; ".join(problems) + "; shorten the text or adjust styles/")


def run_jobs(project: Project, jobs: Sequence[Job], out: Path, *, strict: bool = False,
             on_result: Callable[[JobResult], None] = lambda result: None) -> BuildReport:
    """Render every job, write each PDF atomically, then the manifest."""
    report = BuildReport()
    maker = DocumentMaker(project) if jobs else None
    for job in jobs:
        try:
            rendered = maker.pdf(job, strict=strict)
            write_atomic(out / job.output, rendered.data)
            entry = entry_for(job.output, rendered.data, rendered.pages,
                              chapter=job.chapter.id, lang=job.lang, brochure=job.brochure.name,
                              variant=job.variant, paper=job.paper,
                              clinic=job.clinic.id if job.clinic else None)
            result = JobResult(job, entry, warnings=rendered.warnings,
                               untranslated=maker.untranslated(job.lang))
        except PublishError as error:
            result = JobResult(job, error=error.message)
        report.results.append(result)
        on_result(result)
    if report.built:
        write_manifest(out, [result.entry for result in report.built])
    return report
