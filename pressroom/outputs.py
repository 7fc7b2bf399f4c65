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
    fingerprint: str = ""  # hash of the inputs the PDF was made from (pressroom.fingerprints)
    # Press PDFs: the preflight checks that failed when it was built ([] = passed), so an
    # up-to-date build and `verify` report a failure again instead of hiding it.
    preflight: list[str] | None = None


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


def remove_stray_temporaries(out: Path) -> list[Path]:
    """Temporary files a killed build left behind (never a finished output)."""
    stray = [path for path in out.rglob(".*.tmp") if path.is_file()] if out.is_dir() else []
    for path in stray:
        path.unlink(missing_ok=True)
    return stray


def entry_for(relative: str, data: bytes, pages: int, **fields) -> ManifestEntry:
    return ManifestEntry(path=relative, pages=pages, bytes=len(data),
                         sha256=hashlib.sha256(data).hexdigest(), **fields)


def read_manifest(out: Path) -> list[ManifestEntry]:
    try:
        raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return [ManifestEntry(**item) for item in raw]
    except (OSError, ValueError, TypeError):
        return []  # no manifest yet, or one from an older tool: start afresh


def write_manifest(out: Path, entries: list[ManifestEntry],
                   dropped: frozenset[str] = frozenset()) -> list[ManifestEntry]:
    """Merge this build's entries into the manifest, keeping other files that still exist
    (except `dropped` paths); written last, atomically. Returns the merged entries."""
    fresh = {entry.path: entry for entry in entries}
    kept = [old for old in read_manifest(out)
            if old.path not in fresh and old.path not in dropped and (out / old.path).is_file()]
    merged = sorted(kept + list(entries), key=lambda entry: entry.path)
    save_manifest(out / MANIFEST, merged)
    return merged


def save_manifest(path: Path, entries: list[ManifestEntry]) -> None:
    text = json.dumps([asdict(entry) for entry in entries], indent=2, ensure_ascii=False)
    write_atomic(path, (text + "\n").encode("utf-8"))


def merge_manifests(paths: list[Path]) -> list[ManifestEntry]:
    """One manifest from the shards' manifests; the same path twice must be the same file."""
    merged: dict[str, ManifestEntry] = {}
    for path in paths:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = [ManifestEntry(**item) for item in raw]
        except (OSError, ValueError, TypeError) as error:
            raise OutputError(f"{path}: not a build manifest ({error})") from None
        for entry in entries:
            other = merged.setdefault(entry.path, entry)
            if other.sha256 != entry.sha256:
                raise OutputError(f"{path}: {entry.path} differs from the same path in another "
                                  "manifest; the shards were not built from the same inputs")
    return sorted(merged.values(), key=lambda entry: entry.path)


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    problems: list[str]


def verify(out: Path) -> VerifyReport:
    """Compare a build folder with its manifest: missing, changed and unlisted PDFs."""
    path = out / MANIFEST
    if not path.is_file():
        raise OutputError(f"{path}: no manifest; build first (or give the build folder)")
    try:
        entries = [ManifestEntry(**item) for item in json.loads(path.read_text("utf-8"))]
    except (ValueError, TypeError) as error:
        raise OutputError(f"{path}: not a build manifest ({error})") from None
    problems = []
    for entry in entries:
        pdf = out / entry.path
        if not pdf.is_file():
            problems.append(f"{entry.path}: missing")
            continue
        data = pdf.read_bytes()
        if len(data) != entry.bytes or hashlib.sha256(data).hexdigest() != entry.sha256:
            problems.append(f"{entry.path}: differs from the manifest (sha256 or size)")
        if entry.preflight:
            problems.append(f"{entry.path}: failed preflight: {'; '.join(entry.preflight)}")
    listed = {entry.path for entry in entries}
    for pdf in sorted(out.rglob("*.pdf")):
        relative = pdf.relative_to(out).as_posix()
        if relative not in listed:
            problems.append(f"{relative}: not in the manifest")
    return VerifyReport(len(entries), problems)
