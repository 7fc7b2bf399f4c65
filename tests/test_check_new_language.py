"""`check` for a language whose catalog no chapter lists yet."""

from __future__ import annotations

import json
import shutil

import pytest

from pressroom.jobs import Filters
from pressroom.plan import make_plan

from .conftest import ROOT, invoke


@pytest.fixture
def new_language(scratch_project):
    """A scratch project with two chapter records and a Vietnamese catalog neither lists."""
    for name in ("international.toml", "usa.toml"):
        shutil.copy(ROOT / "chapters" / name, scratch_project / "chapters")
    assert invoke("i18n", "init", "vi", root=scratch_project).exit_code == 0
    return scratch_project


def test_a_catalog_no_chapter_lists_is_planned_in_a_stand_in_edition(new_language):
    plan = make_plan(new_language, Filters(languages=("vi",)), unlisted=True)
    assert plan.unlisted == ("vi",)
    assert {(job.chapter.id, job.lang) for job in plan.jobs} == {("international", "vi")}
    usa = make_plan(new_language, Filters(chapters=("usa",), languages=("vi",)), unlisted=True)
    assert {(job.chapter.id, job.lang) for job in usa.jobs} == {("usa", "vi")}
    everything = make_plan(new_language, Filters(), unlisted=True)
    assert "vi" in {job.lang for job in everything.jobs}
    # a build plans what the chapters list, nothing else
    assert "vi" not in {job.lang for job in make_plan(new_language, Filters()).jobs}


def test_check_lang_works_before_a_chapter_lists_the_language(new_language):
    result = invoke("check", "--lang", "vi", "--no-layout", "--json", root=new_language)
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    checks = {finding["check"] for finding in findings}
    assert {"unlisted", "untranslated"} <= checks
    assert all(finding["lang"] == "vi" for finding in findings)
    po = new_language / "locales" / "vi" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgid "The IAIM mission"\nmsgstr ""', 'msgid "The IAIM mission"\nmsgstr "%(x)s"'
        ),
        encoding="utf-8",
    )
    broken = invoke("check", "--no-layout", root=new_language)  # no --lang: still checked
    assert broken.exit_code == 1
    assert "locales/vi/LC_MESSAGES/messages.po" in broken.output and "placeholder" in broken.output


@pytest.mark.render
def test_check_lays_out_an_unlisted_language(new_language):
    result = invoke("check", "--lang", "vi", "--brochure", "mission", "--json", root=new_language)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rendered"] >= 1
