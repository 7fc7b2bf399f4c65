"""Gettext catalogs: read from the PO files as they are now, compiled in memory.

There is one reading of a PO file, the strict one in `pofile`: the build renders exactly the
entries that `check` examined, compiled here by gettext's rules (fuzzy and obsolete entries and
incomplete translations left out, the first of duplicate keys kept).
"""

from __future__ import annotations

import gettext
import struct
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from .errors import PublishError
from .inputs import read_input
from .languages import SOURCE_LANGUAGE, catalog_path, is_pseudo
from .pofile import ParsedCatalog, read_po_file
from .previous_msgids import Key, Previous, by_entry, split_previous
from .project import Project
from .pseudo import PseudoTranslations


class CatalogError(PublishError):
    """A PO catalog cannot be read."""


def read_catalog(project: Project, path: Path) -> Catalog:
    """Parse a PO (or POT) file with Babel, for `i18n` (which rewrites catalogs with Babel),
    turning Babel's errors into one naming the file and line."""
    return read_catalog_and_previous(project, path)[0]


def read_catalog_and_previous(project: Project, path: Path) -> tuple[Catalog, dict[Key, Previous]]:
    """A catalog as Babel reads it, and the previous msgids (`#|`, `#~|`) Babel cannot read."""
    data = read_input(path, project.relative(path), "catalog", (project.root,))
    return parse_catalog(data, project.relative(path))


def parse_catalog(data: bytes, label: str) -> tuple[Catalog, dict[Key, Previous]]:
    data, by_line = split_previous(data)
    try:
        catalog = read_po(BytesIO(data), abort_invalid=True)
        return catalog, by_entry(catalog, by_line)
    except PoFileError as error:
        raise CatalogError(f"{label}: not a valid PO file: {error}") from None
    except (ValueError, UnicodeDecodeError, IndexError) as error:
        raise CatalogError(f"{label}: cannot be parsed: {error}") from None


def rendered_messages(parsed: ParsedCatalog) -> dict[str, str]:
    """What a build shows, keyed as in an MO file (context\\x04msgid, msgid\\0plural)."""
    messages: dict[str, str] = {}
    for entry in parsed.entries:
        translations = entry.translations
        if entry.obsolete or entry.fuzzy or not translations or not all(translations):
            continue
        key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
        if entry.context is not None:
            key = f"{entry.context}\x04{key}"
        messages.setdefault(key, "\0".join(translations))
    return messages


def compile_mo(parsed: ParsedCatalog) -> bytes:
    """GNU MO bytes of the rendered messages. The header is rebuilt, not copied: UTF-8 (the
    only encoding we read) and the catalog's plural rule."""
    header = "Content-Type: text/plain; charset=UTF-8\n"
    if parsed.header.get("Plural-Forms"):
        header += f"Plural-Forms: {parsed.header.get('Plural-Forms')}\n"
    messages = {"": header, **rendered_messages(parsed)}
    keys = sorted(messages)
    originals = [key.encode("utf-8") for key in keys]
    translated = [messages[key].encode("utf-8") for key in keys]
    count = len(keys)
    start = 7 * 4 + 16 * count
    offsets, data = [], b""
    for text in originals + translated:
        offsets.append((len(text), start + len(data)))
        data += text + b"\0"
    table = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    return struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0) + table + data


class TrackedTranslations(gettext.GNUTranslations):
    """Translations that remember which strings fell back to English."""

    _catalog: dict  # filled by GNUTranslations' parser (not in its type stubs)

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
    if is_pseudo(code):
        return PseudoTranslations(code)
    path = catalog_path(project, code)
    label = project.relative(path)
    parsed = read_po_file(project, path)  # InputError naming the file when it cannot be read
    if parsed.defects:
        first = parsed.defects[0]
        raise CatalogError(
            f"{label}:{first.line}: {first.message} ({len(parsed.defects)} "
            "problem(s); `publish.py check` lists them)"
        )
    try:
        return TrackedTranslations(BytesIO(compile_mo(parsed)))
    except (ValueError, SyntaxError) as error:
        raise CatalogError(f"{label}: the Plural-Forms rule cannot be used ({error})") from None
