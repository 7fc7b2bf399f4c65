"""dist/index.html: the chapters' catalog of every PDF of a build, with first-page thumbnails."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .brochures import BROCHURE_NAMES, brochure_named
from .chapters import Chapter, Clinic
from .languages import Language, language
from .outputs import ManifestEntry, read_manifest, write_atomic
from .project import Project
from .thumbnails import THUMBNAIL_NAME, THUMBS, make_thumbnail
from .variants import PAPERS

PAGE = "index.html"
OPEN_CLINICS = 12  # with this many clinics or fewer, each is shown open; more start folded


@dataclass(frozen=True)
class File:
    """One PDF of a publication: its variant, link and size."""

    variant: str
    path: str
    size: str


@dataclass(frozen=True)
class Document:
    """A publication in one language and paper size: its thumbnail and its PDFs (office and
    press share a card, and a thumbnail: their first pages look the same)."""

    title: str
    thumbnail: str
    thumb_height: int
    paper: str
    pages: int
    files: tuple[File, ...]


@dataclass(frozen=True)
class Group:
    """The documents of one language, or of one clinic (in every language it has)."""

    heading: str
    documents: list[tuple[str, Document]]  # (the language's tag, the document)
    language: Language | None = None  # a language's group: its facts
    clinic_id: str = ""


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


def _documents(
    entries: list[ManifestEntry], thumbnail: Callable[[ManifestEntry], str]
) -> list[tuple[str, Document]]:
    """Cards for a group's entries: one per publication, language and paper, in brochure order."""
    order = {name: index for index, name in enumerate(BROCHURE_NAMES)}
    cards: dict[tuple, list[ManifestEntry]] = {}
    for entry in sorted(
        entries, key=lambda e: (order.get(e.brochure, 99), e.lang, e.paper, e.variant, e.path)
    ):
        cards.setdefault((entry.brochure, entry.lang, entry.paper), []).append(entry)
    documents = []
    for (brochure, lang, paper), found in cards.items():
        known = brochure in order
        first = next((e for e in found if e.variant == "office"), found[0])
        documents.append(
            (
                language(lang).tag,
                Document(
                    brochure_named(brochure).title if known else brochure,
                    thumbnail(first),
                    50 if known and brochure_named(brochure).landscape else 93,
                    PAPERS[paper].label if paper in PAPERS else paper,
                    first.pages,
                    tuple(File(e.variant, e.path, f"{e.bytes / 1024:.0f} kB") for e in found),
                ),
            )
        )
    return documents


def _natural(text: str) -> list:
    """A sort key putting "Clinic 9" before "Clinic 10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.casefold())]


def catalog_html(
    project: Project,
    chapters: Sequence[Chapter],
    clinics: Sequence[Clinic],
    entries: list[ManifestEntry],
    thumbnail: Callable[[ManifestEntry], str],
) -> str:
    """The catalog page for these manifest entries: by chapter, its own editions by language,
    then its clinics' editions under each clinic. `thumbnail` gives an entry's image path."""
    names = {chapter.id: chapter.name for chapter in chapters}
    clinic_names = {clinic.id: clinic.name for clinic in clinics}
    by_chapter: dict[str, list[ManifestEntry]] = {}
    for entry in entries:
        by_chapter.setdefault(entry.chapter, []).append(entry)
    page_chapters = []
    for chapter_id in sorted(by_chapter):
        own: dict[str, list[ManifestEntry]] = {}
        imprinted: dict[str, list[ManifestEntry]] = {}
        for entry in by_chapter[chapter_id]:
            if entry.clinic:
                imprinted.setdefault(entry.clinic, []).append(entry)
            else:
                own.setdefault(entry.lang, []).append(entry)
        languages = [
            Group(language(code).native_name, _documents(own[code], thumbnail), language(code))
            for code in sorted(own)
        ]
        clinic_groups = sorted(
            (
                Group(clinic_names.get(id_, id_), _documents(found, thumbnail), clinic_id=id_)
                for id_, found in imprinted.items()
            ),
            key=lambda group: (_natural(group.heading), group.clinic_id),
        )
        page_chapters.append(
            {
                "id": chapter_id,
                "name": names.get(chapter_id, chapter_id),
                "languages": languages,
                "clinics": clinic_groups,
            }
        )
    language_names = {
        entry.lang: language(entry.lang).native_name for entry in entries
    }  # each card names its language by tag; the page spells the names out once
    return site_template(project, "catalog.html").render(
        chapters=page_chapters,
        total=len(entries),
        clinics=sum(len(chapter["clinics"]) for chapter in page_chapters),
        open_clinics=OPEN_CLINICS,
        language_names={language(code).tag: name for code, name in language_names.items()},
    )


def write_catalog_page(
    project: Project,
    out: Path,
    chapters: Sequence[Chapter],
    entries: list[ManifestEntry] | None = None,
    clinics: Sequence[Clinic] = (),
) -> Path:
    """Write OUT/index.html from the manifest's entries (given, or read from
    OUT/manifest.json), and drop thumbnails no PDF uses now."""
    entries = read_manifest(out) if entries is None else entries
    by_path = {entry.path: entry for entry in entries}
    made: dict[str, str] = {}

    def thumbnail(entry: ManifestEntry) -> str:
        return _thumbnail_for(out, entry, by_path, made)

    html = catalog_html(project, chapters, clinics, entries, thumbnail)
    used = set(made.values())
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
