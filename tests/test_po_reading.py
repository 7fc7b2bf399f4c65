"""One reading of a PO file: what `check` examines is what the renderer uses, by gettext's rules;
translated markup is compared as parsed HTML and sanitized again when rendered."""

from __future__ import annotations

import gettext
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.catalog_checks import check_catalog
from pressroom.catalogs import load_translations, rendered_messages
from pressroom.languages import catalog_path
from pressroom.pofile import parse_po
from pressroom.preflight import active_content_of
from pressroom.project import Project
from pressroom.templating import sanitize

from .conftest import invoke

HEADER = (
    'msgid ""\nmsgstr ""\n"{ct}: text/plain; charset=UTF-8\\n"\n'
    '"{pf}: nplurals=2; plural=(n != 1);\\n"\n\n'
)
FLAGS = st.sampled_from(
    [
        "",
        "#, fuzzy\n",
        "#, python-format\n",
        "#, python-format, fuzzy\n",
        "#, python-format fuzzy\n",
        "#,fuzzy\n",
        "#, no-wrap ,fuzzy\n",
        "#, fuzzy-ish\n",
        "# fuzzy (a translator's comment)\n",
    ]
)
WORD = st.text(alphabet="abcdéあ ?!.%", min_size=1, max_size=8).map(lambda s: s.replace("%", "x"))


@st.composite
def catalogs(draw) -> str:
    case = draw(st.sampled_from([str.title, str.lower, str.upper]))
    text = HEADER.format(ct=case("content-type"), pf=case("plural-forms"))
    seen = set()
    for number in range(draw(st.integers(0, 8))):
        msgid = f"m{number} {draw(WORD)}"
        context = draw(st.one_of(st.none(), WORD))
        plural = draw(st.booleans())
        if (context, msgid) in seen:
            continue
        seen.add((context, msgid))
        text += draw(FLAGS)
        obsolete = "#~ " if draw(st.integers(0, 9)) == 0 else ""
        if context is not None:
            text += f'{obsolete}msgctxt "{context}"\n'
        text += f'{obsolete}msgid "{msgid}"\n'
        if plural:
            text += f'{obsolete}msgid_plural "{msgid}s"\n'
            for index in range(2):
                text += f'{obsolete}msgstr[{index}] "{draw(st.one_of(st.just(""), WORD))}"\n'
        else:
            text += f'{obsolete}msgstr "{draw(st.one_of(st.just(""), WORD))}"\n'
        text += "\n"
    return text


