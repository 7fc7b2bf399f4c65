"""Running a build: skip what is up to date, render the rest on every core, manifest last."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path

from .chapters import Chapter
from .errors import PublishError
from .fingerprints import Fingerprints
from .jobs import Job
from .layout_report import layout_problems
from .outputs import (
    ManifestEntry,
    entry_for,
    read_manifest,
    remove_stray_temporaries,
    up_to_date,
    write_atomic,
    write_manifest,
)
from .preflight import preflight
from .project import Project
from .render_log import record_results
from .thumbnails import THUMBS, make_thumbnail
from .toolchain import renderer_versions


@dataclass(frozen=True)
class JobResult:
    job: Job
    entry: ManifestEntry | None = None
    error: str = ""
    warnings: tuple[str, ...] = ()
    untranslated: tuple[str, ...] = ()  # strings that fell back to English
    reused: bool = False  # up to date: not rendered again
    peak_kb: int = 0  # the rendering process's peak memory so far
    preflight: tuple[str, ...] | None = None  # the failed checks (() = passed)
    layout: tuple = ()  # layout_checks.Problem: what a designer would see on this PDF
    seconds: float = 0.0  # the worker's time for this PDF: render, write, preflight, thumbnail


@dataclass
class BuildReport:
    results: list[JobResult] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # outputs no chapter or language makes now
    pruned: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)  # languages refused before rendering
    manifest: list[ManifestEntry] = field(default_factory=list)  # as written (or found)

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if result.error]

    @property
    def built(self) -> list[JobResult]:
        return [result for result in self.results if result.entry and not result.reused]

    @property
    def reused(self) -> list[JobResult]:
        return [result for result in self.results if result.reused]


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies

# One DocumentMaker per worker process, built by the pool's initializer, so each worker keeps
# its Jinja environments, parsed stylesheets and fonts across documents.
_worker: dict = {}


def _start_worker(project: Project, out: Path, strict: bool) -> None:
    from .documents import DocumentMaker  # imports WeasyPrint, in the worker only

    _worker.update(maker=DocumentMaker(project), out=out, strict=strict)


def _die_with_parent(parent: int) -> None:
    """Have the kernel end this worker when the build's process dies, even by kill -9 or the
    out-of-memory killer, so no worker lives on as an orphan writing PDFs nobody waits for."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: watch the parent instead

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _start_pool_worker(parent: int, project: Project, out: Path, strict: bool) -> None:
    _die_with_parent(parent)
    _start_worker(project, out, strict)


def _image_inputs(job: Job) -> dict[str, Path]:
    """The image files a job's PDF is made from, named as users see them."""
    logo = job.chapter.logo
    return {_worker["maker"].project.relative(logo): logo} if logo else {}


