"""HTML to PDF with WeasyPrint: the only module that imports it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from .errors import RenderError


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    page_sizes_mm: tuple[tuple[float, float], ...]
    warnings: tuple[str, ...] = ()


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings for the caller instead of letting them scroll by."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Renderer:
    """Reuses parsed stylesheets and font configuration across documents of one worker."""

    _fonts: FontConfiguration = field(default_factory=FontConfiguration)
    _sheets: dict[Path, weasyprint.CSS] = field(default_factory=dict)

    def _stylesheet(self, path: Path) -> weasyprint.CSS:
        if path not in self._sheets:
            try:
                self._sheets[path] = weasyprint.CSS(filename=str(path), font_config=self._fonts)
            except OSError as error:
                raise RenderError(f"{path}: cannot read stylesheet ({error})") from None
        return self._sheets[path]

    def render(self, html: str, base_url: Path, stylesheets: tuple[Path, ...],
               pdf_options: dict | None = None) -> RenderedPdf:
        logger = logging.getLogger("weasyprint")
        collector = _Collect()
        logger.addHandler(collector)
        try:
            document = weasyprint.HTML(string=html, base_url=f"{base_url}/").render(
                stylesheets=[self._stylesheet(path) for path in stylesheets],
                font_config=self._fonts,
            )
            data = document.write_pdf(**(pdf_options or {}))
        finally:
            logger.removeHandler(collector)
        px_to_mm = 25.4 / 96
        sizes = tuple((round(page.width * px_to_mm, 1), round(page.height * px_to_mm, 1))
                      for page in document.pages)
        return RenderedPdf(data, len(document.pages), sizes, tuple(collector.messages))
