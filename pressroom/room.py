"""Room per string: how much each string may grow before its panel or page overflows, measured
on the real layout, or by how much it is over.

A tri-fold panel (and the poster) is a flex column of fixed height: its free height is what
its growing blocks and spacers took beyond their content (boxes.py). A handout flows: its free
height is what is left on its last page. Any string of a panel may use the panel's free
height, so a string's room is that height in its own lines, at its size and width.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .boxes import Block, PageLayout
from .jobs import Job
from .layout_report import Sources
from .outputs import write_atomic

ROOM_PREFIX = "Room in the layout:"  # the `#.` comment `i18n update --room` writes
# the whole comment, however a writer wrapped it: it always ends with "on <paper>."
ROOM_COMMENT = re.compile(re.escape(ROOM_PREFIX) + r".*? on (?:a4|letter)\.")


@dataclass(frozen=True)
class StringRoom:
    lang: str
    where: str  # PO file:line
    msgid: str
    brochure: str
    page: int
    region: str  # "panel-flap", or "page"
    paper: str
    chars: int  # its length as laid out
    lines: int
    width_mm: float
    free_mm: float  # the panel's (or last page's) free height; negative: over by
    room_chars: int  # characters it may add; negative: characters too many
    percent: float  # room_chars against its length
    font_pt: float = 0.0
    max_lines: int = 0  # the lines it may take before its panel or page overflows
    context: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def comment(self) -> str:
        return f"{ROOM_PREFIX} {self.describe()}."

    def weblate_flags(self) -> str:
        """Weblate's `max-size` check: the box's width in pixels and the lines it may take,
        with the font size it is set in (font-family: the language's Noto face, loaded in
        Weblate's fonts)."""
        width_px = round(self.width_mm / 25.4 * 96)
        return (
            f"max-size:{width_px}:{max(1, self.max_lines)}, font-size:{round(self.font_pt / 0.75)}"
        )

    def describe(self) -> str:
        place = (
            f"page {self.page}" if self.region == "page" else f"{self.region[6:]} panel"
        ) + f" of {self.brochure}"
        if self.room_chars < 0:
            return (
                f"over by {-self.percent:g} % (about {-self.room_chars} characters too many): "
                f"{place} on {self.paper}"
            )
        return (
            f"+{self.percent:g} % (about {self.room_chars} characters) before the {place} "
            f"overflows on {self.paper}"
        )


def _region_free(
    pages: tuple[PageLayout, ...], designed_pages: int
) -> dict[tuple[int, str], float]:
    """The free height (mm) of every region: flex columns from boxes.py; flowing pages by
    what is left on the last designed page, or minus what runs onto pages the design has not."""
    free: dict[tuple[int, str], float] = {}
    for page in pages:
        for name, mm in page.free:
            free[page.number, name] = mm
    flowing = [page for page in pages if not page.free]
    if flowing:

        def used(page: PageLayout) -> tuple[float, float]:
            content = page.regions[0].content
            bottoms = [i.rect.y1 for i in page.inks if i.rect.y0 < content.y1]
            return content.y0, max(bottoms, default=content.y0)

        last = min(designed_pages, len(pages))
        top, bottom = used(pages[last - 1])
        room = pages[last - 1].regions[0].content.y1 - bottom
        for page in pages[last:]:  # pages the design has not: what runs onto them is over
            top, bottom = used(page)
            room -= bottom - top
        for page in flowing:
            free[page.number, "page"] = room
    return free


def _room_chars(block: Block, free_mm: float) -> int:
    per_line = max((len(line.strip()) for line in block.lines), default=0) or len(block.text)
    if block.line_mm <= 0:
        return 0
    if free_mm >= 0:
        slack = per_line - len(block.lines[-1].strip()) if block.lines else 0
        return int(free_mm // block.line_mm) * per_line + max(0, slack)
    return -math.ceil(-free_mm / block.line_mm) * per_line


def measure(
    job: Job, pages: tuple[PageLayout, ...], sources: Sources, overflows: tuple = ()
) -> list[StringRoom]:
    """The room of every catalog string laid out in one document."""
    free = _region_free(pages, job.brochure.pages)
    for overflow in overflows:  # a panel that overflows has no free height but a deficit
        region = next((c for c in overflow.box.split() if c.startswith("panel-")), "page")
        free[overflow.page, region] = -overflow.by_mm
    found = []
    for page in pages[: job.brochure.pages]:
        for block in page.blocks:
            mm = free.get((page.number, block.region))
            if mm is None or not block.text.strip():
                continue
            room = _room_chars(block, mm)
            chars = max(1, len(block.text))
            for source in sources.find(block.text):
                found.append(
                    StringRoom(
                        job.lang,
                        source.where,
                        source.msgid,
                        job.brochure.name,
                        page.number,
                        block.region,
                        job.paper,
                        chars,
                        len(block.lines),
                        block.width_mm,
                        round(mm, 1),
                        room,
                        round(100 * room / chars),
                        block.font_pt,
                        len(block.lines) + math.floor(mm / block.line_mm) if block.line_mm else 0,
                        source.context,
                    )
                )
    return found


def panels(rooms: list[StringRoom], strings: int = 5) -> list[dict]:
    """Per page and panel of one document: its free height and its tightest strings."""
    grouped: dict[tuple[int, str], list[StringRoom]] = {}
    for room in rooms:
        grouped.setdefault((room.page, room.region), []).append(room)
    return [
        {
            "page": page,
            "panel": region.removeprefix("panel-"),
            "free_mm": members[0].free_mm,
            "strings": [
                {
                    "where": room.where,
                    "msgid": room.msgid,
                    "percent": room.percent,
                    "room_chars": room.room_chars,
                }
                for room in sorted(members, key=lambda r: r.percent)[:strings]
            ],
        }
        for (page, region), members in sorted(grouped.items())
    ]


def weblate_rows(rooms: list[StringRoom]) -> list[dict[str, str]]:
    """The rows of the Weblate export: one per language and string, with its flags."""
    return [
        {
            "language": room.lang,
            "context": room.context or "",
            "source": room.msgid,
            "location": room.where,
            "flags": room.weblate_flags(),
            "room": room.describe(),
        }
        for room in rooms
    ]


def write_weblate_csv(path: Path, rooms: list[StringRoom]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ["language", "context", "source", "location", "flags", "room"])
    writer.writeheader()
    writer.writerows(weblate_rows(rooms))
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def split_comment(comments: list[str]) -> tuple[str, str | None]:
    """An entry's `#.` comments as one text without the room comment, and the room comment."""
    joined = " ".join(" ".join(comments).split())
    match = ROOM_COMMENT.search(joined)
    if not match:
        return joined, None
    return " ".join((joined[: match.start()] + joined[match.end() :]).split()), match.group(0)


def tightest(rooms: list[StringRoom]) -> list[StringRoom]:
    """One room per string and language: the tightest of all its documents and papers."""
    worst: dict[tuple[str, str], StringRoom] = {}
    for room in rooms:
        key = (room.lang, room.where)
        if key not in worst or room.percent < worst[key].percent:
            worst[key] = room
    return sorted(worst.values(), key=lambda r: (r.lang, r.percent))
