"""A whole build as one call: plan, catalog gate, render, catalog page, preflight tally.

Returns a BuildOutcome for the command line to print; prints nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildReport, JobResult, default_workers, run_jobs
from .catalog_checks import Finding
from .errors import PublishError, UsageError
from .jobs import Filters, Job
from .outfolder import claim_output
from .plan import make_plan
from .project import Project
from .shards import Shard, resolve_shard, split
from .site import PAGE, write_catalog_page


@dataclass(frozen=True)
class BuildRequest:
    """What the user asked for: which PDFs, where, and how."""

    filters: Filters
    out: Path
    clinic_files: tuple[Path, ...] = ()
    shard: Shard | None = None
    balance_from: Path | None = None  # an earlier build whose render times balance the shards
    job_list: Path | None = None  # build only the jobs this file lists (`manifest merge`)
    workers: int | None = None  # None: every CPU
    force: bool = False
    prune: bool = False
    strict: bool = False
    check_catalogs: bool = True  # False: --no-check
    any_folder: bool = False  # --out-nonempty

    @classmethod
    def from_options(cls, options: Mapping, environ: Mapping[str, str]) -> BuildRequest:
        """The `build` command's options, by their Click names; `--shard auto` reads the CI
        engine's variables from `environ`."""
        return cls(
            Filters(
                options["chapters"],
                options["languages"],
                options["brochures"],
                options["variants"],
                options["paper"],
            ),
            options["out"],
            options["clinic_files"] + options["clinic_sheets"],
            resolve_shard(options["shard"], options["shards"], environ),
            options["balance_from"],
            options["job_list"],
            options["workers"],
            options["force"],
            options["prune"],
            options["strict"],
            check_catalogs=not options["no_check"],
            any_folder=options["out_nonempty"],
        )


@dataclass
class BuildOutcome:
    report: BuildReport
    out: Path  # the resolved output folder
    refused: dict[str, list[Finding]] = field(default_factory=dict)  # language: its errors
    refused_jobs: dict[str, int] = field(default_factory=dict)  # language: PDFs not built
    catalog_page: Path | None = None  # written by this build (None: unchanged)
    page_error: str = ""  # the catalog page could not be written (the PDFs and manifest are)
    slow_fonts: bool = False  # HarfBuzz subsetting missing: fontTools subsets, much slower
    # What a designer would see on the PDFs just built (the `check` layout rules), merged to
    # one finding per problem. They do not fail the build: `check` is the gate.
    layout: list[Finding] = field(default_factory=list)

    @property
    def preflighted(self) -> list[JobResult]:
        """PDFs rendered (and so preflighted) by this build."""
        return [result for result in self.report.built if result.preflight is not None]

    @property
    def preflight_failed(self) -> list[JobResult]:
        """PDFs that failed their preflight, now or (up to date) when they were built."""
        return [result for result in self.report.results if result.entry and result.preflight]

    @property
    def clinic_pdfs(self) -> dict[str, tuple[str, list[str]]]:
        """Each clinic's PDFs in this build (built or up to date): id -> (name, paths)."""
        found: dict[str, tuple[str, list[str]]] = {}
        for result in self.report.results:
            clinic = result.job.clinic
            if clinic and result.entry:
                found.setdefault(clinic.id, (clinic.name, []))[1].append(result.entry.path)
        return found

    @property
    def exit_code(self) -> int:
        report = self.report
        failed = report.failed or self.preflight_failed or report.blocked or self.page_error
        return 1 if failed else 0

    def as_dict(self) -> dict:
        """The outcome as JSON-ready data (`build --json`)."""
        report = self.report
        return {
            "out": str(self.out),
            "built": [result.entry.path for result in report.built if result.entry],
            "up_to_date": [result.job.output for result in report.reused],
            "failed": [
                {"path": result.job.output, "error": result.error} for result in report.failed
            ],
            "refused": {
                lang: {
                    "pdfs": self.refused_jobs[lang],
                    "errors": [str(finding) for finding in errors],
                }
                for lang, errors in self.refused.items()
            },
            "untranslated": {
                result.job.output: list(result.untranslated)
                for result in report.results
                if result.untranslated
            },
            "warnings": {
                result.job.output: list(result.warnings)
                for result in report.results
                if result.warnings
            },
            "stale": report.stale,
            "pruned": report.pruned,
            "layout": [str(finding) for finding in self.layout],
            "preflight": {
                "checked": len(self.preflighted),
                "passed": len([r for r in self.preflighted if not r.preflight]),
                "failed": {
                    result.job.output: list(result.preflight or ())
                    for result in self.preflight_failed
                },
            },
            "clinics": {id_: paths for id_, (_, paths) in self.clinic_pdfs.items()},
            "catalog_page": str(self.catalog_page) if self.catalog_page else None,
            "catalog_page_error": self.page_error or None,
            "slow_font_subsetting": self.slow_fonts,
            "ok": self.exit_code == 0,
        }


def _layout_findings(project: Project, built: list[JobResult]) -> list[Finding]:
    from .layout_report import LayoutReport

    merged = LayoutReport(project)
    for result in built:
        merged.add(result.job, list(result.layout))
    return merged.findings()


def run_build(
    root: Path | None,
    request: BuildRequest,
    *,
    on_plan: Callable[[int], None] = lambda total: None,
    on_result: Callable[[JobResult], None] = lambda result: None,
) -> BuildOutcome:
    """Plan the PDFs, refuse languages whose catalogs have errors, render what changed,
    write the manifest (read once) and the catalog page. `on_plan` hears how many PDFs are
    planned, `on_result` each one as it finishes (progress display)."""
    from .fonts import harfbuzz_subsetting
    from .render_log import render_times
    from .shard_merge import select_jobs

    plan = make_plan(root, request.filters, request.clinic_files)
    jobs = select_jobs(plan.jobs, request.job_list) if request.job_list else plan.jobs
    if request.balance_from and not request.shard:
        raise UsageError("--balance-from: only with --shard (it balances the shards)")
    if request.shard:
        times = render_times(request.balance_from) if request.balance_from else None
        jobs = split(jobs, request.shard, times)
    on_plan(len(jobs))
    refused: dict[str, list[Finding]] = {}
    counts: dict[str, int] = {}  # PDFs of each refused language that were due to render

    def refuse(todo: list[Job]) -> set[str]:
        from .project_check import catalog_errors

        if request.check_catalogs:
            refused.update(catalog_errors(plan.project, sorted({job.lang for job in todo})))
        counts.update({lang: sum(1 for job in todo if job.lang == lang) for lang in refused})
        return set(refused)

    with claim_output(request.out, plan.project, any_folder=request.any_folder) as folder:
        report = run_jobs(
            plan.project,
            jobs,
            folder,
            strict=request.strict,
            force=request.force,
            prune=request.prune,
            workers=request.workers or default_workers(),
            chapters=plan.chapters,
            refuse=refuse,
            on_result=on_result,
        )
        outcome = BuildOutcome(
            report,
            folder,
            refused,
            counts,
            slow_fonts=bool(jobs) and not harfbuzz_subsetting(),
            layout=_layout_findings(plan.project, report.built),
        )
        if report.built or report.pruned or not (folder / PAGE).is_file():
            try:  # reported with the rest of the outcome, which it must not hide
                outcome.catalog_page = write_catalog_page(
                    plan.project, folder, plan.chapters, report.manifest, plan.clinics
                )
            except PublishError as error:
                outcome.page_error = error.message
    return outcome
