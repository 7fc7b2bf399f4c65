"""Where the project's inputs live, found from one root folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

# The checkout this code sits in (a source tree or an editable install); in a plain
# `pip install` it is site-packages, which is no project.
DEFAULT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = "PRESSROOM_PROJECT"
MARKERS = ("brochures", "chapters")  # the folders that make a folder a project


def is_project(folder: Path) -> bool:
    return all((folder / marker).is_dir() for marker in MARKERS)


def find_root(given: Path | str | None = None) -> Path:
    """The project folder, found as mkdocs finds its config: --project, then $PRESSROOM_PROJECT,
    then the current folder and its parents, then the checkout this code runs from."""
    if given or os.environ.get(ENVIRONMENT):
        return Path(given or os.environ[ENVIRONMENT]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents, DEFAULT_ROOT):
        if is_project(folder):
            return folder
    raise UsageError(
        f"no project here: {here} and its parents have no brochures/ and "
        f"chapters/ folders; run inside a project checkout, or name it with "
        f"--project or ${ENVIRONMENT}"
    )


@dataclass(frozen=True)
class Project:
    """The folders of one project checkout; every path is absolute."""

    root: Path

    @classmethod
    def at(cls, root: Path | str | None = None) -> Project:
        return cls(find_root(root))

    @property
    def brochures(self) -> Path:
        return self.root / "brochures"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def chapters(self) -> Path:
        return self.root / "chapters"

    @property
    def clinics(self) -> Path:
        return self.root / "clinics"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project when inside it."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
