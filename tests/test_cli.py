"""The command line: wiring, help texts, exit codes; no rendering except where said."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from publish import cli

from .conftest import ROOT, invoke, write_record


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [path for path, _ in all_commands(cli)], ids=" ".join)
def test_every_command_explains_itself_with_an_example(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_help_does_not_import_weasyprint():
    code = (
        "import sys; sys.argv = ['publish', '--help']\n"
        "import publish\n"
        "try:\n    publish.main()\nexcept SystemExit:\n    pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)


def test_list_json_describes_the_matrix():
    result = invoke("list", "--json", "--chapter", "usa")
    assert result.exit_code == 0
    listing = json.loads(result.output)
    assert "usa" in [chapter["id"] for chapter in listing["chapters"]]
    assert all(job["path"].startswith("usa/") for job in listing["jobs"])
    assert {job["chapter"] for job in listing["jobs"]} == {"usa"}
    assert {"benefits", "what-is-infant-massage", "mission"} == {
        b["name"] for b in listing["brochures"]
    }


def test_unknown_chapter_exits_non_zero_without_traceback():
    result = invoke("build", "--chapter", "atlantis")
    assert result.exit_code == 2
    assert "unknown 'atlantis'" in result.output  # (an uncaught exception fails the test)


def test_invalid_records_stop_the_build_before_rendering(scratch_project, tmp_path):
    write_record(scratch_project / "chapters", "bad.toml", 'id = "bad"\nlanguages = "en"\n')
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), root=scratch_project)
    assert result.exit_code == 2
    assert "chapters/bad.toml: name: missing" in result.output
    assert "chapters/bad.toml: languages: must be a list" in result.output
    assert not out.exists()
