"""Command-line conventions: --version, NO_COLOR, completion, Ctrl-C, finding the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

import publish
from publish import cli

from .conftest import ROOT


def test_version_names_the_package():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("publish, version 0.1.0")


def test_no_color_strips_colours_even_when_asked_for_them(tmp_path):
    # color=True stands for a terminal; NO_COLOR must win over it. verify prints in red here.
    (tmp_path / "manifest.json").write_text("[]", encoding="utf-8")
    (tmp_path / "stray.pdf").write_bytes(b"%PDF-1.7\n")
    coloured = CliRunner().invoke(cli, ["verify", str(tmp_path)], color=True)
    plain = CliRunner(env={"NO_COLOR": "1"}).invoke(cli, ["verify", str(tmp_path)], color=True)
    assert "\x1b[31m" in coloured.output, coloured.output
    assert "\x1b[" not in plain.output
    assert "stray.pdf: not in the manifest" in plain.output


def _complete(words: str, cwd: Path = ROOT) -> list[str]:
    env = {
        "_PUBLISH_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner(env=env).invoke(cli, [], prog_name="publish")
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_completion_offers_chapters_languages_and_brochures():
    assert "usa" in _complete(f"publish --project {ROOT} build --chapter u")
    assert all(
        name.startswith("u") for name in _complete(f"publish --project {ROOT} build --chapter u")
    )
    assert {"de", "en"} <= set(_complete(f"publish --project {ROOT} list --lang "))
    assert _complete(f"publish --project {ROOT} check --brochure ben") == ["benefits"]
    assert _complete(f"publish --project {ROOT} i18n stats --lang zh") == ["zh_Hans"]
    assert "en" not in _complete(f"publish --project {ROOT} i18n update --lang ")  # no catalog


def test_completion_of_an_unreadable_project_offers_nothing(tmp_path):
    assert _complete(f"publish --project {tmp_path} build --chapter ") == []


def test_ctrl_c_exits_130(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "make_plan", interrupted)  # stands in for the keypress only
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 130
    assert isinstance(result.exception, SystemExit)  # a clean exit, not the interrupt
    assert "Interrupted." in result.output and "Aborted" not in result.output


def test_project_found_from_environment_then_current_folder(tmp_path, monkeypatch):
    from pressroom.project import Project

    nested = ROOT / "chapters"
    monkeypatch.chdir(nested)  # a subfolder of a checkout: its parent is the project
    assert Project.at().root == ROOT
    monkeypatch.setenv("PRESSROOM_PROJECT", str(tmp_path))
    assert Project.at().root == tmp_path.resolve()
    assert Project.at(ROOT).root == ROOT  # --project wins


@pytest.mark.render  # builds a wheel and a venv (~10 s); renders nothing
def test_non_editable_install_works_from_another_folder(tmp_path):
    """`pip install .` (a wheel, not editable) into another venv, run from elsewhere: --version,
    then `list` inside a checkout, and from outside it with --project and the variable."""
    wheels, venv, elsewhere = tmp_path / "wheels", tmp_path / "venv", tmp_path / "elsewhere"
    source = tmp_path / "source"  # a copy: setuptools leaves build/ in the tree it builds
    elsewhere.mkdir()
    shutil.copytree(
        ROOT / "pressroom", source / "pressroom", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md", "publish.py"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = subprocess.run(
        [venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            target,
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # The new venv's own copy of the code, with this venv's dependencies on its path after it.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_path("purelib")}
    env.pop("PRESSROOM_PROJECT", None)
    script = [str(venv / "bin/python"), "-c", "import publish; publish.main()"]

    def run(*args, cwd=elsewhere, **extra):
        return subprocess.run(
            [*script, *args],
            cwd=cwd,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )

    located = subprocess.run(
        [str(venv / "bin/python"), "-c", "import pressroom; print(pressroom.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert located.startswith(target), located  # not the checkout's code
    version = run("--version")
    assert version.returncode == 0 and "version 0.1.0" in version.stdout, version.stderr
    inside = run("list", "--chapter", "usa", cwd=ROOT / "locales")
    assert inside.returncode == 0 and "usa/en/benefits-office.pdf" in inside.stdout, inside.stderr
    nowhere = run("list")
    assert nowhere.returncode == 2 and "--project" in nowhere.stderr
    assert "Traceback" not in nowhere.stderr
    named = run("--project", str(ROOT), "list", "--chapter", "usa")
    assert named.returncode == 0 and "usa/en" in named.stdout, named.stderr
    by_variable = run("list", "--chapter", "usa", PRESSROOM_PROJECT=str(ROOT))
    assert by_variable.returncode == 0 and "usa/en" in by_variable.stdout, by_variable.stderr


def test_the_build_command_is_thin():
    """The command only prints what core returns: options in, report out (the build lives in
    pressroom/pipeline.py). Its body, without the docstring, stays within 15 lines."""
    import ast
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(publish.build_command.callback))
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    body = function.body[1:] if isinstance(function.body[0], ast.Expr) else function.body
    lines = source.splitlines()[body[0].lineno - 1 : body[-1].end_lineno]
    assert len([line for line in lines if line.strip()]) <= 15, "\n".join(lines)
