"""pofilter-style warnings: what translate-toolkit (and Weblate) flag, each silenced by a flag."""

from __future__ import annotations

import pytest

from pressroom.catalog_checks import WARNING, check_catalog
from pressroom.languages import catalog_path
from pressroom.project import Project


@pytest.fixture
def bare_project(tmp_path):
    """Just enough of a project for catalog checks (no copy of the real one: fast)."""
    for folder in ("brochures", "chapters", "locales"):
        (tmp_path / folder).mkdir()
    return tmp_path


HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {code}\\n"\n\n'
)

# (msgid, translation, the language, the warning expected or None)
CASES = [
    ("Touch", "Touch", "de", "unchanged"),
    ("Touch", "Touch", "en_GB", None),  # British English keeps most of the English
    ("Dr. Marshall Klaus, MD", "Dr. Marshall Klaus, MD", "de", None),  # a name
    ("Email", "Email", "it", "unchanged"),  # a label some keep: they flag it `ignore-same`
    ("Coordination and balance", "Koordination  und Gleichgewicht", "de", "double-space"),
    ("Coordination and balance", " Koordination", "de", "begin-space"),
    ("Coordination and balance", "Koordination ", "de", "end-space"),
    ("Massage may help.", "Massage kann helfen", "de", "end-punctuation"),
    ("What is infant massage?", "Was ist Babymassage.", "de", "end-punctuation"),
    ("What is infant massage?", "Τι είναι το βρεφικό μασάζ\u037e", "el", None),
    ("What is infant massage?", "ما هو تدليك الرضع؟", "ar", None),
    ("Each massage may stimulate:", "每次按摩可能刺激：", "zh_Hans", None),
    ("Bonding is “unique” and “lasting.”", "Bindung ist „einzig“ und „dauerhaft“.", "de", None),
    ("Bonding is “unique.”", "Bindung ist »einzigartig«.", "de", None),
    ("The senses (all five)", "Die Sinne (alle fünf", "de", "brackets"),
    ("The senses (all five)", "Die Sinne, alle fünf", "de", "brackets"),
    ("The senses (all five)", "五感（すべて）", "ja", None),  # full-width brackets pair up
    ("A “unique relationship”", 'Eine "einzigartige Beziehung"', "he", "quotes"),
    ("A “unique relationship”", "Eine einzigartige Beziehung", "de", "quotes"),
    ("Sleep for 20 minutes", "Schlaf für 30 Minuten", "de", "numbers"),
    ("Sleep for 20 minutes", "नींद २० मिनट", "hi", None),  # Devanagari digits are numbers
    ("four categories", "4 つのカテゴリー", "ja", None),  # a number written out is fine
    ("Touch", "berührung", "de", "start-capital"),
    ("%(clinic)s staff", "%(clinic)s personal", "de", None),  # a placeholder is no word
    ("Touch", "…Berührung", "de", "start-punctuation"),
    ("What is it?", "¿Qué es?", "es", None),
    ("Content provided by IAIM® today", "Inhalt von IAIM heute", "de", "iaim"),
    ("Find an IAIM instructor", "Finden Sie eine Kursleitung", "de", "iaim"),
    ("Phone", "Tél.", "fr", "end-punctuation"),
]


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_catalog(project: Project, code: str, entries: list[tuple[str, str, str]]) -> None:
    """A catalog of (flags, msgid, msgstr), one entry each."""
    path = catalog_path(project, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        (f"#, {flags}\n" if flags else "") + f"msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n\n"
        for flags, msgid, msgstr in entries
    )
    path.write_text(HEADER.format(code=code) + body, encoding="utf-8")


@pytest.mark.parametrize(("msgid", "translation", "code", "expected"), CASES)
def test_style_warnings(bare_project, msgid, translation, code, expected):
    project = Project.at(bare_project)
    write_catalog(project, code, [("", msgid, translation)])
    findings = check_catalog(project, code)
    assert all(f.severity == WARNING for f in findings)
    assert [f.check for f in findings] == ([expected] if expected else [])
    if expected:
        (finding,) = findings
        assert finding.line == 6 and finding.file.endswith("messages.po")
        flag = finding.message.split("`#, ")[1].rstrip("`)")
        write_catalog(project, code, [(flag, msgid, translation)])  # the flag silences it
        assert check_catalog(project, code) == []


def test_flags_silence_only_their_entry_and_only_their_check(bare_project):
    project = Project.at(bare_project)
    write_catalog(
        project,
        "de",
        [
            ("ignore-same", "Touch", "Touch"),
            ("", "Smell", "Smell"),
            ("ignore-same", "Taste", "geschmack  "),
        ],
    )
    found = sorted((f.msgid, f.check) for f in check_catalog(project, "de"))
    assert found == [
        ("Smell", "unchanged"),
        ("Taste", "double-space"),
        ("Taste", "end-space"),
        ("Taste", "start-capital"),
    ]


def test_plural_forms_are_compared_with_their_own_english(bare_project):
    project = Project.at(bare_project)
    path = catalog_path(project, "fr")
    path.parent.mkdir(parents=True)
    path.write_text(
        HEADER.format(code="fr").replace(
            '"Language: fr\\n"', '"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"'
        )
        + 'msgid "One baby"\nmsgid_plural "%(n)s babies"\n'
        'msgstr[0] "%(n)s bébé"\nmsgstr[1] "%(n)s bébés"\n',
        encoding="utf-8",
    )
    styles = {"start-capital", "unchanged", "end-punctuation", "numbers"}
    assert [f for f in check_catalog(project, "fr") if f.check in styles] == []
