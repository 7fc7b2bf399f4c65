"""Reading TOML records field by field, collecting every problem instead of stopping at one."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import Problem
from .inputs import InputError, read_input

SAFE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]{3,30}$")
HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^\s<>\"']*)?$")


def read_toml(
    path: Path, label: str, problems: list[Problem], inside: tuple[Path, ...] = ()
) -> dict[str, Any] | None:
    """Parse one TOML file; a syntax error becomes a problem naming the line."""
    try:
        return tomllib.loads(read_input(path, label, "record", inside).decode("utf-8"))
    except InputError as error:
        problems.append(Problem(label, "", error.message.removeprefix(f"{label}: ")))
    except RecursionError:
        problems.append(
            Problem(
                label, "", "nested too deeply to read; a record needs only a few levels of tables"
            )
        )
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(label, "", f"not valid TOML ({error}); fix the syntax"))
    except UnicodeDecodeError:
        problems.append(Problem(label, "", "not UTF-8 text; save the file as UTF-8"))
    except OSError as error:
        problems.append(Problem(label, "", f"cannot be read ({error.strerror})"))
    return None


class FieldReader:
    """Typed access to one record's fields; every misuse is recorded as a Problem."""

    def __init__(self, data: dict[str, Any], label: str, problems: list[Problem], prefix=""):
        self.data = data
        self.label = label
        self.problems = problems
        self.prefix = prefix
        self.seen: set[str] = set()

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.label, self.prefix + field, message))

    def text(
        self,
        field: str,
        *,
        required: bool = False,
        pattern=None,
        hint: str = "",
        max_length: int = 1000,
    ) -> str:
        self.seen.add(field)
        value = self.data.get(field)
        if value is None:
            if required:
                self.problem(field, f"missing; add it{hint and ' (' + hint + ')'}")
            return ""
        if not isinstance(value, str):
            self.problem(field, f"must be text in quotes, not {type(value).__name__}")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(field, "is empty; give it a value")
        elif len(value) > max_length:
            self.problem(field, f"is {len(value)} characters long; at most {max_length}")
            return ""
        elif value and pattern is not None and not pattern.match(value):
            self.problem(field, f"{value!r} is not valid{hint and '; ' + hint}")
            return ""
        return value

    def text_list(self, field: str, *, required: bool = False) -> list[str]:
        self.seen.add(field)
        value = self.data.get(field)
        if value is None:
            if required:
                self.problem(field, 'missing; add a list such as ["en"]')
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(field, 'must be a list of text values, such as ["en", "fr"]')
            return []
        if required and not value:
            self.problem(field, "is empty; name at least one")
        return [item.strip() for item in value]

    def table(self, field: str) -> FieldReader:
        self.seen.add(field)
        value = self.data.get(field, {})
        if not isinstance(value, dict):
            self.problem(field, f"must be a table ([{field}]), not {type(value).__name__}")
            value = {}
        return FieldReader(value, self.label, self.problems, prefix=f"{self.prefix}{field}.")

    def reject_unknown(self) -> None:
        for field in sorted(set(self.data) - self.seen):
            known = ", ".join(sorted(self.seen))
            self.problem(field, f"unknown field; the known ones are: {known}")
