"""The type checker and the linter pass on the code (CI runs them through these tests)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_mypy_finds_no_errors():
    # The files and settings are pyproject.toml's [tool.mypy]; its cache makes reruns fast.
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    """The linter's rules (pyproject.toml's [tool.ruff]) hold on the whole tree."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tree_is_formatted():
    """One formatter for the whole tree: `ruff format .` (settings in [tool.ruff])."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, "run `ruff format .`:\n" + result.stdout + result.stderr
