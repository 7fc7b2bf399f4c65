"""The table of bad inputs: each row is one mistake a volunteer, a record or the machine can
make, with the behaviour we promise: a message naming the file and line or field and what to
do, a non-zero exit, no traceback, and nothing lost (earlier outputs and manifest untouched).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import cli

from .conftest import ROOT, invoke, manifest
from .logos import corrupt_png_logo

PO = "locales/de/LC_MESSAGES/messages.po"
GAS = 'msgid "Gas and colic"\nmsgstr "Blähungen und Koliken"'
SCOPE = ("--chapter", "switzerland", "--lang", "de", "--brochure", "mission", "--variant", "office")


@dataclass(frozen=True)
class Row:
    name: str
    edit: object  # function(project root) making the mistake
    says: tuple[str, ...]  # fragments the message must contain
    exit_code: int = 1
    args: tuple[str, ...] = SCOPE


def replace_in(relative: str, old: str, new: str):
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write_bytes(relative: str, transform):
    def edit(root: Path) -> None:
        path = root / relative
        path.write_bytes(transform(path.read_bytes()))

    return edit


def add_chapter(text: str, name: str = "zz.toml"):
    def edit(root: Path) -> None:
        (root / "chapters" / name).write_text(text, encoding="utf-8")

    return edit


def add_logo_chapter(name: str, make):
    """A chapter record with a logo file made by `make(path)`."""

    def edit(root: Path) -> None:
        make(root / "chapters" / name)
        add_chapter(CHAPTER + f'logo = "{name}"\n')(root)

    return edit


def gas(translation: str):
    return replace_in(PO, GAS, f'msgid "Gas and colic"\nmsgstr "{translation}"')


CHAPTER = 'id = "zz"\nname = "Z"\ncountry = "DE"\nlanguages = ["en"]\n'

ROWS = [
    # PO files: the catalog is refused, naming its line; other languages still build
    Row(
        "po-invalid-utf8",
        write_bytes(PO, lambda data: data.replace("Blähungen".encode(), b"Bl\xe4hungen", 1)),
        ("messages.po:", "not valid UTF-8"),
    ),
    Row(
        "po-bom",
        write_bytes(PO, lambda data: b"\xef\xbb\xbf" + data),
        ("messages.po:1:", "byte-order mark"),
    ),
    Row(
        "po-unterminated-string",
        gas("Blähungen und Koliken"[:-1] + "\\"),
        ("messages.po:", "unterminated"),
    ),
    Row(
        "po-duplicate-msgid",
        replace_in(PO, GAS, GAS + "\n\n" + GAS),
        ("messages.po:", "duplicate", "keep one"),
    ),
    Row(
        "po-bad-plural-header",
        replace_in(PO, "nplurals=2; plural=(n != 1);", "nplurals=1; plural=(n != 1);"),
        ("messages.po:7:", "gives form 1 for n=0"),
    ),
    Row(
        "po-non-utf8-charset",
        replace_in(PO, "charset=utf-8", "charset=latin-1"),
        ("messages.po:7:", "charset"),
    ),
    Row(
        "po-merge-conflict",
        replace_in(PO, GAS, "<<<<<<< HEAD\n" + GAS + "\n=======\n" + GAS + "\n>>>>>>> theirs"),
        ("messages.po:", "merge-conflict"),
    ),
    Row("po-stray-percent", gas("Blähungen zu 100 %"), ("messages.po:", "lone %")),
    Row(
        "po-missing-placeholder",
        replace_in(PO, 'msgstr ""\n"%(clinic)s', 'msgstr ""\n"Die Klinik'),
        ("placeholder", "%(clinic)s"),
    ),
    Row(
        "po-injected-image",
        gas("<img src=file:///etc/passwd>Blähungen"),
        ("messages.po:", "markup", "add none"),
    ),
    Row("po-script", gas("<script>alert(1)</script>Blähungen"), ("messages.po:", "markup")),
    Row(
        "po-link-added",
        gas('<a href=\\"https://evil.example\\">Blähungen</a>'),
        ("messages.po:", "markup"),
    ),
    Row(
        "po-bidi-override",
        gas("Blähungen \u202eund Koliken"),
        ("messages.po:", "bidi control", "U+202E"),
    ),
    Row("po-zero-width", gas("Blä\u200bhungen"), ("messages.po:", "invisible", "U+200B")),
    # chapter records: everything is checked first and reported as file: field: problem
    Row(
        "record-toml-syntax",
        add_chapter('id = "zz\nname = "Z"\n'),
        ("chapters/zz.toml", "not valid TOML", "line 1"),
        2,
    ),
    Row(
        "record-unknown-field",
        add_chapter(CHAPTER + 'colour = "blue"\n'),
        ("chapters/zz.toml: colour: unknown field",),
        2,
    ),
    Row(
        "record-missing-field",
        add_chapter('id = "zz"\ncountry = "DE"\nlanguages = ["en"]\n'),
        ("chapters/zz.toml: name: missing",),
        2,
    ),
    Row(
        "record-wrong-type",
        add_chapter(CHAPTER.replace('["en"]', '"en"')),
        ("chapters/zz.toml: languages: must be a list",),
        2,
    ),
    Row(
        "record-duplicate-id",
        add_chapter(CHAPTER.replace('"zz"', '"switzerland"')),
        ("chapters/zz.toml: id: chapter id 'switzerland' is already used",),
        2,
    ),
    Row(
        "record-bad-country",
        add_chapter(CHAPTER.replace('"DE"', '"XY"')),
        ("chapters/zz.toml: country: 'XY' is not an ISO 3166",),
        2,
    ),
    Row(
        "record-bad-language",
        add_chapter(CHAPTER.replace('["en"]', '["english"]')),
        ("chapters/zz.toml: languages: 'english' is not a language code",),
        2,
    ),
    Row(
        "record-unknown-language",
        add_chapter(CHAPTER.replace('["en"]', '["fi"]')),
        ("chapters/zz.toml: languages: 'fi' has no catalog", "i18n init fi"),
        2,
    ),
    Row(
        "record-unsafe-logo",
        add_chapter(CHAPTER + 'logo = "../../../etc/passwd.png"\n'),
        ("chapters/zz.toml: logo: must be a path inside the project",),
        2,
    ),
    Row(
        "record-absolute-logo",
        add_chapter(CHAPTER + 'logo = "/etc/hostname"\n'),
        ("chapters/zz.toml: logo:",),
        2,
    ),
    Row(
        "record-corrupt-logo",
        add_logo_chapter("zz.png", corrupt_png_logo),
        ("chapters/zz.toml: logo: chapters/zz.png: not a readable PNG or JPEG image",),
        2,
    ),
    Row(
        "record-logo-not-an-image",
        add_logo_chapter("zz.jpg", lambda path: path.write_text("not a picture", encoding="utf-8")),
        ("chapters/zz.toml: logo: chapters/zz.jpg: not a readable",),
        2,
    ),
    Row(
        "press-svg-logo-with-raster",
        add_logo_chapter(
            "zz.svg",
            lambda path: path.write_text(
                '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="x.png" '
                'width="9" height="9"/></svg>',
                encoding="utf-8",
            ),
        ),
        ("chapters/zz.toml: logo zz.svg: the SVG embeds an <image> element", "CMYK version"),
        1,
        ("--chapter", "zz", "--brochure", "mission", "--variant", "press"),
    ),
    Row(
        "record-javascript-url",
        add_chapter(CHAPTER + '[contact]\nwebsite = "javascript:x"\n'),
        ("chapters/zz.toml: contact.website:", "https://"),
        2,
    ),
    Row(
        "record-bad-email",
        add_chapter(CHAPTER + '[contact]\nemail = "<x>"\n'),
        ("chapters/zz.toml: contact.email:",),
        2,
    ),
    Row(
        "record-unsafe-id",
        add_chapter(CHAPTER.replace('"zz"', '"../zz"')),
        ("chapters/zz.toml: id:", "lower-case letters"),
        2,
    ),
    # templates (a project's own, broken)
    Row(
        "template-syntax-error",
        replace_in("brochures/mission.html", "{% block body %}", "{% block body %}{% if %}"),
        ("brochures/mission.html:", "template syntax error"),
    ),
    Row(
        "template-unknown-variable",
        replace_in(
            "brochures/mission.html", "{% block body %}", "{% block body %}{{ no_such_thing }}"
        ),
        ("brochures/mission.html", "no_such_thing", "not provided"),
    ),
    Row(
        "template-fetches-outside",
        replace_in(
            "brochures/mission.html",
            "{% block body %}",
            "{% block body %}<img src='file:///etc/passwd' alt=''>",
        ),
        ("refused to fetch 'file:///etc/passwd'", "switzerland/de/mission"),
    ),
    # command line
    Row(
        "cli-unknown-chapter",
        lambda root: None,
        ("--chapter: unknown 'atlantis'",),
        2,
        ("--chapter", "atlantis"),
    ),
    Row(
        "cli-unknown-language",
        lambda root: None,
        ("--lang: unknown 'tlh'",),
        2,
        ("--chapter", "switzerland", "--lang", "tlh"),
    ),
    Row(
        "cli-unknown-brochure",
        lambda root: None,
        ("--brochure: unknown 'flyer'",),
        2,
        ("--brochure", "flyer"),
    ),
    Row("cli-bad-shard", lambda root: None, ("--shard: '5/2' is not K/N",), 2, ("--shard", "5/2")),
]


@pytest.fixture
def project(copied_project: Path) -> Path:
    return copied_project


@pytest.fixture
def previous_build(tmp_path: Path) -> Path:
    """An output folder holding an earlier build's file and manifest, which must survive."""
    out = tmp_path / "out"
    (out / "switzerland/de").mkdir(parents=True)
    (out / "switzerland/de/mission-office.pdf").write_bytes(b"%PDF-1.7 earlier build\n")
    digest = hashlib.sha256(b"%PDF-1.7 earlier build\n").hexdigest()
    (out / "manifest.json").write_text(
        '[{"chapter": "switzerland", "lang": "de", '
        '"brochure": "mission", "variant": "office", '
        '"paper": "a4", "path": "switzerland/de/mission-office'
        f'.pdf", "pages": 1, "bytes": 23, "sha256": "{digest}"}}]\n'
    )
    return out


