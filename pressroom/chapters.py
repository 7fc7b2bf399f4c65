"""Chapter and clinic records: loaded from TOML and validated all at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import ConfigError, Problem
from .images import image_problem
from .inputs import input_problem
from .project import Project
from .records import EMAIL, HTTPS_URL, PHONE, SAFE_ID, FieldReader, read_toml
from .variants import PAPERS

PAPER_SIZES = tuple(PAPERS)
# Countries where US Letter is the everyday office paper; everywhere else uses A4.
LETTER_COUNTRIES = frozenset("US CA MX CL CO CR DO GT HN NI PA PH PR SV VE BZ CU BO".split())
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
MAX_WEBSITE = 300  # printed as a QR code: longer addresses make codes too dense to scan
_COUNTRIES = frozenset(
    code for code in Locale("en").territories if isinstance(code, str) and code.isalpha()
)


@dataclass(frozen=True)
class Contact:
    """How a parent reaches a chapter or clinic; every field is optional plain text."""

    organisation: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    @property
    def website_label(self) -> str:
        return self.website.removeprefix("https://").rstrip("/")


@dataclass(frozen=True)
class Chapter:
    """A national IAIM chapter (or the international default) and what it publishes."""

    id: str
    name: str
    country: str  # ISO 3166-1 alpha-2, or '' for the international record
    languages: tuple[str, ...]
    paper: str
    contact: Contact
    logo: Path | None
    source: Path
    icc_profile: Path | None = None  # the print shop's CMYK profile, for press output
    names: tuple[tuple[str, str], ...] = ()  # the name in other languages: (code, name)
    clinics: Path | None = None  # the chapter's spreadsheet of clinics (clinic_sheets.py)

    def name_in(self, code: str) -> str:
        """The chapter's name as readers of this language should see it."""
        return dict(self.names).get(code, self.name)


@dataclass(frozen=True)
class Clinic:
    """A clinic whose certified staff put their own imprint on the handouts."""

    id: str
    name: str
    chapter: str
    contact: Contact
    source: Path
    line: int = 0  # the row of a spreadsheet it came from (clinic_sheets.py); 0: a TOML record


def record_label(project: Project, record: Chapter | Clinic) -> str:
    """Where a record is, as messages name it: `clinics/x.toml` or `clinics/x.csv:12`."""
    line = getattr(record, "line", 0)
    return project.relative(record.source) + (f":{line}" if line else "")


def default_paper(country: str) -> str:
    return "letter" if country in LETTER_COUNTRIES else "a4"


def read_contact(record: FieldReader, *, with_address: bool) -> Contact:
    contact = record.table("contact")
    result = Contact(
        organisation=contact.text("organisation"),
        website=contact.text(
            "website", pattern=HTTPS_URL, hint="use a full https:// address", max_length=MAX_WEBSITE
        ),
        email=contact.text("email", pattern=EMAIL, hint="use an address like info@example.org"),
        phone=contact.text("phone", pattern=PHONE, hint="digits, spaces and + ( ) - only"),
        address=contact.text("address") if with_address else "",
    )
    contact.reject_unknown()
    return result


def _read_project_file(
    record: FieldReader, field: str, suffixes: tuple[str, ...], source: Path, project: Project
) -> Path | None:
    """A file named by a record: relative to the record, and never outside the project."""
    value = record.text(field)
    if not value:
        return None
    candidate = Path(value)
    if candidate.is_absolute() or ".." in candidate.parts:
        record.problem(field, "must be a path inside the project, relative to this record")
        return None
    try:
        resolved = (source.parent / candidate).resolve()
    except (OSError, RuntimeError):
        record.problem(field, "is a symlink loop; name the file itself")
        return None
    kind = {"icc_profile": "colour profile", "clinics": "clinic sheet"}.get(field, "logo")
    problem, _ = input_problem(resolved, kind, (project.root,)) if resolved.exists() else ("", 0)
    if not resolved.is_relative_to(project.root):
        record.problem(field, "points outside the project (through a link); copy the file in")
    elif resolved.suffix.lower() not in suffixes:
        record.problem(field, f"must be one of {', '.join(suffixes)}")
    elif not resolved.exists():
        record.problem(field, f"no file at {project.relative(resolved)}")
    elif problem:
        record.problem(field, f"{project.relative(resolved)} {problem}")
    elif kind == "colour profile" and not _is_cmyk_output_profile(resolved):
        record.problem(
            field,
            f"{project.relative(resolved)} is not a CMYK output (printer) ICC "
            "profile; ask the print shop for its CMYK profile",
        )
    else:
        return resolved
    return None


def _is_cmyk_output_profile(path: Path) -> bool:
    """An ICC header says its device class at bytes 12-16 and its colour space at 16-20."""
    with path.open("rb") as handle:
        header = handle.read(128)
    return len(header) == 128 and header[36:40] == b"acsp" and header[12:20] == b"prtrCMYK"


