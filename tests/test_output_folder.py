"""We only touch what we wrote: our temporaries, our thumbnails, paths our (checked) manifest
names, in a folder that is ours and held by one build at a time."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pressroom.errors import OutputError
from pressroom.outfolder import claim_output
from pressroom.outputs import parse_manifest, read_manifest
from pressroom.project import Project

from .conftest import ROOT, invoke

SCOPE = (
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
    "--quiet",
)
PDF = "switzerland/de/mission-office.pdf"


def entry(path: str = PDF, **changes) -> dict:
    item = {
        "chapter": "switzerland",
        "lang": "de",
        "brochure": "mission",
        "variant": "office",
        "paper": "a4",
        "path": path,
        "pages": 1,
        "bytes": 4,
        "sha256": hashlib.sha256(b"%PDF").hexdigest(),
        "clinic": None,
        "fingerprint": "",
    }
    item.update(changes)
    return item


def write_manifest(out: Path, *items: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(list(items)), encoding="utf-8")


@pytest.mark.render
def test_a_build_removes_only_its_own_temporaries_and_thumbnails(tmp_path: Path):
    out = tmp_path / "out"
    write_manifest(out)
    folder = out / "switzerland/de"
    folder.mkdir(parents=True)
    ours = folder / ".mission-office.pdf.pressroom-x1y2.tmp"
    ours.write_bytes(b"half a PDF")
    thumbnail = out / "thumbs/.0123456789abcdef0123.png.pressroom-4242.png"  # a killed pdftoppm
    thumbnail.parent.mkdir()
    thumbnail.write_bytes(b"half a PNG")
    theirs = [
        out / ".notes.tmp",
        folder / ".draft.pdf.tmp",
        out / "deep/er/.cache.tmp",
        out / "thumbs/holiday.png",
    ]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"someone else's")
    result = invoke("build", *SCOPE, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert not ours.exists() and not thumbnail.exists()
    assert all(path.read_bytes() == b"someone else's" for path in theirs)
    made = [path.name for path in (out / "thumbs").iterdir()]
    assert len(made) == 2 and "holiday.png" in made


@pytest.mark.parametrize(
    "item, says",
    [
        (entry("../victim.pdf"), "not a PDF path inside the folder"),
        (entry("/tmp/victim.pdf"), "not a PDF path inside the folder"),
        (entry("../victim.txt"), "not a PDF path"),
        (entry(sha256="../../../../tmp/evil" + "0" * 44), "sha256: not 64 hexadecimal digits"),
        (entry(extra="x"), "unknown field"),
        (entry(pages="1"), "pages: not a count"),
        ({"path": PDF}, "missing field"),
    ],
)
def test_a_tampered_manifest_is_a_clear_error(tmp_path: Path, item: dict, says: str):
    write_manifest(tmp_path, item)
    with pytest.raises(OutputError) as raised:
        read_manifest(tmp_path)
    assert says in raised.value.message and "move it away" in raised.value.message


def test_a_manifest_path_through_a_symlink_out_of_the_folder_is_refused(tmp_path: Path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out/link").symlink_to(tmp_path)
    write_manifest(tmp_path / "out", entry("link/victim.pdf"))
    with pytest.raises(OutputError, match="leads outside the folder"):
        parse_manifest(tmp_path / "out/manifest.json")


def test_prune_with_a_tampered_manifest_deletes_nothing(tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    write_manifest(out, entry("../victim.txt", chapter="gone"))
    result = invoke("build", *SCOPE, "--prune", "--out", str(out))
    assert result.exit_code == 1 and "manifest.json: entry 1: path" in result.output
    assert victim.read_text() == "keep me"
    result = invoke("verify", str(out))
    assert result.exit_code == 1 and "move it away" in result.output


@pytest.mark.parametrize(
    "where, says",
    [
        (lambda tmp: Path("/"), "root of the file system"),
        (lambda tmp: Path.home(), "home folder"),
        (lambda tmp: ROOT, "project folder"),
        (lambda tmp: ROOT.parent, "project folder"),
        (lambda tmp: ROOT / "locales", "inside the project's inputs"),
    ],
)
def test_out_refuses_folders_that_are_not_for_outputs(tmp_path: Path, where, says):
    result = invoke("build", *SCOPE, "--out", str(where(tmp_path)))
    assert result.exit_code == 2 and says in result.output, result.output


def test_out_refuses_a_non_empty_folder_that_is_not_ours(tmp_path: Path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos/baby.jpg").write_bytes(b"jpg")
    result = invoke("build", *SCOPE, "--out", str(tmp_path / "photos"))
    assert result.exit_code == 2 and "--out-nonempty" in result.output
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["baby.jpg"]


def test_a_symlink_loop_as_out_is_a_clear_error(tmp_path: Path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = invoke("build", *SCOPE, "--out", str(tmp_path / "loop" / "x"))
    assert result.exit_code == 2 and "symlink loop" in result.output, result.output


def test_a_second_build_into_a_locked_folder_is_refused_and_loses_nothing(tmp_path: Path):
    out = tmp_path / "out"
    with claim_output(out, Project.at(ROOT)):
        (out / "manifest.json").write_text("[]\n")
        result = invoke("build", *SCOPE, "--out", str(out))
    assert result.exit_code == 1 and "another build is writing into this folder" in result.output
    assert (out / "manifest.json").read_text() == "[]\n"
    assert not list(out.rglob("*.pdf"))
