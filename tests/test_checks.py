"""`check`: each kind of catalog problem is caught, at the right file and line."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from babel.messages.pofile import read_po, write_po

from pressroom.catalog_checks import check_catalog
from pressroom.languages import catalog_path
from pressroom.plurals import cldr_plural_count
from pressroom.project import Project
from pressroom.project_check import glyph_findings

from .conftest import ROOT, invoke

GAS = 'msgid "Gas and colic"\nmsgstr "Blähungen und Koliken"'
IMPRINT_ID = "%(clinic)s and staff are certified infant massage instructors through the"


@pytest.fixture
def german(scratch_project):
    """The project's German catalog, in a scratch project, ready to be broken."""
    path = catalog_path(Project.at(scratch_project), "de")
    assert GAS in path.read_text(encoding="utf-8")
    return scratch_project, path


def line_of(path, needle: str) -> int:
    text = path.read_text(encoding="utf-8", errors="replace")
    return text[: text.index(needle)].count("\n") + 1


def findings(root, check=None):
    found = check_catalog(Project.at(root), "de")
    return [f for f in found if check is None or f.check == check]


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_project_is_clean():
    result = invoke("check", "--no-layout", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["errors"] == 0 and report["warnings"] == 0


@pytest.mark.parametrize(
    "old, new, check, text",
    [
        (GAS, 'msgid "Gas and colic"\nmsgstr "Blähungen und Koliken', "syntax", "unterminated"),
        (GAS, GAS + "\n<<<<<<< HEAD", "syntax", "merge-conflict"),
        (GAS, 'msgid "Gas and colic"\nmsgstr "Blähungen %(clinic)s"', "placeholder", "unknown"),
        (GAS, 'msgid "Gas and colic"\nmsgstr "Blähungen 100 % sicher"', "placeholder", "lone %"),
        (GAS, 'msgid "Gas and colic"\nmsgstr "<b>Blähungen</b> und Koliken"', "markup", "differs"),
        (
            GAS,
            'msgid "Gas and colic"\nmsgstr "<img src=file:///etc/passwd>Blähungen"',
            "markup",
            "differs",
        ),
        (
            GAS,
            'msgid "Gas and colic"\nmsgstr "<script>alert(1)</script>Blähungen"',
            "markup",
            "differs",
        ),
        (
            GAS,
            'msgid "Gas and colic"\nmsgstr "Blähungen, siehe https://evil.example.com"',
            "link",
            "adds the URL",
        ),
        (
            GAS,
            'msgid "Gas and colic"\nmsgstr "Blähungen \u202eund Koliken"',
            "characters",
            "bidi control",
        ),
        (
            GAS,
            'msgid "Gas and colic"\nmsgstr "Blähungen\u200b und Koliken"',
            "characters",
            "invisible",
        ),
    ],
)
def test_a_broken_entry_is_reported_at_its_line(german, old, new, check, text):
    root, path = german
    replace(path, old, new)
    wanted_line = line_of(path, new.splitlines()[-1] if check == "syntax" else new)
    hits = findings(root, check)
    assert hits, findings(root)
    assert any(text in f.message for f in hits), hits
    assert any(f.line == wanted_line for f in hits), (wanted_line, hits)
    assert all(f.file == "locales/de/LC_MESSAGES/messages.po" for f in hits)


def edit_translation(path, msgid_start: str, change) -> None:
    """Change one translation through Babel (the file is re-wrapped, so lines move)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    (message,) = [m for m in catalog if m.id and m.id.startswith(msgid_start)]
    message.string = change(message.string)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_markup_removed_from_a_translation_is_an_error(german):
    root, path = german
    edit_translation(
        path,
        "Dr. Klaus is the co-editor",
        lambda text: text.replace("<cite>", "").replace("</cite>", ""),
    )
    assert [f.check for f in findings(root, "markup")] == ["markup"]


def test_bom_and_invalid_utf8_name_their_lines(german):
    root, path = german
    data = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + data)
    assert any(f.line == 1 and "byte-order mark" in f.message for f in findings(root, "syntax"))
    gas = data.index("Blähungen".encode())
    path.write_bytes(data[:gas] + b"Bl\xe4hungen" + data[gas + len("Blähungen".encode()) :])
    line = data[:gas].count(b"\n") + 1
    assert any(f.line == line and "UTF-8" in f.message for f in findings(root, "syntax"))


def test_duplicate_msgid_names_both_lines(german):
    root, path = german
    replace(path, GAS, GAS + "\n\n" + GAS.replace("Koliken", "Bauchweh"))
    first = line_of(path, 'msgid "Gas and colic"')
    (duplicate,) = findings(root, "duplicate")
    assert duplicate.line == first + 3 and f"line {first}" in duplicate.message


@pytest.mark.parametrize(
    "old, new, text",
    [
        ("nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n !=;", "not valid"),
        ("nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n > 1 ? 2 : n);", "gives form 2"),
        ("nplurals=2; plural=(n != 1);", "nplurals=2; plural=n % 0;", "fails for n=0"),
        ("nplurals=2; plural=(n != 1);", "nplurals=0; plural=0;", "at least one form"),
        ("nplurals=2; plural=(n != 1);", "plural=(n != 1);", "malformed"),
        ("charset=utf-8", "charset=ISO-8859-1", "charset is ISO-8859-1"),
    ],
)
def test_bad_header_is_reported_at_the_header(german, old, new, text):
    root, path = german
    replace(path, old, new)
    hits = [f for f in findings(root) if f.check in ("plural-forms", "header")]
    assert any(text in f.message for f in hits), hits
    assert all(f.line == 7 for f in hits)  # the header's msgid ""


def test_untranslated_fuzzy_and_obsolete_are_warnings(german):
    root, path = german
    replace(path, GAS, 'msgid "Gas and colic"\nmsgstr ""')
    replace(path, 'msgid "Cramps"', '#, fuzzy\nmsgid "Cramps"')
    path.write_text(
        path.read_text(encoding="utf-8") + '\n#~ msgid "Old"\n#~ msgstr "Alt"\n', encoding="utf-8"
    )
    found = {f.check: f.severity for f in findings(root)}
    assert found == {"untranslated": "warning", "fuzzy": "warning", "obsolete": "warning"}


def test_incomplete_plural_forms(german):
    root, path = german
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\nmsgid "One baby"\nmsgid_plural "%(n)s babies"\nmsgstr[0] "Ein Baby"\n',
        encoding="utf-8",
    )
    (hit,) = findings(root, "plural-forms")
    assert "needs 2 plural forms" in hit.message
    assert (hit.severity, hit.line) == ("error", line_of(path, 'msgid "One baby"'))


FRENCH_RULES = {
    "gettext": "nplurals=2; plural=(n > 1);",  # what msginit, Poedit and Weblate write
    "cldr": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
}


@pytest.mark.render
@pytest.mark.parametrize("rule", FRENCH_RULES.values(), ids=FRENCH_RULES.keys())
def test_french_plural_rules_of_gettext_and_of_cldr_are_both_clean(scratch_project, rule):
    path = catalog_path(Project.at(scratch_project), "fr")
    replace(path, "nplurals=2; plural=(n > 1);", rule)
    assert check_catalog(Project.at(scratch_project), "fr") == []
    shutil.copy(ROOT / "chapters" / "canada.toml", scratch_project / "chapters")
    built = invoke(
        "build",
        "--chapter",
        "canada",
        "--lang",
        "fr",
        "--brochure",
        "mission",
        "--variant",
        "office",
        "--out",
        str(scratch_project / "out"),
        root=scratch_project,
    )
    assert built.exit_code == 0 and "1 PDF(s) built" in built.output, built.output
    # With a plural message, each rule asks for its own number of forms, and only a count
    # different from CLDR's is worth a word, never an error.
    count = int(rule[len("nplurals=")])
    forms = "".join(f'msgstr[{index}] "%(n)s bébé(s)"\n' for index in range(count))
    path.write_text(
        path.read_text(encoding="utf-8")
        + f'\nmsgid "One baby"\nmsgid_plural "%(n)s babies"\n{forms}',
        encoding="utf-8",
    )
    found = check_catalog(Project.at(scratch_project), "fr")
    # (CLDR says 3 since Babel 2.19, 2 before: the drift check runs both)
    assert [f.severity for f in found] == (
        [] if count == cldr_plural_count("fr") else ["warning"]
    ), found
    replace(path, 'msgstr[1] "%(n)s bébé(s)"\n', "")
    (error,) = [
        f for f in check_catalog(Project.at(scratch_project), "fr") if f.severity == "error"
    ]
    assert error.check == "plural-forms" and error.line == line_of(path, 'msgid "One baby"')
    assert f"needs {count} plural forms" in error.message


def test_character_no_font_has_is_named(german):
    root, path = german
    replace(path, GAS, 'msgid "Gas and colic"\nmsgstr "Blähungen \U0001f476 und Koliken"')
    (hit,) = glyph_findings(Project.at(root), "de")
    assert "U+1F476" in hit.message and "Noto Sans" in hit.message
    assert hit.line == line_of(path, 'msgid "Gas and colic"')


@pytest.mark.render
def test_build_refuses_a_language_with_catalog_errors(german, tmp_path):
    root, path = german
    shutil.copy(ROOT / "chapters" / "switzerland.toml", root / "chapters")
    replace(path, GAS, 'msgid "Gas and colic"\nmsgstr "<img src=x>Blähungen"')
    result = invoke(
        "build",
        "--chapter",
        "switzerland",
        "--brochure",
        "mission",
        "--variant",
        "office",
        "--quiet",
        "--out",
        str(tmp_path / "out"),
        root=root,
    )
    assert result.exit_code == 1
    assert "de: not built (1 PDF(s)): its catalog has 1 error(s)" in result.output
    assert "messages.po:" in result.output and "markup" in result.output
    assert not (tmp_path / "out/switzerland/de").exists()
    assert (tmp_path / "out/switzerland/fr/mission-office.pdf").exists()


@pytest.mark.render
def test_check_names_the_overflowing_panel_and_its_strings(german, tmp_path):
    root, path = german
    shutil.copy(ROOT / "chapters" / "switzerland.toml", root / "chapters")
    edit_translation(path, "Massage gives fathers", lambda text: " ".join([text] * 8))
    result = invoke(
        "check", "--chapter", "switzerland", "--lang", "de", "--brochure", "benefits", root=root
    )
    assert result.exit_code == 1
    assert "panel 'panel panel-flap' (page 1) overflows by" in result.output
    # one finding for office and press, at the template line of the overflowing strings
    (line,) = [line for line in result.output.splitlines() if "error: overflow" in line]
    assert "benefits, page 1, panel-flap" in line and "switzerland; office, press" in line
    assert "brochures/partials/fathers.html:" in line and "Massage gives fathers" in line
    assert re.search(r"locales/de/LC_MESSAGES/messages\.po:\d+ 'Massage gives fathers", line)
