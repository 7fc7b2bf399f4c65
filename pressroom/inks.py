"""What each page puts on which printing plate: text, fills, strokes and images with their
colours, read from the content streams, and the ink rules a print shop checks on them."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .variants import MM

SMALL_TEXT_PT = 12.0  # below this, text must print from one plate (misregister fringes)
HEADING_INKS = 2
MIN_TINT = 0.05  # plates barely hold tints under 5 %
MAX_TAC = 3.0  # total area coverage, 300 %
PLATES = ("C", "M", "Y", "K")
EPSILON = 0.002  # rounding in colour values (0.1 % of a plate)

_STRINGS = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.DOTALL)
_TOKEN = re.compile(
    rb"/[^\s/\[\]()<>{}%]*|[-+]?(?:\d+\.?\d*|\.\d+)|<<|>>|\[|\]|"
    rb"[A-Za-z'\"][A-Za-z0-9*']*|\*"
)
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
TEXT_SHOW = {b"Tj", b"TJ", b"'", b'"'}
FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
STROKE = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
PATH = {b"m", b"l", b"c", b"v", b"y", b"re"}


@dataclass(frozen=True)
class Ink:
    """A colour as plate coverages, e.g. {'K': 0.9}; `registration` for /Separation /All."""

    plates: tuple[tuple[str, float], ...]
    registration: bool = False
    rgb: bool = False

    @property
    def used(self) -> tuple[tuple[str, float], ...]:
        return tuple((plate, value) for plate, value in self.plates if value > EPSILON)

    @property
    def total(self) -> float:
        return sum(value for _, value in self.plates)

    def describe(self) -> str:
        if self.registration:
            return "registration (/Separation /All)"
        if self.rgb:
            return "RGB"
        return " ".join(f"{plate}{value * 100:.0f}" for plate, value in self.used) or "white"


WHITE = Ink((("K", 0.0),))


def _cmyk(values) -> Ink:
    return Ink(tuple(zip(PLATES, (max(0.0, min(1.0, v)) for v in values), strict=False)))


@dataclass
class Mark:
    """One thing drawn: text, a fill, a stroke or an image, where, and in which ink."""

    kind: str  # text, fill, stroke, image
    page: int
    ink: Ink
    x_mm: float
    y_mm: float
    size_pt: float = 0.0  # text
    font: str = ""  # text
    name: str = ""  # image: the XObject resource name
    bbox: tuple[float, float, float, float] | None = None  # fills and images, in points


@dataclass
class PageInks:
    marks: list[Mark] = field(default_factory=list)
    images: list[tuple[int, str, object]] = field(default_factory=list)  # page, name, stream


def _space(resources, name: str):
    """Resolve a colour space operand to ('cmyk'|'gray'|'rgb'|'separation'|'other', detail)."""
    if name in ("/DeviceCMYK", "/CMYK"):
        return ("cmyk", None)
    if name in ("/DeviceGray", "/G"):
        return ("gray", None)
    if name in ("/DeviceRGB", "/RGB", "/CalRGB"):
        return ("rgb", None)
    spaces = resources.get("/ColorSpace", {}) if resources else {}
    spaces = spaces.get_object() if hasattr(spaces, "get_object") else spaces
    space = spaces.get(name)
    return _family(space.get_object() if space is not None else None)


def _family(space):
    if isinstance(space, list) and space:
        family = str(space[0])
        if family == "/ICCBased":
            n = int(space[1].get_object().get("/N", 0))
            return {4: ("cmyk", None), 3: ("rgb", None), 1: ("gray", None)}.get(n, ("other", None))
        if family == "/Separation":
            return ("separation", str(space[1]))
        if family in ("/CalRGB", "/Lab"):
            return ("rgb", None)
        if family == "/CalGray":
            return ("gray", None)
        if family == "/DeviceN":
            return ("other", None)
        return ("other", None)
    if space is None:
        return ("other", None)
    return _family_name(str(space))


def _family_name(name: str):
    return {
        "/DeviceCMYK": ("cmyk", None),
        "/DeviceGray": ("gray", None),
        "/DeviceRGB": ("rgb", None),
    }.get(name, ("other", None))


def _ink(space, values: list[float]) -> Ink:
    kind, detail = space
    if kind == "cmyk" and len(values) >= 4:
        return _cmyk(values[:4])
    if kind == "gray" and values:
        return Ink((("K", 1 - values[0]),))
    if kind == "rgb":
        return Ink((), rgb=True)
    if kind == "separation" and values:
        if detail == "/All":
            return Ink((("All", values[0]),), registration=values[0] > 0)
        return Ink(((detail.lstrip("/"), values[0]),))
    return WHITE  # patterns and DeviceN are not drawn by this project


def multiply(m, n):
    """The product of two PDF matrices (a b c d e f), m applied first."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


