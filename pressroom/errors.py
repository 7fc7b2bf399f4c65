"""The one family of errors the pipeline raises for problems a user can fix."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    source: str  # a file path (relative to the project where possible) or a CLI option
    field: str  # a field name, `line N`, or '' when the whole source is at fault
    message: str  # what is wrong — and what to do about it

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class PublishError(click.ClickException):
    """Base of every expected failure: Click prints the message, no traceback."""

    exit_code = 1


class ConfigError(PublishError):
    """Chapter, clinic or project records are invalid; nothing was rendered."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in the project records, nothing was built:"]
        lines += [f"  {problem}" for problem in problems]
        super().__init__("\n".join(lines))


class UsageError(PublishError):
    """The command line asks for something that does not exist."""

    exit_code = 2


class TemplateError(PublishError):
    """A template cannot be loaded or rendered."""


class RenderError(PublishError):
    """WeasyPrint could not produce a PDF, or a required font is missing."""


class OutputError(PublishError):
    """The output folder cannot be written."""
