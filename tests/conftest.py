"""Shared fixtures: the real project, scratch projects, and one English build reused by tests."""

from __future__ import annotations

import json
import re
import shutil
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
    options = ["--project", str(root)] if root else []
    return CliRunner().invoke(cli, [*options, *args], catch_exceptions=False)


@pytest.fixture
def scratch_project(tmp_path: Path) -> Path:
    """A project with the real templates, styles and catalogs but its own records."""
    root = tmp_path / "project"
    root.mkdir()
    for folder in ("brochures", "styles"):
        (root / folder).symlink_to(ROOT / folder)
    shutil.copytree(ROOT / "locales", root / "locales")
    (root / "chapters").mkdir()
    (root / "clinics").mkdir()
    return root


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


@pytest.fixture(scope="session")
def english_build(tmp_path_factory) -> Path:
    """One real build, through the CLI, of every English publication for an A4 and a Letter
    chapter (with the sample clinic's imprint on the Letter chapter's handouts)."""
    out = tmp_path_factory.mktemp("dist")
    result = invoke("build", "--chapter", "usa", "--chapter", "uk", "--lang", "en",
                    "--lang", "en_GB", "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    return out


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
