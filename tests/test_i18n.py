"""The catalog workflow: extract, init, update, stats, and English fallback in builds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from pressroom import i18n
from pressroom.languages import available_languages, catalog_path
from pressroom.plurals import conventional_rule
from pressroom.project import Project

from .conftest import ROOT, invoke


def plural_forms(po: str) -> str:
    """The Plural-Forms value of a PO file's header, however the writer wrapped it."""
    header = "".join(re.findall(r'^"(.*)"$', po.split("\n\n")[0], re.MULTILINE))
    value = re.search(r"Plural-Forms: (.*?)\\n", header).group(1)
    return " ".join(value.split())


def test_the_template_is_current():
    assert i18n.template_is_current(Project.at(ROOT)), (
        "locales/messages.pot is stale: run `publish.py i18n extract`"
    )


def restamp(po: str) -> str:
    """The same catalog as another tool version on another day would have written it."""
    po = re.sub(r'"Generated-By: [^"]*"', lambda _: r'"Generated-By: Babel 0.9\n"', po)
    return re.sub(
        r'"POT-Creation-Date: [^"]*"', lambda _: r'"POT-Creation-Date: 2001-01-01 00:00+0000\n"', po
    )


def test_extract_ignores_what_only_the_tools_stamp(scratch_project):
    """A new Babel (Generated-By) or a new day (dates) rewrites no file and reports nothing."""
    project = Project.at(scratch_project)
    path = i18n.template_path(project)
    stamped = restamp(path.read_text(encoding="utf-8"))
    path.write_text(stamped, encoding="utf-8")
    _, count, changed = i18n.extract(project)
    assert (changed, count > 80) == (False, True)
    assert path.read_text(encoding="utf-8") == stamped
    for code in ("de", "fr"):
        po = catalog_path(project, code)
        po.write_text(restamp(po.read_text(encoding="utf-8")), encoding="utf-8")
    assert invoke("i18n", "update", "--check", root=scratch_project).exit_code == 0
    assert not any(row.changed for row in i18n.update(project, ["de", "fr"]))
    assert "Babel 0.9" in catalog_path(project, "de").read_text(encoding="utf-8")


def test_a_po_editors_line_wrapping_survives_update(scratch_project):
    """Poedit (or another Babel release) wraps lines its own way: no rewrite, not stale."""
    from babel.messages.pofile import read_po, write_po

    project = Project.at(scratch_project)
    path = catalog_path(project, "ru")
    original = path.read_bytes()
    with path.open("rb") as handle:
        catalog = read_po(handle)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)  # one line per string, as Poedit can save
    unwrapped = path.read_bytes()
    assert unwrapped.count(b"\n") < original.count(b"\n") - 50  # the layout did change
    assert invoke("i18n", "update", "--check", "--lang", "ru", root=scratch_project).exit_code == 0
    assert not any(row.changed for row in i18n.update(project, ["ru"]))
    assert path.read_bytes() == unwrapped


