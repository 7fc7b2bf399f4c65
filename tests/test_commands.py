"""Each command's own behaviour: verify, manifest merge, preflight, i18n compile and stats,
build --no-check, build --json; and the README documenting every command there is."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from pressroom.outputs import entry_for, save_manifest
from publish import cli

from .conftest import ROOT, invoke, manifest
from .test_cli import all_commands


def _folder(out: Path, files: dict[str, bytes]) -> None:
    """A build folder whose manifest lists exactly these files, as a build writes it."""
    for relative, data in files.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)
    save_manifest(
        out / "manifest.json",
        [
            entry_for(
                relative,
                data,
                1,
                chapter="usa",
                lang="en",
                brochure="mission",
                variant="office",
                paper="letter",
            )
            for relative, data in files.items()
        ],
    )


def test_verify_passes_a_whole_folder(tmp_path):
    _folder(tmp_path, {"usa/en/a.pdf": b"%PDF-a", "usa/en/b.pdf": b"%PDF-b"})
    result = invoke("verify", str(tmp_path))
    assert result.exit_code == 0
    assert "2 PDF(s) in the manifest, 0 problem(s)" in result.output


def test_verify_finds_missing_changed_and_unlisted_pdfs(tmp_path):
    _folder(
        tmp_path,
        {
            "usa/en/gone.pdf": b"%PDF-1",
            "usa/en/edited.pdf": b"%PDF-2",
            "usa/en/same.pdf": b"%PDF-3",
        },
    )
    (tmp_path / "usa/en/gone.pdf").unlink()
    (tmp_path / "usa/en/edited.pdf").write_bytes(b"%PDF-X")  # same size, other bytes
    (tmp_path / "usa/en/extra.pdf").write_bytes(b"%PDF-4")
    text = invoke("verify", str(tmp_path))
    assert text.exit_code == 1
    as_json = CliRunner().invoke(cli, ["verify", "--json", str(tmp_path)])
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["checked"] == 3
    assert sorted(report["problems"]) == [
        "usa/en/edited.pdf: differs from the manifest (sha256 or size)",
        "usa/en/extra.pdf: not in the manifest",
        "usa/en/gone.pdf: missing",
    ]
    for problem in report["problems"]:
        assert problem in text.output


MERGE_PLAN = ("--chapter", "usa", "--lang", "en", "--brochure", "benefits", "--brochure")
MERGE_PLAN += ("mission", "--variant", "office")  # plans the three PDFs below
A, B, C = (
    "usa/en/benefits-office.pdf",
    "usa/en/mission-office.pdf",
    "usa/en/mission-example-family-clinic-office.pdf",
)


def test_manifest_merge_joins_agreeing_shards_and_refuses_disagreeing_ones(tmp_path):
    one, two, three = (tmp_path / name for name in ("one", "two", "three"))
    for folder in (one, two, three):
        folder.mkdir()
    _folder(one, {A: b"%PDF-a", B: b"%PDF-b"})
    _folder(two, {B: b"%PDF-b", C: b"%PDF-c"})  # B twice, identical: a shard run again
    _folder(three, {B: b"%PDF-other"})
    merged = tmp_path / "merged.json"
    result = invoke("manifest", "merge", *MERGE_PLAN, str(one), str(two), "-o", str(merged))
    assert result.exit_code == 0, result.output
    assert [entry["path"] for entry in json.loads(merged.read_text())] == sorted([A, B, C])
    assert "3 of 3 planned PDF(s) from 2 manifest(s)" in result.output
    refused = tmp_path / "refused.json"
    result = invoke(
        "manifest",
        "merge",
        *MERGE_PLAN,
        str(one / "manifest.json"),
        str(three / "manifest.json"),
        "-o",
        str(refused),
    )
    assert result.exit_code == 1
    assert f"{B} differs from the same path in another manifest" in result.output
    assert not refused.exists()


def _counts(code: str) -> tuple[int, int, int]:
    """Translated, fuzzy, untranslated, counted by Babel from the PO file itself."""
    with (ROOT / f"locales/{code}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    messages = [message for message in catalog if message.id]
    fuzzy = sum(1 for message in messages if message.fuzzy)
    done = sum(
        1
        for message in messages
        if not message.fuzzy
        and (all(message.string) if isinstance(message.string, tuple) else message.string)
    )
    return done, fuzzy, len(messages) - done - fuzzy


def test_i18n_stats_json_counts_what_babel_counts():
    result = invoke("i18n", "stats", "--json", "--lang", "de", "--lang", "ja")
    assert result.exit_code == 0
    rows = {row["lang"]: row for row in json.loads(result.output)}
    assert sorted(rows) == ["de", "ja"]
    for code, row in rows.items():
        assert (row["translated"], row["fuzzy"], row["untranslated"]) == _counts(code)
        assert row["total"] == sum(_counts(code))
        assert row["percent"] == pytest.approx(100 * row["translated"] / row["total"])


def test_i18n_compile_names_each_catalog_and_fails_on_a_broken_one(scratch_project):
    result = invoke("i18n", "compile", "--lang", "de", "--lang", "fr", root=scratch_project)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["de", "fr"]
    assert f"compiles: {_counts('de')[0]} translated messages" in lines[0]
    po = scratch_project / "locales/fr/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "x\n', encoding="utf-8")
    broken = invoke("i18n", "compile", "--lang", "fr", root=scratch_project)
    assert broken.exit_code != 0 and "messages.po" in broken.output


def test_the_readme_documents_every_command_and_names_only_real_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = {" ".join(path) for path, _ in all_commands(cli)}
    leaves = {
        name for name in commands if not any(other.startswith(name + " ") for other in commands)
    }
    mentioned = set(re.findall(r"publish(?:\.py)? ((?:i18n|manifest) [a-z]+|[a-z]+)", readme))
    assert leaves <= mentioned, f"not in README.md: {sorted(leaves - mentioned)}"
    assert mentioned <= commands, f"README.md names no such command: {mentioned - commands}"


@pytest.mark.render
def test_a_real_build_has_no_renderer_warnings(english_build):
    """The shared build ran with --json: WeasyPrint warned about nothing, nothing fell back to
    English, every PDF passed its preflight (press and office)."""
    outcome = json.loads(english_build.with_name(english_build.name + ".json").read_text())
    assert outcome["ok"] and outcome["warnings"] == {} and outcome["untranslated"] == {}
    assert sorted(outcome["built"]) == sorted(entry["path"] for entry in manifest(english_build))
    built = len(outcome["built"])
    assert outcome["preflight"] == {"checked": built, "passed": built, "failed": {}}


@pytest.mark.render
def test_preflight_command_and_its_json(english_build):
    press = english_build / "usa/en/benefits-press.pdf"
    office = english_build / "usa/en/benefits-office.pdf"
    result = invoke("preflight", str(press))
    assert result.exit_code == 0
    assert result.output.startswith(f"{press} (press): PASS")
    failing = CliRunner().invoke(
        cli, ["preflight", "--json", "--variant", "press", str(press), str(office)]
    )
    assert failing.exit_code == 1  # an office PDF is no press PDF
    reports = json.loads(failing.stdout)
    assert [(report["variant"], report["ok"]) for report in reports] == [
        ("press", True),
        ("press", False),
    ]
    failed = [check["name"] for check in reports[1]["checks"] if not check["ok"]]
    assert failed and all(check["detail"] for check in reports[1]["checks"])


@pytest.mark.render
def test_build_no_check_renders_a_language_whose_catalog_has_errors(scratch_project, tmp_path):
    shutil.copy(ROOT / "chapters" / "switzerland.toml", scratch_project / "chapters")
    po = scratch_project / "locales/de/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace(
            'msgstr "Das Leitbild der IAIM"', 'msgstr "<img src=x>Das Leitbild der IAIM"', 1
        ),
        encoding="utf-8",
    )
    args = (
        "build",
        "--chapter",
        "switzerland",
        "--lang",
        "de",
        "--brochure",
        "mission",
        "--variant",
        "office",
        "-j",
        "1",
        "--json",
    )
    refused = CliRunner().invoke(
        cli, ["--project", str(scratch_project), *args, "--out", str(tmp_path / "checked")]
    )
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["refused"]["de"]["pdfs"] == 1
    built = CliRunner().invoke(
        cli,
        [
            "--project",
            str(scratch_project),
            *args,
            "--no-check",
            "--out",
            str(tmp_path / "unchecked"),
        ],
    )
    assert built.exit_code == 0, built.output
    outcome = json.loads(built.stdout)
    assert outcome["refused"] == {}
    assert outcome["built"] == ["switzerland/de/mission-office.pdf"]
    assert (tmp_path / "unchecked/switzerland/de/mission-office.pdf").is_file()


def test_paper_and_variant_names_come_from_one_table():
    from pressroom.chapters import PAPER_SIZES
    from pressroom.preview import PAPERS as PREVIEW_PAPERS
    from pressroom.variants import PAPERS, VARIANTS

    for command in ("build", "preflight"):
        options = {param.name: param for param in cli.commands[command].params}
        assert list(options["paper"].type.choices) == list(PAPERS)
        variant = options.get("variants") or options["variant"]
        assert list(variant.type.choices) == list(VARIANTS)
    assert PAPER_SIZES == tuple(PAPERS) and set(PREVIEW_PAPERS) == {"", *PAPERS}
