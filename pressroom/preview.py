"""The translators' live preview: a local web server showing the real render, page by page.

What the page shows is the WeasyPrint PDF turned into images, so the translator sees what
the printer gets. A watcher looks at the project's files twenty times a second; when a PO
file, template, record or stylesheet changes, the server renders the documents that open
pages show (only those) and pushes their new state to them as a server-sent event. Saving a
PO file keeps the fonts, stylesheets and templates loaded: only the catalogs are read again.
Strings still in English are highlighted; each panel shows the room its strings have.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

from . import variants
from .catalog_checks import catalog_errors
from .errors import PublishError
from .jobs import Filters, Job
from .languages import language
from .plan import make_plan
from .preview_pages import UnknownCatalog, catalog_page, draw_pages
from .project import Project
from .room import measure, panels
from .site import site_template

if TYPE_CHECKING:  # WeasyPrint is imported only when a page is rendered
    from .documents import DocumentMaker
    from .plan import Plan

WATCHED = ("brochures", "locales", "chapters", "clinics", "styles")
MAX_WAITING_RENDERS = 4  # renders queued behind the one running; more are told to retry
RENDER_WAIT_S = 120
VERSION_TTL_S = 0.5  # walk the project at most twice a second, however many requests come
WATCH_INTERVAL_S = 0.05  # the watcher's look at the files: a save shows within this
KEEPALIVE_S = 15  # an idle event stream sends a comment so proxies and browsers keep it
QUERY_KEYS = {"chapter", "lang", "brochure", "paper", "clinic", "n", "v"}
PAPERS = ("", *variants.PAPERS)  # "": the chapter's own


class Busy(PublishError):
    """Too many renders are waiting; the page asks again a second later."""


class BadQuery(PublishError):
    """A query parameter that is not one of the known choices."""


def folder_versions(project: Project) -> dict[str, str]:
    """A stamp per watched folder, changing whenever a file in it is added, removed or edited."""
    versions = {}
    for folder in WATCHED:
        stamps = []
        for path in sorted((project.root / folder).rglob("*")):
            if path.is_file():
                info = path.stat()
                stamps.append(f"{path}:{info.st_mtime_ns}:{info.st_size}")
        versions[folder] = hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]
    return versions


@dataclass
class View:
    """One render for the page: images and text per page, or the error to show instead."""

    version: str
    pages: list[bytes] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    untranslated: list[dict] = field(default_factory=list)  # msgid and PO file:line
    error: str = ""
    panels: list[dict] = field(default_factory=list)  # free height and tightest strings
    stale: bool = False  # the pages are the last good ones, shown under the error


class Previewer:
    """Renders what the page asks for, once per project version; thread-safe."""

    def __init__(self, project: Project):
        self.project = project
        self.lock = threading.Lock()  # the state below; never held while rendering
        self.render_lock = threading.Lock()  # one render at a time (one WeasyPrint)
        self.queue = threading.BoundedSemaphore(MAX_WAITING_RENDERS + 1)
        self.checked_at = 0.0
        self.version = ""
        self.folders: dict[str, str] = {}
        self.changed = threading.Condition(self.lock)  # notified when the version changes
        self.last_good: dict[tuple, View] = {}  # per document: shown while a catalog is broken
        self.plan: Plan | None = None
        self.plan_error = ""
        self.maker: DocumentMaker | None = None  # highlights untranslated strings, for pages
        self.plain_maker: DocumentMaker | None = None  # the file as it prints, for downloads
        self.views: dict[tuple, View] = {}
        self.hosts: set[str] = set()  # Host headers we answer: loopback names with our port

    def refresh(self, force: bool = False) -> str:
        """The project's version (call with the lock held); a new one drops the cached views,
        and the makers' catalogs, or the makers themselves when a stylesheet changed."""
        if not force and time.monotonic() - self.checked_at < VERSION_TTL_S:
            return self.version
        folders = folder_versions(self.project)
        version = hashlib.sha256("".join(folders.values()).encode()).hexdigest()[:16]
        self.checked_at = time.monotonic()
        if version != self.version:
            changed = {name for name in WATCHED if folders[name] != self.folders.get(name)}
            self.version, self.views, self.folders = version, {}, folders
            if "styles" in changed or "brochures" in changed:
                self.maker = self.plain_maker = None  # parsed stylesheets, partials' fonts
            for maker in (self.maker, self.plain_maker):
                if maker is not None:
                    maker.forget_translations()
            self.changed.notify_all()
            try:
                plan = make_plan(self.project.root, Filters(), with_pseudo=True)
                self.plan, self.plan_error = plan, ""
            except PublishError as error:
                self.plan, self.plan_error = None, error.message
        return version

    def choices(self) -> dict:
        if self.plan is None:
            return {"chapters": [], "brochures": [], "error": self.plan_error}
        return {
            "chapters": [
                {
                    "id": c.id,
                    "name": c.name,
                    "paper": c.paper,
                    "languages": [
                        {"code": code, "name": language(code).native_name} for code in c.languages
                    ],
                }
                for c in self.plan.chapters
            ],
            "brochures": sorted({job.brochure.name for job in self.plan.jobs}),
            "clinics": [
                {"id": c.id, "name": c.name, "chapter": c.chapter} for c in self.plan.clinics
            ],
            "error": "",
        }

    def find_job(self, query: dict) -> Job | None:
        """The job the query names, or None; a value outside the known choices is BadQuery."""
        unknown = sorted(set(query) - QUERY_KEYS)
        if unknown or any(len(values) != 1 for values in query.values()):
            raise BadQuery(f"unknown or repeated query parameter(s): {unknown or sorted(query)}")
        wanted = {
            key: query.get(key, [""])[0]
            for key in ("chapter", "lang", "brochure", "paper", "clinic")
        }
        if self.plan is None:
            return None
        known = {
            "chapter": {c.id for c in self.plan.chapters},
            "lang": {code for c in self.plan.chapters for code in c.languages},
            "brochure": {job.brochure.name for job in self.plan.jobs},
            "paper": set(PAPERS),
            "clinic": {""} | {c.id for c in self.plan.clinics},
        }
        for key, value in wanted.items():
            if value not in known[key] and value:
                raise BadQuery(f"{key}={value[:40]!r} is not one of the choices")
        if not all(wanted[key] for key in ("chapter", "lang", "brochure")):
            return None  # the page before a choice is made
        for job in self.plan.jobs:
            if (job.chapter.id, job.lang, job.brochure.name, job.variant) != (
                wanted["chapter"],
                wanted["lang"],
                wanted["brochure"],
                "office",
            ):
                continue
            if (job.clinic.id if job.clinic else "") != wanted["clinic"]:
                continue
            paper = wanted["paper"] or job.paper
            return (
                job
                if paper == job.paper
                else Job(job.chapter, job.lang, job.brochure, job.variant, paper, job.clinic)
            )
        return None

    def view(self, job: Job) -> View:
        """The job's view for the current version: from the cache, or rendered in turn (a
        bounded queue; Busy when it is full). The state lock is not held while rendering."""
        key = (
            job.chapter.id,
            job.lang,
            job.brochure.name,
            job.paper,
            job.clinic.id if job.clinic else "",
        )
        with self.lock:
            cached = self.views.get(key)
        if cached is not None:
            return cached
        with self._turn():
            with self.lock:
                version, cached = self.version, self.views.get(key)
            if cached is not None:
                return cached
            view = View(version)
            view.error = self.catalog_errors(job)
            if not view.error:
                try:
                    self._render(job, view)
                except PublishError as error:
                    view.error = error.message
            last = self.last_good.get(key)
            if not view.pages and last is not None:  # keep the last good pages on screen
                view.pages, view.texts, view.panels, view.stale = (
                    last.pages,
                    last.texts,
                    last.panels,
                    True,
                )
            with self.lock:
                if self.version == version:
                    self.views[key] = view
                if view.pages and not view.stale:
                    self.last_good[key] = view
            return view

    @contextmanager
    def _turn(self):
        if not self.queue.acquire(blocking=False):
            raise Busy("the preview is busy rendering; the page asks again in a moment")
        try:
            if not self.render_lock.acquire(timeout=RENDER_WAIT_S):
                raise Busy("a render is taking too long; try again")
            try:
                yield
            finally:
                self.render_lock.release()
        finally:
            self.queue.release()

    def catalog_errors(self, job: Job) -> str:
        """What `check` says against the job's catalog; the page and the download show it
        instead of rendering."""
        errors = catalog_errors(self.project, job.lang)
        return "\n".join(str(finding) for finding in errors[:30])

    def _render(self, job: Job, view: View) -> None:
        """Fill the view: pages, their text, untranslated strings and each panel's room. A
        document that does not fit is shown all the same, under its error."""
        from .documents import DocumentMaker, LayoutError  # WeasyPrint, kept across saves
        from .layout_report import Sources

        # a local reference: refresh() may drop self.maker for a new version meanwhile
        maker = self.maker = self.maker or DocumentMaker(self.project, highlight_untranslated=True)
        overflows: tuple = ()
        try:
            rendered = maker.pdf(job, read_layout=True)
        except LayoutError as error:
            if error.rendered is None or not error.rendered.data:
                raise
            rendered, overflows, view.error = error.rendered, error.overflows, error.message
        sources = Sources(self.project, job.lang)
        view.panels = panels(measure(job, rendered.layout, sources, overflows))
        view.pages, view.texts = draw_pages(rendered.data, rendered.pages)
        lines = {source.msgid: source.where for source in sources.all()}
        view.untranslated = [
            {"msgid": text, "where": lines.get(text.split("] ", 1)[-1], "")}
            for text in maker.untranslated(job.lang)
        ]

    def pdf(self, job: Job) -> bytes:
        """The file as it prints: rendered without the preview's highlighting."""
        from .documents import DocumentMaker

        errors = self.catalog_errors(job)
        if errors:
            raise PublishError(errors)
        with self._turn():
            maker = self.plain_maker = self.plain_maker or DocumentMaker(self.project)
            return maker.pdf(job).data


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
            if self.headers.get("Host", "") not in previewer.hosts:
                # DNS rebinding: a page from another site must not reach us by a name of its own
                return self.send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host", "text/plain")
            url = urlparse(self.path)
            try:
                query = parse_qs(url.query, keep_blank_values=True, max_num_fields=20)
                with previewer.lock:
                    version = previewer.refresh()
                    if url.path == "/":
                        return self.send(
                            200, _page(previewer.project).encode(), "text/html; charset=utf-8"
                        )
                    if url.path == "/api/choices":
                        return self.send(
                            200, json.dumps(previewer.choices()).encode(), "application/json"
                        )
                if url.path == "/po":
                    try:
                        page = catalog_page(previewer.project, query)
                    except UnknownCatalog as error:
                        raise BadQuery(error.message) from None
                    return self.send(200, page.encode(), HTML)
                with previewer.lock:
                    job = previewer.find_job(query)
                    plan_error = previewer.plan_error
                return self.answer(url.path, query, version, job, plan_error)
            except (BadQuery, ValueError) as error:
                message = error.message if isinstance(error, BadQuery) else str(error)
                return self.send(HTTPStatus.BAD_REQUEST, message.encode(), "text/plain")
            except Busy as error:
                return self.send(
                    HTTPStatus.SERVICE_UNAVAILABLE, error.message.encode(), "text/plain"
                )
            except PublishError as error:  # a catalog that cannot be read, for /po
                return self.send(422, error.message.encode(), "text/plain; charset=utf-8")

        def answer(self, path: str, query: dict, version: str, job, plan_error: str):
            if path == "/api/state":
                state = _state(previewer, version, job, plan_error)
                return self.send(200, json.dumps(state).encode(), "application/json")
            if path == "/api/events":
                return self.events(query)
            if path == "/page.png" and job is not None:
                view = previewer.view(job)
                number = query.get("n", ["1"])[0]
                if not re.fullmatch(r"[0-9]{1,3}", number):
                    raise BadQuery(f"n={number[:10]!r} is not a page number")
                if 1 <= int(number) <= len(view.pages):
                    return self.send(200, view.pages[int(number) - 1], "image/png")
            if path == "/document.pdf" and job is not None:
                try:
                    return self.send(200, previewer.pdf(job), "application/pdf")
                except Busy:
                    raise
                except PublishError as error:
                    return self.send(422, error.message.encode(), "text/plain; charset=utf-8")
            self.send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

        def events(self, query: dict) -> None:
            """Server-sent events: the state now, then each new state as soon as the
            project changes and the document is rendered again (no polling)."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            sent = ""
            try:
                self.wfile.write(b"retry: 500\n\n")  # reconnect fast after a busy spell
                while True:
                    with previewer.lock:
                        if previewer.version == sent:
                            previewer.changed.wait(KEEPALIVE_S)
                        version = previewer.refresh()
                        job = previewer.find_job(query)
                        plan_error = previewer.plan_error
                    if version == sent:
                        self.wfile.write(b": waiting for a change\n\n")
                    else:
                        state = _state(previewer, version, job, plan_error)
                        self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                        sent = version
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, Busy, BadQuery):
                return  # the page went away (it reconnects by itself when it comes back)

    return Handler


HTML = "text/html; charset=utf-8"


def _state(previewer: Previewer, version: str, job, plan_error: str) -> dict:
    """What the page shows for one document: rendered now, or from the cache."""
    if job is None:
        return {
            "version": version,
            "error": plan_error or "choose a chapter, language and brochure",
            "pages": 0,
        }
    view = previewer.view(job)
    return {
        "version": view.version,
        "error": view.error,
        "stale": view.stale,
        "pages": len(view.pages),
        "texts": view.texts,
        "untranslated": view.untranslated,
        "panels": view.panels,
    }


def watch(previewer: Previewer, stop: threading.Event) -> None:
    """Look at the project's files every WATCH_INTERVAL_S; a change wakes the event streams."""
    while not stop.wait(WATCH_INTERVAL_S):
        with previewer.lock:
            previewer.refresh(force=True)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many tabs polling at once must not be refused by the backlog


def serve(root: Path | None, host: str, port: int, on_ready=lambda url: None) -> None:
    """Serve until interrupted; `port` 0 takes a free one."""
    previewer = Previewer(Project.at(root))
    server = PreviewServer((host, port), make_handler(previewer))
    bound = server.server_address[1]
    previewer.hosts = {f"{name}:{bound}" for name in ("127.0.0.1", "localhost", "[::1]")}
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(previewer, stop), daemon=True)
    watcher.start()
    on_ready(f"http://{host}:{bound}/")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
