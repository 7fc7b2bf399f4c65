"""Reproducible output whatever the environment, and catalogs that can never crash a build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pressroom.catalog_checks import check_catalog, errors_among
from pressroom.jobs import Filters
from pressroom.languages import catalog_path
from pressroom.project import Project

from .conftest import ROOT, manifest

SMALL = ("build", "--chapter", "israel", "--brochure", "mission", "--quiet")


def build_in(cwd: Path, out: Path, **env: str) -> None:
    environment = {**os.environ, **env}
    subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), *SMALL, "--out", str(out)],
        cwd=cwd,
        env=environment,
        check=True,
        capture_output=True,
    )


@pytest.mark.render
def test_builds_are_byte_identical_across_environments(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    build_in(tmp_path / "a", tmp_path / "one", TZ="UTC", LC_ALL="C.UTF-8", PYTHONHASHSEED="1")
    build_in(
        tmp_path / "b",
        tmp_path / "two",
        TZ="America/Los_Angeles",
        LC_ALL="C",
        PYTHONHASHSEED="987",
        LANG="de_DE.UTF-8",
    )
    first, second = manifest(tmp_path / "one"), manifest(tmp_path / "two")
    assert first == second and len(first) == 6  # he, ar, en × office, press
    for entry in first:
        assert (tmp_path / "one" / entry["path"]).read_bytes() == (
            tmp_path / "two" / entry["path"]
        ).read_bytes(), entry["path"]


@pytest.mark.render
def test_source_date_epoch_sets_the_dates_inside(tmp_path: Path):
    build_in(tmp_path, tmp_path / "out", SOURCE_DATE_EPOCH="1700000000")
    info = PdfReader(tmp_path / "out/israel/en/mission-press.pdf").metadata
    assert info["/CreationDate"].startswith("D:20231114")
    default = tmp_path / "default"
    build_in(tmp_path, default)
    info = PdfReader(default / "israel/en/mission-press.pdf").metadata
    assert info["/CreationDate"].startswith("D:20200901")  # the content's date, not the clock


ENTRIES = ("Gas and colic", "Dr. Klaus is the co-editor of", "%(clinic)s and staff are")
PIECES = st.sampled_from(
    [
        "%",
        "%%",
        "%(clinic)s",
        "%(date)s",
        "%s",
        "{x}",
        "<cite>",
        "</cite>",
        "<b>",
        "<img src=x>",
        '"',
        "\\",
        "\n",
        "\u202e",
        "\u200b",
        "&amp;",
        "{{ x }}",
        "{% if %}",
        "<!-- c -->",
        "https://x.example",
        "\t",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), PIECES), max_size=6).map("".join)


@pytest.mark.render
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(translations=st.tuples(TEXT, TEXT, TEXT))
def test_any_catalog_builds_or_is_rejected_clearly(scratch_project, translations):
    """Whatever translators type: `check` reports it at a line of the catalog, or every
    document renders (HTML, and the tri-fold as a PDF): what check passes, a build accepts."""
    import shutil

    from pressroom.documents import DocumentMaker
    from pressroom.plan import make_plan

    shutil.copy(ROOT / "chapters" / "usa.toml", scratch_project / "chapters")
    shutil.copy(ROOT / "clinics" / "example-family-clinic.toml", scratch_project / "clinics")
    project = Project.at(scratch_project)
    path = catalog_path(project, "es")
    with (ROOT / "locales/es/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for start, text in zip(ENTRIES, translations, strict=True):
        (message,) = [m for m in catalog if m.id and m.id.startswith(start)]
        message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog)

    findings = check_catalog(project, "es")
    if errors_among(findings):
        lines = path.read_text(encoding="utf-8").count("\n") + 1
        for finding in findings:
            assert finding.file.endswith("messages.po"), finding
            # A finding about one message points into the file, at that message.
            assert 1 <= finding.line <= lines if finding.msgid else finding.line <= lines
        return
    plan = make_plan(scratch_project, Filters(("usa",), ("es",), (), ("office",)))
    maker = DocumentMaker(project)
    for job in plan.jobs:  # a PublishError here is a catalog problem check let through
        maker.html(job)
    (trifold,) = [job for job in plan.jobs if job.brochure.name == "benefits"]
    assert maker.pdf(trifold).pages >= 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(noise=st.binary(max_size=40), at=st.integers(min_value=0, max_value=20000))
def test_any_bytes_in_a_catalog_are_reported_never_raised(scratch_project, noise, at):
    path = catalog_path(Project.at(scratch_project), "de")
    original = (ROOT / "locales/de/LC_MESSAGES/messages.po").read_bytes()
    at = min(at, len(original))
    path.write_bytes(original[:at] + noise + original[at:])
    for finding in check_catalog(Project.at(scratch_project), "de"):
        assert finding.file.endswith("messages.po")