@dataclass
class _State:
    ctm: tuple = (1, 0, 0, 1, 0, 0)
    fill: Ink = Ink((("K", 1.0),))  # the PDF default: DeviceGray 0, black
    stroke: Ink = Ink((("K", 1.0),))
    fill_space: tuple = ("gray", None)
    stroke_space: tuple = ("gray", None)


def scan_page(page, number: int, found: PageInks) -> None:
    """Everything the page draws (following forms), with its ink, into `found`."""
    _scan(page.get_contents(), page.get("/Resources"), _State(), number, found, 0, set())


def _scan(
    content, resources, state: _State, number: int, found: PageInks, depth: int, seen: set
) -> None:
    if content is None:
        return
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject", {})
    xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
    data = _STRINGS.sub(b" ", content.get_data())
    data = re.sub(rb"\bBI\b.*?\bEI\b", b" ", data, flags=re.DOTALL)  # inline images
    stack: list[_State] = []
    operands: list[bytes] = []
    text_matrix: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    line_matrix = text_matrix
    font, font_size, leading = "", 0.0, 0.0
    path_start, path_points = None, []
    for token in _TOKEN.findall(data):
        if token[:1] == b"/" or _NUMBER.fullmatch(token):
            operands.append(token)
            continue
        if token in (b"[", b"]", b"<<", b">>"):
            continue
        op = token
        nums = [float(t) for t in operands if _NUMBER.fullmatch(t)]
        names = [t.decode("latin-1") for t in operands if t[:1] == b"/"]
        operands = []
        if op == b"q":
            stack.append(
                _State(state.ctm, state.fill, state.stroke, state.fill_space, state.stroke_space)
            )
        elif op == b"Q" and stack:
            state = stack.pop()
        elif op == b"cm" and len(nums) == 6:
            state.ctm = multiply(tuple(nums), state.ctm)
        elif op in (b"cs", b"CS") and names:
            space = _space(resources, names[0])
            initial = _ink(
                space, [0, 0, 0, 1] if space[0] == "cmyk" else [0] if space[0] == "gray" else [1]
            )
            if op == b"cs":
                state.fill_space, state.fill = space, initial
            else:
                state.stroke_space, state.stroke = space, initial
        elif op in (b"sc", b"scn"):
            state.fill = _ink(state.fill_space, nums)
        elif op in (b"SC", b"SCN"):
            state.stroke = _ink(state.stroke_space, nums)
        elif op in (b"k", b"K") and len(nums) == 4:
            space, ink = ("cmyk", None), _cmyk(nums)
            if op == b"k":
                state.fill_space, state.fill = space, ink
            else:
                state.stroke_space, state.stroke = space, ink
        elif op in (b"g", b"G") and nums:
            space, ink = ("gray", None), Ink((("K", 1 - nums[0]),))
            if op == b"g":
                state.fill_space, state.fill = space, ink
            else:
                state.stroke_space, state.stroke = space, ink
        elif op in (b"rg", b"RG"):
            space, ink = ("rgb", None), Ink((), rgb=True)
            if op == b"rg":
                state.fill_space, state.fill = space, ink
            else:
                state.stroke_space, state.stroke = space, ink
        elif op == b"BT":
            text_matrix = line_matrix = (1, 0, 0, 1, 0, 0)
        elif op == b"Tf" and names and nums:
            font, font_size = names[0], nums[-1]
        elif op == b"TL" and nums:
            leading = nums[0]
        elif op == b"Tm" and len(nums) == 6:
            text_matrix = line_matrix = tuple(nums)
        elif op in (b"Td", b"TD") and len(nums) == 2:
            line_matrix = multiply((1, 0, 0, 1, nums[0], nums[1]), line_matrix)
            text_matrix = line_matrix
            if op == b"TD":
                leading = -nums[1]
        elif op == b"T*":
            line_matrix = multiply((1, 0, 0, 1, 0, -leading), line_matrix)
            text_matrix = line_matrix
        elif op in TEXT_SHOW:
            matrix = multiply(text_matrix, state.ctm)
            a, b, c, d, e, f = matrix
            size = abs(font_size) * abs(a * d - b * c) ** 0.5
            found.marks.append(
                Mark(
                    "text",
                    number,
                    state.fill,
                    e / MM,
                    f / MM,
                    size_pt=round(size, 2),
                    font=_font_name(resources, font),
                )
            )
        elif op in PATH and len(nums) >= 2:
            if op == b"re" and len(nums) == 4:
                x0, y0, w, h = nums
                points = [(x0, y0), (x0 + w, y0), (x0, y0 + h), (x0 + w, y0 + h)]
            else:
                points = list(zip(nums[0::2], nums[1::2], strict=False))
            points = [_apply(state.ctm, px, py) for px, py in points]
            path_start = path_start or points[0]
            path_points += points
        elif op in FILL or op in STROKE or op == b"n":
            x, y = path_start or (0.0, 0.0)
            if op in FILL:
                found.marks.append(
                    Mark("fill", number, state.fill, x / MM, y / MM, bbox=_bbox(path_points))
                )
            if op in STROKE:
                found.marks.append(Mark("stroke", number, state.stroke, x / MM, y / MM))
            path_start, path_points = None, []
        elif op == b"sh":  # a shading fills the clip: take it as reaching everywhere
            found.marks.append(Mark("fill", number, WHITE, 0, 0, bbox=(-1e6, -1e6, 1e6, 1e6)))
        elif op == b"Do" and names and names[0] in xobjects:
            xobject = xobjects[names[0]].get_object()
            subtype = xobject.get("/Subtype")
            x, y = _apply(state.ctm, 0, 0)
            if subtype == "/Image":
                corners = [_apply(state.ctm, u, v) for u in (0, 1) for v in (0, 1)]
                found.marks.append(
                    Mark("image", number, WHITE, x / MM, y / MM, name=names[0], bbox=_bbox(corners))
                )
                found.images.append((number, names[0], xobject))
            elif subtype == "/Form" and depth < 8 and id(xobject) not in seen:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                inner = _State(
                    multiply(matrix, state.ctm),
                    state.fill,
                    state.stroke,
                    state.fill_space,
                    state.stroke_space,
                )
                _scan(
                    xobject,
                    xobject.get("/Resources") or resources,
                    inner,
                    number,
                    found,
                    depth + 1,
                    seen | {id(xobject)},
                )


