"""Translation QA on PO catalogs: what would break a build or mislead a parent, by file and line."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from .inputs import InputError
from .languages import catalog_path, has_catalog
from .plurals import PluralFormsError, cldr_plural_count, conventional_rule, parse_plural_forms
from .pofile import Entry, ParsedCatalog, read_po_file
from .project import Project

ERROR, WARNING = "error", "warning"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%%|\{(\w*)\}")
STRAY_PERCENT = re.compile(r"%(?!\(\w+\)[sdif]|%)")
URL = re.compile(
    r"(?:https?|ftp|file|javascript|vbscript|data|mailto|tel):[^\s<>\"']+"
    r"|www\.[^\s<>\"']+",
    re.IGNORECASE,
)
# Each pattern starts only where a run begins (the lookbehind), so a long run without a match
# costs one scan, not one scan per letter (100,000 letters took a minute before).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\d+])\+?\d[\d ().-]{6,}\d")
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
INVISIBLE = set("\u200b\u2060\ufeff\u00ad")
JOINERS = set("\u200c\u200d")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" blocks a build of the language; "warning" is reported
    lang: str
    file: str
    line: int
    msgid: str
    check: str  # a short name: syntax, placeholder, markup, ...
    message: str  # what is wrong, and what to do

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        about = f" (msgid {self.msgid[:50]!r})" if self.msgid else ""
        return f"{where}: {self.severity}: {self.check}: {self.message}{about}"


def _header_findings(parsed: ParsedCatalog, code: str, add) -> int:
    """Charset and plural rules; returns the number of plural forms to expect."""
    content_type = parsed.header.get("Content-Type", "")
    charset = re.search(r"charset=([\w-]+)", content_type)
    if not charset or charset.group(1).lower().replace("_", "-") != "utf-8":
        add(
            ERROR,
            parsed.header_line,
            "",
            "header",
            f"Content-Type charset is {charset.group(1) if charset else 'missing'}; set "
            '"Content-Type: text/plain; charset=UTF-8" and save the file as UTF-8',
        )
    # The plural rule only matters to entries with plural forms; a catalog without any (ours,
    # today) is right with any sound rule, gettext's conventional one or CLDR's.
    has_plurals = any(
        entry.msgid_plural is not None and not entry.obsolete for entry in parsed.entries
    )
    value = parsed.header.get("Plural-Forms")
    if value is None:
        if has_plurals:
            add(
                WARNING,
                parsed.header_line,
                "",
                "plural-forms",
                f"no Plural-Forms header, so gettext assumes English's two forms; add "
                f'"Plural-Forms: {conventional_rule(code)}"',
            )
        return 2
    try:
        rule = parse_plural_forms(value, code)
    except PluralFormsError as error:
        add(ERROR, parsed.header_line, "", "plural-forms", str(error))
        return 2
    if has_plurals and rule.count != cldr_plural_count(code):
        add(
            WARNING,
            parsed.header_line,
            "",
            "plural-forms",
            f"nplurals={rule.count}, while CLDR distinguishes {cldr_plural_count(code)} forms "
            f"for {code}; both are valid gettext, keep it if it is the rule your team uses",
        )
    return rule.count


class _Markup(HTMLParser):
    """The markup of a string as a browser reads it: tags with their attributes (entities
    decoded), comments, declarations, and any '<' that starts no complete tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.items.append(
            f"<{tag}"
            + "".join(f" {name}={value!r}" for name, value in sorted(attrs, key=str))
            + ">"
        )

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag) -> None:
        self.items.append(f"</{tag}>")

    def handle_data(self, data) -> None:
        if "<" in data:
            self.items.append("an unclosed '<'")

    def handle_comment(self, data) -> None:
        self.items.append("<!-- comment -->")

    def handle_decl(self, decl) -> None:
        self.items.append(f"<!{decl}>")

    def unknown_decl(self, data) -> None:
        self.items.append(f"<![{data}]>")

    def handle_pi(self, data) -> None:
        self.items.append(f"<?{data}>")