def _read_languages(record: FieldReader, available: frozenset[str]) -> tuple[str, ...]:
    languages = record.text_list("languages", required=True)
    for code in languages:
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            record.problem("languages", f"{code!r} is not a language code (e.g. en, pt_BR)")
            continue
        if code not in available:
            record.problem(
                "languages",
                f"{code!r} has no catalog at locales/{code}/LC_MESSAGES/messages.po; "
                f"start one with `publish.py i18n init {code}` or remove it "
                f"(available: {', '.join(sorted(available))})",
            )
    if len(set(languages)) != len(languages):
        record.problem("languages", "lists a language twice")
    return tuple(languages)


def _read_names(record: FieldReader, languages: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """[name_in]: the chapter's name per language, e.g. fr = "…"; only its own languages."""
    table = record.table("name_in")
    names = []
    for code in sorted(table.data):
        name = table.text(code, required=True)
        if code not in languages:
            table.problem(
                code, f"{code!r} is not one of this chapter's languages ({', '.join(languages)})"
            )
        elif name:
            names.append((code, name))
    return tuple(names)


def read_chapter(
    source: Path, project: Project, available: frozenset[str], problems: list[Problem]
) -> Chapter | None:
    label = project.relative(source)
    data = read_toml(source, label, problems, (project.root,))
    if data is None:
        return None
    before = len(problems)
    record = FieldReader(data, label, problems)
    chapter_id = record.text(
        "id",
        required=True,
        pattern=SAFE_ID,
        hint="lower-case letters, digits and hyphens, e.g. usa",
    )
    name = record.text("name", required=True)
    country = record.text("country").upper()
    if country and country not in _COUNTRIES:
        record.problem("country", f"{country!r} is not an ISO 3166 country code (e.g. US, DE)")
    paper = record.text("paper").lower()
    if paper and paper not in PAPER_SIZES:
        record.problem("paper", f"{paper!r} is not a paper size; use one of {PAPER_SIZES}")
    if not paper and not country:
        record.problem(
            "country", "missing; give a country (or, for an international record, a paper size)"
        )
    languages = _read_languages(record, available)
    names = _read_names(record, languages)
    contact = read_contact(record, with_address=False)
    logo = _read_project_file(record, "logo", LOGO_SUFFIXES, source, project)
    if logo and (problem := image_problem(logo)):
        record.problem("logo", f"{project.relative(logo)}: {problem}")
        logo = None
    icc_profile = _read_project_file(record, "icc_profile", (".icc", ".icm"), source, project)
    clinics = _read_project_file(record, "clinics", (".csv",), source, project)
    record.reject_unknown()
    if len(problems) > before:
        return None
    return Chapter(
        chapter_id,
        name,
        country,
        languages,
        paper or default_paper(country),
        contact,
        logo,
        source,
        icc_profile,
        names,
        clinics,
    )


def _unique(records, kind: str, project: Project, problems: list[Problem]) -> None:
    first_seen: dict[str, str] = {}
    for item in records:
        if item.id in first_seen:
            problems.append(
                Problem(
                    record_label(project, item),
                    "id",
                    f"{kind} id {item.id!r} is already used by "
                    f"{first_seen[item.id]}; ids must be unique",
                )
            )
        first_seen.setdefault(item.id, record_label(project, item))


def load_records(
    project: Project, available_languages: frozenset[str], extra_clinics: tuple[Path, ...] = ()
) -> tuple[list[Chapter], list[Clinic]]:
    """Every chapter and clinic record, or a ConfigError listing every problem found."""
    problems: list[Problem] = []
    read = [
        read_chapter(path, project, available_languages, problems)
        for path in sorted(project.chapters.glob("*.toml"))
    ]
    from .clinics import read_clinic, read_sheets

    read_clinics = [
        read_clinic(path, project, problems) for path in sorted(project.clinics.glob("*.toml"))
    ]
    read_clinics += [
        read_clinic(Path(path).absolute(), project, problems, given=True)
        for path in extra_clinics
        if Path(path).suffix.lower() != ".csv"
    ]
    chapters = [chapter for chapter in read if chapter]  # None: its problems are listed
    clinics = [clinic for clinic in read_clinics if clinic]
    clinics += read_sheets(project, chapters, extra_clinics, problems)
    if not chapters and not problems:
        problems.append(
            Problem(
                project.relative(project.chapters), "", "holds no chapter records (*.toml); add one"
            )
        )
    _unique(chapters, "chapter", project, problems)
    _unique(clinics, "clinic", project, problems)
    chapter_ids = {chapter.id for chapter in chapters}
    for clinic in clinics:
        if clinic.chapter not in chapter_ids:
            problems.append(
                Problem(
                    record_label(project, clinic),
                    "chapter",
                    f"no chapter has id {clinic.chapter!r}; use one of "
                    f"{', '.join(sorted(chapter_ids))}",
                )
            )
    if problems:  # a sheet's problems in the order of its lines
        raise ConfigError(sorted(problems, key=_by_line))
    return chapters, clinics


def _by_line(problem: Problem) -> tuple[str, int]:
    path, _, line = problem.source.rpartition(":")
    return (path, int(line)) if line.isdigit() else (problem.source, 0)
