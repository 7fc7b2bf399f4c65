"""Reading WeasyPrint's laid-out boxes into plain ink records, in mm from the trim's top left,
and the record of a problem found on them.

Duck-typed on the box tree (no WeasyPrint import), so render.py stays its only importer and
the checks in layout_checks.py run on plain data that tests can also write by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PX_TO_MM = 25.4 / 96
PX_TO_PT = 0.75
_SVG = "{http://www.w3.org/2000/svg}"


def printed_text(element) -> str:
    """The text of an HTML element as its boxes lay it out: `itertext` without comments and
    without what an inline SVG holds (its <title> is alternate text, never printed)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not child.tag.startswith(_SVG):
            parts.append(printed_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def overlap(self, other: Rect) -> tuple[float, float]:
        """Width and height of the intersection (≤ 0 when apart)."""
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0),
            min(self.y1, other.y1) - max(self.y0, other.y0),
        )

    def clip(self, other: Rect) -> Rect | None:
        box = Rect(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )
        return box if box.x1 > box.x0 and box.y1 > box.y0 else None


@dataclass(frozen=True)
class Ink:
    """Something printed: a run of text, a graphic (image, QR code, art) or a rule."""

    kind: str  # "text", "graphic" or "rule"
    rect: Rect
    region: str  # the panel's class (e.g. "panel-cover"), or "page" on a portrait page
    block: int = -1  # text: the index of its Block on the page
    text: str = ""
    font_pt: float = 0.0
    what: str = ""  # graphics and rules: the element they belong to, e.g. "div.qr"


@dataclass(frozen=True)
class Block:
    """A paragraph-like box: its element's tag and classes, full text and laid-out lines."""

    tag: str
    classes: str
    text: str  # the element's whole text, whitespace collapsed
    lines: tuple[str, ...]
    region: str
    line_mm: float = 0.0  # the line pitch
    width_mm: float = 0.0  # the width its lines may fill
    font_pt: float = 0.0
    justified: bool = False  # text-align: justify (its lines should fill the measure)


@dataclass(frozen=True)
class Problem:
    """One thing wrong on one document; `texts` are the texts involved (to find their
    strings), `what` the elements concerned when no text is (a QR code, the art)."""

    check: str
    severity: str
    page: int
    region: str
    figure: float  # the measure the message gives (mm, %, lines, pt): the worst one is kept
    detail: str
    texts: tuple[str, ...] = ()
    what: tuple[str, ...] = ()


def element_of(block: Block) -> str:
    """The element a block is, as tag.class (to find its line in the templates)."""
    return block.tag + "".join(f".{name}" for name in block.classes.split()[:2])


@dataclass(frozen=True)
class Region:
    name: str
    border: Rect  # the panel's border box, or the page's trim
    content: Rect  # where the content goes: inside the panel's padding or the page margins


@dataclass(frozen=True)
class PageLayout:
    number: int
    width: float  # trim size, mm
    height: float
    regions: tuple[Region, ...]
    inks: tuple[Ink, ...]
    blocks: tuple[Block, ...]
    # free height (mm) of each region laid out as a flex column (tri-fold panels, the poster):
    # the space its growing blocks and spacers took beyond their content
    free: tuple[tuple[str, float], ...] = ()


def _classes(box) -> str:
    element = getattr(box, "element", None)
    return (element.get("class") or "") if element is not None else ""


def _border_rect(box) -> Rect:
    x, y = box.border_box_x(), box.border_box_y()
    return _mm(x, y, x + box.border_width(), y + box.border_height())


def _mm(x0: float, y0: float, x1: float, y1: float) -> Rect:
    return Rect(x0 * PX_TO_MM, y0 * PX_TO_MM, x1 * PX_TO_MM, y1 * PX_TO_MM)


def _visible(color) -> bool:
    return color is not None and getattr(color, "alpha", 1) > 0