def _tags(text: str) -> list[str]:
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return sorted(parser.items)


def _message_findings(entry: Entry, translation: str, add) -> None:
    line, msgid = entry.line, entry.msgid
    source = msgid if not entry.msgid_plural else msgid + " " + entry.msgid_plural

    wanted = sorted(match.group(0) for match in PLACEHOLDER.finditer(source))
    found = sorted(match.group(0) for match in PLACEHOLDER.finditer(translation))
    if wanted != found:
        missing = sorted(set(wanted) - set(found))
        extra = sorted(set(found) - set(wanted))
        detail = (
            "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unknown {', '.join(extra)}" if extra else "",
                )
                if part
            )
            or "counts differ"
        )
        add(
            ERROR,
            line,
            msgid,
            "placeholder",
            f"placeholders differ from the msgid ({detail}); copy each %(name)s exactly",
        )
    if STRAY_PERCENT.search(translation):
        add(
            ERROR,
            line,
            msgid,
            "placeholder",
            "a lone % would break formatting; write %% for a percent sign",
        )

    if _tags(source) != _tags(translation):
        add(
            ERROR,
            line,
            msgid,
            "markup",
            f"markup differs from the msgid ({_tags(source) or 'no tags'} expected, "
            f"{_tags(translation) or 'none'} found); keep exactly the msgid's tags and add none",
        )

    for kind, pattern in (("URL", URL), ("e-mail address", EMAIL), ("phone number", PHONE)):
        # as a browser reads them: `java&#115;cript:` is `javascript:`
        in_source = set(pattern.findall(html.unescape(source)))
        in_translation = set(pattern.findall(html.unescape(translation)))
        for value in sorted(in_source - in_translation):
            add(ERROR, line, msgid, "link", f"the {kind} {value!r} must stay unchanged")
        for value in sorted(in_translation - in_source):
            add(
                ERROR,
                line,
                msgid,
                "link",
                f"adds the {kind} {value!r}, which the msgid does not have; remove it",
            )

    for char in sorted(set(translation)):
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        if char in BIDI_CONTROLS:
            add(
                ERROR,
                line,
                msgid,
                "characters",
                f"contains the bidi control {name} (U+{ord(char):04X}); remove it, the layout "
                "sets the direction",
            )
        elif char in INVISIBLE or (unicodedata.category(char) == "Cc" and char not in "\n\t"):
            add(
                ERROR,
                line,
                msgid,
                "characters",
                f"contains the invisible character {name} (U+{ord(char):04X}); remove it",
            )
        elif char in JOINERS:
            add(
                WARNING,
                line,
                msgid,
                "characters",
                f"contains {name}; keep it only if the script's spelling needs it",
            )


# pofilter-style warnings (translate-toolkit's checks, which Weblate runs too), each silenced
# for one entry by a gettext flag (`#, ignore-same`): Weblate's name where it has the check.
END_MARKS = {  # what a sentence ends with, in the scripts we publish, by kind
    "stop": ".。।۔",
    "question": "?？;\u037e؟",  # Greek asks with ";" (U+037E, or the semicolon)
    "exclamation": "!！",
    "colon": ":：",
}
END_FLAGS = {
    "stop": "ignore-end-stop",
    "question": "ignore-end-question",
    "exclamation": "ignore-end-exclamation",
    "colon": "ignore-end-colon",
    "": "ignore-end-stop",
}
CLOSERS = "\"'”“»«’‘」』)）] \u00a0\u202f"  # after the end mark: quotes, brackets and spaces
BRACKETS = {"(": "(", "（": "(", ")": ")", "）": ")", "[": "[", "]": "]", "{": "{", "}": "}"}
QUOTES = set('“”„«»‹›「」『』"')
TAG = re.compile(r"<[^>]*>|%\(\w+\)[sdif]|\{\w*\}")
STYLE_FLAGS = {
    "unchanged": "ignore-same",
    "double-space": "ignore-double-space",
    "begin-space": "ignore-begin-space",
    "end-space": "ignore-end-space",
    "brackets": "ignore-brackets",
    "quotes": "ignore-quotes",
    "numbers": "ignore-numbers",
    "start-capital": "ignore-start-capital",
    "start-punctuation": "ignore-start-punctuation",
    "iaim": "ignore-iaim",
}


