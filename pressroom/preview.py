"""The translators' live preview: a local web server showing the real render, page by page.

What the page shows is the WeasyPrint PDF turned into images, so the translator sees what
the printer gets. The page asks for the project's state every second; when a PO file,
template, record or stylesheet changes, the next answer has a new version and the page
reloads its images and text by itself. Strings still in English are highlighted.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .checks import ERROR, check_catalog
from .errors import PublishError
from .jobs import Filters, Job
from .languages import SOURCE_LANGUAGE, language
from .project import Project
from .session import make_plan
from .site import site_template

WATCHED = ("brochures", "locales", "chapters", "clinics", "styles")
PAGE_DPI = 80


def project_version(project: Project) -> str:
    """Changes whenever any input file is added, removed or edited."""
    stamps = []
    for folder in WATCHED:
        for path in sorted((project.root / folder).rglob("*")):
            if path.is_file():
                info = path.stat()
                stamps.append(f"{path}:{info.st_mtime_ns}:{info.st_size}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]


@dataclass
class View:
    """One render for the page: images and text per page, or the error to show instead."""

    version: str
    pages: list[bytes] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    error: str = ""


class Previewer:
    """Renders what the page asks for, once per project version; thread-safe."""

    def __init__(self, project: Project):
        self.project = project
        self.lock = threading.Lock()
        self.version = ""
        self.plan = None
        self.plan_error = ""
        self.maker = None  # highlights untranslated strings, for the page images
        self.plain_maker = None  # renders the file as it prints, for downloads
        self.views: dict[tuple, View] = {}

    def refresh(self) -> str:
        version = project_version(self.project)
        if version != self.version:
            self.version, self.views = version, {}
            self.maker = self.plain_maker = None
            try:
                self.plan, self.plan_error = make_plan(self.project.root, Filters()), ""
            except PublishError as error:
                self.plan, self.plan_error = None, error.message
        return version

    def choices(self) -> dict:
        if self.plan is None:
            return {"chapters": [], "brochures": [], "error": self.plan_error}
        return {
            "chapters": [{"id": c.id, "name": c.name, "paper": c.paper,
                          "languages": [{"code": code, "name": language(code).native_name}
                                        for code in c.languages]}
                         for c in self.plan.chapters],
            "brochures": sorted({job.brochure.name for job in self.plan.jobs}),
            "clinics": [{"id": c.id, "name": c.name, "chapter": c.chapter}
                        for c in self.plan.clinics],
            "error": "",
        }

    def find_job(self, query: dict) -> Job | None:
        if self.plan is None:
            return None
        wanted = {key: query.get(key, [""])[0] for key in ("chapter", "lang", "brochure",
                                                            "paper", "clinic")}
        for job in self.plan.jobs:
            if (job.chapter.id, job.lang, job.brochure.name, job.variant) != (
                    wanted["chapter"], wanted["lang"], wanted["brochure"], "office"):
                continue
            if (job.clinic.id if job.clinic else "") != wanted["clinic"]:
                continue
            paper = wanted["paper"] or job.paper
            return job if paper == job.paper else Job(job.chapter, job.lang, job.brochure,
                                                      job.variant, paper, job.clinic)
        return None

    def view(self, job: Job) -> View:
        key = (job.chapter.id, job.lang, job.brochure.name, job.paper,
               job.clinic.id if job.clinic else "")
        if key in self.views:
            return self.views[key]
        view = View(self.version)
        view.error = self.catalog_errors(job)
        if not view.error:
            try:
                view.pages, view.texts, view.untranslated = self._render(job)
            except PublishError as error:
                view.error = error.message
        self.views[key] = view
        return view

    def catalog_errors(self, job: Job) -> str:
        """What `check` says against the job's catalog; the page and the download show it
        instead of rendering."""
        errors = [] if job.lang == SOURCE_LANGUAGE else [
            finding for finding in check_catalog(self.project, job.lang)
            if finding.severity == ERROR]
        return "\n".join(str(finding) for finding in errors[:30])

    def _render(self, job: Job) -> tuple[list[bytes], list[str], list[str]]:
        from .documents import DocumentMaker  # WeasyPrint, once per project version

        if self.maker is None:
            self.maker = DocumentMaker(self.project, highlight_untranslated=True)
        rendered = self.maker.pdf(job)
        with tempfile.TemporaryDirectory(prefix="pressroom-preview-") as folder:
            pdf = Path(folder) / "page.pdf"
            pdf.write_bytes(rendered.data)
            subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_DPI), str(pdf),
                            str(Path(folder) / "page")], check=True, capture_output=True)
            pages = [path.read_bytes() for path in sorted(Path(folder).glob("page-*.png"))]
            texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n),
                                     str(pdf), "-"], capture_output=True, text=True).stdout
                     for n in range(1, len(pages) + 1)]
        return pages, texts, list(self.maker.untranslated(job.lang))

    def pdf(self, job: Job) -> bytes:
        """The file as it prints: rendered without the preview's highlighting."""
        from .documents import DocumentMaker

        errors = self.catalog_errors(job)
        if errors:
            raise PublishError(errors)
        if self.plain_maker is None:
            self.plain_maker = DocumentMaker(self.project)
        return self.plain_maker.pdf(job).data


def _page(project: Project) -> str:
    return site_template(project, "preview.html").render()


def make_handler(previewer: Previewer):
    class Handler(BaseHTTPRequestHandler):
        """GET only, a handful of routes; nothing is served from the file system."""

        def log_message(self, format, *args):  # quiet: the terminal is the translator's
            pass

        def send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            query = parse_qs(url.query)
            with previewer.lock:
                version = previewer.refresh()
                if url.path == "/":
                    return self.send(200, _page(previewer.project).encode(),
                                     "text/html; charset=utf-8")
                if url.path == "/api/choices":
                    return self.send(200, json.dumps(previewer.choices()).encode(),
                                     "application/json")
                job = previewer.find_job(query)
                if url.path == "/api/state":
                    if job is None:
                        state = {"version": version, "error": previewer.plan_error or
                                 "choose a chapter, language and brochure", "pages": 0}
                    else:
                        view = previewer.view(job)
                        state = {"version": version, "error": view.error,
                                 "pages": len(view.pages), "texts": view.texts,
                                 "untranslated": view.untranslated}
                    return self.send(200, json.dumps(state).encode(), "application/json")
                if url.path == "/page.png" and job is not None:
                    view = previewer.view(job)
                    number = int(query.get("n", ["1"])[0]) if query.get("n", ["1"])[0].isdigit() \
                        else 0
                    if 1 <= number <= len(view.pages):
                        return self.send(200, view.pages[number - 1], "image/png")
                if url.path == "/document.pdf" and job is not None:
                    try:
                        return self.send(200, previewer.pdf(job), "application/pdf")
                    except PublishError as error:
                        return self.send(422, error.message.encode(), "text/plain; charset=utf-8")
            self.send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

    return Handler


def serve(root: Path | None, host: str, port: int, on_ready=lambda url: None) -> None:
    """Serve until interrupted; `port` 0 takes a free one."""
    previewer = Previewer(Project.at(root))
    server = ThreadingHTTPServer((host, port), make_handler(previewer))
    on_ready(f"http://{host}:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
