"""Where the project's inputs live, found from one root folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """The folders of one project checkout; every path is absolute."""

    root: Path

    @classmethod
    def at(cls, root: Path | str | None = None) -> Project:
        return cls(Path(root or DEFAULT_ROOT).resolve())

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
