"""Previous msgids (`#|`, `#~|`): read, merged and written back as GNU `msgmerge --previous` does.

Babel reads `#|` as a plain translator comment (so the next write turns it into `# |`, Babel
issue 206), refuses `#~|` as a syntax error, wraps a long previous msgid inside its quotes, and
writes obsolete entries without flags or previous msgid. A translator's PO editor diffs the
fuzzy translation against the previous msgid, so it must survive any number of updates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, unescape

PREVIOUS = re.compile(r"^#~?\|\s*(?:(msgctxt|msgid_plural|msgid)\s+)?(\".*\")\s*$")
MSGID_LINE = re.compile(r"^(?:#~\s*)?msgid\s")

# (obsolete, msgctxt, msgid): one entry of a catalog, active or obsolete
Key = tuple[bool, str | None, str]


@dataclass(frozen=True)
class Previous:
    """The msgctxt, msgid and msgid_plural a fuzzy translation was made for."""

    msgid: str
    context: str | None = None
    plural: str | None = None


def split_previous(data: bytes) -> tuple[bytes, dict[int, Previous]]:
    """The catalog with its `#|` and `#~|` lines blanked (so Babel reads it, with the same
    line numbers), and the previous fields by the line of the msgid they stand above."""
    lines = data.split(b"\n")
    found: dict[int, Previous] = {}
    fields: dict[str, str] = {}
    current = "msgid"
    for number, raw in enumerate(lines, 1):
        text = raw.decode("utf-8", errors="replace").strip()
        match = PREVIOUS.match(text)
        if match:
            current = match.group(1) or current
            fields[current] = fields.get(current, "") + unescape(match.group(2))
            lines[number - 1] = b""
        elif MSGID_LINE.match(text) and fields:
            found[number] = Previous(
                fields.get("msgid", ""), fields.get("msgctxt"), fields.get("msgid_plural")
            )
            fields, current = {}, "msgid"
    return b"\n".join(lines), found


def key_of(message: Message, obsolete: bool) -> Key:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return obsolete, message.context, msgid


def by_entry(catalog: Catalog, by_line: dict[int, Previous]) -> dict[Key, Previous]:
    """Previous fields by entry, from `split_previous`'s lines (Babel's `lineno` is the msgid's)."""
    result = {}
    for message in catalog:
        if message.id and message.lineno in by_line:
            result[key_of(message, False)] = by_line[message.lineno]
    for message in catalog.obsolete.values():
        if message.lineno in by_line:
            result[key_of(message, True)] = by_line[message.lineno]
    return result


def _as_previous(message: Message) -> Previous:
    if isinstance(message.id, str):
        return Previous(message.id, message.context)
    return Previous(message.id[0], message.context, message.id[1])


def merge(
    old: list[Message], old_previous: dict[Key, Previous], merged: Catalog
) -> dict[Key, Previous]:
    """The previous msgids after `Catalog.update` turned the `old` messages into `merged`, by
    msgmerge's rules: an entry still fuzzy keeps the msgid its translation was made for, through
    any number of updates; a newly fuzzy entry gets the old msgid; an entry a translator
    confirmed (not fuzzy) has none; an entry going obsolete takes its previous msgid along
    (`#~|`)."""
    before = {key_of(m, False): m for m in old}
    by_msgid = {key[2]: message for key, message in before.items()}
    result: dict[Key, Previous] = {}
    for message in merged:
        if not message.id:
            continue
        key = key_of(message, False)
        if message.previous_id:  # Babel's fuzzy match: previous_id is the old msgid
            source = by_msgid.get(message.previous_id[0])
            message.previous_id = []  # written by `write` below, not by Babel
            if source is None:
                continue
            kept = old_previous.get(key_of(source, False))
            result[key] = kept if kept and source.fuzzy else _as_previous(source)
        elif key in before and before[key].fuzzy and key in old_previous:
            result[key] = old_previous[key]
    for message in merged.obsolete.values():
        key = key_of(message, True)
        kept = old_previous.get(key) or old_previous.get((False, *key[1:]))
        if kept:
            result[key] = kept
    return result


def _lines(previous: Previous, prefix: str, width: int) -> list[str]:
    fields = [("msgctxt", previous.context), ("msgid", previous.msgid)]
    fields.append(("msgid_plural", previous.plural))
    # Babel's `normalize(prefix=...)` counts the prefix once per word: wrap, then prefix
    return [
        f"{prefix}{name} "
        + normalize(value, width=width - len(prefix)).replace("\n", "\n" + prefix)
        for name, value in fields
        if value is not None
    ]


def write(po: str, catalog: Catalog, previous: dict[Key, Previous], width: int) -> str:
    """Babel's output (`write_po(..., include_previous=False)`, unsorted) with the previous
    msgids written as msgmerge writes them, and obsolete entries' flags (`#, fuzzy`) kept."""
    blocks = po.split("\n\n")
    active = [m for m in catalog if m.id]
    obsolete = list(catalog.obsolete.values())
    entries = [(m, False) for m in active] + [(m, True) for m in obsolete]
    # one block per entry after the header; Babel escapes newlines, so no entry holds a blank line
    if len(blocks) != 1 + len(entries) + 1 or blocks[-1].strip():
        raise AssertionError("unexpected layout of Babel's PO output")
    for index, (message, is_obsolete) in enumerate(entries, 1):
        extra = []
        if is_obsolete and message.flags:
            extra.append("#, " + ", ".join(sorted(message.flags)))
        found = previous.get(key_of(message, is_obsolete))
        if found:
            extra += _lines(found, "#~| " if is_obsolete else "#| ", width)
        if not extra:
            continue
        lines = blocks[index].split("\n")
        start = next(n for n, line in enumerate(lines) if re.match(r"(#~ )?(msgctxt|msgid) ", line))
        blocks[index] = "\n".join(lines[:start] + extra + lines[start:])
    return "\n\n".join(blocks)
