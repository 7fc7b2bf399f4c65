"""Writing outputs safely: whole files or nothing, and the manifest that lists them."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import OutputError

MANIFEST = "manifest.json"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@dataclass(frozen=True)
class ManifestEntry:
    chapter: str
    lang: str
    brochure: str
    variant: str
    paper: str
    path: str  # relative to the manifest
    pages: int
    bytes: int
    sha256: str
    clinic: str | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a truncated file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror}); check the output folder "
                          "is writable and the disk has room") from None


def entry_for(relative: str, data: bytes, pages: int, **fields) -> ManifestEntry:
    return ManifestEntry(path=relative, pages=pages, bytes=len(data),
                         sha256=hashlib.sha256(data).hexdigest(), **fields)


def read_manifest(out: Path) -> list[ManifestEntry]:
    try:
        raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return [ManifestEntry(**item) for item in raw]
    except (OSError, ValueError, TypeError):
        return []  # no manifest yet, or one from an older tool: start afresh


def write_manifest(out: Path, entries: list[ManifestEntry]) -> None:
    """Merge this build's entries into the manifest, keeping other files that still exist."""
    fresh = {entry.path: entry for entry in entries}
    kept = [old for old in read_manifest(out)
            if old.path not in fresh and (out / old.path).is_file()]
    merged = sorted(kept + entries, key=lambda entry: entry.path)
    text = json.dumps([asdict(entry) for entry in merged], indent=2, ensure_ascii=False)
    write_atomic(out / MANIFEST, (text + "\n").encode("utf-8"))