def _render(job_and_fingerprint: tuple[Job, str]) -> JobResult:
    job, job_fingerprint = job_and_fingerprint
    maker = _worker["maker"]
    started = time.perf_counter()
    try:
        rendered = maker.pdf(job, strict=_worker["strict"], read_layout=True)
        write_atomic(_worker["out"] / job.output, rendered.data)
        entry = _entry_of(job, rendered.data, rendered.pages, job_fingerprint)
        # Follow-up work on the file happens here, in parallel, not in the parent.
        if job.variant == "office":  # press twins share their office PDF's thumbnail
            make_thumbnail(_worker["out"], entry)
        # Press as a print shop checks it; office for what a screen reader needs (tag_checks).
        report = preflight(
            _worker["out"] / job.output, job.variant, job.paper, inputs=_image_inputs(job)
        )
        failed = tuple(f"{c.name}: {c.detail}" for c in report.checks if not c.ok)
        entry = replace(entry, preflight=list(failed))
        result = JobResult(
            job,
            entry,
            warnings=rendered.warnings,
            untranslated=maker.untranslated(job.lang),
            preflight=failed,
            layout=tuple(layout_problems(job, rendered.layout)),
        )
    except PublishError as error:
        result = JobResult(job, error=error.message)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return replace(result, peak_kb=peak, seconds=time.perf_counter() - started)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Stop(BaseException):
    """Raised in the parent by a stop signal; a BaseException so no job's `except` eats it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class BuildInterrupted(PublishError):
    """The build was stopped by a signal; what finished is kept and listed."""

    def __init__(self, signum: int, finished: int):
        super().__init__(
            f"Aborted by {signal.Signals(signum).name}: workers stopped, "
            f"{finished} finished PDF(s) kept and listed in the manifest; "
            "run the same build again to finish"
        )
        # Click declares exit_code per class; this one's depends on the signal, as shells do.
        self.exit_code = 128 + signum  # type: ignore[misc]


@contextmanager
def _signals_raise() -> Iterator[None]:
    def stop(signum, frame):
        raise _Stop(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def _signals_for_workers() -> Iterator[None]:
    """While the pool forks: workers inherit SIGINT ignored (a terminal's Ctrl-C reaches the
    whole process group; the parent stops them) and the default SIGTERM and SIGHUP (so the
    parent, or their parent's death, can end them), not the parent's Python handlers."""
    previous = {
        signum: signal.signal(signum, signal.SIG_IGN if signum == signal.SIGINT else signal.SIG_DFL)
        for signum in STOP_SIGNALS
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now, mid-render if need be (their partial files are temporaries).
    The pool's own threads may trip over the workers we end (a broken pipe, a lost result):
    expected here, so not printed as a traceback to the user who asked us to stop."""
    previous_hook, threading.excepthook = threading.excepthook, lambda args: None
    try:
        for process in list(getattr(pool, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        threading.excepthook = previous_hook


def _entry_of(job: Job, data: bytes, pages: int, job_fingerprint: str) -> ManifestEntry:
    """The manifest's record of one job's PDF, whether its worker reported it or not."""
    return entry_for(
        job.output,
        data,
        pages,
        chapter=job.chapter.id,
        lang=job.lang,
        brochure=job.brochure.name,
        variant=job.variant,
        paper=job.paper,
        clinic=job.clinic.id if job.clinic else None,
        fingerprint=job_fingerprint,
        made_with=renderer_versions(),
    )


def _written_since(out: Path, todo: list[tuple[Job, str]], started: int) -> list[ManifestEntry]:
    """PDFs a stopped worker finished (written whole, by rename) but could not report."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    entries = []
    for job, job_fingerprint in todo:
        path = out / job.output
        try:
            if not path.is_file() or path.stat().st_mtime_ns < started:
                continue
            data = path.read_bytes()
            pages = len(PdfReader(BytesIO(data)).pages)
        except (OSError, PdfReadError, ValueError):
            continue
        entries.append(_entry_of(job, data, pages, job_fingerprint))
    return entries


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _stale(previous: list[ManifestEntry], chapters: Sequence[Chapter]) -> list[str]:
    """Outputs in the manifest that no chapter publishes any more (chapter or language gone)."""
    offered = {(chapter.id, lang) for chapter in chapters for lang in chapter.languages}
    return sorted(entry.path for entry in previous if (entry.chapter, entry.lang) not in offered)


def run_jobs(
    project: Project,
    jobs: Sequence[Job],
    out: Path,
    *,
    strict: bool = False,
    workers: int = 1,
    force: bool = False,
    prune: bool = False,
    chapters: Sequence[Chapter] = (),
    refuse: Callable[[list[Job]], set[str]] = lambda jobs: set(),
    on_result: Callable[[JobResult], None] = lambda result: None,
) -> BuildReport:
    """Render the jobs whose inputs changed (all with `force`), each PDF written atomically by
    the process that rendered it; then the manifest, merged with what was already there.
    `refuse` sees the jobs to render first and names languages not to render (bad catalogs),
    so an up-to-date build checks nothing."""
    report = BuildReport()
    previous = read_manifest(out)
    folders = (
        {str(Path(item.path).parent) for item in previous}
        | {str(Path(job.output).parent) for job in jobs}
        | {THUMBS}
    )
    remove_stray_temporaries(out, folders)
    known = {entry.path: entry for entry in previous}
    todo: list[tuple[Job, str]] = []
    # --strict is an input: a PDF made with English fallbacks must not pass as strict.
    fingerprint = Fingerprints(project, ("strict",) if strict else ())
    for job in jobs:
        job_fingerprint = fingerprint(job)
        old = known.get(job.output)
        if not force and old and up_to_date(old, job_fingerprint, out):
            result = JobResult(
                job,
                old,
                reused=True,
                preflight=None if old.preflight is None else tuple(old.preflight),
            )
            report.results.append(result)
            on_result(result)
        else:
            todo.append((job, job_fingerprint))

    report.blocked = refuse([job for job, _ in todo]) if todo else set()
    todo = [(job, mark) for job, mark in todo if job.lang not in report.blocked]
    stopped = None
    started = time.time_ns()
    if todo:
        workers = max(1, min(workers, len(todo)))
        pool = None
        try:
            with _signals_raise():
                if workers == 1:
                    _start_worker(project, out, strict)
                    results: Iterator[JobResult] = map(_render, todo)
                else:
                    # fork: workers start at once and share the parent's parsed records; the
                    # parent has not imported WeasyPrint, so each worker loads its own.
                    with _signals_for_workers():
                        pool = ProcessPoolExecutor(
                            workers,
                            mp_context=multiprocessing.get_context("fork"),
                            initializer=_start_pool_worker,
                            initargs=(os.getpid(), project, out, strict),
                        )
                        results = pool.map(_render, todo, chunksize=1)
                for result in results:
                    report.results.append(result)
                    on_result(result)
        except _Stop as stop:
            stopped = stop.signum
        finally:
            if pool is not None:
                if stopped is None:
                    pool.shutdown(cancel_futures=True)
                else:
                    _stop_pool(pool)
    if stopped is not None:  # keep what finished, listed; remove what was half-written
        remove_stray_temporaries(out, folders)
        entries = [result.entry for result in report.results if result.entry]
        reported = {entry.path for entry in entries}
        entries += _written_since(
            out, [item for item in todo if item[0].output not in reported], started
        )
        if entries:
            write_manifest(out, entries, previous=previous)
        record_results(out, report.results)
        raise BuildInterrupted(stopped, len(report.built))

    report.stale = _stale(previous, chapters) if chapters else []
    if prune:
        for path in report.stale:
            (out / path).unlink(missing_ok=True)
        report.pruned = report.stale
    entries = [result.entry for result in report.results if result.entry]
    report.manifest = previous
    if entries or report.pruned:
        report.manifest = write_manifest(
            out, entries, dropped=frozenset(report.pruned), previous=previous
        )
    if report.built or report.failed or report.pruned:
        record_results(out, report.results, report.pruned)
    return report
