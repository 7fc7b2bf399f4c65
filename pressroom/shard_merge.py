"""Joining the shards of a build: every planned PDF exactly once, and what is left to do.

A shard that was killed or failed leaves jobs in no manifest; the merge names them and
writes them as a job list that `build --job-list` takes, so only they are built again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PublishError, UsageError
from .inputs import InputError, read_input
from .jobs import Filters, Job
from .outputs import (
    MANIFEST,
    ManifestEntry,
    merge_manifests,
    remove_stray_temporaries,
    save_manifest,
    write_atomic,
)
from .plan import make_plan
from .render_log import RenderLog, read_render_log, save_render_log
from .thumbnails import THUMBS

JOB_LIST_HEADER = (
    "# PDFs a sharded build did not make. Build just these with the options of the first run:\n"
    "#   publish.py build --job-list THIS-FILE [--shard K/N] ...\n"
)


@dataclass
class MergeOutcome:
    output: Path  # the merged manifest
    planned: int
    entries: list[ManifestEntry]
    missing: list[str]  # planned, in no manifest, no failure logged: the shard never got there
    failed: dict[str, str]  # planned, in no manifest, a shard logged why
    preflight_failed: list[str]  # built, but failed the press preflight
    missing_out: Path | None = None
    catalog_page: Path | None = None
    page_note: str = ""  # why the catalog page was not written
    shards: list[str] = field(default_factory=list)  # the manifests read

    @property
    def rerun(self) -> list[str]:
        return sorted([*self.missing, *self.failed])

    @property
    def exit_code(self) -> int:
        return 1 if self.rerun or self.preflight_failed else 0


def _manifest_of(source: Path) -> Path:
    return source / MANIFEST if source.is_dir() else source


def merge_shards(
    root: Path | None,
    filters: Filters,
    clinic_files: tuple[Path, ...],
    sources: Sequence[Path],
    output: Path,
    missing_out: Path | None = None,
    job_list: Path | None = None,
) -> MergeOutcome:
    """Merge the shards' manifests (files, or build folders) into `output`, checked against
    the jobs these options plan; write the merged render log, the catalog page when the
    PDFs are beside `output`, and the jobs left to do to `missing_out`."""
    from .site import write_catalog_page

    plan = make_plan(root, filters, clinic_files)
    jobs = select_jobs(plan.jobs, job_list) if job_list else plan.jobs
    manifests = [_manifest_of(source) for source in sources if _manifest_of(source).is_file()]
    entries = merge_manifests(manifests)
    planned = {job.output for job in jobs}
    unplanned = [entry.path for entry in entries if entry.path not in planned]
    if unplanned:
        raise UsageError(
            f"{len(unplanned)} PDF(s) in the manifests are not planned with these options "
            f"(first: {unplanned[0]}); give `manifest merge` the same --chapter, --lang, "
            "--brochure, --variant, --paper and --clinic options as the builds"
        )
    log = RenderLog()
    for source in sources:
        shard_log = read_render_log(_manifest_of(source).parent)
        log.seconds.update(shard_log.seconds)
        log.failed.update(shard_log.failed)
    built = {entry.path for entry in entries}
    log.failed = {path: error for path, error in log.failed.items() if path not in built}
    done = built | set(log.failed)
    outcome = MergeOutcome(
        output,
        len(planned),
        entries,
        missing=[job.output for job in jobs if job.output not in done],
        failed={path: log.failed[path] for path in sorted(log.failed) if path in planned},
        preflight_failed=[entry.path for entry in entries if entry.preflight],
        missing_out=missing_out,
        shards=[str(path) for path in manifests],
    )
    save_manifest(output, entries)
    if output.name == MANIFEST:  # a build folder: its next build may balance by these times
        save_render_log(output.parent, log)
    if missing_out is not None:
        write_job_list(missing_out, outcome.rerun)
    absent = [entry.path for entry in entries if not (output.parent / entry.path).is_file()]
    if output.name != MANIFEST:
        outcome.page_note = f"the merged manifest is not named {MANIFEST}"
    elif absent:
        outcome.page_note = (
            f"{len(absent)} PDF(s) are not in {output.parent} (first: {absent[0]}); copy the "
            "shards' folders there and merge again"
        )
    else:
        # Shard folders copied in may hold what a killed shard was half-way through writing.
        folders = {str(Path(entry.path).parent) for entry in entries} | {THUMBS}
        remove_stray_temporaries(output.parent, folders)
        try:
            outcome.catalog_page = write_catalog_page(
                plan.project, output.parent, plan.chapters, entries, plan.clinics
            )
        except PublishError as error:
            outcome.page_note = error.message
    return outcome


def write_job_list(path: Path, outputs: Sequence[str]) -> None:
    text = JOB_LIST_HEADER + "".join(f"{output}\n" for output in outputs)
    write_atomic(path, text.encode("utf-8"))


def select_jobs(jobs: Sequence[Job], path: Path) -> list[Job]:
    """The planned jobs a job list names (one output path a line, # comments), in plan
    order; a line naming no planned job is an error with its line number."""
    try:
        text = read_input(path, str(path), "manifest").decode("utf-8")
    except InputError as error:
        raise UsageError(error.message) from None
    except UnicodeDecodeError:
        raise UsageError(f"--job-list {path}: not UTF-8 text") from None
    by_output = {job.output: job for job in jobs}
    wanted, unknown = set(), []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line in by_output:
            wanted.add(line)
        else:
            unknown.append(f"{path}:{number}: {line[:100]!r}")
    if unknown:
        raise UsageError(
            f"--job-list: {len(unknown)} line(s) name no PDF this build plans; build with the "
            "options of the run that wrote the list (--chapter, --lang, --brochure, --variant, "
            "--paper, --clinic):\n  " + "\n  ".join(unknown[:20])
        )
    return [job for job in jobs if job.output in wanted]
