"""Gettext catalogs: read from the PO files as they are now, compiled in memory."""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import PublishError
from .languages import SOURCE_LANGUAGE, catalog_path
from .project import Project


class CatalogError(PublishError):
    """A PO catalog cannot be read."""


def read_catalog(project: Project, path: Path) -> Catalog:
    """Parse a PO (or POT) file, turning Babel's errors into one naming the file and line."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except OSError as error:
        raise CatalogError(f"{project.relative(path)}: cannot be read ({error.strerror})") from None
    except PoFileError as error:
        raise CatalogError(f"{project.relative(path)}: not a valid PO file: {error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CatalogError(f"{project.relative(path)}: cannot be parsed: {error}") from None


class TrackedTranslations(gettext.GNUTranslations):
    """Translations that remember which strings fell back to English."""

    def __init__(self, fp) -> None:
        super().__init__(fp)
        self.missing: set[str] = set()

    def gettext(self, message: str) -> str:
        if message not in self._catalog:
            self.missing.add(message)
        return super().gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        if f"{context}\x04{message}" not in self._catalog:
            self.missing.add(f"[{context}] {message}")
        return super().pgettext(context, message)


def load_translations(project: Project, code: str) -> gettext.NullTranslations:
    """The language's translations, straight from its PO file (no .mo on disk to go stale)."""
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    catalog = read_catalog(project, catalog_path(project, code))
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return TrackedTranslations(compiled)
