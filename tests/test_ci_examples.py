"""The example CI configurations in examples/ci/: valid YAML, and every publish.py command in
them uses options the command line really has (parsed by Click itself)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from publish import cli

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples/ci").glob("*.yml"))


def strings(node) -> list[str]:
    """Every string in a parsed YAML document (scripts are strings, in lists or mappings)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in strings(value)]
    return []


def publish_commands(path: Path) -> list[list[str]]:
    """The arguments after `publish.py` of each command line in the file's scripts."""
    commands = []
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        for text in strings(document):
            text = re.sub(r"\$\{\{.*?\}\}", "EXPR", text.replace("\\\n", " "))  # ${{ matrix.x }}
            for found in re.finditer(r"publish\.py\s+([^;&|\n]+)", text):
                commands.append(shlex.split(found.group(1)))
    return commands


def parse(arguments: list[str]) -> click.Context:
    """Parse a command line as `publish.py` would, down to its subcommand: an unknown command
    or option fails. Values are not checked (paths named in CI need not exist here)."""
    ctx = cli.make_context("publish", list(arguments), resilient_parsing=True)
    command: click.Command = cli
    rest = [*ctx._protected_args, *ctx.args]
    while isinstance(command, click.Group) and rest:
        name, found, words = command.resolve_command(ctx, rest)
        assert found is not None and name, f"{arguments}: no command {rest[0]!r}"
        command = found
        ctx = command.make_context(name, list(words), parent=ctx, resilient_parsing=True)
        rest = [*ctx._protected_args, *ctx.args]
    assert not isinstance(command, click.Group), f"{arguments}: names a group, not a command"
    known = {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}
    unknown = [w for w in words if w.startswith("-") and w.split("=")[0] not in known]
    assert not unknown, f"{arguments}: {name} has no option {unknown}"
    assert not ctx.args, f"{arguments}: left over {ctx.args}"
    return ctx


def test_there_are_examples_for_each_engine():
    names = {path.name for path in EXAMPLES}
    assert {"gitlab-ci.yml", "github-actions.yml", "kubernetes-indexed-job.yml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_each_example_parses_and_shards_builds_and_merges(path):
    commands = publish_commands(path)
    contexts = [parse(arguments) for arguments in commands]
    builds = [ctx for ctx in contexts if ctx.info_name == "build"]
    assert any(ctx.params["shard"] == "auto" for ctx in builds), commands
    assert any(ctx.info_name == "merge" for ctx in contexts), commands


def test_the_parser_refuses_what_publish_py_would_refuse():
    with pytest.raises(AssertionError, match=r"build has no option \['--shard-count'\]"):
        parse(["build", "--shard", "auto", "--shard-count", "4"])
    with pytest.raises(AssertionError, match="no command 'manifests'"):
        parse(["manifests", "merge"])
    with pytest.raises(AssertionError, match="left over"):
        parse(["build", "--out", "a", "b"])
    assert parse(["build", "--shard", "auto", "--shards", "4"]).params["shards"] == 4
