"""What a print designer sees on a laid-out document: ink outside the safe area, ink over ink,
empty space, uneven panels and small type (line breaks: line_breaks.py), and all together.

Pure functions over the plain records of boxes.py: no rendering here, so every rule is
testable with hand-made pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .boxes import Ink, PageLayout, Problem, Rect, element_of
from .catalog_checks import ERROR, WARNING
from .line_breaks import line_breaks, long_lines, mixed_spacing, script_of

SAFE_MM = 5.0  # from the trim (office: the paper edge) and from every fold
EMPTY_SHARE = 0.25  # the largest ink-free band of a panel or page, as a share of its height
SPREAD_MM = 10.0  # inside-spread panels should end within this of each other
OVERLAP_MM = 0.3  # ink crossing ink by less than this in either direction is not an overlap
MARK_MM = 0.6  # a line at most this wide, centred on a fold, is a fold mark
# Blocks that print a record's name or address, and the lines each may take: a name wrapping
# further no longer reads as a name (and is not shrunk or clipped to fit: it is reported).
RECORD_LINES = {"imprint-name": 2, "contact-name": 2, "contact-address": 2}
# A Latin word in Arabic text stands this much of the Arabic's size at most: Latin capitals
# (0.71 em) dwarf Naskh's letter bodies (0.38 em) at the same size (styles/base.css, .latin).
LATIN_IN_ARABIC = 0.9
_ARABIC = re.compile("[\u0600-\u06ff]")
# A line of justified Chinese or Japanese running text this much shorter than its paragraph's
# measure, before the last line, shows as a hole in the grid (WeasyPrint stretches only
# spaces, so a line that breaks early stays short).
SHORT_LINE = 0.8
_LATIN_START = re.compile(r"[A-Za-z]{6,}")
_LATIN_WORD = re.compile("[A-Za-z]{2,}")
# The smallest body size per script. Noto Naskh Arabic and Noto Sans Devanagari draw smaller
# than Noto Sans at the same size (the designer's review: Naskh reads ~1.5 pt small,
# Devanagari ~1 pt); CJK ideographs need a little more for their stroke density.
MIN_PT = {
    "latin": 9.5,
    "greek": 9.5,
    "cyrillic": 9.5,
    "hebrew": 9.5,
    "arabic": 11.0,
    "devanagari": 10.5,
    "cjk": 10.0,
}


@dataclass(frozen=True)
class Geometry:
    """Where a document's panels are: the folds of each page, in mm from the left trim."""

    folds: Mapping[int, tuple[float, ...]]  # page number -> fold positions ((): no folds)
    lang: str = "en"
    names: tuple[str, ...] = ()  # proper names the records print (chapter, clinic, contact)


def _columns(page: PageLayout, folds: tuple[float, ...]) -> list[tuple[float, float]]:
    edges = (0.0, *folds, page.width)
    return list(zip(edges, edges[1:], strict=False))


def safe_areas(page: PageLayout, folds: tuple[float, ...]) -> dict[str, Rect]:
    """Each region's safe area: its column between trim and folds, less 5 mm on every side."""
    areas = {}
    for region in page.regions:
        middle = (region.border.x0 + region.border.x1) / 2
        left, right = next(
            ((a, b) for a, b in _columns(page, folds) if a <= middle < b), (0.0, page.width)
        )
        areas[region.name] = Rect(left + SAFE_MM, SAFE_MM, right - SAFE_MM, page.height - SAFE_MM)
    return areas


def _element(page: PageLayout, ink: Ink) -> str:
    return element_of(page.blocks[ink.block]) if 0 <= ink.block < len(page.blocks) else ink.what


def _block_text(page: PageLayout, ink: Ink) -> str:
    return page.blocks[ink.block].text if 0 <= ink.block < len(page.blocks) else ink.text


