"""A strict reader of PO files that keeps line numbers and reports what Babel silently forgives.

Babel's reader accepts a BOM, an unterminated string, a duplicate msgid or a conflict marker
without a word; a translator needs to hear about each, with the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import read_input
from .project import Project

KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")
STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)")


@dataclass
class Entry:
    """One message as written in the file, with the line of its msgid."""

    line: int
    context: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False
    flags: frozenset[str] = frozenset()  # the `#,` flags: fuzzy, python-format, ignore-same…

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[index] for index in sorted(self.msgstr)]


@dataclass(frozen=True)
class Defect:
    line: int
    message: str


class Header(dict):
    """Header fields by name, ignoring case as gettext does (`content-type` is `Content-Type`)."""

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default=None):
        return super().get(key.lower(), default)


@dataclass
class ParsedCatalog:
    path: Path
    entries: list[Entry]
    header: dict[str, str]
    header_line: int
    defects: list[Defect]  # syntax and encoding errors: the catalog cannot be trusted


def _unescape(text: str, line: int, defects: list[Defect]) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char in ESCAPES:
            return ESCAPES[char]
        defects.append(Defect(line, f"unknown escape \\{char}; write the character itself"))
        return char

    return re.sub(r"\\(.)", replace, text)


def _decode(data: bytes, defects: list[Defect]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        defects.append(
            Defect(1, "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        )
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        defects.append(
            Defect(
                line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
            )
        )
        return data.decode("utf-8", errors="replace")


def read_po_file(project: Project, path: Path) -> ParsedCatalog:
    """A project's catalog, read only if it is a regular file inside the project, under the
    size limit (InputError otherwise)."""
    data = read_input(path, project.relative(path), "catalog", (project.root,))
    return parse_po(path, data)


def parse_po(path: Path, data: bytes | None = None) -> ParsedCatalog:
    defects: list[Defect] = []
    text = _decode(path.read_bytes() if data is None else data, defects)
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # the field continuation lines extend
    flags_next: set[str] = set()
    seen_fields: set[str] = set()

    def finish() -> None:
        nonlocal current, target, seen_fields
        if current is not None:
            if "msgid" not in seen_fields:
                defects.append(Defect(current.line, "an entry without msgid"))
            elif not current.msgstr:
                defects.append(Defect(current.line, "msgid without msgstr"))
            entries.append(current)
        current, target, seen_fields = None, None, set()

    def append(value: str, line: int) -> None:
        assert current is not None and target is not None  # called inside an entry only
        name, index = target
        if name == "msgstr":
            current.msgstr[index or 0] = current.msgstr.get(index or 0, "") + value
        elif name == "msgctxt":
            current.context = (current.context or "") + value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            current.msgid += value

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if CONFLICT.match(raw):
            defects.append(
                Defect(
                    number,
                    "a merge-conflict marker; resolve the conflict and "
                    "keep one version of the entry",
                )
            )
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # `#~|`: an obsolete entry's previous msgid, a comment
                line = "#" + line
        if not line:
            if not obsolete:
                finish()
            continue
        if line.startswith("#"):
            if current is not None and "msgstr" in seen_fields:
                finish()
            # GNU gettext's rule (read-catalog.c): flags are separated by commas or spaces
            if line.startswith("#,"):
                flags_next |= set(line[2:].replace(",", " ").split())
            continue
        keyword = KEYWORD.match(line)
        if keyword:
            name, index, rest = keyword.group(1), keyword.group(2), keyword.group(3)
            base = "msgstr" if name.startswith("msgstr") else name
            if current is not None and base in ("msgctxt", "msgid") and "msgstr" in seen_fields:
                finish()
            if current is None:
                current = Entry(
                    number,
                    fuzzy="fuzzy" in flags_next,
                    obsolete=obsolete,
                    flags=frozenset(flags_next),
                )
                flags_next = set()
            if base == "msgid":
                current.line = number
            field_key = name
            if field_key in seen_fields:
                defects.append(Defect(number, f"{name} appears twice in one entry"))
            seen_fields.add(field_key)
            target = (base, int(index) if index is not None else (0 if base == "msgstr" else None))
            line = rest
        elif target is None:
            defects.append(
                Defect(
                    number,
                    f"unexpected text {raw.strip()[:40]!r}; every line is "
                    'a comment, a keyword (msgid, msgstr…) or a "string"',
                )
            )
            continue
        string = STRING.match(line)
        if not string:
            defects.append(
                Defect(
                    number,
                    "unterminated or malformed string; a string starts and "
                    'ends with " and inner quotes are written \\"',
                )
            )
            continue
        append(_unescape(string.group(1), number, defects), number)
    finish()

    if "\x00" in text:
        defects.append(
            Defect(
                text[: text.index("\x00")].count("\n") + 1,
                "a NUL character (\\0); remove it, a catalog is plain text",
            )
        )
    header_entry = next((e for e in entries if e.msgid == "" and e.context is None), None)
    header = Header()
    if header_entry:
        for item in header_entry.msgstr.get(0, "").splitlines():
            if ":" in item:
                key, value = item.split(":", 1)
                if key.strip() in header:
                    defects.append(
                        Defect(
                            header_entry.line,
                            f"the header {key.strip()!r} appears "
                            "twice (names ignore case); keep one",
                        )
                    )
                    continue
                header[key.strip()] = value.strip()
    messages = [e for e in entries if e is not header_entry]
    return ParsedCatalog(path, messages, header, header_entry.line if header_entry else 1, defects)