def _children(box):
    for child in getattr(box, "children", ()):
        yield getattr(child, "_box", child)  # AbsolutePlaceholder wraps the laid-out box


def _has_text(box) -> bool:
    if type(box).__name__ == "TextBox":
        return bool(box.text.strip())
    return any(_has_text(child) for child in _children(box))


def _painted(box) -> bool:
    if type(box).__name__.endswith("ReplacedBox"):
        return True
    style = box.style
    if _visible(style["background_color"]) or any(
        image[0] != "none" for image in style["background_image"]
    ):
        return True
    return any(
        getattr(box, f"border_{side}_width", 0) and style[f"border_{side}_style"] != "none"
        for side in ("top", "right", "bottom", "left")
    )


def _rules(box, region: str, what: str) -> list[Ink]:
    """The visible borders of a box that holds text (a heading's underline, a quote's bar)."""
    x0, y0 = box.border_box_x(), box.border_box_y()
    x1, y1 = x0 + box.border_width(), y0 + box.border_height()
    sides = {
        "top": (x0, y0, x1, y0 + box.border_top_width),
        "bottom": (x0, y1 - box.border_bottom_width, x1, y1),
        "left": (x0, y0, x0 + box.border_left_width, y1),
        "right": (x1 - box.border_right_width, y0, x1, y1),
    }
    return [
        Ink("rule", _mm(*rect), region, what=what)
        for side, rect in sides.items()
        if getattr(box, f"border_{side}_width", 0) > 0
        and box.style[f"border_{side}_style"] != "none"
        and _visible(box.style[f"border_{side}_color"])
    ]


def _gap_mm(box) -> float:
    """The height a box has below its in-flow content: what flex growth gave it."""
    bottom = box.content_box_y() + box.height
    ends = [
        child.position_y + child.margin_height()
        for child in _children(box)
        if getattr(child, "style", None) is None
        or child.style["position"] in ("static", "relative")
    ]
    return max(0.0, (bottom - max(ends, default=box.content_box_y())) * PX_TO_MM)


def _describe(box) -> str:
    if getattr(box, "at_keyword", None):
        return box.at_keyword  # a page-margin box, e.g. @bottom-left
    classes = _classes(box).split()
    return (getattr(box, "element_tag", None) or "") + "".join(f".{name}" for name in classes[:2])


