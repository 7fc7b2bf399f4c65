"""Reading input files we do not trust: regular files only, inside the folders they belong
to, under a size limit, and never a read that can block (FIFO) or never end (/dev/zero)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import PublishError

MB = 1024 * 1024
# Documented in README.md ("Security model"); each is far above any real file.
LIMITS = {
    "catalog": 16 * MB,
    "record": 1 * MB,
    "clinic sheet": 8 * MB,  # a chapter's clinics, one CSV row each: ~40,000 rows
    "logo": 16 * MB,
    "colour profile": 8 * MB,
    "asset": 32 * MB,
    "manifest": 64 * MB,
}


class InputError(PublishError):
    """An input file is not what it claims to be: not a regular file, outside the project,
    or too large."""


def input_problem(path: Path, kind: str, inside: tuple[Path, ...] = ()) -> tuple[str, int]:
    """Why `path` cannot be read as a `kind` ('' when it can), and its size."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return "is a symlink loop; replace the link by the file", 0
    if inside and not any(resolved.is_relative_to(folder) for folder in inside):
        return "leads outside the project (a symbolic link?); copy the file in instead", 0
    try:
        info = os.stat(path)
    except OSError as error:
        return f"cannot be read ({error.strerror})", 0
    if stat.S_ISDIR(info.st_mode):
        return f"is a folder, not a {kind} file", 0
    if not stat.S_ISREG(info.st_mode):
        return f"is not a regular file (a pipe, device or socket); use a {kind} file", 0
    if info.st_size > LIMITS[kind]:
        return (
            f"is {info.st_size / MB:.1f} MB; a {kind} may be at most {LIMITS[kind] // MB} MB",
            0,
        )
    return "", info.st_size


def read_input(path: Path, label: str, kind: str, inside: tuple[Path, ...] = ()) -> bytes:
    """The bytes of an input file, or an InputError naming it and saying what to do."""
    problem, _ = input_problem(path, kind, inside)
    if not problem:
        try:
            # O_NONBLOCK: if the file was swapped for a FIFO since the check, reading fails
            # instead of waiting forever; the size limit holds even if it grew.
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    problem = f"is not a regular file; use a {kind} file"
                else:
                    data = handle.read(LIMITS[kind] + 1)
                    if len(data) <= LIMITS[kind]:
                        return data
                    problem = f"is larger than {LIMITS[kind] // MB} MB, the limit for a {kind}"
        except OSError as error:
            problem = f"cannot be read ({error.strerror})"
    raise InputError(f"{label}: {problem}")
