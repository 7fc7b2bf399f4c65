"""Writing outputs safely: whole files or nothing, and the manifest that lists them."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath

from .errors import OutputError
from .inputs import InputError, read_input

MANIFEST = "manifest.json"
# Our temporaries carry this in their name; nothing else is ever removed as a temporary.
TEMPORARY_MARK = ".pressroom-"
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
    made_with: dict[str, str] | None = None  # renderer versions: weasyprint, pango, harfbuzz
    # The preflight checks that failed when it was built ([] = passed), so an
    # up-to-date build and `verify` report a failure again instead of hiding it.
    preflight: list[str] | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a truncated file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}{TEMPORARY_MARK}", suffix=".tmp"
        )
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
        raise OutputError(
            f"{path}: cannot write ({error.strerror}); check the output folder "
            "is writable and the disk has room"
        ) from None


def remove_stray_temporaries(out: Path, folders: set[str]) -> list[Path]:
    """Temporary files a killed build left behind: only our own names, only in the folders
    (relative to `out`) we write to, never a recursive sweep. Run under the folder's lock."""
    stray = []
    for folder in sorted(folders | {"."}):
        where = out / folder
        if where.is_dir() and not where.is_symlink():
            stray += [
                path
                for path in where.glob(f".*{TEMPORARY_MARK}*")
                # .tmp: write_atomic's; .png: a thumbnail pdftoppm was writing
                if path.suffix in (".tmp", ".png") and path.is_file() and not path.is_symlink()
            ]
    for path in stray:
        path.unlink(missing_ok=True)
    return stray


def entry_for(relative: str, data: bytes, pages: int, **fields) -> ManifestEntry:
    return ManifestEntry(
        path=relative,
        pages=pages,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **fields,
    )


HEX = re.compile(r"[0-9a-f]*")
FIELDS = {field.name: field for field in fields(ManifestEntry)}
OPTIONAL = {"clinic", "fingerprint", "made_with", "preflight"}


def _entry_problem(item, out: Path, folders: dict[str, str] | None = None) -> str:
    """What makes one manifest item untrustworthy, or ''."""
    if not isinstance(item, dict):
        return "not an object"
    unknown = sorted(set(item) - set(FIELDS))
    missing = sorted(set(FIELDS) - OPTIONAL - set(item))
    if unknown or missing:
        return f"unknown field(s) {unknown}" if unknown else f"missing field(s) {missing}"
    for name, value in item.items():
        if name in ("pages", "bytes"):
            if type(value) is not int or value < 0:
                return f"{name}: not a count"
        elif name == "preflight":
            if value is not None and not (
                isinstance(value, list) and all(isinstance(text, str) for text in value)
            ):
                return f"{name}: not a list of findings"
        elif name == "made_with":
            if value is not None and not (
                isinstance(value, dict)
                and all(
                    isinstance(key, str) and isinstance(text, str) for key, text in value.items()
                )
            ):
                return f"{name}: not a table of versions"
        elif not isinstance(value, str) and not (name == "clinic" and value is None):
            return f"{name}: not text"
    if len(item["sha256"]) != 64 or not HEX.fullmatch(item["sha256"]):
        return "sha256: not 64 hexadecimal digits"
    if not HEX.fullmatch(item.get("fingerprint", "")):
        return "fingerprint: not hexadecimal"
    path = item["path"]
    pure = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\0" in path
        or pure.is_absolute()
        or pure.suffix != ".pdf"
        or any(part in ("", ".", "..") or part.startswith(".") for part in path.split("/"))
    ):
        return f"path {path[:80]!r}: not a PDF path inside the folder"
    # Where the path really leads (symlinks followed), in strings: each folder resolved
    # once per manifest, the file itself only when it is a link (10,000 entries share a few
    # folders, and pathlib objects cost more than the check).
    folders = {} if folders is None else folders
    try:
        base = str(out)
        if base not in folders:
            folders[base] = os.path.realpath(base)
        parent, _, name = f"{base}/{path}".rpartition("/")
        if parent not in folders:
            folders[parent] = os.path.realpath(parent)
        target = f"{parent}/{name}"
        real = os.path.realpath(target) if os.path.islink(target) else f"{folders[parent]}/{name}"
        if os.path.commonpath([real, folders[base]]) != folders[base]:
            raise ValueError(real)
    except (ValueError, OSError, RuntimeError):
        return f"path {path[:80]!r}: leads outside the folder"
    return ""


