"""Incremental, parallel and sharded builds, and reproducible output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pressroom import toolchain
from pressroom.fingerprints import fingerprint
from pressroom.jobs import Filters, UsageError
from pressroom.plan import make_plan
from pressroom.shards import Shard, parse_shard, split

from .conftest import ROOT, invoke, manifest


def fingerprints(root: Path) -> dict[str, str]:
    plan = make_plan(root, Filters(chapters=("switzerland", "usa")))
    return {job.output: fingerprint(plan.project, job) for job in plan.jobs}


def changed_after(root: Path, edit) -> set[str]:
    before = fingerprints(root)
    edit()
    after = fingerprints(root)
    return {path for path in before if before[path] != after[path]}


def append(path: Path, text: str):
    return lambda: path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_catalog_change_touches_only_its_language(copied_project):
    po = copied_project / "locales/fr/LC_MESSAGES/messages.po"
    changed = changed_after(copied_project, append(po, "\n# a translator's note\n"))
    assert changed and all("/fr/" in path for path in changed)
    assert len(changed) == len([p for p in fingerprints(copied_project) if "/fr/" in p])


def test_a_partial_changes_only_the_publications_that_include_it(copied_project):
    partial = copied_project / "brochures/partials/imprint.html"
    changed = changed_after(copied_project, append(partial, "\n"))
    assert changed and not any("benefits" in path for path in changed)
    assert all("what-is-infant-massage" in path or "mission" in path for path in changed)


def test_a_stylesheet_changes_only_its_variant(copied_project):
    changed = changed_after(
        copied_project, append(copied_project / "styles/trifold-press.css", "\n")
    )
    assert changed and all(path.endswith("benefits-press.pdf") for path in changed)


def test_a_chapter_record_changes_only_its_chapter(copied_project):
    changed = changed_after(copied_project, append(copied_project / "chapters/usa.toml", "\n"))
    assert changed == {path for path in fingerprints(copied_project) if path.startswith("usa/")}


def test_an_upgrade_changes_every_fingerprint(copied_project, tmp_path, monkeypatch):
    """A refreshed lock (or another library, CLDR, Pango or HarfBuzz version) re-renders all."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("babel==2.18.0\n", encoding="utf-8")
    monkeypatch.setattr(toolchain, "LOCK", lock)

    def upgrade_babel() -> None:
        lock.write_text("babel==2.19.0\n", encoding="utf-8")
        toolchain.toolchain_digest.cache_clear()

    toolchain.toolchain_digest.cache_clear()
    try:
        changed = changed_after(copied_project, upgrade_babel)
    finally:
        toolchain.toolchain_digest.cache_clear()
    assert changed == set(fingerprints(copied_project))


@pytest.mark.render
def test_each_pdf_records_what_made_it(english_build):
    for entry in manifest(english_build):
        assert entry["made_with"] == toolchain.renderer_versions()
        assert all(
            entry["made_with"][name][0].isdigit() for name in ("weasyprint", "pango", "harfbuzz")
        )


def test_a_clinic_record_changes_only_its_handouts(copied_project):
    record = copied_project / "clinics/example-family-clinic.toml"
    changed = changed_after(copied_project, append(record, "\n"))
    assert changed and all("example-family-clinic" in path for path in changed)


def test_shards_cover_every_job_exactly_once():
    jobs = make_plan(ROOT, Filters()).jobs
    for count in (1, 2, 3, 7):
        parts = [split(jobs, Shard(index, count)) for index in range(1, count + 1)]
        outputs = [job.output for part in parts for job in part]
        assert sorted(outputs) == sorted(job.output for job in jobs)
        assert len(set(outputs)) == len(outputs)
        assert parts == [split(jobs, Shard(index, count)) for index in range(1, count + 1)]
    for bad in ("0/2", "3/2", "x", "1/0"):
        with pytest.raises(UsageError):
            parse_shard(bad)


def build(root: Path | None, out: Path, *args: str):
    result = invoke("build", "--out", str(out), "--quiet", *args, root=root)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.render
def test_second_build_renders_nothing_and_a_touched_catalog_rebuilds_its_language(
    copied_project, tmp_path
):
    out = tmp_path / "out"
    args = ("--chapter", "switzerland", "--brochure", "mission")
    assert "6 PDF(s) built, 0 up to date" in build(copied_project, out, *args)
    assert "0 PDF(s) built, 6 up to date" in build(copied_project, out, *args)
    append(copied_project / "locales/it/LC_MESSAGES/messages.po", "\n# note\n")()
    assert "2 PDF(s) built, 4 up to date" in build(copied_project, out, *args)
    assert "6 PDF(s) built" in build(copied_project, out, *args, "--force")


@pytest.mark.render
def test_removed_language_is_reported_stale_and_pruned(copied_project, tmp_path):
    out = tmp_path / "out"
    build(copied_project, out, "--chapter", "canada", "--brochure", "mission")
    record = copied_project / "chapters/canada.toml"
    record.write_text(record.read_text().replace('["en", "fr"]', '["en"]'))
    output = build(copied_project, out, "--chapter", "canada", "--brochure", "mission")
    assert "2 output(s) stale" in output and "canada/fr/mission-office.pdf" in output
    assert (out / "canada/fr/mission-office.pdf").exists()
    output = build(copied_project, out, "--chapter", "canada", "--brochure", "mission", "--prune")
    assert "2 output(s) removed" in output
    assert not (out / "canada/fr/mission-office.pdf").exists()
    assert {entry["lang"] for entry in manifest(out)} == {"en"}


@pytest.mark.render
def test_serial_parallel_and_sharded_builds_are_byte_identical(tmp_path, monkeypatch):
    # Hebrew: right to left, a tri-fold with marks and a poster, both variants (4 PDFs)
    args = (
        "--chapter",
        "israel",
        "--lang",
        "he",
        "--brochure",
        "mission",
        "--brochure",
        "benefits",
    )
    build(None, tmp_path / "serial", *args, "-j", "1")
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    monkeypatch.setenv("PYTHONHASHSEED", "123")
    build(None, tmp_path / "parallel", *args, "-j", "2")
    for index in (1, 2):
        build(None, tmp_path / f"shard{index}", *args, "--shard", f"{index}/2")
    merged = tmp_path / "merged.json"
    result = invoke(
        "manifest",
        "merge",
        *args,  # the builds' options: the merge checks every PDF they plan is there
        str(tmp_path / "shard1/manifest.json"),
        str(tmp_path / "shard2/manifest.json"),
        "-o",
        str(merged),
    )
    assert result.exit_code == 0, result.output
    serial, parallel = manifest(tmp_path / "serial"), manifest(tmp_path / "parallel")
    assert serial == parallel
    assert json.loads(merged.read_text()) == serial
    for entry in serial:
        assert (tmp_path / "serial" / entry["path"]).read_bytes() == (
            tmp_path / "parallel" / entry["path"]
        ).read_bytes()
