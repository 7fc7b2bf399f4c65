"""publish: render the IAIM infant-massage brochures into print-ready PDFs.

Thin Click commands over the `pressroom` package; WeasyPrint is imported only when a PDF is
actually rendered, so `--help` and `list` answer at once.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import click

from pressroom.brochures import BROCHURE_NAMES, BROCHURES
from pressroom.jobs import Filters
from pressroom.languages import language
from pressroom.plan import make_plan
from pressroom.variants import PAPERS, VARIANTS


def _complete(values):
    """Shell completion from the project the command line names (or the one found here);
    a project that cannot be read completes nothing rather than printing a traceback."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        from pressroom.errors import PublishError
        from pressroom.project import Project

        try:
            names = values(Project.at(ctx.find_root().params.get("root")))
        except PublishError:
            return []
        return [name for name in sorted(names) if name.startswith(incomplete)]

    return complete


def _chapter_ids(project) -> list[str]:
    from pressroom.chapters import load_records
    from pressroom.languages import available_languages

    return [chapter.id for chapter in load_records(project, available_languages(project))[0]]


def _language_codes(project) -> list[str]:
    from pressroom.languages import available_languages

    return list(available_languages(project))


def _catalog_codes(project) -> list[str]:
    from pressroom.languages import SOURCE_LANGUAGE

    return [code for code in _language_codes(project) if code != SOURCE_LANGUAGE]


def filter_options(command):
    """--chapter/--lang/--brochure, shared by every command that selects part of the matrix."""
    command = click.option(
        "--brochure",
        "brochures",
        multiple=True,
        metavar="NAME",
        shell_complete=_complete(lambda project: BROCHURE_NAMES),
        help="Only this brochure (repeatable): " + ", ".join(b.name for b in BROCHURES) + ".",
    )(command)
    command = click.option(
        "--lang",
        "languages",
        multiple=True,
        metavar="CODE",
        shell_complete=_complete(_language_codes),
        help="Only this language (repeatable), e.g. en.",
    )(command)
    command = click.option(
        "--chapter",
        "chapters",
        multiple=True,
        metavar="ID",
        shell_complete=_complete(_chapter_ids),
        help="Only this chapter (repeatable), e.g. usa.",
    )(command)
    command = click.option(
        "--clinic",
        "clinic_files",
        multiple=True,
        metavar="FILE",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Also build handouts with this clinic's imprint (a TOML record "
        "like those in clinics/); repeatable.",
    )(command)
    command = click.option(
        "--clinics",
        "clinic_sheets",
        multiple=True,
        metavar="FILE.csv",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        callback=_csv_only,
        help="Also build handouts for every clinic of this spreadsheet (CSV, one row per "
        "clinic; see README, 'Clinics from a spreadsheet'); repeatable.",
    )(command)
    return command


def _csv_only(ctx: click.Context, param: click.Parameter, paths: tuple[Path, ...]):
    for path in paths:
        if path.suffix.lower() != ".csv":
            raise click.BadParameter(
                f"{path} is not a .csv file; save the sheet as CSV, or give a TOML "
                "record with --clinic",
                ctx,
                param,
            )
    return paths


def output_options(command):
    """--variant/--paper: which PDFs of each publication (build, and merge's plan)."""
    command = click.option(
        "--paper",
        type=click.Choice(list(PAPERS)),
        default=None,
        help="Override every chapter's paper size.",
    )(command)
    return click.option(
        "--variant",
        "variants",
        multiple=True,
        type=click.Choice(list(VARIANTS)),
        help="Only this variant (repeatable; default both): office = RGB, tagged, for "
        "office printers; press = PDF/X-4, CMYK, bleed and marks, for print shops.",
    )(command)


class PublishGroup(click.Group):
    """The command group, with the conventions users expect of a command line."""

    def invoke(self, ctx: click.Context):
        # Ctrl-C: exit 130 (128 + SIGINT) as shells do, not Click's "Aborted!" and 1.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            raise click.exceptions.Exit(130) from None


