"""Running a build: skip what is up to date, render the rest on every core, manifest last."""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from .chapters import Chapter
from .errors import PublishError
from .fingerprints import fingerprint
from .jobs import Job
from .layout_report import layout_problems
from .outputs import (
    ManifestEntry,
    entry_for,
    read_manifest,
    remove_stray_temporaries,
    write_atomic,
    write_manifest,
)
from .preflight import preflight
from .project import Project
from .site import make_thumbnail


@dataclass(frozen=True)
class JobResult:
    job: Job
    entry: ManifestEntry | None = None
    error: str = ""
    warnings: tuple[str, ...] = ()
    untranslated: tuple[str, ...] = ()  # strings that fell back to English
    reused: bool = False  # up to date: not rendered again
    peak_kb: int = 0  # the rendering process's peak memory so far
    preflight: tuple[str, ...] | None = None  # press PDFs: the failed checks ('' = passed)
    layout: tuple = ()  # layout_checks.Problem: what a designer would see on this PDF


@dataclass
class BuildReport:
    results: list[JobResult] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # outputs no chapter or language makes now
    pruned: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)  # languages refused before rendering

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if result.error]

    @property
    def built(self) -> list[JobResult]:
        return [result for result in self.results if result.entry and not result.reused]

    @property
    def reused(self) -> list[JobResult]:
        return [result for result in self.results if result.reused]


# One DocumentMaker per worker process, built by the pool's initializer, so each worker keeps
# its Jinja environments, parsed stylesheets and fonts across documents.
_worker: dict = {}


def _start_worker(project: Project, out: Path, strict: bool) -> None:
    from .documents import DocumentMaker  # imports WeasyPrint, in the worker only

    _worker.update(maker=DocumentMaker(project), out=out, strict=strict)


def _render(job_and_fingerprint: tuple[Job, str]) -> JobResult:
    job, job_fingerprint = job_and_fingerprint
    maker = _worker["maker"]
    try:
        rendered = maker.pdf(job, strict=_worker["strict"], read_layout=True)
        write_atomic(_worker["out"] / job.output, rendered.data)
        entry = entry_for(job.output, rendered.data, rendered.pages, chapter=job.chapter.id,
                          lang=job.lang, brochure=job.brochure.name, variant=job.variant,
                          paper=job.paper, clinic=job.clinic.id if job.clinic else None,
                          fingerprint=job_fingerprint)
        # Follow-up work on the file happens here, in parallel, not in the parent.
        failed = None
        if job.variant == "office":  # press twins share their office PDF's thumbnail
            make_thumbnail(_worker["out"], entry)
        else:
            report = preflight(_worker["out"] / job.output, "press", job.paper)
            failed = tuple(f"{c.name}: {c.detail}" for c in report.checks if not c.ok)
        result = JobResult(job, entry, warnings=rendered.warnings,
                           untranslated=maker.untranslated(job.lang), preflight=failed,
                           layout=tuple(layout_problems(job, rendered.layout)))
    except PublishError as error:
        result = JobResult(job, error=error.message)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return replace(result, peak_kb=peak)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _stale(previous: list[ManifestEntry], chapters: Sequence[Chapter]) -> list[str]:
    """Outputs in the manifest that no chapter publishes any more (chapter or language gone)."""
    offered = {(chapter.id, lang) for chapter in chapters for lang in chapter.languages}
    return sorted(entry.path for entry in previous if (entry.chapter, entry.lang) not in offered)


def run_jobs(project: Project, jobs: Sequence[Job], out: Path, *, strict: bool = False,
             workers: int = 1, force: bool = False, prune: bool = False,
             chapters: Sequence[Chapter] = (),
             refuse: Callable[[list[Job]], set[str]] = lambda jobs: set(),
             on_result: Callable[[JobResult], None] = lambda result: None) -> BuildReport:
    """Render the jobs whose inputs changed (all with `force`), each PDF written atomically by
    the process that rendered it; then the manifest, merged with what was already there.
    `refuse` sees the jobs to render first and names languages not to render (bad catalogs),
    so an up-to-date build checks nothing."""
    report = BuildReport()
    remove_stray_temporaries(out)
    previous = read_manifest(out)
    known = {entry.path: entry for entry in previous}
    todo: list[tuple[Job, str]] = []
    for job in jobs:
        # --strict is an input: a PDF made with English fallbacks must not pass as strict.
        job_fingerprint = fingerprint(project, job, ("strict",) if strict else ())
        old = known.get(job.output)
        path = out / job.output
        if (not force and old and old.fingerprint == job_fingerprint and path.is_file()
                and path.stat().st_size == old.bytes):
            result = JobResult(job, old, reused=True)
            report.results.append(result)
            on_result(result)
        else:
            todo.append((job, job_fingerprint))

    report.blocked = refuse([job for job, _ in todo]) if todo else set()
    todo = [(job, mark) for job, mark in todo if job.lang not in report.blocked]
    if todo:
        workers = max(1, min(workers, len(todo)))
        if workers == 1:
            _start_worker(project, out, strict)
            results = map(_render, todo)
        else:
            # fork: workers start at once and share the parent's parsed records; the parent
            # has not imported WeasyPrint, so each worker loads its own.
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_start_worker,
                                       initargs=(project, out, strict))
            results = pool.map(_render, todo, chunksize=1)
        try:
            for result in results:
                report.results.append(result)
                on_result(result)
        finally:
            if workers > 1:
                pool.shutdown(cancel_futures=True)

    report.stale = _stale(previous, chapters) if chapters else []
    if prune:
        for path in report.stale:
            (out / path).unlink(missing_ok=True)
        report.pruned = report.stale
    entries = [result.entry for result in report.results if result.entry]
    if entries or report.pruned:
        write_manifest(out, entries, dropped=frozenset(report.pruned))
    return report