def snapshot(out: Path) -> dict[str, bytes]:
    """The folder's outputs: not the build lock (empty), nor the render log, which records
    the failure itself (for `manifest merge`)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in (".pressroom.lock", "render-log.json")
    }


def test_the_table_has_at_least_thirty_rows():
    assert len(ROWS) >= 30
    assert len({row.name for row in ROWS}) == len(ROWS)


@pytest.mark.render
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_bad_input(row: Row, project: Path, previous_build: Path):
    row.edit(project)
    before = snapshot(previous_build)
    result = CliRunner().invoke(
        cli,
        ["--project", str(project), "build", "--quiet", "--out", str(previous_build), *row.args],
    )
    # Click turns our errors into SystemExit; any other exception would be a traceback
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == row.exit_code, result.output
    for fragment in row.says:
        assert fragment in result.output, (fragment, result.output)
    assert snapshot(previous_build) == before, "an earlier output or the manifest changed"


@pytest.mark.render
@pytest.mark.parametrize("text", ["<b>Bold</b> &amp; co", "{{ 7 * 7 }} {% if x %}"])
def test_record_text_renders_literally(project: Path, tmp_path: Path, text: str):
    from pypdf import PdfReader

    add_chapter(CHAPTER.replace('name = "Z"', f"name = {text!r}".replace("'", '"')))(project)
    out = tmp_path / "literal"
    result = invoke(
        "build",
        "--chapter",
        "zz",
        "--brochure",
        "mission",
        "--variant",
        "office",
        "--quiet",
        "--out",
        str(out),
        root=project,
    )
    assert result.exit_code == 0, result.output
    printed = PdfReader(out / "zz/en/mission-office.pdf").pages[0].extract_text()
    assert text in printed


@pytest.mark.render
def test_missing_font_is_named(project: Path, tmp_path: Path, monkeypatch):
    from pressroom import fonts

    missing = fonts.Font(
        "Noto Sans Nowhere", tmp_path / "x.ttf", tmp_path / "y.ttf", "fonts-noto-core"
    )
    monkeypatch.setitem(fonts.SCRIPT_FONTS, "Latn", (missing,))
    result = invoke(
        "build", "--quiet", "-j", "1", "--out", str(tmp_path / "o"), *SCOPE, root=project
    )
    assert result.exit_code == 1
    assert "font 'Noto Sans Nowhere' for language 'de' is missing" in result.output
    assert "install the Debian package fonts-noto-core" in result.output


@pytest.mark.render
def test_unwritable_output_folder(project: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("[]\n")  # a build folder of ours
    (out / "switzerland").write_text("a file where a folder must go")
    result = invoke("build", "--quiet", "-j", "1", "--out", str(out), *SCOPE, root=project)
    assert result.exit_code == 1
    assert "cannot write" in result.output  # (an uncaught exception would fail the test)
    assert (out / "switzerland").read_text() == "a file where a folder must go"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = invoke("build", "--out", str(blocker), *SCOPE, root=project)
    assert result.exit_code == 2 and "is a file" in result.output


def run_publish(*args: str, env=None, preexec=None, **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), *args],
        env=env,
        preexec_fn=preexec,
        capture_output=True,
        text=True,
        **kwargs,
    )


@pytest.mark.render
def test_disk_full_is_a_clear_error_and_loses_nothing(project: Path, previous_build: Path):
    """A file size limit makes every write fail part-way, as a full disk does."""
    import resource
    import signal

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    before = snapshot(previous_build)
    result = run_publish(
        "--project",
        str(project),
        "build",
        "--quiet",
        "-j",
        "1",
        "--out",
        str(previous_build),
        *SCOPE,
        preexec=limit_file_size,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cannot write" in result.stderr and "disk has room" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(previous_build) == before
    assert not list(previous_build.rglob("*.tmp"))


@pytest.mark.render
def test_killed_build_leaves_complete_pdfs_and_the_next_build_finishes(tmp_path: Path):
    import signal
    import time

    from pypdf import PdfReader

    out = tmp_path / "out"
    # One-page posters in every language: many small jobs, so the kill lands mid-build.
    args = (
        "build",
        "--chapter",
        "international",
        "--brochure",
        "mission",
        "--variant",
        "office",
        "--quiet",
        "-j",
        "2",
        "--out",
        str(out),
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "publish.py"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.pdf"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    written = list(out.rglob("*.pdf"))
    assert len(written) >= 4, "killed before any PDF was written: nothing would be checked"
    for pdf in written:
        assert len(PdfReader(pdf).pages) >= 1  # complete, or it would not parse
    result = run_publish(*args)
    assert result.returncode == 0, result.stderr
    assert not list(out.rglob("*.tmp"))
    assert run_publish("verify", str(out)).returncode == 0
    assert len(list(out.rglob("*.pdf"))) > len(written)  # the next build finished the rest


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.render
def test_workers_die_with_a_killed_build(tmp_path: Path):
    """kill -9 (or the out-of-memory killer) on the build leaves no orphan worker behind."""
    import signal
    import time

    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "publish.py"),
            "build",
            "--chapter",
            "international",
            "--variant",
            "office",
            "--quiet",
            "-j",
            "2",
            "--out",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while (len(workers) < 2 or not list(out.rglob("*.pdf"))) and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = _children(process.pid)
    assert len(workers) == 2 and process.poll() is None, "the build ended before the test"
    process.kill()  # the parent only, as the OOM killer would
    process.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:  # leave the machine clean even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not orphans


@pytest.mark.render
def test_interrupted_build_says_aborted_without_traceback(tmp_path: Path):
    import signal
    import time

    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "publish.py"),
            "build",
            "--chapter",
            "international",
            "--variant",
            "office",
            "-j",
            "1",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.rglob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in stderr and "Aborted" in stderr


# Hostile inputs, each class run through a real subprocess (a traceback or a hang cannot
# hide there): files that are not what they claim to be, and inputs past their limits.
ICC_FOLDER = Path("/usr/share/color/icc/ghostscript")


def make_fifo(relative: str):
    def edit(root: Path) -> None:
        (root / relative).unlink(missing_ok=True)
        os.mkfifo(root / relative)

    return edit


def link_to(relative: str, target: str):
    def edit(root: Path) -> None:
        (root / relative).unlink()
        (root / relative).symlink_to(target)

    return edit


def make_folder(relative: str):
    def edit(root: Path) -> None:
        (root / relative).unlink()
        (root / relative).mkdir()

    return edit


def with_rgb_profile(root: Path) -> None:
    (root / "chapters/rgb.icc").write_bytes((ICC_FOLDER / "default_rgb.icc").read_bytes())
    add_chapter(CHAPTER + 'icc_profile = "rgb.icc"\n')(root)


HOSTILE = [
    Row(
        "po-symlink-outside",
        link_to(PO, "/etc/passwd"),
        ("messages.po", "leads outside the project"),
    ),
    Row("po-fifo", make_fifo(PO), ("messages.po", "is not a regular file")),
    Row("po-dev-zero", link_to(PO, "/dev/zero"), ("messages.po", "leads outside the project")),
    Row("po-folder", make_folder(PO), ("messages.po", "is a folder")),
    Row(
        "po-nul-in-msgid",
        replace_in(PO, 'msgid "Gas and colic"', 'msgid "Gas and\x00 colic"'),
        ("messages.po:", "NUL"),
    ),
    Row(
        "record-fifo",
        make_fifo("chapters/zz.toml"),
        ("chapters/zz.toml: is not a regular file",),
        2,
    ),
    Row(
        "record-symlink-outside",
        lambda root: (root / "chapters/zz.toml").symlink_to("/etc/passwd"),
        ("chapters/zz.toml: leads outside the project",),
        2,
    ),
    Row(
        "record-deep-toml",
        add_chapter("a = " + "[" * 5000 + "]" * 5000 + "\n"),
        ("chapters/zz.toml: nested too deeply",),
        2,
    ),
    Row(
        "record-long-website",
        add_chapter(CHAPTER + f'[contact]\nwebsite = "https://e.example/{"x" * 3000}"\n'),
        ("chapters/zz.toml: contact.website: is 3018 characters long; at most 300",),
        2,
    ),
    Row(
        "record-rgb-output-intent",
        with_rgb_profile,
        ("chapters/zz.toml: icc_profile:", "not a CMYK output"),
        2,
    ),
]


@pytest.mark.render
@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("row", HOSTILE, ids=[row.name for row in HOSTILE])
def test_hostile_input(row: Row, command: str, project: Path, previous_build: Path):
    row.edit(project)
    before = snapshot(previous_build)
    args = (
        ("--no-layout", *row.args[:6])
        if command == "check"
        else ("--quiet", "--out", str(previous_build), *row.args)
    )
    result = run_publish("--project", str(project), command, *args, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == row.exit_code, output
    for fragment in row.says:
        assert fragment in output, (fragment, output)
    assert "Traceback" not in output and "root:x:0" not in output
    assert snapshot(previous_build) == before


def test_a_given_clinic_file_may_live_anywhere_but_must_be_a_file(project: Path, tmp_path):
    os.mkfifo(tmp_path / "clinic.toml")
    result = run_publish(
        "--project", str(project), "list", "--clinic", str(tmp_path / "clinic.toml"), timeout=60
    )
    assert result.returncode == 2 and "clinic.toml: is not a regular file" in result.stderr


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.render
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stop_signal_stops_the_workers_and_leaves_a_consistent_folder(tmp_path: Path, signum):
    import signal
    import time

    from pypdf import PdfReader

    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "publish.py"),
            "build",
            "--chapter",
            "international",
            "--variant",
            "office",
            "--quiet",
            "-j",
            "2",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.pdf"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(out.rglob("*.pdf"))) >= 2, "no PDF written: nothing would be checked"
    workers = _children(process.pid)
    assert len(workers) >= 2
    process.send_signal(getattr(signal, signum))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + getattr(signal, signum), stderr
    assert "Aborted by " + signum in stderr and "Traceback" not in stderr
    stopped_by = time.monotonic() + 1  # a worker may take a moment to see its parent gone
    while any(_alive(pid) for pid in workers) and time.monotonic() < stopped_by:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived its build"
    pdfs = sorted(out.rglob("*.pdf"))
    time.sleep(0.5)
    assert sorted(out.rglob("*.pdf")) == pdfs, "PDFs appeared after the build stopped"
    # Every PDF left is whole and listed: the manifest names it with its hash and pages.
    listed = {entry["path"]: entry for entry in manifest(out)}
    assert pdfs and sorted(listed) == sorted(pdf.relative_to(out).as_posix() for pdf in pdfs)
    for pdf in pdfs:
        entry = listed[pdf.relative_to(out).as_posix()]
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == entry["sha256"]
        assert len(PdfReader(pdf).pages) == entry["pages"] >= 1
    assert not [p for p in out.rglob("*.tmp")]
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) >= 1
    assert run_publish("verify", str(out)).returncode == 0  # every PDF listed, none missing


@pytest.mark.render
@pytest.mark.parametrize("translation", ["a" * 400, "Das Leitbild der IAIM " * 40])
def test_text_too_big_for_the_poster_is_reported_not_clipped(project: Path, tmp_path, translation):
    replace_in(
        PO,
        'msgid "The IAIM mission"\nmsgstr "Das Leitbild der IAIM"',
        f'msgid "The IAIM mission"\nmsgstr "{translation}"',
    )(project)
    out = tmp_path / "out"
    result = run_publish(
        "--project",
        str(project),
        "build",
        "--quiet",
        "-j",
        "1",
        "--out",
        str(out),
        *SCOPE,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "overflows by" in result.stderr and "Traceback" not in result.stderr
    assert not list(out.rglob("*.pdf"))


def test_update_refuses_a_catalog_it_would_damage_and_changes_nothing(project: Path):
    """Babel reads `msgstr "Blähungen und Koliken` (no closing quote) as one letter short."""
    gas("Blähungen und Koliken")(project)  # a well-formed entry first, then break it
    path = project / PO
    text = path.read_text(encoding="utf-8")
    broken = text.replace('msgstr "Blähungen und Koliken"', 'msgstr "Blähungen und Koliken')
    path.write_text(broken, encoding="utf-8")
    result = run_publish("--project", str(project), "i18n", "update", "--lang", "de", timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "messages.po:" in result.stderr and "unterminated" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == broken


@pytest.mark.render
def test_a_thumbnail_is_whole_or_absent_when_the_disk_fills(tmp_path: Path):
    import weasyprint

    out = tmp_path / "out"
    (out / "thumbs").mkdir(parents=True)
    (out / "a.pdf").write_bytes(weasyprint.HTML(string="<h1>Hello</h1>" * 40).write_pdf())
    script = (
        "import sys, resource, signal; from pathlib import Path;"
        "from pressroom.thumbnails import make_thumbnail;"
        "from pressroom.outputs import entry_for;"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300));"
        "out = Path(sys.argv[1]); data = (out / 'a.pdf').read_bytes();"
        "make_thumbnail(out, entry_for('a.pdf', data, 1, chapter='c', lang='en',"
        " brochure='b', variant='office', paper='a4'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1 and "cannot make its thumbnail" in result.stderr
    assert list((out / "thumbs").iterdir()) == []  # no truncated PNG for later builds to keep
