"""The one place that runs poppler's pdftoppm: always with a timeout, one error for any failure."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import PublishError

TIMEOUT_S = 120  # a page of ours draws in well under a second; a hung tool must not hang a build


class ToolError(PublishError):
    """pdftoppm is missing, failed or ran past its timeout."""


def pdftoppm(pdf: Path, stem: Path, *options: str) -> None:
    """Draw pages of `pdf` to image files named from `stem` (pdftoppm's own naming)."""
    try:
        subprocess.run(
            ["pdftoppm", *options, str(pdf), str(stem)],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    except FileNotFoundError:
        raise ToolError("pdftoppm not found; install poppler-utils (scripts/setup does)") from None
    except subprocess.TimeoutExpired:
        raise ToolError(f"{pdf.name}: pdftoppm took over {TIMEOUT_S} s and was stopped") from None
    except subprocess.CalledProcessError as error:
        said = error.stderr.decode(errors="replace").strip()[:200] or f"exit {error.returncode}"
        raise ToolError(f"{pdf.name}: pdftoppm failed ({said})") from None
    except OSError as error:  # cannot start it, or cannot write its images
        raise ToolError(f"{pdf.name}: cannot run pdftoppm ({error.strerror or error})") from None
