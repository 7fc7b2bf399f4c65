"""Shared fixtures: the real project, scratch projects, and one English build reused by tests."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from publish import cli

ROOT = Path(__file__).resolve().parent.parent


def normalize(text: str) -> str:
    """Text compared across PDF line breaks and hyphenation: no whitespace, no hyphens."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text).lower()


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def invoke(*args: str, root: Path | None = None):
    """Run the CLI in-process; an exception it does not turn into a message fails the test
    (catch_exceptions=False), so a traceback can never pass unseen."""
    options = ["--project", str(root)] if root else []
    return CliRunner().invoke(cli, [*options, *args], catch_exceptions=False)


def make_scratch_project(root: Path) -> Path:
    """The real templates, styles and catalogs in `root`, with empty record folders."""
    root.mkdir(exist_ok=True)
    for folder in ("brochures", "styles"):
        (root / folder).symlink_to(ROOT / folder)
    shutil.copytree(ROOT / "locales", root / "locales")
    (root / "chapters").mkdir()
    (root / "clinics").mkdir()
    return root


@pytest.fixture
def scratch_project(tmp_path: Path) -> Path:
    """A project with the real templates, styles and catalogs but its own records."""
    return make_scratch_project(tmp_path / "project")


def copy_project(target: Path) -> Path:
    """A full copy of the project's inputs, safe to edit."""
    for folder in ("brochures", "styles", "locales", "chapters", "clinics"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.fixture
def copied_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "copy")


def write_record(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A build the whole run shares, in a folder named `name`: made by the first test process
    that asks for it (pytest-xdist runs one per core; the others wait on a lock), then reused.
    Tests read it and never write into it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    out, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)  # what a failed attempt left
            out.mkdir()
            build(out)
            done.touch()
    return out


def build_ok(*args: str, root: Path | None = None) -> str:
    """A build through the CLI that must succeed; what it printed."""
    result = invoke("build", *args, root=root)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="session")
def english_build(tmp_path_factory) -> Path:
    """One real build, through the CLI, of every English publication for an A4 and a Letter
    chapter (with the sample clinic's imprint on the Letter chapter's handouts). What the build
    reported (`--json`) is kept beside it, in <out>.json."""

    def build(out: Path) -> None:
        report = build_ok(
            *("--chapter", "usa", "--chapter", "uk", "--lang", "en", "--lang", "en_GB"),
            *("--out", str(out), "--json"),
        )
        out.with_name(out.name + ".json").write_text(report, encoding="utf-8")

    return built_once(tmp_path_factory, "dist", build)


@pytest.fixture(scope="session")
def world_build(tmp_path_factory):
    """The international chapter's benefits and mission in every language, office variant,
    rendered for real; and the press tri-fold in two left-to-right and both right-to-left
    languages, in <out>-press (the press variant of the rest is covered in English)."""

    def build(out: Path) -> None:
        common = ("--chapter", "international", "--strict", "--quiet")
        build_ok(
            *common, "--variant", "office", "--brochure", "benefits", "--brochure", "mission",
            "--out", str(out),
        )  # fmt: skip
        press = out.with_name(out.name + "-press")
        build_ok(
            *common, "--variant", "press", "--brochure", "benefits",
            *(f"--lang={code}" for code in ("en", "de", "he", "ar")), "--out", str(press),
        )  # fmt: skip

    return built_once(tmp_path_factory, "world", build)


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _unmarked_tests_lay_out_nothing(request, monkeypatch):
    """Keeps the fast tier (`pytest -m "not render"`) honest: a test without the `render`
    mark that lays out a page in this process fails, saying to mark it."""
    if request.node.get_closest_marker("render") is not None:
        return
    import weasyprint

    def refuse(*args, **kwargs):
        raise AssertionError("this test renders with WeasyPrint: mark it @pytest.mark.render")

    monkeypatch.setattr(weasyprint.HTML, "render", refuse)
