"""What the preview shows besides the page's own HTML: a PDF's pages as images and text, and a
catalog as numbered lines (so a string's PO file:line is one click away)."""

from __future__ import annotations

import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from .errors import PublishError
from .inputs import read_input
from .languages import available_languages, catalog_path, has_catalog
from .poppler import pdftoppm
from .project import Project

PAGE_DPI = 80
TOOL_TIMEOUT_S = 60
MAX_PAGE_PX = 2000  # pdftoppm draws at most this many pixels a side, whatever the PDF says


class UnknownCatalog(PublishError):
    """A /po request naming something other than one of the project's catalogs."""


def draw_pages(data: bytes, count: int) -> tuple[list[bytes], list[str]]:
    """Page images and page texts, every page's pdftoppm and pdftotext at once (two cores
    draw a tri-fold's two sheets in the time of one)."""
    with tempfile.TemporaryDirectory(prefix="pressroom-preview-") as folder:
        pdf = Path(folder) / "page.pdf"
        pdf.write_bytes(data)

        def image(n: int) -> bytes:
            stem = Path(folder) / f"page{n}"
            pdftoppm(
                pdf,
                stem,
                *("-png", "-r", str(PAGE_DPI), "-f", str(n), "-l", str(n), "-singlefile"),
                *("-W", str(MAX_PAGE_PX), "-H", str(MAX_PAGE_PX)),
            )
            return stem.with_suffix(".png").read_bytes()

        def text(n: int) -> str:
            return subprocess.run(
                ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                timeout=TOOL_TIMEOUT_S,
            ).stdout

        try:
            with ThreadPoolExecutor(max_workers=4) as pool:
                images = [pool.submit(image, n) for n in range(1, count + 1)]
                texts = [pool.submit(text, n) for n in range(1, count + 1)]
                return [f.result() for f in images], [f.result() for f in texts]
        except (OSError, subprocess.SubprocessError) as error:
            raise PublishError(f"cannot draw the pages with poppler-utils ({error})") from None


def catalog_page(project: Project, query: dict) -> str:
    """A catalog as numbered lines, so a string's PO file:line is one click from the preview.
    Only the project's catalogs and its template, by their names (BadQuery otherwise)."""
    known = {project.relative(project.locales / "messages.pot"): project.locales / "messages.pot"}
    for code in available_languages(project):
        if has_catalog(code):
            known[project.relative(catalog_path(project, code))] = catalog_path(project, code)
    wanted = query.get("file", [""])
    if set(query) != {"file"} or len(wanted) != 1 or wanted[0] not in known:
        raise UnknownCatalog("file= must name one of the project's catalogs")
    lines = read_input(known[wanted[0]], wanted[0], "catalog", (project.root,)).decode(
        "utf-8", errors="replace"
    )
    rows = "".join(
        f'<span id="L{n}"><a href="#L{n}">{n}</a> {escape(line)}</span>\n'
        for n, line in enumerate(lines.splitlines(), 1)
    )
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{escape(wanted[0])}</title>'
        "<style>body{font:13px monospace;white-space:pre-wrap}a{color:#888;display:inline-block;"
        "width:4em;text-align:right;text-decoration:none}:target{background:#ffe066}</style>"
        f"<h1>{escape(wanted[0])}</h1><div>{rows}</div></html>"
    )
