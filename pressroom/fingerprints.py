"""What each PDF depends on, hashed, so a build renders only what has changed."""

from __future__ import annotations

import hashlib
import stat
from functools import cache
from pathlib import Path

import jinja2
from jinja2 import meta

from .document_inputs import document_date, stylesheets_for
from .errors import TemplateError
from .fonts import fonts_for
from .jobs import Job
from .languages import catalog_path, has_catalog
from .project import Project
from .templating import syntax_error
from .toolchain import toolchain_digest


@cache
def _template_files(root: Path, name: str) -> tuple[str, ...]:
    """The template and every template it extends, includes or imports, recursively."""
    loader = jinja2.FileSystemLoader(root)
    env = jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"])
    found, pending = [], [name]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        try:
            source = loader.get_source(env, current)[0]
            parsed = env.parse(source, name=current)
        except jinja2.TemplateSyntaxError as error:
            raise syntax_error(error, current) from None
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"brochures/{current}: template not found") from error
        pending += [ref for ref in meta.find_referenced_templates(parsed) if ref]
    return tuple(sorted(found))


@cache
def _file_digest(path: Path, stamp: tuple[int, int]) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(path: Path) -> str:
    """A file's content hash, remembered per (size, mtime) so a no-op build reads little."""
    try:
        info = path.stat()
    except (OSError, RuntimeError):
        return "missing"
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device is never read (the checks refuse it)
        return f"not a file {info.st_mode:o}"
    return _file_digest(path, (info.st_size, info.st_mtime_ns))


class Fingerprints:
    """Fingerprints of many jobs in one pass. Jobs share most inputs (a brochure's templates,
    a language's catalog and fonts, a chapter's record), so each file is looked at once per
    pass rather than once per job: 10,000 jobs cost little more than their records."""

    def __init__(self, project: Project, options: tuple[str, ...] = ()):
        self.project, self.options = project, options
        self._head = (toolchain_digest(), document_date())
        self._files: dict[Path, str] = {}
        self._design: dict[tuple, tuple[str, ...]] = {}  # (template, stylesheets, lang)
        self._fonts: dict[str, tuple[str, ...]] = {}

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = _digest(path)
        return self._files[path]

    def _design_parts(self, job: Job) -> tuple[str, ...]:
        sheets = stylesheets_for(job)
        key = (job.brochure.template, sheets, job.lang)
        if key not in self._design:
            project = self.project
            parts = [
                f"{template}:{self._file(project.brochures / template)}"
                for template in _template_files(project.brochures, job.brochure.template)
            ]
            parts += [f"{sheet}:{self._file(project.styles / sheet)}" for sheet in sheets]
            if has_catalog(job.lang):
                parts.append(f"catalog:{self._file(catalog_path(project, job.lang))}")
            self._design[key] = tuple(parts)
        return self._design[key]

    def _font_parts(self, lang: str) -> tuple[str, ...]:
        if lang not in self._fonts:
            parts = []
            for font in fonts_for(lang):  # package upgrades change size or time: not hashed
                for path in (font.regular, font.bold):
                    info = path.stat() if path.exists() else None
                    size, time = (info.st_size, info.st_mtime_ns) if info else (0, 0)
                    parts.append(f"{path}:{size}:{time}")
            self._fonts[lang] = tuple(parts)
        return self._fonts[lang]

    def __call__(self, job: Job) -> str:
        """Hash of everything the job's PDF is made from: templates (with partials), catalog,
        chapter and clinic records, stylesheets, fonts, the versions of every tool and
        library that shapes it (with the lock and CLDR), and build options."""
        parts = [*self._head, job.output, job.variant, job.paper, *self.options]
        parts += self._design_parts(job)
        parts.append(f"chapter:{self._file(job.chapter.source)}")
        if job.chapter.logo:
            parts.append(f"logo:{self._file(job.chapter.logo)}")
        if job.chapter.icc_profile:
            parts.append(f"icc:{self._file(job.chapter.icc_profile)}")
        if job.clinic and job.clinic.line:  # a sheet's row: its own values, not the whole sheet
            clinic = job.clinic
            parts.append(f"clinic:{clinic.id}\t{clinic.name}\t{clinic.chapter}\t{clinic.contact}")
        elif job.clinic:
            parts.append(f"clinic:{self._file(job.clinic.source)}")
        parts += self._font_parts(job.lang)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def fingerprint(project: Project, job: Job, options: tuple[str, ...] = ()) -> str:
    """One job's fingerprint (a fresh look at every file); see Fingerprints for many."""
    return Fingerprints(project, options)(job)
