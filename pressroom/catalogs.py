"""Gettext catalogs: read from the PO files as they are now, compiled in memory."""

from __future__ import annotations

import gettext
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import PublishError
from .languages import SOURCE_LANGUAGE, catalog_path
from .project import Project


class CatalogError(PublishError):
    """A PO catalog cannot be read."""


def load_translations(project: Project, code: str) -> gettext.NullTranslations:
    """The language's translations, straight from its PO file (no .mo on disk to go stale)."""
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = catalog_path(project, code)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code, abort_invalid=True)
    except OSError as error:
        raise CatalogError(f"{project.relative(path)}: cannot be read ({error.strerror})") from None
    except Exception as error:  # Babel raises bare errors for malformed PO files
        raise CatalogError(f"{project.relative(path)}: not a valid PO file: {error}") from None
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
