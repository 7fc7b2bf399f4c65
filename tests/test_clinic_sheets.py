"""Clinics from a spreadsheet (`--clinics FILE.csv`, a chapter's `clinics = "…csv"`): rows
read as Excel and LibreOffice save them, every problem of every row reported at once with its
line and column, and nothing rendered when there is one. Renders nothing."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from pressroom.chapters import load_records
from pressroom.errors import ConfigError
from pressroom.languages import available_languages
from pressroom.project import Project

from .conftest import ROOT, invoke, write_record

HEADER = ["id", "name", "chapter", "organisation", "address", "phone", "email", "website"]
GOOD = [
    "good-clinic",
    "Good Clinic",
    "usa",
    "Good Clinic & Sons",
    "1 Main Street, Springfield",
    "+1 555 0100",
    "hi@example.org",
    "https://good.example.org/",
]


def row(**cells: str) -> list[str]:
    values = dict(zip(HEADER, ["", "A Clinic", "usa", "", "", "", "", ""], strict=True))
    return [*{**values, **cells}.values()]


# Twelve different mistakes, one a row, with the line and column each must be reported at.
# The row with a line break inside its address spans two lines: the rows after it start a
# line later, as a spreadsheet shows them.
BAD_ROWS = [
    (row(id="good-clinic"), 3, "id", "already used by"),
    (row(id="b", chapter="atlantis"), 4, "chapter", "no chapter has id 'atlantis'"),
    (row(id="c", website="http://c.example.org/"), 5, "website", "https://"),
    (row(id="d", name=""), 6, "name", "is empty"),
    (row(id="e", name="<b>Best</b> Clinic"), 7, "name", "markup"),
    (row(id="f", organisation="Smith &amp; Co"), 8, "organisation", "markup"),
    (row(id="g", address="1 Main Street\nSpringfield"), 9, "address", "line break"),
    (row(id="h", email="clinic at example.org"), 11, "email", "not valid"),
    (row(id="i", phone="call us"), 12, "phone", "not valid"),
    (row(id="Clinic J"), 13, "id", "not valid"),
    (row(id=""), 14, "id", "is empty"),
    ([*row(id="l"), "Springfield"], 15, "", "has 9 cells, the header 8"),
]


def sheet(rows: list[list[str]], *, delimiter=",", crlf=False, bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


@pytest.fixture
def project(scratch_project: Path) -> Path:
    for name in ("usa.toml", "switzerland.toml"):
        text = (ROOT / "chapters" / name).read_text(encoding="utf-8")
        write_record(scratch_project / "chapters", name, text)
    return scratch_project


def problems_of(root: Path, *files: Path) -> list[str]:
    project = Project.at(root)
    with pytest.raises(ConfigError) as raised:
        load_records(project, available_languages(project), files)
    return [str(problem) for problem in raised.value.problems]


# Excel's "CSV UTF-8" (BOM, CRLF), LibreOffice in a European locale (semicolons), plain.
FORMATS = {
    "plain": {},
    "excel-utf8": {"bom": True, "crlf": True},
    "european": {"delimiter": ";", "crlf": True, "bom": True},
}


@pytest.mark.parametrize("saved_as", FORMATS)
def test_twelve_bad_rows_are_all_reported_with_line_and_column_and_nothing_renders(
    project: Path, tmp_path: Path, saved_as: str
):
    path = tmp_path / "clinics.csv"
    path.write_bytes(sheet([HEADER, GOOD, *(cells for cells, *_ in BAD_ROWS)], **FORMATS[saved_as]))
    out = tmp_path / "out"
    result = invoke("build", "-j", "1", "--clinics", str(path), "--out", str(out), root=project)
    assert result.exit_code == 2, result.output
    assert "12 problem(s)" in result.output, result.output
    reported = problems_of(project, path)
    assert len(reported) == 12, reported
    for (_, line, column, says), problem in zip(BAD_ROWS, reported, strict=True):
        where = f"{path}:{line}: {column}: " if column else f"{path}:{line}: "
        assert problem.startswith(where) and says in problem, (where, says, problem)
    assert not out.exists(), "nothing may be written when a record is wrong"


def test_a_sheet_saved_by_excel_or_libreoffice_reads_as_the_plain_one(project, tmp_path):
    quoted = row(id="q", name='The "Quoted"; Clinic, Ltd', address="Rue 5; 1003 Lausanne")
    read = []
    for name, options in FORMATS.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(sheet([HEADER, GOOD, quoted], **options))
        project_ = Project.at(project)
        _, clinics = load_records(project_, available_languages(project_), (path,))
        read.append([(c.id, c.name, c.chapter, c.contact, c.line) for c in clinics])
    assert read[0] == read[1] == read[2]
    assert read[0][1][1] == 'The "Quoted"; Clinic, Ltd' and read[0][1][4] == 3


def test_excels_sep_line_names_the_delimiter(project, tmp_path):
    path = tmp_path / "sep.csv"
    path.write_bytes(b"sep=;\r\n" + sheet([HEADER, GOOD], delimiter=";", crlf=True))
    project_ = Project.at(project)
    _, clinics = load_records(project_, available_languages(project_), (path,))
    assert [(c.id, c.line) for c in clinics] == [("good-clinic", 3)]


@pytest.mark.parametrize(
    "data, says",
    [
        (
            "id,name,chapter\nz,Café Clinic,usa\n".encode("cp1252"),
            ":2: is not UTF-8 text (byte 0xE9)",
        ),
        ("id,name,chapter\n".encode("utf-16"), ": is UTF-16 text"),
        (b"id,name,chapter,fax\nz,Z,usa,1\n", ":1: fax: unknown column"),
        (b"id,chapter\nz,usa\n", ":1: name: missing column"),
        (b"id,name,name,chapter\nz,Z,Y,usa\n", ":1: name: is a second column"),
        (b"", ": is empty; the first line must name the columns"),
        (b'id,name,chapter\nz,"Z Clinic,usa\n', ":2: cannot be read as CSV"),
    ],
    ids=["cp1252", "utf-16", "unknown-column", "missing-column", "twice", "empty", "open-quote"],
)
def test_a_sheet_that_cannot_be_read_says_why_and_where(project, tmp_path, data, says):
    path = tmp_path / "clinics.csv"
    path.write_bytes(data)
    reported = problems_of(project, path)
    assert any(problem.startswith(str(path)) and says in problem for problem in reported), reported


def test_a_sheet_too_large_or_not_a_file_is_refused_by_name(project, tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"id,name,chapter\n" + b"x" * (8 * 1024 * 1024))
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # a read of it would wait forever: refused without reading
    reported = problems_of(project, big, fifo)
    assert reported == [
        f"{big}: is 8.0 MB; a clinic sheet may be at most 8 MB",
        f"{fifo}: is not a regular file (a pipe, device or socket); use a clinic sheet file",
    ]


def test_a_chapter_names_its_sheet_and_its_rows_may_leave_out_the_chapter(project):
    (project / "chapters" / "swiss-clinics.csv").write_text(
        "id,name,address\nrosen,Praxis am Rosengarten,Zürich\nother,Other,Bern\n", encoding="utf-8"
    )
    record = project / "chapters" / "switzerland.toml"
    record.write_text(
        'clinics = "swiss-clinics.csv"\n' + record.read_text(encoding="utf-8"), encoding="utf-8"
    )
    project_ = Project.at(project)
    _, clinics = load_records(project_, available_languages(project_))
    assert [(c.id, c.chapter, c.line) for c in clinics] == [
        ("rosen", "switzerland", 2),
        ("other", "switzerland", 3),
    ]
    (project / "chapters" / "swiss-clinics.csv").write_text(
        "id,name,chapter\nrosen,Praxis am Rosengarten,usa\n", encoding="utf-8"
    )
    assert problems_of(project) == [
        "chapters/swiss-clinics.csv:2: chapter: this sheet lists the clinics of "
        "chapters/switzerland.toml (switzerland); list a clinic of 'usa' in its own sheet"
    ]


def test_a_toml_clinic_is_held_to_the_same_rules(project):
    write_record(project / "clinics", "t.toml", 'id = "t"\nname = "<i>T</i>"\nchapter = "usa"\n')
    assert problems_of(project) == [
        "clinics/t.toml: name: has markup (a tag or &entity;); give plain text, as printed"
    ]


def test_clinics_takes_only_csv(project, tmp_path):
    record = write_record(tmp_path, "c.toml", 'id = "c"\nname = "C"\nchapter = "usa"\n')
    result = invoke("list", "--clinics", str(record), root=project)
    assert result.exit_code == 2 and "not a .csv file" in result.output, result.output


def test_the_sample_sheet_is_valid_and_only_built_when_named():
    default = invoke("list", "--json")
    named = invoke("list", "--json", "--clinics", str(ROOT / "clinics/sample-clinics.csv"))
    assert default.exit_code == named.exit_code == 0, named.output
    before, after = json.loads(default.stdout), json.loads(named.stdout)
    added = {c["id"] for c in after["clinics"]} - {c["id"] for c in before["clinics"]}
    assert len(added) == 5 and {c["chapter"] for c in after["clinics"]} == {"usa", "switzerland"}
    assert not any(c["id"] in added for c in before["clinics"])  # not in the default build


def test_editing_one_row_changes_only_that_clinics_fingerprint(project, tmp_path):
    from pressroom.fingerprints import fingerprint
    from pressroom.jobs import Filters, plan_jobs

    path = tmp_path / "clinics.csv"
    other = row(id="other", name="Other Clinic")

    def prints(good: list[str]) -> dict[str, str]:
        path.write_bytes(sheet([HEADER, good, other]))
        project_ = Project.at(project)
        chapters, clinics = load_records(project_, available_languages(project_), (path,))
        jobs = plan_jobs(chapters, clinics, Filters(("usa",), ("en",), ("mission",), ("office",)))
        return {job.output: fingerprint(project_, job) for job in jobs if job.clinic}

    before = prints(GOOD)
    after = prints([*GOOD[:4], "2 Main Street, Springfield", *GOOD[5:]])
    changed = {output for output in before if before[output] != after[output]}
    assert changed == {"usa/en/mission-good-clinic-office.pdf"}