@dataclass
class _Reader:
    inks: list[Ink] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    free: dict[str, float] = field(default_factory=dict)

    def add(self, ink: Ink, clip: Rect | None) -> None:
        rect = ink.rect.clip(clip) if clip else ink.rect
        if rect is not None:  # wholly clipped ink is lost text: the overflow check says so
            self.inks.append(
                Ink(ink.kind, rect, ink.region, ink.block, ink.text, ink.font_pt, ink.what)
            )

    def walk(self, box, region: str, clip: Rect | None, in_column: bool = False) -> None:
        kind = type(box).__name__
        style = getattr(box, "style", None)
        if style is None or style["visibility"] != "visible" and kind != "LineBox":
            return
        column = kind.endswith("FlexBox") and style["flex_direction"] == "column"
        if kind not in ("LineBox", "TextBox", "InlineBox") and (
            column or in_column and style["flex_grow"] > 0
        ):
            self.free[region] = self.free.get(region, 0.0) + _gap_mm(box)
        classes = _classes(box).split()
        if "panel" in classes and kind != "LineBox":
            region = next((name for name in classes if name.startswith("panel-")), "panel")
            if region not in {r.name for r in self.regions}:
                self.regions.append(
                    Region(
                        region,
                        _border_rect(box),
                        _mm(
                            box.content_box_x(),
                            box.content_box_y(),
                            box.content_box_x() + box.width,
                            box.content_box_y() + box.height,
                        ),
                    )
                )
        if kind in ("LineBox", "TextBox", "InlineBox"):
            return
        if (
            style["position"] != "static"
            and isinstance(style["z_index"], int)
            and style["z_index"] < 0
        ):
            return  # a ground painted behind the content (a tint panel), not ink on it
        if _painted(box) and not _has_text(box):
            if (
                kind.endswith("ReplacedBox")
                or _visible(style["background_color"])
                or any(image[0] != "none" for image in style["background_image"])
            ):
                self.add(Ink("graphic", _border_rect(box), region, what=_describe(box)), clip)
            self.add_rules(box, region, clip)  # a box drawn by its borders only: its rules
            return
        self.add_rules(box, region, clip)
        if style["overflow"] != "visible":
            x, y = box.padding_box_x(), box.padding_box_y()
            own = _mm(x, y, x + box.padding_width(), y + box.padding_height())
            clip = own.clip(clip) if clip else own
            if clip is None:
                return
        lines = [child for child in _children(box) if type(child).__name__ == "LineBox"]
        if lines:
            self.read_lines(box, lines, region, clip)
        for child in _children(box):
            if type(child).__name__ != "LineBox":
                self.walk(child, region, clip, column)

    def add_rules(self, box, region: str, clip: Rect | None) -> None:
        for ink in _rules(box, region, _describe(box)):
            self.add(ink, clip)

    def read_lines(self, box, lines, region: str, clip: Rect | None) -> None:
        """A block of lines: its text runs are ink; inline-blocks inside are walked."""
        index = len(self.blocks)
        texts = []
        for line in lines:
            runs: list[str] = []
            self._line(line, region, clip, index, runs)
            texts.append("".join(runs))
        element = box.element
        text = " ".join(printed_text(element).split()) if element is not None else ""
        pitch = sum(line.height for line in lines) / len(lines) * PX_TO_MM
        justified = box.style["text_align_all"] == "justify"
        self.blocks.append(
            Block(
                getattr(box, "element_tag", ""),
                _classes(box),
                text,
                tuple(texts),
                region,
                round(pitch, 2),
                round(box.width * PX_TO_MM, 2),
                round(box.style["font_size"] * PX_TO_PT, 2),
                justified,
            )
        )

    def _line(self, box, region, clip, index, runs) -> None:
        for child in _children(box):
            kind = type(child).__name__
            if kind == "TextBox":
                runs.append(child.text)
                if child.text.strip() and child.style["visibility"] == "visible":
                    size = child.style["font_size"]
                    base = child.position_y + child.baseline
                    # The glyphs' ink, not the font's line box: caps and accents above the
                    # baseline, descenders below.
                    rect = _mm(
                        child.position_x,
                        base - 0.8 * size,
                        child.position_x + child.width,
                        base + 0.25 * size,
                    )
                    self.add(
                        Ink("text", rect, region, index, child.text, round(size * PX_TO_PT, 2)),
                        clip,
                    )
            elif kind in ("InlineBox", "LineBox"):
                if _painted(child):
                    self.add_rules(child, region, clip)
                self._line(child, region, clip, index, runs)
            else:  # an inline-block, image or positioned box inside the line
                runs.append(" ")
                self.walk(child, region, clip)


def read_page(page_box, number: int) -> PageLayout:
    """One laid-out page as plain records."""
    reader = _Reader()
    width, height = page_box.margin_width(), page_box.margin_height()
    for child in _children(page_box):
        reader.walk(child, "page", None)
    trim = _mm(0, 0, width, height)
    content = _mm(
        page_box.content_box_x(),
        page_box.content_box_y(),
        page_box.content_box_x() + page_box.width,
        page_box.content_box_y() + page_box.height,
    )
    regions = tuple(reader.regions) or (Region("page", trim, content),)
    return PageLayout(
        number,
        trim.x1,
        trim.y1,
        regions,
        tuple(reader.inks),
        tuple(reader.blocks),
        tuple((name, round(mm, 2)) for name, mm in reader.free.items()),
    )