def _end_kind(text: str) -> str:
    stripped = TAG.sub("", text).rstrip(CLOSERS)
    return next((kind for kind, marks in END_MARKS.items() if stripped[-1:] in marks), "")


def _digits(text: str) -> list[str]:
    """The numbers of a text, in ASCII digits whatever the script writes them in."""
    ascii_text = "".join(str(unicodedata.digit(c, c)) if c.isdigit() else c for c in text)
    return sorted(re.findall(r"\d+", TAG.sub("", ascii_text)))


def _is_name(msgid: str) -> bool:
    """A name many languages keep ("Dr. Marshall Klaus, MD"): two or more words of four
    letters or more, each with a capital. A single word ("Touch") may be a heading to translate."""
    words = re.findall(r"[^\W\d_]{4,}", msgid)
    return len(words) >= 2 and all(word[0].isupper() for word in words)


def _first_letter(text: str) -> str:
    """The first letter, or "" when a placeholder comes first (its value decides the case)."""
    text = re.sub(r"<[^>]*>", "", text).lstrip()
    if PLACEHOLDER.match(text):
        return ""
    return next((c for c in text if c.isalpha()), "")


def _style_findings(entry: Entry, msgid: str, translation: str, code: str, add) -> None:
    """What pofilter would say of a translation of `msgid` (a plural form's own English);
    warnings only, each with the flag that silences it."""
    found: list[tuple[str, str]] = []
    if translation == msgid and not code.startswith("en") and not _is_name(msgid):
        found.append(("unchanged", "the same as the English; translate it"))
    if "  " in translation and "  " not in msgid:
        found.append(("double-space", "two spaces in a row; write one"))
    if translation[:1].isspace() != msgid[:1].isspace():
        found.append(("begin-space", "starts with a space where the English does not (or not)"))
    if translation[-1:].isspace() != msgid[-1:].isspace():
        found.append(("end-space", "ends with a space where the English does not (or not)"))
    source_end, target_end = _end_kind(msgid), _end_kind(translation)
    if source_end != target_end:
        flag = END_FLAGS[source_end or target_end]
        found.append(
            (
                flag,
                f"ends with {target_end or 'no punctuation'} where the English ends with "
                f"{source_end or 'no punctuation'}; keep the sentence's kind",
            )
        )
    counts = {b: sum(1 for c in translation if BRACKETS.get(c) == b) for b in "()[]{}"}
    if any(counts[a] != counts[b] for a, b in ("()", "[]", "{}")):
        found.append(("brackets", "brackets do not pair up; close each one you open"))
    source_brackets = sorted(BRACKETS[c] for c in msgid if c in BRACKETS)
    target_brackets = sorted(BRACKETS[c] for c in translation if c in BRACKETS)
    if source_brackets and not target_brackets:
        found.append(("brackets", "the English has brackets the translation dropped"))
    if '"' in translation and '"' not in msgid and any(q in msgid for q in "“”"):
        found.append(("quotes", "straight quotes (\"); use the language's quotation marks"))
    elif any(q in msgid for q in QUOTES) and not any(q in translation for q in QUOTES):
        found.append(("quotes", "the English quotes words the translation does not quote"))
    missing = sorted(set(_digits(msgid)) - set(_digits(translation)))
    if missing:
        found.append(("numbers", f"the number(s) {', '.join(missing)} of the English are missing"))
    source_letter, target_letter = _first_letter(msgid), _first_letter(translation)
    if source_letter.isupper() and target_letter.islower():
        found.append(
            ("start-capital", "starts with a small letter where the English has a capital")
        )
    source_start = TAG.sub("", msgid).lstrip()[:1]
    target_start = TAG.sub("", translation).lstrip()[:1]
    if (
        unicodedata.category(source_start or "a").startswith("P")
        != unicodedata.category(target_start or "a").startswith("P")
        and target_start not in "¿¡"
        and not (source_start in QUOTES and target_start in QUOTES)
    ):
        found.append(("start-punctuation", "starts with punctuation where the English does not"))
    for mark in ("IAIM®", "IAIM"):
        if msgid.count(mark) > translation.count(mark):
            found.append(("iaim", f"keep {mark} exactly as the English writes it"))
            break
    for check, message in found:
        flag = check if check.startswith("ignore-") else STYLE_FLAGS[check]
        name = "end-punctuation" if check.startswith("ignore-end") else check
        if flag not in entry.flags:
            add(
                WARNING, entry.line, entry.msgid, name, f"{message} (or flag the entry `#, {flag}`)"
            )