def test_template_carries_references_comments_and_contexts():
    pot = (ROOT / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert "#: brochures/partials/mission.html" in pot
    assert "#. %(clinic)s is the clinic's name" in pot
    assert 'msgctxt "the sense"' in pot and 'msgctxt "contact label"' in pot
    assert "POT-Creation-Date" in pot


def test_shipped_catalogs_are_up_to_date():
    result = invoke("i18n", "update", "--check")
    assert result.exit_code == 0, result.output


def test_init_writes_the_plural_rule_gnu_msginit_writes(scratch_project):
    """A catalog from `i18n init` and one from GNU msginit (or Poedit) look alike."""
    project = Project.at(scratch_project)
    for code in ("cs", "uk", "sl", "vi", "lt", "ga", "ro", "lv"):  # no catalog ships for these
        assert invoke("i18n", "init", code, root=scratch_project).exit_code == 0
        ours = plural_forms(catalog_path(project, code).read_text(encoding="utf-8"))
        theirs = subprocess.run(
            [
                "msginit",
                "--no-translator",
                "-l",
                code,
                "-o",
                "-",
                "-i",
                str(i18n.template_path(project)),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert ours == plural_forms(theirs), code
    for code in ("fr", "pt_BR", "es", "it", "he", "de", "pl", "ja", "el", "sv", "nl"):
        theirs = subprocess.run(
            [
                "msginit",
                "--no-translator",
                "-l",
                code,
                "-o",
                "-",
                "-i",
                str(i18n.template_path(project)),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert plural_forms(theirs) == " ".join(conventional_rule(code).split()), code
    assert invoke("i18n", "init", "cs", root=scratch_project).exit_code != 0  # exists already
    assert (
        "not a language code" in invoke("i18n", "init", "xx_nonsense", root=scratch_project).output
    )


def test_update_marks_changed_strings_fuzzy_and_keeps_the_previous_msgid(scratch_project):
    project = Project.at(scratch_project)
    pot = project.locales / "messages.pot"
    pot.write_text(
        pot.read_text(encoding="utf-8").replace(
            'msgid "Coordination and balance"', 'msgid "Coordination and good balance"'
        ),
        encoding="utf-8",
    )
    assert invoke("i18n", "update", "--check", root=scratch_project).exit_code == 1
    assert invoke("i18n", "update", "--lang", "de", root=scratch_project).exit_code == 0
    po = catalog_path(project, "de").read_text(encoding="utf-8")
    entry = po[po.index('#| msgid "Coordination and balance"') - 40 :]
    assert "#, fuzzy" in entry[:80]
    assert 'msgid "Coordination and good balance"' in entry
    (stats,) = i18n.stats(project, ["de"])
    assert stats.fuzzy == 1 and stats.percent < 100


def test_stats_reports_every_shipped_language_complete():
    project = Project.at(ROOT)
    languages = sorted(available_languages(project) - {"en"})
    assert len(languages) >= 15
    for row in i18n.stats(project, languages):
        assert (row.percent, row.fuzzy, row.untranslated) == (100.0, 0, 0), row


@pytest.mark.render
def test_untranslated_string_falls_back_with_a_warning_and_strict_fails(scratch_project, tmp_path):
    shutil.copy(ROOT / "chapters" / "switzerland.toml", scratch_project / "chapters")
    path = catalog_path(Project.at(scratch_project), "de")
    po = path.read_text(encoding="utf-8")
    po = re.sub(r'(msgid "The IAIM mission"\nmsgstr )".*"', r'\1""', po)
    path.write_text(po, encoding="utf-8")
    args = [
        "build",
        "--chapter",
        "switzerland",
        "--lang",
        "de",
        "--brochure",
        "mission",
        "--out",
        str(tmp_path / "out"),
    ]
    result = invoke(*args, root=scratch_project)
    assert result.exit_code == 0, result.output
    assert "de: 1 string(s) not translated in locales/de/LC_MESSAGES/messages.po" in result.output
    assert "'The IAIM mission'" in result.output
    strict = invoke(*args, "--strict", root=scratch_project)
    assert strict.exit_code == 1
    assert "untranslated" in strict.output


@pytest.mark.render
def test_strict_judges_each_document_by_its_own_strings(scratch_project, tmp_path):
    """ "Cramps" is printed by the tri-fold only: the poster is strict-clean whether a worker
    made the tri-fold before it or not, and whatever the number of workers."""
    from pressroom.documents import DocumentMaker
    from pressroom.jobs import Filters
    from pressroom.plan import make_plan

    shutil.copy(ROOT / "chapters" / "switzerland.toml", scratch_project / "chapters")
    path = catalog_path(Project.at(scratch_project), "de")
    po = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(msgid "Cramps"\nmsgstr )".*"', r'\1""', po), encoding="utf-8")
    plan = make_plan(
        scratch_project,
        Filters(
            chapters=("switzerland",),
            languages=("de",),
            brochures=("benefits", "mission"),
            variants=("office",),
        ),
    )
    jobs = {job.brochure.name: job for job in plan.jobs}
    for order in (("benefits", "mission"), ("mission", "benefits")):
        maker = DocumentMaker(plan.project)
        seen = {}
        for name in order:
            maker.html(jobs[name])
            seen[name] = maker.untranslated("de")
        assert seen == {"benefits": ("Cramps",), "mission": ()}, order
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}"
        result = invoke(
            "build",
            "--chapter",
            "switzerland",
            "--lang",
            "de",
            "--brochure",
            "benefits",
            "--brochure",
            "mission",
            "--variant",
            "office",
            "--strict",
            "-j",
            workers,
            "--out",
            str(out),
            root=scratch_project,
        )
        assert result.exit_code == 1, result.output
        assert [
            entry["brochure"]
            for entry in json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        ] == ["mission"], workers
