"""The type checker passes on the code (CI runs it through this test)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_mypy_finds_no_errors():
    # The files and settings are pyproject.toml's [tool.mypy]; its cache makes reruns fast.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