@click.group(cls=PublishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="iaim-pressroom", prog_name="publish")
@click.option(
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder (default: $PRESSROOM_PROJECT, else the current folder or "
    "the nearest parent with brochures/ and chapters/).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Render IAIM infant-massage brochures and handouts into print-ready PDFs,
    for every chapter and language.

    \b
    Examples:
      python publish.py list
      python publish.py build
      python publish.py build --chapter usa --brochure benefits
    """
    ctx.obj = root
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value
        ctx.color = False


@cli.command("build")
@filter_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder for the PDFs and manifest.json.",
)
@output_options
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    default=None,
    help="Render on this many processes (default: every CPU).",
)
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those up to date.")
@click.option(
    "--prune", is_flag=True, help="Remove outputs of chapters or languages that no longer exist."
)
@click.option(
    "--shard",
    metavar="K/N|auto",
    default=None,
    help="Build only shard K of N (a deterministic split of the jobs, for spreading "
    "a build over N machines; merge their manifests with `manifest merge`). 'auto' reads "
    "K and N from GitLab CI, a Kubernetes Indexed Job, an AWS Batch array job, GNU "
    "parallel, or PRESSROOM_SHARD/PRESSROOM_SHARDS.",
)
@click.option(
    "--shards",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="With --shard auto: how many shards, where the engine does not say "
    "(Kubernetes, GNU parallel; or set PRESSROOM_SHARDS).",
)
@click.option(
    "--balance-from",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    metavar="PATH",
    help="Balance the shards by the render times of an earlier build (its folder or "
    "render-log.json); give every shard the same one. Default: split by hash.",
)
@click.option(
    "--job-list",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Build only the PDFs this file lists, one path a line (`manifest merge "
    "--missing-out` writes it); use the same other options as the first run.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary line.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail a PDF whose catalog lacks a translation, instead of printing English.",
)
@click.option(
    "--no-check",
    is_flag=True,
    help="Render languages even when their catalogs have errors (not advised).",
)
@click.option(
    "--out-nonempty",
    is_flag=True,
    help="Allow an --out folder that already holds files of something else.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print what was built, refused, failed and preflighted as JSON (no progress).",
)
@click.pass_obj
def build_command(root, quiet, as_json, **options):
    """Build the PDFs: every chapter × its languages × every brochure × both variants,
    narrowed by the options. Only PDFs whose inputs changed are rendered again.

    Writes OUT/<chapter>/<lang>/<brochure>-<variant>.pdf (clinic handouts:
    <brochure>-<clinic>-<variant>.pdf; with --paper other than the chapter's own, a
    -<paper> suffix) and OUT/manifest.json. Every press PDF rendered is preflighted.

    \b
    Examples:
      python publish.py build --chapter usa --lang en --out dist
      python publish.py build -j 8 --shard 1/4 --out dist-1
      CI_NODE_INDEX=2 CI_NODE_TOTAL=4 python publish.py build --shard auto --out dist-2
    """
    from pressroom.console import BuildProgress, print_build
    from pressroom.pipeline import BuildRequest, run_build

    request = BuildRequest.from_options(options, os.environ)
    if request.shard and request.shard.source and not as_json:
        click.echo(f"shard {request.shard} ({request.shard.source})", err=True)
    progress = BuildProgress(quiet=quiet or as_json)
    outcome = run_build(root, request, on_plan=progress.planned, on_result=progress)
    print_build(outcome, progress, quiet=quiet, as_json=as_json)
    raise SystemExit(outcome.exit_code)


def _print_preflight(paths, *, variant=None, paper=None, as_json=False) -> int:
    """Run the preflight on each file, print its report; return how many failed."""
    from pressroom.preflight import preflight

    reports = [preflight(Path(path), variant, paper) for path in paths]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "path": r.path,
                        "variant": r.variant,
                        "ok": r.ok,
                        "checks": [asdict(c) for c in r.checks],
                    }
                    for r in reports
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    for report in [] if as_json else reports:
        click.secho(
            f"{report.path} ({report.variant}): {'PASS' if report.ok else 'FAIL'}",
            fg="green" if report.ok else "red",
        )
        for check in report.checks:
            click.echo(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    return sum(1 for report in reports if not report.ok)


@cli.command("check")
@filter_options
@click.option("--no-layout", is_flag=True, help="Only the catalog and glyph checks (fast).")
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Lay out on this paper instead of each chapter's own.",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "--weblate-flags",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write each string's room as Weblate max-size flags to this CSV file.",
)
@click.pass_obj
def check_command(
    root,
    chapters,
    languages,
    brochures,
    clinic_files,
    clinic_sheets,
    no_layout,
    paper,
    as_json,
    weblate_flags,
):
    """Check translations and layout: catalog syntax, untranslated and fuzzy strings,
    placeholders, markup, links, invisible characters, plural forms, glyphs the fonts lack,
    text overflowing its panel or page, ink outside a panel's safe area or over other ink,
    hyphen ladders, runts, broken names and data, empty panels, uneven spreads, small type,
    and renderer warnings. Each problem names the file and line, and the layout ones the
    strings involved. Exits 1 when there is any error.

    \b
    Examples:
      python publish.py check --lang de
      python publish.py check --no-layout --json
    """
    from pressroom.console import print_findings
    from pressroom.project_check import run_checks

    filters = Filters(chapters, languages, brochures, paper=paper)
    plan = make_plan(root, filters, clinic_files + clinic_sheets, unlisted=True)
    report = run_checks(plan.project, plan.jobs, layout=not no_layout, unlisted=plan.unlisted)
    print_findings(report, as_json=as_json)
    if weblate_flags:
        from pressroom.room import write_weblate_csv

        write_weblate_csv(weblate_flags, report.room)
    if report.errors:
        raise SystemExit(1)


@cli.command("preview")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@click.pass_obj
def preview_command(root, port, open_browser):
    """Serve a live preview for translators on 127.0.0.1: any brochure, language, chapter
    and paper size exactly as it prints (the real render, as page images). Edit a PO file,
    template, record or stylesheet and the open page updates as soon as the document is
    rendered again; strings still in English are highlighted, and each panel shows its room.
    Stop with Ctrl-C.

    \b
    Example:
      python publish.py preview --port 8000
    """
    from pressroom.preview import serve

    def ready(url: str) -> None:
        click.echo(f"Preview on {url}  (Ctrl-C stops it)", err=False)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        serve(root, "127.0.0.1", port, on_ready=ready)
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on port {port}: {error.strerror}; choose another with --port"
        ) from None
    except KeyboardInterrupt:
        click.echo("preview stopped")


@cli.command("verify")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"))
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def verify_command(out, as_json):
    """Check a build folder against its manifest: every PDF present and unchanged (sha256),
    none unlisted. Exits 1 on any difference.

    \b
    Example:
      python publish.py verify dist
    """
    from pressroom.outputs import verify

    report = verify(out)
    if as_json:
        click.echo(
            json.dumps(
                {"folder": str(out), "checked": report.checked, "problems": list(report.problems)},
                indent=2,
                ensure_ascii=False,
            )
        )
    for problem in [] if as_json else report.problems:
        click.secho(f"  {problem}", fg="red")
    if not as_json:
        click.echo(
            f"{out}: {report.checked} PDF(s) in the manifest, {len(report.problems)} problem(s)"
        )
    if report.problems:
        raise SystemExit(1)


@cli.command("preflight")
@click.argument(
    "pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--variant",
    type=click.Choice(list(VARIANTS)),
    default=None,
    help="Check as this variant (default: press when the file has an output intent).",
)
@click.option(
    "--paper",
    type=click.Choice(list(PAPERS)),
    default=None,
    help="The paper size the pages must have (default: A4 or Letter).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def preflight_command(pdfs, variant, paper, as_json):
    """Check PDFs as a print shop would: PDF/X-4 and CMYK output intent, TrimBox and 3 mm
    BleedBox, embedded fonts, no RGB (press); tags, language and title (office).
    Exits 1 when any file fails.

    \b
    Example:
      python publish.py preflight dist/usa/en/benefits-press.pdf
    """
    if _print_preflight(pdfs, variant=variant, paper=paper, as_json=as_json):
        raise SystemExit(1)


@cli.command("list")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
def list_command(root, chapters, languages, brochures, clinic_files, clinic_sheets, as_json):
    """List chapters, languages and brochures, and the PDFs a build would make.

    \b
    Example:
      python publish.py list --chapter usa --json
    """
    plan = make_plan(root, Filters(chapters, languages, brochures), clinic_files + clinic_sheets)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "chapters": [
                        {
                            "id": c.id,
                            "name": c.name,
                            "country": c.country,
                            "paper": c.paper,
                            "languages": list(c.languages),
                        }
                        for c in plan.chapters
                    ],
                    "clinics": [
                        {"id": c.id, "name": c.name, "chapter": c.chapter} for c in plan.clinics
                    ],
                    "brochures": [asdict(b) for b in BROCHURES],
                    "jobs": [
                        {
                            "chapter": j.chapter.id,
                            "lang": j.lang,
                            "brochure": j.brochure.name,
                            "variant": j.variant,
                            "paper": j.paper,
                            "clinic": j.clinic.id if j.clinic else None,
                            "path": j.output,
                        }
                        for j in plan.jobs
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    click.echo("Chapters:")
    for c in plan.chapters:
        names = ", ".join(f"{code} ({language(code).native_name})" for code in c.languages)
        click.echo(f"  {c.id:<16} {c.paper:<7} {c.country or '--':<3} {c.name} — {names}")
    if plan.clinics:
        click.echo("Clinics:")
        for clinic in plan.clinics:
            click.echo(f"  {clinic.id:<24} chapter {clinic.chapter}: {clinic.name}")
    click.echo("Brochures:")
    for b in BROCHURES:
        click.echo(f"  {b.name:<24} {b.description}")
    click.echo(f"A build would make {len(plan.jobs)} PDF(s):")
    for job in plan.jobs:
        click.echo(f"  {job.output}")


@cli.group("i18n")
def i18n_group():
    """The translators' workflow on gettext PO catalogs in locales/.

    \b
    Example, a typical round:
      python publish.py i18n extract        # templates -> locales/messages.pot
      python publish.py i18n init fr        # start locales/fr/LC_MESSAGES/messages.po
      python publish.py i18n update         # merge new strings into every catalog
      python publish.py i18n stats          # what is left to translate
    """


def _catalog_languages(root, languages) -> list[str]:
    from pressroom.languages import SOURCE_LANGUAGE, available_languages
    from pressroom.project import Project

    have = sorted(available_languages(Project.at(root)) - {SOURCE_LANGUAGE})
    unknown = [code for code in languages if code not in have]
    if unknown:
        raise click.UsageError(f"no catalog for {', '.join(unknown)}; have: {', '.join(have)}")
    return list(languages) or have


@i18n_group.command("extract")
@click.pass_obj
def i18n_extract(root):
    """Write locales/messages.pot from the templates (rewritten only when strings changed).

    \b
    Example:
      python publish.py i18n extract
    """
    from pressroom import i18n
    from pressroom.project import Project

    path, count, changed = i18n.extract(Project.at(root))
    click.echo(f"{path}: {count} messages{'' if changed else ' (unchanged)'}")


@i18n_group.command("init")
@click.argument("lang")
@click.pass_obj
def i18n_init(root, lang):
    """Start the catalog for a new language LANG (a CLDR code such as fr, pt_BR, zh_Hans).

    \b
    Example:
      python publish.py i18n init fr
    """
    from pressroom import i18n
    from pressroom.project import Project

    path = i18n.init(Project.at(root), lang)
    click.echo(f"created {path}; translate it, then add {lang!r} to a chapter's languages")


@i18n_group.command("update")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Only this catalog.",
    shell_complete=_complete(_catalog_codes),
)
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 when a catalog is out of date (for CI)."
)
@click.option(
    "--room",
    is_flag=True,
    help="Lay the documents out and refresh each entry's `#. Room in the layout:` comment.",
)
@click.pass_obj
def i18n_update(root, languages, check, room):
    """Merge locales/messages.pot into every catalog; changed strings become fuzzy.

    \b
    Example:
      python publish.py i18n update --check
      python publish.py i18n update --room --lang de
    """
    from pressroom import i18n
    from pressroom.project import Project

    codes = _catalog_languages(root, languages)
    rooms = None
    if room:
        from pressroom.project_check import measure_room

        plan = make_plan(root, Filters(languages=tuple(codes)), unlisted=True)
        rooms = measure_room(plan.project, plan.jobs)
    results = i18n.update(Project.at(root), codes, check=check, rooms=rooms)
    stale = [result for result in results if result.changed]
    for result in results:
        state = ("out of date" if check else "updated") if result.changed else "up to date"
        click.echo(f"{result.lang:<8} {state}")
    if check and stale:
        raise click.ClickException(
            "catalogs are out of date: run `publish.py i18n extract` "
            "and `publish.py i18n update`, then translate what is new"
        )


@i18n_group.command("compile")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Only this catalog.",
    shell_complete=_complete(_catalog_codes),
)
@click.pass_obj
def i18n_compile(root, languages):
    """Check that every catalog compiles. Builds compile in memory, so no .mo is written.

    \b
    Example:
      python publish.py i18n compile --lang de
    """
    from pressroom import i18n
    from pressroom.project import Project

    for code, count in i18n.compile_catalogs(Project.at(root), _catalog_languages(root, languages)):
        click.echo(f"{code:<8} compiles: {count} translated messages")


@i18n_group.command("stats")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Only this catalog.",
    shell_complete=_complete(_catalog_codes),
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
def i18n_stats(root, languages, as_json):
    """Translated, fuzzy and untranslated counts per language.

    \b
    Example:
      python publish.py i18n stats --json
    """
    from pressroom import i18n
    from pressroom.project import Project

    rows = i18n.stats(Project.at(root), _catalog_languages(root, languages))
    if as_json:
        click.echo(
            json.dumps(
                [{**asdict(row), "total": row.total, "percent": row.percent} for row in rows],
                indent=2,
            )
        )
        return
    click.echo(f"{'lang':<8} {'translated':>10} {'fuzzy':>6} {'untranslated':>12} {'done':>7}")
    for row in rows:
        click.echo(
            f"{row.lang:<8} {row.translated:>10} {row.fuzzy:>6} {row.untranslated:>12} "
            f"{row.percent:>6.1f}%"
        )


@cli.group("manifest")
def manifest_group():
    """Work with build manifests (dist/manifest.json).

    \b
    Example:
      python publish.py manifest merge d1/manifest.json d2/manifest.json -o dist/manifest.json
    """


@manifest_group.command("merge")
@filter_options
@output_options
@click.argument(
    "manifests",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the merged manifest (beside the merged PDFs: then the catalog "
    "page is written too).",
)
@click.option(
    "--missing-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write the PDFs no shard made (missing or failed) to FILE, for `build --job-list FILE`.",
)
@click.option(
    "--job-list",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="The builds had --job-list FILE: only the PDFs it lists are planned.",
)
@click.pass_obj
def manifest_merge(
    root,
    chapters,
    languages,
    brochures,
    clinic_files,
    clinic_sheets,
    variants,
    paper,
    manifests,
    output,
    missing_out,
    job_list,
):
    """Merge the manifests (or build folders) of a sharded build (`build --shard`) into one,
    checked against the jobs the same options plan: each PDF exactly once (a shard built
    twice is fine when its PDFs are identical). Lists the PDFs missing or failed and exits 1
    while any are left; `--missing-out` writes them for a re-run of only those.

    \b
    Example:
      cp -r shard-*/. dist/   # or let CI gather the shards' artifacts into dist/
      python publish.py manifest merge shard-* -o dist/manifest.json --missing-out todo.txt
      python publish.py build --job-list todo.txt --out shard-rerun
      cp -r shard-rerun/. dist/ && python publish.py manifest merge shard-* -o dist/manifest.json
    """
    from pressroom.console import print_merge
    from pressroom.shard_merge import merge_shards

    outcome = merge_shards(
        root,
        Filters(chapters, languages, brochures, variants, paper),
        clinic_files + clinic_sheets,
        list(manifests),
        output,
        missing_out,
        job_list,
    )
    print_merge(outcome)
    raise SystemExit(outcome.exit_code)


def main() -> None:
    cli(prog_name="publish")


if __name__ == "__main__":
    main()
