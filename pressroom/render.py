"""HTML to PDF with WeasyPrint: the only module that imports it."""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlparse

import pydyf
import weasyprint
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.pdf.stream import Stream
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .boxes import printed_text, read_page
from .errors import RenderError
from .inputs import InputError, read_input
from .text_mapping import needs_actual_text, remap_fonts

PX_TO_MM = 25.4 / 96


@contextmanager
def _marked(self, box, tag):
    """WeasyPrint 70's `Stream.marked`, plus /ActualText on a text run in a script whose
    glyphs cannot read back in logical order (text_mapping.py) and the run's language.
    Tagged (office) PDFs only: untagged streams mark nothing, so press files do not change."""
    if self._tags is not None:
        mcid = len(self._tags)
        assert box not in self._tags
        self._tags[box] = {"tag": tag, "mcid": mcid}
        properties = pydyf.Dictionary({"MCID": mcid})
        if isinstance(box, TextBox) and needs_actual_text(box.text):
            properties["ActualText"] = pydyf.String(box.text)
        if isinstance(box, TextBox) and box.style["lang"]:
            # Moved to the run's structure element by tagging.languages where it differs
            # from the document's.
            properties["Lang"] = pydyf.String(box.style["lang"])
        self.begin_marked_content(tag, properties)
    try:
        yield
    finally:
        if self._tags is not None:
            self.end_marked_content()


Stream.marked = _marked  # WeasyPrint is pinned <71 (pyproject.toml): this mirrors its 70.x


def _drawn_fonts(document) -> list:
    """Each font WeasyPrint wrote, in its order: /BaseFont, a way to read the whole font file
    (the embedded one is a subset without GSUB), face index, and the text it gave each glyph
    (none for a bitmap font: those stay as they are)."""
    return [
        (
            font.name,
            partial(get_hb_object_data, font.hb_face),
            font.index,
            {} if font.bitmap else dict(font.to_unicode),
        )
        for font in document.fonts.values()
    ]


@dataclass(frozen=True)
class Overflow:
    """A fixed-size box (a tri-fold panel) whose content runs past its bottom edge."""

    page: int
    box: str  # the box's class names, e.g. "panel panel-flap"
    by_mm: float
    text: str = ""  # everything the box should hold, to tell which strings are in it


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    boxes_per_page: tuple[int, ...] = ()  # how many checked boxes each page holds
    overflows: tuple[Overflow, ...] = ()
    layout: tuple = ()  # boxes.PageLayout per page, when asked for (`check`)


def _descendants(box):
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)


_UNPRINTED = re.compile(r"[\s\u00ad\u2010-]+")  # spaces and hyphens added by line breaking


def _printable(text: str) -> str:
    return _UNPRINTED.sub("", text)


def _dropped_mm(box) -> float:
    """Text WeasyPrint left out (content past a fixed-height block), estimated in mm from the
    lines that did fit."""
    wanted = len(_printable(printed_text(box.element)))
    shown = len(
        _printable("".join(child.text for child in _descendants(box) if hasattr(child, "text")))
    )
    if shown >= wanted:
        return 0.0
    lines = [child for child in _descendants(box) if type(child).__name__ == "LineBox"]
    per_line = max(shown / max(len(lines), 1), 1)
    line_height = sum(line.height for line in lines) / max(len(lines), 1)
    return (wanted - shown) / per_line * line_height * PX_TO_MM


def _below_mm(box) -> float:
    """Content laid out below the box's inner bottom edge (clipped when overflow is hidden)."""
    limit = box.content_box_y() + box.height
    bottom = max(
        (
            child.position_y + child.margin_height()
            for child in _descendants(box)
            if type(child).__name__ == "LineBox"
        ),
        default=limit,
    )
    return max(bottom - limit, 0) * PX_TO_MM


def _beside_mm(box) -> float:
    """Text running past the box's padding edge, where `overflow: hidden` (or the page edge)
    clips it: a word too long for a line. Running into the padding is allowed."""
    left = box.padding_box_x()
    right = left + box.padding_width()
    past = 0.0
    for child in _descendants(box):
        if hasattr(child, "text") and child.text.strip():
            past = max(
                past, child.position_x + child.margin_width() - right, left - child.position_x
            )
            if child.width == 0:  # Pango gives up on a huge word: estimate half an em a letter
                past = max(past, len(child.text) * child.style["font_size"] / 2)
    return past * PX_TO_MM


def _measure(document, css_class: str) -> tuple[tuple[int, ...], tuple[Overflow, ...]]:
    """Count the boxes with this class on each page, and find those whose content does not
    fit: lines laid out below the box's inner edge, or text WeasyPrint left out."""
    counts, overflows = [], []
    for number, page in enumerate(document.pages, 1):
        boxes: dict = {}
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            if (
                element is not None
                and box.element_tag != "html"
                and css_class in (element.get("class") or "").split()
            ):
                boxes.setdefault(id(element), box)
        counts.append(len(boxes))
        for box in boxes.values():
            by_mm = max(_dropped_mm(box), _below_mm(box), _beside_mm(box))
            if by_mm > 0.2:
                overflows.append(
                    Overflow(
                        number,
                        box.element.get("class"),
                        round(by_mm, 1),
                        " ".join(printed_text(box.element).split()),
                    )
                )
    return tuple(counts), tuple(overflows)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings for the caller instead of letting them scroll by."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class RefusedFetch(FatalURLFetchingError):
    """A document asked for something outside the allowed folders: rendering stops."""


