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


def fingerprint(project: Project, job: Job, options: tuple[str, ...] = ()) -> str:
    """Hash of everything the job's PDF is made from: templates (with partials), catalog,
    chapter and clinic records, stylesheets, fonts, the versions of every tool and library
    that shapes it (with the lock and CLDR), and build options."""
    parts = [toolchain_digest(), document_date(), job.output, job.variant, job.paper, *options]
    for template in _template_files(project.brochures, job.brochure.template):
        parts.append(f"{template}:{_digest(project.brochures / template)}")
    for sheet in stylesheets_for(job):
        parts.append(f"{sheet}:{_digest(project.styles / sheet)}")
    if has_catalog(job.lang):
        parts.append(f"catalog:{_digest(catalog_path(project, job.lang))}")
    parts.append(f"chapter:{_digest(job.chapter.source)}")
    if job.chapter.logo:
        parts.append(f"logo:{_digest(job.chapter.logo)}")
    if job.chapter.icc_profile:
        parts.append(f"icc:{_digest(job.chapter.icc_profile)}")
    if job.clinic and job.clinic.line:  # a sheet's row: its own values, not the whole sheet
        clinic = job.clinic
        parts.append(f"clinic:{clinic.id}\t{clinic.name}\t{clinic.chapter}\t{clinic.contact}")
    elif job.clinic:
        parts.append(f"clinic:{_digest(job.clinic.source)}")
    for font in fonts_for(job.lang):  # package upgrades change size or time, not worth hashing
        for path in (font.regular, font.bold):
            info = path.stat() if path.exists() else None
            parts.append(f"{path}:{info.st_size if info else 0}:{info.st_mtime_ns if info else 0}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