def outside_safe_area(page: PageLayout, folds: tuple[float, ...]) -> list[Problem]:
    areas = safe_areas(page, folds)
    worst: dict[tuple, tuple[float, str, Ink]] = {}
    for ink in page.inks:
        area = areas.get(ink.region)
        if area is None:
            continue
        sides = {
            "left": area.x0 - ink.rect.x0,
            "right": ink.rect.x1 - area.x1,
            "top": area.y0 - ink.rect.y0,
            "bottom": ink.rect.y1 - area.y1,
        }
        side, by = max(sides.items(), key=lambda item: item[1])
        if by > 0.1:
            key = (ink.region, ink.block if ink.kind == "text" else ink.what)
            if key not in worst or by > worst[key][0]:
                worst[key] = (by, side, ink)
    problems = []
    for (region, _), (by, side, ink) in worst.items():
        edge = SAFE_MM - by
        named = (
            f"text {ink.text.strip()[:40]!r}" if ink.kind == "text" else f"{ink.kind} {ink.what}"
        )
        reach = f"reaches {edge:.1f} mm from" if edge >= 0 else f"runs {-edge:.1f} mm past"
        problems.append(
            Problem(
                "safe-area",
                ERROR,
                page.number,
                region,
                round(by, 1),
                f"{named} {reach} the {side} edge of its panel (trim or fold; safe area "
                f"{SAFE_MM:g} mm): {by:.1f} mm too far",
                (_block_text(page, ink),) if ink.kind == "text" else (),
                (_element(page, ink),),
            )
        )
    return problems


def overlaps(page: PageLayout) -> list[Problem]:
    """Text under a graphic (one problem per graphic), or over text of another paragraph."""
    texts = sorted((ink for ink in page.inks if ink.kind == "text"), key=lambda i: i.rect.y0)
    problems = []
    for graphic in (ink for ink in page.inks if ink.kind == "graphic"):
        covered = [(text, *text.rect.overlap(graphic.rect)) for text in texts]
        covered = [(text, w, h) for text, w, h in covered if w > OVERLAP_MM and h > OVERLAP_MM]
        if covered:
            area = sum(w * h for _, w, h in covered)
            words = " / ".join(dict.fromkeys(text.text.strip()[:30] for text, _, _ in covered))
            problems.append(
                Problem(
                    "overlap",
                    ERROR,
                    page.number,
                    graphic.region,
                    round(area, 1),
                    f"{graphic.what} is drawn over {len(covered)} run(s) of text ({area:.0f} mm²): "
                    f"{words[:90]!r}",
                    tuple(dict.fromkeys(_block_text(page, t) for t, _, _ in covered)),
                    (graphic.what, *dict.fromkeys(_element(page, t) for t, _, _ in covered)),
                )
            )
    found: dict[tuple, tuple[float, float, Ink, Ink]] = {}
    for index, text in enumerate(texts):
        for other in texts[index + 1 :]:
            if other.rect.y0 >= text.rect.y1:
                break
            if other.block == text.block:
                continue
            width, height = text.rect.overlap(other.rect)
            least = 0.25 * min(text.font_pt, other.font_pt) * 25.4 / 72
            key = tuple(sorted((text.block, other.block)))
            if (
                width > OVERLAP_MM
                and height > max(OVERLAP_MM, least)
                and (key not in found or width * height > found[key][0] * found[key][1])
            ):
                found[key] = (width, height, text, other)
    for width, height, a, b in found.values():
        problems.append(
            Problem(
                "overlap",
                ERROR,
                page.number,
                a.region,
                round(width * height, 1),
                f"text {b.text.strip()[:30]!r} is drawn over text {a.text.strip()[:30]!r} "
                f"({width:.1f} × {height:.1f} mm)",
                tuple(dict.fromkeys(_block_text(page, ink) for ink in (a, b))),
                (_element(page, a), _element(page, b)),
            )
        )
    return problems


def _bands(inks: Sequence[Ink], top: float, bottom: float) -> tuple[float, float, float]:
    """The largest ink-free horizontal band between top and bottom: (height, from, to)."""
    spans = sorted(
        (max(ink.rect.y0, top), min(ink.rect.y1, bottom))
        for ink in inks
        if ink.rect.y1 > top and ink.rect.y0 < bottom
    )
    best, cursor = (0.0, top, top), top
    for y0, y1 in [*spans, (bottom, bottom)]:
        if y0 - cursor > best[0]:
            best = (y0 - cursor, cursor, y0)
        cursor = max(cursor, y1)
    return best


