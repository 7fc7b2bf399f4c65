"""The translators' workflow on gettext catalogs: extract, init, update, compile and stats."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from . import previous_msgids
from .catalogs import (
    CatalogError,
    load_translations,
    parse_catalog,
    read_catalog,
    read_catalog_and_previous,
    rendered_messages,
)
from .errors import UsageError
from .languages import SOURCE_LANGUAGE, catalog_path
from .outputs import write_atomic
from .plurals import conventional_rule
from .pofile import parse_po, read_po_file
from .previous_msgids import Key, Previous
from .project import Project
from .room import StringRoom, split_comment

PROJECT_NAME = "IAIM brochures"
LINE_WIDTH = 79
# The Jinja extractor must see the same settings as the environment that renders.
EXTRACT_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trimmed": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def template_path(project: Project) -> Path:
    return project.locales / "messages.pot"


def _po_bytes(catalog: Catalog, previous: dict[Key, Previous] | None = None, **options) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=LINE_WIDTH, sort_output=False, **options)
    text = buffer.getvalue().decode("utf-8")
    if not options.get("ignore_obsolete"):  # Babel drops obsolete flags and previous msgids
        text = previous_msgids.write(text, catalog, previous or {}, LINE_WIDTH)
    return text.encode("utf-8")


def _messages(
    catalog: Catalog, previous: dict[Key, Previous] | None = None, with_room: bool = False
) -> list[tuple]:
    """What a catalog says, ignoring its header and layout: entries, translations, flags,
    comments, sources, previous msgids; the room comments only `with_room` (they follow the
    layout, not the catalog: a stylesheet change is no reason to call a catalog stale)."""
    previous = previous or {}

    def comments(message) -> tuple:
        text, room = split_comment(message.auto_comments)  # however a writer wrapped them
        return (text, room) if with_room else (text,)

    def key(message, obsolete=False):
        return (
            message.id,
            message.context,
            message.string or "",
            sorted(message.flags),
            comments(message),
            " ".join(message.user_comments).split(),
            sorted(message.locations),
            previous.get(previous_msgids.key_of(message, obsolete)),
        )

    return [key(m) for m in catalog if m.id] + [key(m, True) for m in catalog.obsolete.values()]


def _says(data: bytes, with_room: bool = False) -> list[tuple]:
    return _messages(*parse_catalog(data, "catalog"), with_room=with_room)


def _differs(path: Path, data: bytes, with_room: bool = False) -> bool:
    """Whether writing `data` would change what the file says. A tool's stamps (Generated-By,
    dates) and line wrapping (Poedit's, or another Babel release's) are not worth a rewrite."""
    return not path.is_file() or _says(path.read_bytes(), with_room) != _says(data, with_room)


def _write_if_changed(path: Path, data: bytes, with_room: bool = False) -> bool:
    if not _differs(path, data, with_room):
        return False
    write_atomic(path, data)
    return True


def extract_template(project: Project) -> Catalog:
    """Every translatable string of the templates, with references and translator comments."""
    catalog = Catalog(
        project=PROJECT_NAME,
        version="",
        charset="utf-8",
        fuzzy=False,
        msgid_bugs_address="",
        copyright_holder="IAIM",
    )
    extracted = extract_from_dir(
        project.brochures,
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": EXTRACT_OPTIONS},
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=False,
    )
    for filename, lineno, message, comments, context in extracted:
        catalog.add(
            message,
            None,
            [(f"brochures/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def extract(project: Project) -> tuple[Path, int, bool]:
    """Write locales/messages.pot; returns its path, message count and whether it changed."""
    catalog = extract_template(project)
    existing = template_path(project)
    if existing.is_file():  # keep the old date when nothing else changed
        catalog.creation_date = read_catalog(project, existing).creation_date
    changed = _write_if_changed(existing, _po_bytes(catalog))
    return existing, len(catalog), changed


def template_is_current(project: Project) -> bool:
    """Whether locales/messages.pot says what the templates say: ids, contexts, comments and
    references, whatever tool and version wrote its header."""
    path = template_path(project)
    return path.is_file() and (
        _messages(read_catalog(project, path)) == _messages(extract_template(project))
    )


def _require_template(project: Project) -> Catalog:
    path = template_path(project)
    if not path.is_file():
        raise UsageError(f"{project.relative(path)} does not exist; run `publish.py i18n extract`")
    return read_catalog(project, path)


def init(project: Project, code: str) -> Path:
    """Start a catalog for a new language, with gettext's conventional plural rule."""
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        raise UsageError(
            f"{code!r} is not a language code CLDR knows (e.g. fr, pt_BR, zh_Hans)"
        ) from None
    if code == SOURCE_LANGUAGE:
        raise UsageError("English is the source language; it needs no catalog")
    path = catalog_path(project, code)
    if path.exists():
        raise UsageError(
            f"{project.relative(path)} already exists; use `publish.py i18n "
            "update` to bring it up to date"
        )
    template = _require_template(project)
    catalog = Catalog(
        locale=locale,
        project=PROJECT_NAME,
        version="",
        fuzzy=False,
        copyright_holder="IAIM",
        msgid_bugs_address="",
    )
    catalog.creation_date = template.creation_date
    # gettext's conventional rule, as msginit and Poedit write it, not Babel's choice of the day
    catalog.mime_headers = [
        (name, f"{conventional_rule(code)}" if name == "Plural-Forms" else value)
        for name, value in catalog.mime_headers
    ]
    catalog.update(template)
    write_atomic(path, _po_bytes(catalog, ignore_obsolete=True))
    return path


