"""Pseudo-locales en-XA and ar-XB: made from the template on the fly, never built by default."""

from __future__ import annotations

import json
import re

import pytest

from pressroom.catalogs import load_translations
from pressroom.jobs import Filters
from pressroom.languages import language
from pressroom.plan import make_plan
from pressroom.project import Project
from pressroom.pseudo import RLM, pseudo_text

from .conftest import ROOT, invoke, pdf_text

SENTENCE = "Dr. Klaus is the co-editor of <cite>Care of the High-Risk Infants</cite>, 100 %% IAIM®."


def test_en_xa_is_accented_bracketed_and_forty_percent_longer():
    text = pseudo_text("en-XA", SENTENCE)
    assert text.startswith("[") and text.endswith("]")
    assert "<cite>" in text and "</cite>" in text and "%%" in text and "IAIM®" in text
    assert not re.search(r"[a-zA-Z]{4,}", re.sub(r"<[^>]+>|IAIM", "", text))  # all accented
    visible = len(re.sub(r"<[^>]+>", "", SENTENCE))
    assert 1.38 <= len(re.sub(r"<[^>]+>", "", text)) / visible <= 1.45
    assert pseudo_text("en-XA", "Hello %(clinic)s").count("%(clinic)s") == 1


def test_ar_xb_keeps_the_english_set_right_to_left():
    text = pseudo_text("ar-XB", "Dr. Klaus is <cite>a co-editor</cite> of IAIM®.")
    assert (
        text
        == f".rD{RLM} sualK{RLM} si{RLM} <cite>a{RLM} rotide-oc{RLM}</cite> fo{RLM} IAIM®.{RLM}"
    )
    assert language("ar-XB").direction == "rtl" and language("en-XA").direction == "ltr"


def test_pseudo_locales_need_no_catalog_and_are_never_planned_by_default():
    project = Project.at(ROOT)
    assert not list(project.locales.glob("*X[AB]*"))
    translations = load_translations(project, "en-XA")
    assert translations.gettext("Cramps") == pseudo_text("en-XA", "Cramps")
    assert translations.pgettext("the sense", "Touch") == pseudo_text("en-XA", "Touch")
    default = {job.lang for job in make_plan(ROOT, Filters()).jobs}
    assert not default & {"en-XA", "ar-XB"}
    asked = make_plan(ROOT, Filters(languages=("en-XA",)))
    assert {(job.chapter.id, job.lang) for job in asked.jobs} == {("international", "en-XA")}


@pytest.mark.render
def test_a_pseudo_locale_builds_and_check_maps_the_panels_at_risk(tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "build", "--lang", "en-XA", "--lang", "ar-XB", "--brochure", "mission",
        "--variant", "office", "-j", "1", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pdf_text(out / "international" / "en-XA" / "mission-office.pdf")
    assert "[Ţĥé" in text and "IAIM" in text
    assert (out / "international" / "ar-XB" / "mission-office.pdf").is_file()
    risk = invoke("check", "--lang", "en-XA", "--brochure", "benefits", "--json")
    report = json.loads(risk.output)
    panels = {f["message"].split(":")[0] for f in report["findings"] if f["check"] == "overflow"}
    assert "benefits, page 1, panel-flap" in panels
    assert all(f["file"].startswith("brochures/") for f in report["findings"])
    over = [r for r in report["room"] if r["room_chars"] < 0]
    assert over and all(r["where"].startswith("locales/messages.pot:") for r in over)