def _bbox(points) -> tuple[float, float, float, float] | None:
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def reaches_trim(found: PageInks, page: int, trim, within: float = 0.5 * MM) -> bool:
    """Whether a fill or image on the page comes within `within` of the trim's edge or past
    it (by its bounding box, before clipping): only such pages can have a bleed to check."""
    left, bottom, right, top = trim
    for mark in found.marks:
        if mark.page != page or mark.bbox is None:
            continue
        x0, y0, x1, y1 = mark.bbox
        if (
            x0 < x1
            and y0 < y1
            and x1 > left
            and x0 < right
            and y1 > bottom
            and y0 < top
            and (
                x0 <= left + within
                or x1 >= right - within
                or y0 <= bottom + within
                or y1 >= top - within
            )
        ):
            return True
    return False


def _font_name(resources, key: str) -> str:
    fonts = resources.get("/Font", {}) if resources else {}
    fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
    font = fonts.get(key)
    return str(font.get_object().get("/BaseFont", key)).lstrip("/") if font is not None else key


def image_tac(xobject) -> float | None:
    """The highest total ink of a CMYK image's pixels (0-4), or None when it is not CMYK."""
    from PIL import Image, ImageChops, ImageMath

    space = xobject.get("/ColorSpace")
    space = space.get_object() if hasattr(space, "get_object") else space
    if _family(space)[0] != "cmyk":
        return None
    filters = xobject.get("/Filter")
    filters = [str(f) for f in (filters if isinstance(filters, list) else [filters])]
    if "/DCTDecode" in filters:
        # Pillow undoes Adobe's inverted CMYK itself (the /Decode array says the same).
        image: Image.Image = Image.open(io.BytesIO(xobject._data))
        image.load()
    else:
        width, height = int(xobject["/Width"]), int(xobject["/Height"])
        image = Image.frombytes("CMYK", (width, height), xobject.get_data())
        if list(xobject.get("/Decode", []))[:2] == [1, 0]:
            image = ImageChops.invert(image)
    if image.mode != "CMYK":
        return None
    c, m, y, k = (band.convert("I") for band in image.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 255


def ink_findings(found: PageInks, source_of=lambda name, xobject: "") -> dict[str, list[str]]:
    """The ink rules, each finding naming the page, the object and (for images) its input."""
    findings: dict[str, list[str]] = {
        "text inks": [],
        "tints": [],
        "total area coverage": [],
        "registration marks": [],
    }
    seen = set()

    def add(rule: str, key, text: str) -> None:
        if (rule, key) not in seen:
            seen.add((rule, key))
            findings[rule].append(text)

    for mark in found.marks:
        ink = mark.ink
        where = f"page {mark.page}: {mark.kind}"
        at = f"at ({mark.x_mm:.0f}, {mark.y_mm:.0f}) mm"
        if mark.kind == "text" and not ink.rgb and not ink.registration:
            plates = len(ink.used)
            limit = 1 if mark.size_pt < SMALL_TEXT_PT else HEADING_INKS
            if plates > limit:
                what = "under 12 pt needs one ink" if limit == 1 else "needs at most two inks"
                add(
                    "text inks",
                    (mark.page, mark.font, mark.size_pt, ink),
                    f"{where} {mark.font} {mark.size_pt:g} pt {at} is in {plates} inks "
                    f"({ink.describe()}); text {what}",
                )
        if mark.kind == "fill" and not ink.registration:
            thin = [(plate, value) for plate, value in ink.used if value < MIN_TINT - EPSILON]
            if thin:
                add(
                    "tints",
                    (mark.page, ink),
                    f"{where} {at} in {ink.describe()} has "
                    + ", ".join(f"{plate} at {value * 100:.1f} %" for plate, value in thin)
                    + f"; tints under {MIN_TINT * 100:.0f} % do not hold on a plate",
                )
        if (
            mark.kind in ("fill", "stroke", "text")
            and ink.total > MAX_TAC + EPSILON
            and not ink.registration
        ):
            add(
                "total area coverage",
                (mark.page, mark.kind, ink),
                f"{where} {at} in {ink.describe()} is {ink.total * 100:.0f} % total ink; "
                f"at most {MAX_TAC * 100:.0f} %",
            )
        if mark.kind == "stroke" and ink.total >= 4 - EPSILON:
            add(
                "registration marks",
                (mark.page, ink),
                f"{where} {at} in {ink.describe()}: marks in 400 % CMYK; use the "
                "registration colour /Separation /All",
            )
    for page, name, xobject in found.images:
        try:
            tac = image_tac(xobject)
        except (OSError, ValueError, KeyError) as error:
            add(
                "total area coverage",
                (page, name),
                f"page {page}: image {name}: cannot read its pixels ({error})",
            )
            continue
        if tac is not None and tac > MAX_TAC + EPSILON:
            source = source_of(name, xobject)
            add(
                "total area coverage",
                (page, name),
                f"page {page}: image {name}{f' ({source})' if source else ''} reaches "
                f"{tac * 100:.0f} % total ink; at most {MAX_TAC * 100:.0f} %",
            )
    return findings
