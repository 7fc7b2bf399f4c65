"""dist/index.html: the chapters' catalog of every PDF of a build, with first-page thumbnails."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .brochures import BROCHURE_NAMES, brochure_named
from .chapters import Chapter
from .languages import language
from .outputs import ManifestEntry, read_manifest, write_atomic
from .project import Project
from .thumbnails import THUMBNAIL_NAME, THUMBS, make_thumbnail
from .variants import PAPERS

PAGE = "index.html"


@dataclass(frozen=True)
class Document:
    title: str
    path: str
    thumbnail: str
    thumb_height: int
    variant: str
    paper: str
    pages: int
    size: str


def site_template(project: Project, name: str) -> jinja2.Template:
    """A page of the project's web side (brochures/site/), autoescaped and strict."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.brochures / "site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name)


def office_twin(path: str) -> str | None:
    """The office PDF of the same publication as a press PDF (same pages, same thumbnail)."""
    twin = re.sub(r"-press(-a4|-letter)?\.pdf$", r"-office\1.pdf", path)
    return twin if twin != path else None


def _thumbnail_for(
    out: Path, entry: ManifestEntry, by_path: dict[str, ManifestEntry], made: dict[str, str]
) -> str:
    twin = office_twin(entry.path)
    source = by_path.get(twin, entry) if twin else entry
    if source.path not in made:
        made[source.path] = make_thumbnail(out, source)
    return made[source.path]


def write_catalog_page(
    project: Project,
    out: Path,
    chapters: Sequence[Chapter],
    entries: list[ManifestEntry] | None = None,
) -> Path:
    """Write OUT/index.html from the manifest's entries (given, or read from
    OUT/manifest.json), and drop thumbnails no PDF uses now."""
    entries = read_manifest(out) if entries is None else entries
    names = {chapter.id: chapter.name for chapter in chapters}
    order = {name: index for index, name in enumerate(BROCHURE_NAMES)}
    grouped: dict[str, dict[str, list[ManifestEntry]]] = {}
    for entry in entries:
        grouped.setdefault(entry.chapter, {}).setdefault(entry.lang, []).append(entry)
    thumbnails_by_path: dict[str, str] = {}
    by_path = {entry.path: entry for entry in entries}
    used, page_chapters = set(), []
    for chapter_id in sorted(grouped):
        languages = []
        for code in sorted(grouped[chapter_id]):
            documents = []
            for entry in sorted(
                grouped[chapter_id][code],
                key=lambda e: (order.get(e.brochure, 99), e.clinic or "", e.variant, e.path),
            ):
                thumbnail = _thumbnail_for(out, entry, by_path, thumbnails_by_path)
                used.add(thumbnail)
                title = (
                    brochure_named(entry.brochure).title
                    if entry.brochure in order
                    else entry.brochure
                )
                if entry.clinic:
                    title += f" ({entry.clinic})"
                landscape = entry.brochure in order and brochure_named(entry.brochure).landscape
                documents.append(
                    Document(
                        title,
                        entry.path,
                        thumbnail,
                        50 if landscape else 93,
                        entry.variant,
                        PAPERS[entry.paper].label if entry.paper in PAPERS else entry.paper,
                        entry.pages,
                        f"{entry.bytes / 1024:.0f} kB",
                    )
                )
            facts = language(code)
            languages.append(
                {
                    "tag": facts.tag,
                    "direction": facts.direction,
                    "native_name": facts.native_name,
                    "english_name": facts.english_name,
                    "documents": documents,
                }
            )
        page_chapters.append(
            {"id": chapter_id, "name": names.get(chapter_id, chapter_id), "languages": languages}
        )
    html = site_template(project, "catalog.html").render(chapters=page_chapters, total=len(entries))
    write_atomic(out / PAGE, html.encode("utf-8"))
    # Only thumbnails by our naming (20 hex digits of a PDF's hash) are ever removed.
    for stale in (out / THUMBS).glob("*.png") if (out / THUMBS).is_dir() else ():
        if (
            THUMBNAIL_NAME.fullmatch(stale.name)
            and f"{THUMBS}/{stale.name}" not in used
            and stale.is_file()
            and not stale.is_symlink()
        ):
            stale.unlink()
    return out / PAGE
