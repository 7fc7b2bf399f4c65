"""Room per string: measured on the real layout, and shown in catalogs, `check --json` and the
Weblate export."""

from __future__ import annotations

import csv
import json
import re

import pytest

from pressroom import i18n
from pressroom.jobs import Filters
from pressroom.languages import catalog_path
from pressroom.plan import make_plan
from pressroom.project import Project
from pressroom.project_check import room_jobs, run_checks
from pressroom.room import ROOM_PREFIX, StringRoom, weblate_rows

from .conftest import ROOT, copy_project, invoke

FUSSY = "His fussy moments were driven from pain"


def a_room(where: str, msgid: str, room_chars: int = 40) -> StringRoom:
    return StringRoom(
        "de", where, msgid, "benefits", 2, "panel-inside-2", "a4", 80, 2, 82.0, 8.3,
        room_chars, round(100 * room_chars / 80), 9.5, 4, None,
    )  # fmt: skip


def test_update_room_writes_comments_that_update_keeps_and_check_ignores(scratch_project):
    project = Project.at(scratch_project)
    path = catalog_path(project, "de")

    def where() -> str:
        lines = path.read_text(encoding="utf-8").splitlines()
        number = lines.index('msgid "Cramps"') + 1
        return f"locales/de/LC_MESSAGES/messages.po:{number}"

    room = a_room(where(), "Cramps")
    assert [r.changed for r in i18n.update(project, ["de"], rooms={"de": [room]})] == [True]
    po = path.read_text(encoding="utf-8")
    entry = po[po.index(ROOM_PREFIX) : po.index('msgid "Cramps"')]
    assert "+50 % (about 40 characters) before the inside-2 panel of benefits" in " ".join(
        entry.replace("#.", "").split()
    )
    assert "tummy cramps" in po[po.index("tummy cramps") - 80 : po.index('msgid "Cramps"')]
    # a plain update keeps it, and neither it nor --check calls the catalog stale
    assert [r.changed for r in i18n.update(project, ["de"])] == [False]
    assert invoke("i18n", "update", "--check", "--lang", "de", root=scratch_project).exit_code == 0
    assert path.read_text(encoding="utf-8") == po
    # measured again with other figures: rewritten
    moved = a_room(where(), "Cramps", room_chars=-12)
    assert [r.changed for r in i18n.update(project, ["de"], rooms={"de": [moved]})] == [True]
    assert "over by 15 %" in path.read_text(encoding="utf-8")
    assert po.count(ROOM_PREFIX) == 1


def test_the_weblate_export_gives_max_size_flags():
    (row,) = weblate_rows([a_room("locales/de/LC_MESSAGES/messages.po:9", "Cramps")])
    assert row["flags"] == "max-size:310:4, font-size:13"  # 82 mm at 96 dpi, 9.5 pt in px
    assert (row["language"], row["source"], row["context"]) == ("de", "Cramps", "")


def lengthen(project, msgid_start: str, extra: int) -> None:
    """Add `extra` characters (words of five letters) to the German translation of a string."""
    path = catalog_path(project, "de")
    po = path.read_text(encoding="utf-8")
    start = po.index(msgid_start)
    stop = po.index("\n\n", start)
    words = " ".join(["Worte"] * (extra // 6 + 1))[:extra]
    entry = po[start:stop]
    last_quote = entry.rindex('"')
    path.write_text(
        po[:start] + entry[:last_quote] + " " + words + entry[last_quote:] + po[stop:],
        encoding="utf-8",
    )


def fussy_room(project_root) -> tuple[StringRoom, list]:
    plan = make_plan(
        project_root,
        Filters(chapters=("international",), languages=("de",), brochures=("benefits",)),
    )
    report = run_checks(plan.project, room_jobs(plan.jobs))
    (room,) = [r for r in report.room if r.msgid.startswith(FUSSY)]
    return room, [f for f in report.findings if f.check == "overflow"]


@pytest.mark.render
def test_the_room_measured_is_the_room_the_layout_has(tmp_path):
    """Grow a German string by its room less a line: it fits; by its room and two lines
    more: its panel overflows, by about what the room says."""
    room, overflows = fussy_room(ROOT)
    assert room.region == "panel-inside-2" and room.room_chars > 60 and not overflows
    per_line = room.chars // room.lines + 1
    fits = copy_project(tmp_path / "fits")
    lengthen(Project.at(fits), FUSSY, room.room_chars - per_line)
    grown, overflows = fussy_room(fits)
    assert not overflows and 0 <= grown.room_chars < 2 * per_line
    over = copy_project(tmp_path / "over")
    lengthen(Project.at(over), FUSSY, room.room_chars + 2 * per_line)
    grown, overflows = fussy_room(over)
    assert overflows and "inside-2" in overflows[0].message
    assert -4 * per_line < grown.room_chars < 0


@pytest.mark.render
def test_check_json_lists_each_strings_room(tmp_path):
    out = tmp_path / "flags.csv"
    result = invoke(
        "check", "--lang", "de", "--chapter", "international", "--brochure", "mission",
        "--json", "--weblate-flags", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rooms = json.loads(result.output)["room"]
    statement = [r for r in rooms if r["msgid"].startswith("The purpose of the International")]
    assert statement and statement[0]["region"] == "page" and statement[0]["percent"] > 0
    assert re.match(r"locales/de/LC_MESSAGES/messages.po:\d+$", statement[0]["where"])
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["source"] for row in rows} == {r["msgid"] for r in rooms}
    assert all(row["flags"].startswith("max-size:") for row in rows)
