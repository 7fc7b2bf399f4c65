"""Making one publication: its HTML from the templates, then its PDF, checked to fit."""

from __future__ import annotations

import gettext
import uuid
from collections.abc import Callable
from functools import partial

import jinja2
import pydyf

from . import __version__
from .catalogs import load_translations
from .document_inputs import CONTENT_DATE, document_date, stylesheets_for
from .errors import PublishError, RenderError
from .fonts import FONT_ROOT, check_fonts
from .images import office_logo, press_logo
from .jobs import Job
from .languages import language
from .pdf_finishing import add_marks, original_icc_profile, stable_document_id, unique_subset_tags
from .project import Project
from .tagging import repair_structure
from .templating import install_translations, make_environment, render_html
from .variants import DEFAULT_CMYK_PROFILE, VARIANTS, fold_positions_mm

# Boxes of a fixed size whose text must fit (measured, never clipped): tri-fold panels, and
# the mission poster's one page.
FIXED_BOXES = {"mission": "poster"}


class DocumentMaker:
    """Turns jobs into HTML and PDF bytes, keeping per-language environments and the renderer."""

    def __init__(self, project: Project, *, highlight_untranslated: bool = False):
        from .render import Renderer  # WeasyPrint loads only when something is rendered

        self.project = project
        self.renderer = Renderer(
            allowed=(
                project.styles,
                project.brochures,
                project.chapters,
                project.clinics,
                FONT_ROOT,
                DEFAULT_CMYK_PROFILE.parent,
            )
        )
        self._environments: dict[str, jinja2.Environment] = {}
        self._translations: dict[str, gettext.NullTranslations] = {}
        self._icc: dict = {}
        self._logos: dict = {}
        self.highlight_untranslated = highlight_untranslated

    def environment(self, code: str) -> jinja2.Environment:
        if code not in self._environments:
            self._translations[code] = load_translations(self.project, code)
            self._environments[code] = make_environment(
                self.project,
                language(code),
                self._translations[code],
                highlight_missing=self.highlight_untranslated,
            )
        elif code not in self._translations:  # forgotten: read the catalog again
            self._translations[code] = load_translations(self.project, code)
            install_translations(
                self._environments[code],
                language(code),
                self._translations[code],
                highlight_missing=self.highlight_untranslated,
            )
        return self._environments[code]

    def forget_translations(self) -> None:
        """Read the catalogs again on next use, keeping fonts, stylesheets and compiled
        templates (the preview, when a PO file is saved; 0.1 s of a tri-fold's refresh)."""
        self._translations.clear()

    def _icc_bytes(self, job: Job) -> bytes:
        path = job.chapter.icc_profile or DEFAULT_CMYK_PROFILE
        if path not in self._icc:
            self._icc[path] = path.read_bytes() if path.is_file() else b""
        return self._icc[path]

    def logo_src(self, job: Job) -> str:
        """The chapter's logo for this variant: the original for office, converted to the
        output intent's CMYK for press (once per worker)."""
        logo = job.chapter.logo
        if logo is None or not VARIANTS[job.variant].cmyk:
            return office_logo(logo) if logo else ""
        profile = job.chapter.icc_profile or DEFAULT_CMYK_PROFILE
        if (logo, profile) not in self._logos:
            self._logos[logo, profile] = press_logo(
                logo, profile, self.project.relative(job.chapter.source)
            )
        return self._logos[logo, profile]

    def untranslated(self, code: str) -> tuple[str, ...]:
        """The strings of the last document made in this language that fell back to English
        (not those of earlier documents: a worker makes many, in any order)."""
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
            "document_date": document_date(),
            "logo_src": self.logo_src(job),
        }
        environment = self.environment(job.lang)
        getattr(self._translations[job.lang], "missing", set()).clear()  # this job's only
        return render_html(environment, job.brochure.template, context)

    def pdf(self, job: Job, *, strict: bool = False, read_layout: bool = False, write: bool = True):
        """The job's PDF, checked to fit; `read_layout` keeps the laid-out ink of each page
        for the layout checks; without `write` (`check`) no PDF is made."""
        check_fonts(job.lang)
        html = self.html(job)
        missing = self.untranslated(job.lang)
        if strict and missing:
            raise PublishError(
                f"{len(missing)} string(s) untranslated in locales/{job.lang}/LC_MESSAGES/"
                f"messages.po (--strict): " + "; ".join(repr(text[:60]) for text in missing)
            )
        sheets = tuple(self.project.styles / name for name in stylesheets_for(job))
        variant = VARIANTS[job.variant]
        # WeasyPrint puts a random UUID in the XMP metadata: derive it from the job instead.
        document_id = uuid.uuid5(uuid.NAMESPACE_URL, f"iaim-pressroom:{job.output}")
        finishers: list[Callable[[pydyf.PDF], None]] = [
            partial(stable_document_id, document_id=document_id),
            partial(unique_subset_tags, document_id=document_id),
        ]
        if variant.cmyk:
            rtl = language(job.lang).direction == "rtl"

            def folds(index: int) -> tuple[float, ...]:
                return fold_positions_mm(job.paper, index, rtl) if job.brochure.landscape else ()

            finishers.append(partial(add_marks, folds_for_page=folds))
            finishers.append(partial(original_icc_profile, profile=self._icc_bytes(job)))
        else:
            finishers.append(repair_structure)

        def finisher(pdf) -> None:
            for step in finishers:
                step(pdf)

        fixed = FIXED_BOXES.get(job.brochure.name, "panel" if job.brochure.landscape else "")
        rendered = self.renderer.render(
            html,
            self.project.brochures,
            sheets,
            pdf_variant=variant.pdf_variant,
            cmyk_profile=(job.chapter.icc_profile or DEFAULT_CMYK_PROFILE)
            if variant.cmyk
            else None,
            finisher=finisher,
            fixed_boxes=fixed,
            label=job.describe(),
            read_layout=read_layout,
            write=write,
        )
        # Whatever the catalog or record said: no PDF with attachments, scripts, actions or
        # links other than https/mailto/tel leaves this function (build, check and preview).
        from .preflight import active_content_of

        unsafe = active_content_of(rendered.data) if write else []
        if unsafe:
            raise RenderError(
                f"{job.describe()}: refused, not written: {'; '.join(unsafe[:5])}; "
                "remove the link or attachment from the catalog or record"
            )
        check_fit(job, rendered)
        return rendered


class LayoutError(PublishError):
    """The text does not fit the design; carries the overflowing boxes for `check`."""

    def __init__(self, message: str, overflows: tuple = (), rendered=None):
        super().__init__(message)
        self.overflows = overflows
        self.rendered = rendered


def check_fit(job: Job, rendered) -> None:
    """A publication must keep the pages (and a tri-fold its panels) that its design has."""
    problems = [
        f"panel '{o.box}' on page {o.page} overflows by {o.by_mm} mm" for o in rendered.overflows
    ]
    if rendered.pages != job.brochure.pages:
        problems.append(
            f"the content needs {rendered.pages} page(s) but the design has {job.brochure.pages}"
        )
    elif job.brochure.landscape and rendered.boxes_per_page and set(rendered.boxes_per_page) != {3}:
        problems.append(
            f"panels per page are {list(rendered.boxes_per_page)} instead of 3 "
            "each: a panel's text pushed the others off its sheet"
        )
    if problems:
        raise LayoutError(
            "; ".join(problems) + "; shorten the text or adjust styles/",
            rendered.overflows,
            rendered,
        )
