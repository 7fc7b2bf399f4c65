"""Pseudo-locales, made on the fly from the English template (no catalog is ever written):
`en-XA` accents every letter, makes the text 40 % longer and brackets it, so a panel that
cannot take a long translation, or a string cut off, shows before any volunteer starts;
`ar-XB` sets the English right to left, mirrored (each word reversed, the words in
right-to-left order), to test the right-to-left layout.
The names are Android's and Chromium's.
"""

from __future__ import annotations

import gettext
import math
import re

from .pofile import Entry, read_po_file
from .project import Project

PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
ACCENTS = str.maketrans(PLAIN, ACCENTED)
GROWTH = 0.40  # translations run 30-40 % longer than English (German, Russian, Greek)
PADDING = "one two three four five six seven eight nine ten eleven twelve".split()
# markup, placeholders, entities and IAIM® stay as they are (the template, the sanitizer and
# the brand need them)
TOKEN = re.compile(r"(<[^>]+>|%\(\w+\)[sdif]|%%|\{\w*\}|&#?\w+;|IAIM®?)")
RLM = "\u200f"


def _padding(count: int) -> str:
    """Exactly `count` characters of pseudo-words."""
    words = " ".join(PADDING * (count // 40 + 1))
    return words[:count].translate(ACCENTS)


def pseudo_text(code: str, text: str) -> str:
    """The pseudo-translation of one msgid."""
    if not text:
        return text
    parts = TOKEN.split(text)
    if code == "en-XA":
        parts = [part if index % 2 else part.translate(ACCENTS) for index, part in enumerate(parts)]
        visible = len(re.sub(r"<[^>]+>", "", text))
        extra = math.ceil(GROWTH * visible) - 2  # the brackets count
        return "[" + "".join(parts) + (" " + _padding(extra - 1) if extra > 1 else "") + "]"
    # ar-XB: each word's letters reversed and followed by a right-to-left mark, so the words
    # run right to left and read mirrored, with no bidi override (lines break as usual)
    return "".join(
        part if index % 2 else re.sub(r"\S+", lambda word: word.group(0)[::-1] + RLM, part)
        for index, part in enumerate(parts)
    )


class PseudoTranslations(gettext.NullTranslations):
    """Every message pseudo-translated; nothing is ever missing."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.missing: set[str] = set()

    def gettext(self, message: str) -> str:
        return pseudo_text(self.code, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_text(self.code, msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo_text(self.code, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_text(self.code, msgid1 if n == 1 else msgid2)


def pseudo_entries(project: Project, code: str) -> list[Entry]:
    """The template's entries with their pseudo-translations (to name the strings a layout
    problem involves, at their line in locales/messages.pot)."""
    pot = project.locales / "messages.pot"
    if not pot.is_file():
        return []
    entries = read_po_file(project, pot).entries
    for entry in entries:
        entry.msgstr = {0: pseudo_text(code, entry.msgid)}
    return entries