def _keeps_translations(project: Project, path: Path, data: bytes) -> None:
    """`update` adds, obsoletes and marks fuzzy; it never changes a translation's text. Both
    versions are read by the strict reader: a catalog it finds broken is refused first (Babel
    would silently drop a character of an unterminated string), then every message in both
    must keep its translation, or nothing is written."""
    label = project.relative(path)
    old = read_po_file(project, path)
    if old.defects:
        raise CatalogError(
            f"{label}:{old.defects[0].line}: {old.defects[0].message}; fix it "
            "before `i18n update` (`publish.py check` lists every problem)"
        )
    new = {entry.key: entry for entry in parse_po(path, data).entries if not entry.obsolete}
    for entry in old.entries:
        kept = new.get(entry.key)
        if not entry.obsolete and kept and kept.translations != entry.translations:
            raise CatalogError(
                f"{label}:{entry.line}: updating would change the translation "
                f"of {entry.msgid[:50]!r}; nothing was written"
            )


@dataclass(frozen=True)
class UpdateResult:
    lang: str
    path: Path
    changed: bool


# The header fields Babel writes itself; any other (Poedit's X-Generator, X-Poedit-*, a
# team's own X- fields) Babel's Catalog drops, so update copies them over.
BABEL_HEADERS = {
    "project-id-version",
    "report-msgid-bugs-to",
    "pot-creation-date",
    "po-revision-date",
    "last-translator",
    "language",
    "language-team",
    "plural-forms",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "generated-by",
}


def _header_fields(data: bytes) -> list[str]:
    """The header's fields as written ("X-Generator: Poedit 3.4.2"), in their order."""
    block = data.decode("utf-8", errors="replace").split("\n\n", 1)[0]
    joined = "".join(re.findall(r'^"(.*)"\s*$', block, re.MULTILINE))
    return [field for field in joined.split("\\n") if ":" in field]


def _keep_other_headers(data: bytes, old: bytes) -> bytes:
    extra = [
        field
        for field in _header_fields(old)
        if field.split(":", 1)[0].strip().lower() not in BABEL_HEADERS
        and field not in _header_fields(data)
    ]
    if not extra:
        return data
    text = data.decode("utf-8")
    header, rest = text.split("\n\n", 1)
    return (header + "".join(f'\n"{field}\\n"' for field in extra) + "\n\n" + rest).encode()


def _room_comments(project: Project, old: list, rooms: list[StringRoom] | None) -> dict[tuple, str]:
    """The room comment of each entry, by (msgctxt, msgid): measured now (`rooms`, whose
    PO lines are the old file's), else as the catalog had it."""
    if rooms is None:
        kept = ((m, split_comment(m.auto_comments)[1]) for m in old)
        return {(m.context, previous_msgids.key_of(m, False)[2]): c for m, c in kept if c}
    by_line = {int(room.where.rpartition(":")[2]): room for room in rooms}
    return {
        (m.context, previous_msgids.key_of(m, False)[2]): by_line[m.lineno].comment()
        for m in old
        if m.lineno in by_line
    }


def update(
    project: Project,
    languages: list[str],
    *,
    check: bool = False,
    rooms: dict[str, list[StringRoom]] | None = None,
) -> list[UpdateResult]:
    """Merge the template into each catalog; changed strings become fuzzy, keeping the old
    msgid. With `rooms` (measured by `room.measure`), each entry's room comment is refreshed;
    otherwise the catalog's own are kept."""
    template = _require_template(project)
    results = []
    for code in languages:
        path = catalog_path(project, code)
        catalog, previous = read_catalog_and_previous(project, path)
        old = [message for message in catalog if message.id]
        room = _room_comments(project, old, None if rooms is None else rooms.get(code, []))
        catalog.update(template, update_header_comment=False, keep_user_comments=True)
        for message in catalog:
            comment = room.get((message.context, previous_msgids.key_of(message, False)[2]))
            if message.id and comment:
                message.auto_comments = [*message.auto_comments, comment]
        merged = previous_msgids.merge(old, previous, catalog)
        data = _keep_other_headers(
            _po_bytes(catalog, merged, ignore_obsolete=False), path.read_bytes()
        )
        _keeps_translations(project, path, data)
        # --check says "stale" exactly when update would write the file
        with_room = rooms is not None
        changed = (
            _differs(path, data, with_room) if check else _write_if_changed(path, data, with_room)
        )
        results.append(UpdateResult(code, path, changed))
    return results


@dataclass(frozen=True)
class Stats:
    lang: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 100.0


def stats(project: Project, languages: list[str]) -> list[Stats]:
    """Counts from the same reading the build renders (pofile, then catalogs' rules)."""
    results = []
    for code in languages:
        parsed = read_po_file(project, catalog_path(project, code))
        messages = [entry for entry in parsed.entries if not entry.obsolete]
        translated = len(rendered_messages(parsed))
        fuzzy = sum(1 for entry in messages if entry.fuzzy and any(entry.translations))
        results.append(Stats(code, translated, fuzzy, len(messages) - translated - fuzzy))
    return results


def compile_catalogs(project: Project, languages: list[str]) -> list[tuple[str, int]]:
    """Compile each catalog in memory, as a build does, to prove it compiles; nothing is
    written (no stale .mo)."""
    results = []
    for code in languages:
        load_translations(project, code)  # a CatalogError names the file and line
        parsed = read_po_file(project, catalog_path(project, code))
        results.append((code, len(rendered_messages(parsed))))
    return results
