"""The output folder: one a build may write into, held by one build at a time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, UsageError
from .outputs import MANIFEST
from .project import Project

LOCK = ".pressroom.lock"  # also marks the folder as ours
INPUT_FOLDERS = ("brochures", "locales", "styles", "chapters", "clinics")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refusal(out: Path, project: Project, *, any_folder: bool = False) -> str:
    """Why a build must not write into `out`, or ''."""
    if out == Path(out.anchor):
        return "is the root of the file system"
    if out == Path.home().resolve():
        return "is your home folder"
    if _inside(project.root, out):
        return "is the project folder (or holds it); use a folder such as dist/"
    if any(_inside(out, project.root / name) for name in INPUT_FOLDERS):
        return "is inside the project's inputs; use a folder such as dist/"
    if out.exists() and not out.is_dir():
        return "is not a folder"
    if (
        not any_folder
        and out.is_dir()
        and any(out.iterdir())
        and not (out / LOCK).exists()
        and not (out / MANIFEST).exists()
    ):
        return (
            "is a folder with other files, not a build folder; choose an empty or new "
            "folder, or pass --out-nonempty to write beside those files"
        )
    return ""


@contextmanager
def claim_output(out: Path, project: Project, *, any_folder: bool = False) -> Iterator[Path]:
    """The resolved folder, created and locked for one build; a second build into it is
    refused until the first ends (nothing is lost: the first finishes its manifest)."""
    try:
        resolved = out.resolve()
        problem = refusal(resolved, project, any_folder=any_folder)
    except (OSError, RuntimeError) as error:
        raise UsageError(
            f"--out {out}: cannot be resolved ({error}); is it a symlink loop?"
        ) from None
    if problem:
        raise UsageError(f"--out {out}: {problem}")
    try:
        resolved.mkdir(parents=True, exist_ok=True)
        fd = os.open(resolved / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        raise OutputError(
            f"{out}: cannot write ({error.strerror}); check the output folder "
            "is writable and the disk has room"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{out}: another build is writing into this folder; wait for it "
                "to finish, or build into another --out"
            ) from None
        yield resolved
    finally:
        os.close(fd)
