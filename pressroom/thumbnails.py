"""First-page thumbnails of built PDFs (OUT/thumbs/), made once per PDF content."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import OutputError
from .outputs import TEMPORARY_MARK, ManifestEntry
from .poppler import ToolError, pdftoppm

THUMBS = "thumbs"
THUMBNAIL_NAME = re.compile(r"[0-9a-f]{20}\.png")


def make_thumbnail(out: Path, entry: ManifestEntry) -> str:
    """A small PNG of the first page, named by the PDF's hash so it is made only once."""
    relative = f"{THUMBS}/{entry.sha256[:20]}.png"  # the manifest's sha256 is checked hex
    target = out / relative
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        # pdftoppm writes beside the target under our temporary name; a complete PNG is then
        # renamed into place, so a full disk never leaves a truncated thumbnail behind.
        stem = target.parent / f".{target.name}{TEMPORARY_MARK}{os.getpid()}"
        written = stem.with_name(stem.name + ".png")
        try:
            pdftoppm(
                out / entry.path, stem, "-png", "-r", "16", "-f", "1", "-l", "1", "-singlefile"
            )
            os.replace(written, target)
        except (OSError, ToolError) as error:
            written.unlink(missing_ok=True)
            reason = error.message if isinstance(error, ToolError) else error.strerror
            raise OutputError(
                f"{entry.path}: cannot make its thumbnail ({reason}); check the disk has room"
            ) from None
    return relative