def empty_space(page: PageLayout) -> list[Problem]:
    problems = []
    for region in page.regions:
        inks = [ink for ink in page.inks if ink.region == region.name]
        height = region.content.height
        if not inks or height <= 0:
            continue
        gap, start, end = _bands(inks, region.content.y0, region.content.y1)
        share = gap / height
        above = [ink for ink in inks if ink.kind == "text" and ink.rect.y1 <= start + 0.01]
        last = max(above, key=lambda ink: ink.rect.y1, default=None)
        if share > EMPTY_SHARE:
            where = "panel" if region.name != "page" else "page"
            problems.append(
                Problem(
                    "empty",
                    WARNING,
                    page.number,
                    region.name,
                    round(100 * share),
                    f"the {where} is {100 * share:.0f} % empty: {gap:.0f} mm without ink from "
                    f"{start:.0f} to {end:.0f} mm (at most {EMPTY_SHARE:.0%} of {height:.0f} mm)",
                    (_block_text(page, last),) if last else (),
                    ((last and _element(page, last)) or f".{region.name}",),
                )
            )
    return problems


def uneven_spread(page: PageLayout) -> list[Problem]:
    """The inside spread (the tri-fold's second page): its panels should end together."""
    bottoms = {
        region.name: [ink.rect.y1 for ink in page.inks if ink.region == region.name]
        for region in page.regions
    }
    ends = {name: max(values) for name, values in bottoms.items() if values}
    if len(ends) < 2:
        return []
    spread = max(ends.values()) - min(ends.values())
    if spread <= SPREAD_MM:
        return []
    shown = ", ".join(f"{name} at {end:.0f} mm" for name, end in ends.items())
    shortest = min(ends, key=lambda name: ends[name])
    last = max(
        (ink for ink in page.inks if ink.kind == "text" and ink.region == shortest),
        key=lambda ink: ink.rect.y1,
        default=None,
    )
    return [
        Problem(
            "uneven-spread",
            WARNING,
            page.number,
            "inside spread",
            round(spread, 1),
            f"the inside panels end {spread:.0f} mm apart ({shown}; at most {SPREAD_MM:g} mm)",
            (_block_text(page, last),) if last else (),
            (shortest,),
        )
    ]


def small_text(pages: Sequence[PageLayout]) -> list[Problem]:
    """Text under its script's smallest body size: one problem per script and size."""
    seen: dict[tuple[str, float], list] = {}
    for page in pages:
        for ink in page.inks:
            if ink.kind != "text" or not ink.font_pt:
                continue
            script = script_of(ink.text)
            if ink.font_pt < MIN_PT[script] - 0.01:
                seen.setdefault((script, ink.font_pt), []).append((page, ink))
    problems = []
    for (script, size), found in seen.items():
        page, ink = found[0]
        regions = sorted({f"p{p.number} {i.region}" for p, i in found})
        problems.append(
            Problem(
                "small-text",
                WARNING,
                page.number,
                "",
                size,
                f"{len(found)} run(s) of {script} text at {size:g} pt, "
                f"under the {MIN_PT[script]:g} pt this script needs (in {', '.join(regions[:6])})",
                tuple(dict.fromkeys(_block_text(p, i) for p, i in found))[:8],
                tuple(dict.fromkeys(_element(p, i) for p, i in found))[:8],
            )
        )
    return problems


def latin_in_arabic(pages: Sequence[PageLayout]) -> list[Problem]:
    """Latin words set at the size of the Arabic text around them ("رسالة IAIM"): one
    problem per paragraph, with the ratio of the Latin's size to the Arabic's."""
    found: dict[tuple[int, int], tuple[float, PageLayout, Ink]] = {}
    for page in pages:
        arabic_pt: dict[int, float] = {}
        for ink in page.inks:
            if ink.kind == "text" and _ARABIC.search(ink.text):
                arabic_pt[ink.block] = max(arabic_pt.get(ink.block, 0.0), ink.font_pt)
        for ink in page.inks:
            if ink.kind != "text" or ink.block not in arabic_pt or not _LATIN_WORD.search(ink.text):
                continue
            # in the same run as Arabic letters, the Latin has the Arabic's size
            ratio = 1.0 if _ARABIC.search(ink.text) else ink.font_pt / arabic_pt[ink.block]
            key = (page.number, ink.block)
            if ratio > LATIN_IN_ARABIC and ratio > found.get(key, (0.0,))[0]:
                found[key] = (ratio, page, ink)
    return [
        Problem(
            "latin-size",
            WARNING,
            page.number,
            ink.region,
            round(ratio, 2),
            f"Latin {' '.join(_LATIN_WORD.findall(ink.text))[:30]!r} is set at {ratio:.0%} of the "
            f"Arabic around it, where its capitals dwarf the Arabic (at most "
            f"{LATIN_IN_ARABIC:.0%})",
            (_block_text(page, ink),),
            (_element(page, ink),),
        )
        for ratio, page, ink in found.values()
    ]


