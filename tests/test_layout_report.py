"""Layout problems as findings: their strings, template lines and merging (no rendering)."""

from __future__ import annotations

from pressroom.boxes import Problem
from pressroom.jobs import Filters
from pressroom.layout_report import LayoutReport, Sources, template_line
from pressroom.plan import make_plan
from pressroom.pofile import parse_po
from pressroom.project import Project

from .conftest import ROOT


def entry(lang: str, msgid_start: str):
    """The catalog entry (line, translation) whose msgid starts so."""
    path = ROOT / f"locales/{lang}/LC_MESSAGES/messages.po"
    (found,) = [e for e in parse_po(path).entries if e.msgid.startswith(msgid_start)]
    return found.line, found.translations[0]


def template_line_of(name: str, *needles: str) -> int:
    """The line of a template holding every needle (where the test expects a finding)."""
    lines = (ROOT / "brochures" / name).read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if all(x in line for x in needles)]
    return number


def jobs(**filters):
    return make_plan(ROOT, Filters(**filters)).jobs


def test_laid_out_text_is_traced_to_its_po_line_and_not_to_strings_inside_it():
    sources = Sources(Project.at(ROOT), "de")
    line, paragraph = entry("de", "The International Association of Infant Massage (IAIM) is")
    kicker_line, kicker = entry("de", "International Association of Infant Massage")
    assert kicker.casefold() in paragraph.casefold()  # the kicker's words are in it
    (source,) = sources.find(paragraph)
    assert source.where == f"locales/de/LC_MESSAGES/messages.po:{line}"
    assert (
        f"brochures/benefits.html:{template_line_of('benefits.html', 'IAIM) is esp')}"
        in source.templates
    )
    assert [s.where for s in sources.find(kicker)] == [
        f"locales/de/LC_MESSAGES/messages.po:{kicker_line}"
    ]


def test_the_template_line_is_where_the_element_is_printed():
    project = Project.at(ROOT)
    (job, *_) = jobs(chapters=("international",), languages=("sv",), brochures=("benefits",))
    (title,) = Sources(project, "sv").find(entry("sv", "Advantages of the IAIM")[1])
    # used as the PDF title and as the cover's h1: the h1 is what prints
    assert template_line(project, job, [title], ("h1",)) == (
        "brochures/benefits.html",
        template_line_of("benefits.html", "<h1", "Advantages"),
    )
    assert template_line(project, job, [], ("div.qr",)) == (
        "brochures/partials/qr.html",
        template_line_of("partials/qr.html", 'class="qr"'),
    )
    assert template_line(project, job, [], (".panel-back",)) == (
        "brochures/benefits.html",
        template_line_of("benefits.html", "panel-back"),
    )


def test_one_finding_per_problem_listing_chapters_variants_and_papers():
    planned = jobs(languages=("he",), brochures=("what-is-infant-massage",))
    assert len(planned) == 4  # international and israel, office and press
    line, text = entry("he", "You can find IAIM instructors")
    report = LayoutReport(Project.at(ROOT))
    for job, covered in zip(planned, (341.0, 342.3, 340.0, 342.3), strict=True):
        report.add(
            job,
            [
                Problem(
                    "overlap",
                    "error",
                    2,
                    "page",
                    covered,
                    f"div.qr is drawn over text ({covered} mm²)",
                    (text,),
                    ("div.qr", "p"),
                )
            ],
        )
    (finding,) = report.findings()
    assert (finding.severity, finding.check, finding.lang) == ("error", "overlap", "he")
    assert finding.file == "brochures/partials/find-instructor.html" and finding.line > 0
    assert "international, israel; office, press" in finding.message
    assert "a4: 342.3" in finding.message and "342.3 mm²" in finding.message
    assert f"locales/he/LC_MESSAGES/messages.po:{line}" in finding.message


def test_a_problem_in_record_text_names_the_record_field():
    (job,) = jobs(
        chapters=("international",),
        languages=("en",),
        brochures=("benefits",),
        variants=("office",),
    )
    report = LayoutReport(Project.at(ROOT))
    report.add(
        job,
        [
            Problem(
                "broken-name",
                "warning",
                1,
                "panel-back",
                1,
                "a name is broken across lines: re- / cord)",
                ("IAIM International (sample record)",),
                ("p.contact-name",),
            )
        ],
    )
    (finding,) = report.findings()
    assert "international.toml: contact.organisation" in finding.message
    lines = (ROOT / "brochures/partials/contact.html").read_text(encoding="utf-8").splitlines()
    assert finding.file == "brochures/partials/contact.html"
    assert 'class="contact-name"' in lines[finding.line - 1]