def check_catalog(project: Project, code: str) -> list[Finding]:
    """Every problem of one language's catalog, errors first in file order."""
    path = catalog_path(project, code)
    label = project.relative(path)
    findings: list[Finding] = []

    def add(severity: str, line: int, msgid: str, check: str, message: str) -> None:
        findings.append(Finding(severity, code, label, line, msgid, check, message))

    try:
        parsed = read_po_file(project, path)
    except InputError as error:
        add(ERROR, 0, "", "file", error.message.removeprefix(f"{label}: "))
        return findings
    for defect in parsed.defects:
        add(ERROR, defect.line, "", "syntax", defect.message)
    plurals = _header_findings(parsed, code, add)

    first_line: dict = {}
    for entry in parsed.entries:
        if entry.obsolete:
            add(
                WARNING,
                entry.line,
                entry.msgid,
                "obsolete",
                "an obsolete entry (#~) no template uses; delete it when no longer needed",
            )
            continue
        if entry.key in first_line:
            add(
                ERROR,
                entry.line,
                entry.msgid,
                "duplicate",
                f"the same msgid{' and msgctxt' if entry.context else ''} as line "
                f"{first_line[entry.key]}; keep one of the two entries",
            )
            continue
        first_line[entry.key] = entry.line
        translations = entry.translations
        if not any(translations):
            add(
                WARNING,
                entry.line,
                entry.msgid,
                "untranslated",
                "not translated yet: the PDF shows the English text",
            )
            continue
        if entry.fuzzy:
            add(
                WARNING,
                entry.line,
                entry.msgid,
                "fuzzy",
                "marked fuzzy: the PDF shows the English text until the translation is "
                "checked and the fuzzy flag removed",
            )
            continue
        if entry.msgid_plural is not None and (
            len(translations) != plurals or not all(translations)
        ):
            add(
                ERROR,
                entry.line,
                entry.msgid,
                "plural-forms",
                f"needs {plurals} plural forms (msgstr[0]…msgstr[{plurals - 1}]), all filled",
            )
        for index, translation in enumerate(translations):
            if translation:
                _message_findings(entry, translation, add)
                source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
                _style_findings(entry, source, translation, code, add)
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.line))


def errors_among(findings: list[Finding]) -> list[Finding]:
    """The one rule for "this catalog has errors": any finding of error severity. A language
    with errors is neither built nor laid out, and the preview shows them instead."""
    return [finding for finding in findings if finding.severity == ERROR]


def catalog_errors(project: Project, code: str) -> list[Finding]:
    """The errors of one language's catalog (none for the source language, which has none)."""
    return errors_among(check_catalog(project, code)) if has_catalog(code) else []