def record_lines(page: PageLayout) -> list[Problem]:
    """A record's name or address taking more lines than its block allows."""
    problems = []
    for block in page.blocks:
        limit = next((RECORD_LINES[c] for c in block.classes.split() if c in RECORD_LINES), 0)
        lines = [line for line in block.lines if line.strip()]
        if limit and len(lines) > limit:
            problems.append(
                Problem(
                    "too-long",
                    ERROR,
                    page.number,
                    block.region if block.region != "page" else "",
                    float(len(lines)),
                    f"{block.text[:50]!r} takes {len(lines)} lines in its block "
                    f"({element_of(block)}, at most {limit}); shorten it in its record "
                    "or sheet row",
                    (block.text,),
                    (element_of(block),),
                )
            )
    return problems


def short_lines(page: PageLayout) -> list[Problem]:
    """Justified CJK paragraphs with a line that stops short of the measure before the last
    (a phrase kept whole that did not fit): one problem per paragraph, the shortest line's
    share of the measure."""
    problems = []
    for index, block in enumerate(page.blocks):
        if not block.justified or len(block.lines) < 2 or script_of(block.text) != "cjk":
            continue
        inks = [ink for ink in page.inks if ink.kind == "text" and ink.block == index]
        if not inks:
            continue
        lines: dict[float, list[Ink]] = {}
        for ink in inks:
            lines.setdefault(round(ink.rect.y0, 0), []).append(ink)
        left = min(ink.rect.x0 for ink in inks)
        measure = max(ink.rect.x1 for ink in inks) - left
        rows = [lines[y] for y in sorted(lines)]
        # The last line may be short, and so may a line before a Latin word too long for its
        # end: a name such as "International Representation" never hyphenates (the renderer
        # cannot space ideographs apart to fill such a line; the review lists it).
        rows = [
            row
            for row, following in zip(rows, rows[1:], strict=False)
            if not _LATIN_START.match("".join(i.text for i in following).lstrip())
        ]
        widths = [max(i.rect.x1 for i in row) - min(i.rect.x0 for i in row) for row in rows]
        if not widths or measure <= 0:
            continue
        share = min(widths) / measure
        if share < SHORT_LINE:
            row = rows[widths.index(min(widths))]
            problems.append(
                Problem(
                    "short-line",
                    WARNING,
                    page.number,
                    block.region,
                    round(100 * share),
                    f"a line of justified text fills {share:.0%} of the measure before the "
                    f"paragraph's end: {''.join(i.text for i in row).strip()[-16:]!r} (at least "
                    f"{SHORT_LINE:.0%})",
                    (block.text,),
                    (element_of(block),),
                )
            )
    return problems


def without_fold_marks(page: PageLayout, folds: tuple[float, ...]) -> PageLayout:
    """The page less its fold marks: hairlines drawn on a fold to guide the folding are
    marks, like crop marks, not content that must keep clear of the fold."""

    def on_fold(ink: Ink) -> bool:
        middle = (ink.rect.x0 + ink.rect.x1) / 2
        return (
            ink.kind != "text"
            and ink.rect.x1 - ink.rect.x0 <= MARK_MM
            and any(abs(middle - fold) <= MARK_MM for fold in folds)
        )

    inks = tuple(ink for ink in page.inks if not on_fold(ink))
    return page if len(inks) == len(page.inks) else replace(page, inks=inks)


def check_layout(pages: Sequence[PageLayout], geometry: Geometry) -> list[Problem]:
    """Every rule on every page of one document."""
    pages = [without_fold_marks(page, geometry.folds.get(page.number, ())) for page in pages]
    problems = []
    for page in pages:
        problems += outside_safe_area(page, geometry.folds.get(page.number, ()))
        problems += overlaps(page)
        problems += line_breaks(page, geometry.lang, geometry.names)
        problems += mixed_spacing(page)
        problems += short_lines(page)
        problems += long_lines(page)
        problems += empty_space(page)
        problems += record_lines(page)
        if geometry.folds.get(page.number) and page.number == 2:
            problems += uneven_spread(page)
    return problems + small_text(pages) + latin_in_arabic(pages)