def parse_manifest(path: Path) -> list[ManifestEntry]:
    """A manifest's entries, each checked before anything acts on it: paths relative and
    inside the folder, known fields, hexadecimal digests."""
    advice = (
        "; it was not written by publish.py (or was edited): move it away and build "
        "again with --force"
    )
    try:
        raw = json.loads(read_input(path, str(path), "manifest").decode("utf-8"))
    except InputError as error:
        raise OutputError(error.message) from None
    except (ValueError, RecursionError) as error:
        raise OutputError(f"{path}: not valid JSON ({str(error)[:80]}){advice}") from None
    if not isinstance(raw, list):
        raise OutputError(f"{path}: not a list of entries{advice}")
    folders: dict[str, str] = {}
    for number, item in enumerate(raw, 1):
        problem = _entry_problem(item, path.parent, folders)
        if problem:
            raise OutputError(f"{path}: entry {number}: {problem}{advice}")
    return [ManifestEntry(**item) for item in raw]


def read_manifest(out: Path) -> list[ManifestEntry]:
    """The folder's manifest ([] when there is none yet); a tampered one is an error."""
    if not (out / MANIFEST).exists():
        return []
    return parse_manifest(out / MANIFEST)


def up_to_date(entry: ManifestEntry, job_fingerprint: str, out: Path) -> bool:
    """The one rule for "already built": the manifest says these inputs made this file, and
    the file is still there at the size it was written."""
    path = out / entry.path
    return (
        entry.fingerprint == job_fingerprint
        and path.is_file()
        and path.stat().st_size == entry.bytes
    )


def write_manifest(
    out: Path,
    entries: list[ManifestEntry],
    dropped: frozenset[str] = frozenset(),
    previous: list[ManifestEntry] | None = None,
) -> list[ManifestEntry]:
    """Merge this build's entries into the manifest (`previous`: as the build read it, else
    read now), keeping other files that still exist (except `dropped` paths); written last,
    atomically. Returns the merged entries."""
    fresh = {entry.path: entry for entry in entries}
    previous = read_manifest(out) if previous is None else previous
    kept = [
        old
        for old in previous
        if old.path not in fresh and old.path not in dropped and (out / old.path).is_file()
    ]
    merged = sorted(kept + list(entries), key=lambda entry: entry.path)
    if merged != previous:  # a no-op build of 10,000 PDFs need not rewrite 5 MB
        save_manifest(out / MANIFEST, merged)
    return merged


def save_manifest(path: Path, entries: list[ManifestEntry]) -> None:
    names = list(FIELDS)  # shallow: asdict's deep copy costs a second per 10,000 entries
    items = [{name: getattr(entry, name) for name in names} for entry in entries]
    text = json.dumps(items, indent=2, ensure_ascii=False)
    write_atomic(path, (text + "\n").encode("utf-8"))


def merge_manifests(paths: list[Path]) -> list[ManifestEntry]:
    """One manifest from the shards' manifests; the same path twice must be the same file."""
    merged: dict[str, ManifestEntry] = {}
    for path in paths:
        for entry in parse_manifest(path):
            other = merged.setdefault(entry.path, entry)
            if other.sha256 != entry.sha256:
                raise OutputError(
                    f"{path}: {entry.path} differs from the same path in another "
                    "manifest; the shards were not built from the same inputs"
                )
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
    entries = parse_manifest(path)
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
