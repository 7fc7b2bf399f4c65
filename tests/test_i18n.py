"""The catalog workflow: extract, init, update, stats, and English fallback in builds."""

from __future__ import annotations

import re
import shutil

from pressroom import i18n
from pressroom.languages import available_languages, catalog_path
from pressroom.project import Project

from .conftest import ROOT, invoke


def test_extract_is_stable_and_the_template_is_current(scratch_project):
    project = Project.at(scratch_project)
    path, count, changed = i18n.extract(project)
    assert not changed, "locales/messages.pot is stale: run `publish.py i18n extract`"
    assert count > 80
    before = path.read_bytes()
    assert i18n.extract(project)[2] is False
    assert path.read_bytes() == before


def test_template_carries_references_comments_and_contexts():
    pot = (ROOT / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert "#: brochures/partials/mission.html" in pot
    assert "#. %(clinic)s is the clinic's name" in pot
    assert 'msgctxt "the sense"' in pot and 'msgctxt "contact label"' in pot
    assert "POT-Creation-Date" in pot


def test_shipped_catalogs_are_up_to_date():
    result = invoke("i18n", "update", "--check")
    assert result.exit_code == 0, result.output


def test_init_uses_cldr_plural_rules(scratch_project):
    result = invoke("i18n", "init", "cs", root=scratch_project)
    assert result.exit_code == 0, result.output
    po = catalog_path(Project.at(scratch_project), "cs").read_text(encoding="utf-8")
    assert "nplurals=3" in po
    assert invoke("i18n", "init", "cs", root=scratch_project).exit_code != 0  # exists already
    assert "not a language code" in invoke("i18n", "init", "xx_nonsense",
                                           root=scratch_project).output


def test_update_marks_changed_strings_fuzzy_and_keeps_the_previous_msgid(scratch_project):
    project = Project.at(scratch_project)
    pot = project.locales / "messages.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace(
        'msgid "Coordination and balance"', 'msgid "Coordination and good balance"'),
        encoding="utf-8")
    assert invoke("i18n", "update", "--check", root=scratch_project).exit_code == 1
    assert invoke("i18n", "update", "--lang", "de", root=scratch_project).exit_code == 0
    po = catalog_path(project, "de").read_text(encoding="utf-8")
    entry = po[po.index('#| msgid "Coordination and balance"') - 40:]
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


def test_untranslated_string_falls_back_with_a_warning_and_strict_fails(scratch_project,
                                                                         tmp_path):
    shutil.copy(ROOT / "chapters" / "switzerland.toml", scratch_project / "chapters")
    path = catalog_path(Project.at(scratch_project), "de")
    po = path.read_text(encoding="utf-8")
    po = re.sub(r'(msgid "The IAIM mission"\nmsgstr )".*"', r'\1""', po)
    path.write_text(po, encoding="utf-8")
    args = ["build", "--chapter", "switzerland", "--lang", "de", "--brochure", "mission",
            "--out", str(tmp_path / "out")]
    result = invoke(*args, root=scratch_project)
    assert result.exit_code == 0, result.output
    assert "de: 1 string(s) not translated in locales/de/LC_MESSAGES/messages.po" in result.output
    assert "'The IAIM mission'" in result.output
    strict = invoke(*args, "--strict", root=scratch_project)
    assert strict.exit_code == 1
    assert "untranslated" in strict.output
