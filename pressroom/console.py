"""Build progress for people: a live line on a terminal, only problems elsewhere (CI logs).

With publish.py, the only code that prints; the core reports through callbacks and results.
"""

from __future__ import annotations

import sys
import time

import click


class BuildProgress:
    """Receives each JobResult as the build finishes it."""

    def __init__(self, total: int = 0, *, quiet: bool = False):
        self.total, self.done = total, 0
        self.started = time.monotonic()
        self.live = not quiet and sys.stdout.isatty()
        self.warned: dict[str, set[str]] = {}

    def planned(self, total: int) -> None:
        self.total = total

    def __call__(self, result) -> None:
        self.done += 1
        if result.error:
            self._clear()
            click.secho(f"FAILED {result.job.describe()}: {result.error}", fg="red", err=True)
        for warning in result.warnings:
            self._clear()
            click.secho(f"warning: {result.job.output}: {warning}", fg="yellow", err=True)
        self._fallback(result)
        if self.live:
            elapsed = time.monotonic() - self.started
            left = elapsed / self.done * (self.total - self.done)
            click.echo(
                f"\r\x1b[2K[{self.done}/{self.total}] {100 * self.done // self.total}%"
                f" · {left:.0f} s left · {result.job.output}",
                nl=False,
            )

    def _fallback(self, result) -> None:
        """Strings shown in English, named once per language."""
        if result.error:
            return
        fresh = set(result.untranslated) - self.warned.setdefault(result.job.lang, set())
        if fresh:
            self.warned[result.job.lang] |= fresh
            self._clear()
            click.secho(
                f"warning: {result.job.lang}: {len(fresh)} string(s) not translated in "
                f"locales/{result.job.lang}/LC_MESSAGES/messages.po, printed in English:",
                fg="yellow",
                err=True,
            )
            for text in sorted(fresh):
                click.secho(f"    {text[:100]!r}", fg="yellow", err=True)

    def _clear(self) -> None:
        if self.live:
            click.echo("\r\x1b[2K", nl=False)

    def finish(self, report, out) -> None:
        self._clear()
        peak = max((r.peak_kb for r in report.results), default=0)
        memory = f", peak {peak // 1024} MB per worker" if peak else ""
        manifest = f"; manifest: {out / 'manifest.json'}" if report.results else ""
        click.echo(
            f"{len(report.built)} PDF(s) built, {len(report.reused)} up to date, "
            f"{len(report.failed)} failed, in {time.monotonic() - self.started:.1f} s"
            f"{memory}{manifest}"
        )
        if report.stale:
            verb = (
                "removed"
                if report.pruned
                else "stale (no chapter makes them now; --prune removes them)"
            )
            click.secho(f"{len(report.stale)} output(s) {verb}:", fg="yellow")
            for path in report.stale[:20]:
                click.echo(f"    {path}")


def print_build(
    outcome, progress: BuildProgress, *, quiet: bool = False, as_json: bool = False
) -> None:
    """What a build did, after it: refused catalogs, summary, catalog page, preflight."""
    import json

    if as_json:
        click.echo(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False))
        return
    if outcome.slow_fonts:
        click.secho(
            "WARNING: HarfBuzz font subsetting (libharfbuzz-subset0) is missing: fonts "
            "are subset with fontTools, 3× slower for Latin and ~40× for CJK. Run "
            "scripts/setup.",
            fg="red",
            bold=True,
            err=True,
        )
    for lang, errors in outcome.refused.items():
        click.secho(
            f"{lang}: not built ({outcome.refused_jobs[lang]} PDF(s)): its catalog has "
            f"{len(errors)} error(s):",
            fg="red",
            err=True,
        )
        for finding in errors[:20]:
            click.secho(f"  {finding}", fg="red", err=True)
    progress.finish(outcome.report, outcome.out)
    errors = [finding for finding in outcome.layout if finding.severity == "error"]
    for finding in errors if quiet else outcome.layout:
        click.secho(
            f"layout {finding}", fg="red" if finding.severity == "error" else "yellow", err=True
        )
    if outcome.layout:
        click.echo(
            f"layout: {len(errors)} error(s), {len(outcome.layout) - len(errors)} "
            "warning(s) in the PDFs built (details: publish.py check)"
        )
    if not quiet:
        print_clinic_pdfs(outcome.clinic_pdfs, outcome.out, outcome.catalog_page)
    if outcome.catalog_page and not quiet:
        click.echo(f"catalog page: {outcome.catalog_page}")
    if outcome.page_error:
        click.secho(f"Error: catalog page not written: {outcome.page_error}", fg="red", err=True)
    # An up-to-date PDF that failed its preflight when built still fails: say so again.
    for result in outcome.preflight_failed:
        again = " (up to date, as built)" if result.reused else ""
        click.secho(
            f"preflight FAILED{again} {result.entry.path}: {'; '.join(result.preflight)}",
            fg="red",
            err=True,
        )
    if outcome.preflighted:
        passed = len([r for r in outcome.preflighted if not r.preflight])
        click.echo(f"preflight: {passed} of {len(outcome.preflighted)} PDF(s) passed")