def gnu_view(path, tmp) -> dict:
    """GNU msgfmt's compiled catalog, read back by Python's gettext: the second opinion."""
    mo = tmp / "gnu.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(path)], check=True, capture_output=True)
    with mo.open("rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)
    catalog.pop("", None)
    return catalog


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=catalogs())
def test_checker_renderer_and_gnu_gettext_agree(scratch_project, tmp_path, text):
    project = Project.at(scratch_project)
    path = catalog_path(project, "de")
    path.write_text(text, encoding="utf-8")
    parsed = parse_po(path)
    assert parsed.defects == []
    # the checker's view: the entries it does not flag as untranslated, fuzzy or obsolete
    flagged = {(f.line, f.check) for f in check_catalog(project, "de")}
    checked = {}
    for entry in parsed.entries:
        skipped = {(entry.line, "untranslated"), (entry.line, "fuzzy"), (entry.line, "obsolete")}
        if not skipped & flagged and all(entry.translations):
            checked[(entry.context, entry.msgid, entry.msgid_plural)] = entry.translations
    # the renderer's view, entry by entry
    translations = load_translations(project, "de")
    for entry in parsed.entries:
        key = (entry.context, entry.msgid, entry.msgid_plural)
        if entry.msgid_plural is None:
            shown = [
                translations.pgettext(entry.context, entry.msgid)
                if entry.context
                else translations.gettext(entry.msgid)
            ]
        else:
            shown = [
                translations.npgettext(entry.context, entry.msgid, entry.msgid_plural, n)
                if entry.context
                else translations.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
        english = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        assert shown == checked.get(key, english), (key, text)
    # and GNU gettext's own compiler reads the same messages, except plurals with an empty
    # form, which msgfmt keeps and we show in English (`check` calls them an error)
    ours = {key: value for key, value in translations._catalog.items() if key != ""}
    gnu = gnu_view(path, tmp_path)
    partial = {key[0] for key, value in gnu.items() if isinstance(key, tuple) and not value}
    assert ours == {
        key: value
        for key, value in gnu.items()
        if not (isinstance(key, tuple) and key[0] in partial)
    }
    assert len(rendered_messages(parsed)) == len(checked)


def german_with(scratch_project, old: str, new: str):
    project = Project.at(scratch_project)
    path = catalog_path(project, "de")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project


GAS = 'msgid "Gas and colic"\nmsgstr "Blähungen und Koliken"'


def test_a_flag_line_fuzzy_for_the_checker_is_fuzzy_for_the_renderer(scratch_project):
    project = german_with(scratch_project, GAS, "#, python-format fuzzy\n" + GAS)
    assert any(f.check == "fuzzy" for f in check_catalog(project, "de"))
    assert load_translations(project, "de").gettext("Gas and colic") == "Gas and colic"


def test_a_second_lower_case_content_type_is_refused(scratch_project):
    project = german_with(
        scratch_project,
        '"Content-Type: text/plain; charset=utf-8\\n"',
        '"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"content-type: text/plain; charset=utf-7\\n"',
    )
    errors = [f for f in check_catalog(project, "de") if f.severity == "error"]
    assert any("appears twice" in f.message for f in errors), errors


def test_header_names_ignore_case(scratch_project):
    project = german_with(
        scratch_project,
        '"Content-Type: text/plain; charset=utf-8\\n"',
        '"content-type: text/plain; charset=latin-1\\n"',
    )
    assert any(f.check == "header" and "latin-1" in f.message for f in check_catalog(project, "de"))


@pytest.mark.parametrize(
    "translation, says",
    [
        ("Blähungen <cite onclick=alert(1)", "markup"),
        ("Blähungen <img src=x", "markup"),
        ('Blähungen <a href=\\"java&#115;cript:alert(1)\\">x</a>', "markup"),
        ("Blähungen data:text/html,hello", "adds the URL"),
        ("Blähungen java&#115;cript:alert(1)", "adds the URL"),
        ("Blähungen\x00 und Koliken", "NUL"),
    ],
)
def test_markup_and_urls_are_read_as_a_browser_reads_them(scratch_project, translation, says):
    project = german_with(scratch_project, GAS, f'msgid "Gas and colic"\nmsgstr "{translation}"')
    errors = [str(f) for f in check_catalog(project, "de") if f.severity == "error"]
    assert any(says in error for error in errors), errors


def test_translated_markup_is_sanitized_whatever_check_said():
    dirty = (
        '<cite onclick="x">a</cite> <a href="javascript:alert(1)">b</a> <a href='
        '"https://iaim.net">c</a><script>x</script><link rel=attachment href=y>'
    )
    clean = sanitize(dirty)
    assert "onclick" not in clean and "javascript" not in clean and "<script" not in clean
    assert "<link" not in clean and '<a href="https://iaim.net">c</a>' in clean
    assert sanitize("%(clinic)s & IAIM® <cite>x</cite>") == "%(clinic)s &amp; IAIM® <cite>x</cite>"


@pytest.mark.render
def test_a_pdf_with_a_script_link_or_attachment_is_never_written(copied_project, tmp_path):
    """The last gate: even the project's own template cannot get such a PDF written."""
    template = copied_project / "brochures/mission.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{% block body %}",
            '{% block body %}<a href="javascript:alert(1)">x</a>'
            '<link rel="attachment" href="mission.html">',
            1,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = invoke(
        "build",
        "--quiet",
        "-j",
        "1",
        "--chapter",
        "switzerland",
        "--lang",
        "de",
        "--brochure",
        "mission",
        "--out",
        str(out),
        root=copied_project,
    )
    assert result.exit_code == 1
    assert "refused, not written" in result.output and "javascript:alert(1)" in result.output
    assert not list(out.rglob("*.pdf"))


@pytest.mark.render
def test_active_content_is_found_in_pdf_bytes():
    import weasyprint

    data = weasyprint.HTML(
        string='<a href="javascript:x">x</a><a href="https://a.example">y</a>'
    ).write_pdf()
    problems = active_content_of(data)
    assert len(problems) == 1 and "javascript:x" in problems[0]


def test_a_lower_case_plural_forms_header_is_read(scratch_project):
    project = german_with(scratch_project, '"Plural-Forms:', '"plural-forms:')
    assert not [f for f in check_catalog(project, "de") if f.check == "plural-forms"]
    translations = load_translations(project, "de")
    assert translations.plural(1) == 0 and translations.plural(2) == 1


def test_stats_count_what_the_build_renders(scratch_project):
    from pressroom.i18n import compile_catalogs, stats

    project = german_with(scratch_project, GAS, "#, python-format fuzzy\n" + GAS)
    (german,) = stats(project, ["de"])
    assert german.fuzzy == 1 and german.translated == german.total - 1
    assert compile_catalogs(project, ["de"]) == [("de", german.translated)]