class ProjectFetcher(URLFetcher):
    """The only way documents and stylesheets reach files: `data:` URIs, and files inside the
    allowed folders (the project's assets, the system's fonts and colour profiles). No
    network, no other files, no redirects."""

    def __init__(self, allowed: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = tuple(path.resolve() for path in allowed)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedFetch(
                f"refused to fetch {url!r}: only project files and data: URIs may be used"
            )
        path = Path(unquote(urlparse(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed):
            raise RefusedFetch(
                f"refused to fetch {url!r}: the file is outside the project's asset folders"
            )
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:
            data = read_input(path, str(path), "asset")
        except InputError as error:
            raise RefusedFetch(f"refused to fetch {url!r}: {error.message}") from None
        return URLFetcherResponse(url, data, {"Content-Type": mime})


@dataclass
class Renderer:
    """Reuses parsed stylesheets, colour profiles and fonts across the documents of a worker."""

    allowed: tuple[Path, ...] = ()  # folders documents may read from (see ProjectFetcher)
    _fonts: FontConfiguration = field(default_factory=FontConfiguration)
    _sheets: dict[Path, weasyprint.CSS] = field(default_factory=dict)
    _profiles: dict[Path, tuple[weasyprint.CSS, dict]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._fetcher = ProjectFetcher(self.allowed)

    def _stylesheet(self, path: Path) -> weasyprint.CSS:
        if path not in self._sheets:
            try:
                self._sheets[path] = weasyprint.CSS(
                    filename=str(path), font_config=self._fonts, url_fetcher=self._fetcher
                )
            except OSError as error:
                raise RenderError(f"{path}: cannot read stylesheet ({error})") from None
            except RefusedFetch as error:
                raise RenderError(f"{path}: {error}") from None
        return self._sheets[path]

    def _output_profile(self, icc: Path) -> tuple[weasyprint.CSS, dict]:
        """The CMYK profile as `@color-profile device-cmyk`: WeasyPrint writes the PDF/X output
        intent only for a declared profile, and only when the same profiles dict reaches the
        renderer as the parsed stylesheet filled in."""
        if icc not in self._profiles:
            if not icc.is_file():
                raise RenderError(
                    f"{icc}: CMYK output profile not found; install Debian's "
                    "libgs-common (scripts/setup does) or fix the chapter's "
                    "icc_profile"
                )
            profiles: dict = {}
            rule = (
                f"@color-profile device-cmyk {{ src: url({icc.as_uri()}); components: c, m, y, k }}"
            )
            try:
                sheet = weasyprint.CSS(
                    string=rule, color_profiles=profiles, url_fetcher=self._fetcher
                )
            except RefusedFetch as error:
                raise RenderError(f"CMYK output profile: {error}") from None
            self._profiles[icc] = (sheet, profiles)
        return self._profiles[icc]

    def render(
        self,
        html: str,
        base_url: Path,
        stylesheets: tuple[Path, ...],
        *,
        pdf_variant: str | None = None,
        cmyk_profile: Path | None = None,
        finisher: Callable | None = None,
        fixed_boxes: str = "",
        label: str = "document",
        read_layout: bool = False,
        write: bool = True,
    ) -> RenderedPdf:
        """Render to PDF bytes; `fixed_boxes` names a class of fixed-size boxes (tri-fold
        panels) to count per page and measure for overflowing content. `read_layout` keeps
        the laid-out ink of every page (boxes.py); without `write` no PDF is made (`check`)."""
        sheets = [self._stylesheet(path) for path in stylesheets]
        profiles = None
        if cmyk_profile:
            profile_sheet, profiles = self._output_profile(cmyk_profile)
            sheets.insert(0, profile_sheet)
        logger = logging.getLogger("weasyprint")
        collector = _Collect()
        logger.addHandler(collector)
        try:
            document = weasyprint.HTML(
                string=html, base_url=f"{base_url}/", url_fetcher=self._fetcher
            ).render(
                stylesheets=sheets,
                font_config=self._fonts,
                color_profiles=profiles,
                pdf_variant=pdf_variant,
            )
            tagged = (pdf_variant or "").startswith("pdf/ua")

            def finish(doc, pdf) -> None:
                if tagged:
                    remap_fonts(pdf, _drawn_fonts(doc))
                if finisher:
                    finisher(pdf)

            data = document.write_pdf(pdf_variant=pdf_variant, finisher=finish) if write else b""
        except RefusedFetch as error:
            raise RenderError(f"{label}: {error}") from None
        finally:
            logger.removeHandler(collector)
        counts, overflows = _measure(document, fixed_boxes) if fixed_boxes else ((), ())
        layout = (
            tuple(
                read_page(page._page_box, number) for number, page in enumerate(document.pages, 1)
            )
            if read_layout
            else ()
        )
        return RenderedPdf(
            data, len(document.pages), tuple(collector.messages), counts, overflows, layout
        )