LISTED_CLINICS = 3  # a build of a few clinics lists their PDFs; of more, the catalog page does


def print_clinic_pdfs(clinics: dict, out, page) -> None:
    """Where a clinic finds its own PDFs: their paths, or for many clinics the page listing them."""
    if len(clinics) > LISTED_CLINICS:
        where = f": {page}" if page else " (index.html)"
        click.echo(
            f"{len(clinics)} clinics' PDFs are listed under each clinic on the catalog page{where}"
        )
        return
    for clinic_id, (name, paths) in sorted(clinics.items()):
        click.echo(f"{name} ({clinic_id}): {len(paths)} PDF(s)")
        for path in sorted(paths):
            click.echo(f"    {out / path}")


def print_findings(report, *, as_json: bool = False) -> None:
    """The `check` report: grouped by language, errors in red when on a terminal."""
    import json
    from dataclasses import asdict

    summary = (
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s); "
        f"{report.rendered} document(s) laid out"
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "findings": [asdict(f) for f in report.findings],
                    "errors": len(report.errors),
                    "warnings": len(report.warnings),
                    "rendered": report.rendered,
                    "room": [room.as_dict() for room in report.room],
                    "summary": summary,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    by_language: dict[str, list] = {}
    for finding in report.findings:
        by_language.setdefault(finding.lang, []).append(finding)
    for lang in sorted(by_language):
        click.secho(f"{lang}:", bold=True)  # colour on a terminal, unless NO_COLOR
        for finding in by_language[lang]:
            click.secho(f"  {finding}", fg="red" if finding.severity == "error" else "yellow")
    click.echo(summary)


def print_merge(outcome) -> None:
    """What `manifest merge` found: the PDFs merged, and those still to build."""
    click.echo(
        f"{outcome.output}: {len(outcome.entries)} of {outcome.planned} planned PDF(s) "
        f"from {len(outcome.shards)} manifest(s)"
    )
    for path, error in outcome.failed.items():
        click.secho(f"  FAILED {path}: {error}", fg="red", err=True)
    for path in outcome.missing[:20]:
        click.secho(f"  missing {path}", fg="red", err=True)
    if len(outcome.missing) > 20:
        click.secho(f"  … and {len(outcome.missing) - 20} more missing", fg="red", err=True)
    for path in outcome.preflight_failed:
        click.secho(f"  preflight FAILED {path} (fix its inputs, then build it)", fg="red")
    if outcome.rerun:
        where = outcome.missing_out or "FILE (give --missing-out FILE)"
        click.secho(
            f"{len(outcome.missing)} missing, {len(outcome.failed)} failed; build only "
            f"those with: publish.py build --job-list {where} (and the same options)",
            fg="red",
            err=True,
        )
    if outcome.catalog_page:
        click.echo(f"catalog page: {outcome.catalog_page}")
    elif outcome.page_note:
        click.echo(f"catalog page not written: {outcome.page_note}")
