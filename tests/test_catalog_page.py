"""Output a person can find: the catalog page from a manifest, without rendering (clinic
editions under their clinic, office and press on one card, thumbnails lazy, a filter box that
needs no server), and a clinic's build naming its PDFs (one render)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressroom.chapters import Clinic, Contact, load_records
from pressroom.jobs import Filters, plan_jobs
from pressroom.languages import available_languages
from pressroom.outputs import ManifestEntry
from pressroom.project import Project
from pressroom.site import OPEN_CLINICS, catalog_html

from .conftest import ROOT, invoke, write_record


def page_for(clinic_count: int) -> tuple[str, list[ManifestEntry]]:
    project = Project.at(ROOT)
    chapters, _ = load_records(project, available_languages(project))
    chapters = [chapter for chapter in chapters if chapter.id in ("usa", "uk")]
    clinics = [
        Clinic(f"c{n:03d}", f"Clinic {n:03d} <&>", "usa", Contact(), ROOT / "x.csv", n + 2)
        for n in range(clinic_count)
    ]
    jobs = plan_jobs(chapters, clinics, Filters(languages=("en", "en_GB")))
    entries = [
        ManifestEntry(
            job.chapter.id,
            job.lang,
            job.brochure.name,
            job.variant,
            job.paper,
            job.output,
            job.brochure.pages,
            1024,
            f"{index:064x}",
            job.clinic.id if job.clinic else None,
        )
        for index, job in enumerate(jobs)
    ]
    return catalog_html(
        project, chapters, clinics, entries, lambda e: f"thumbs/{e.sha256[:20]}.png"
    ), entries


def test_clinic_editions_are_under_their_clinic_with_office_and_press_on_one_card():
    html, entries = page_for(2)
    clinic = re.search(
        r'<details class="clinic group" id="clinic-c001" open>(.*?)</details>', html, re.S
    )
    assert clinic, html
    assert "<summary>Clinic 001 &lt;&amp;&gt;<" in clinic.group(1)  # the name, escaped
    inside = re.findall(r'href="([^"]+)"', clinic.group(1))
    assert sorted(inside) == sorted(e.path for e in entries if e.clinic == "c001")
    assert all(re.findall(r'href="([^"]+)"', html).count(e.path) == 1 for e in entries)
    cards = re.findall(r'<li class="doc">.*?</li>', html, re.S)
    assert len(cards) == len(entries) // 2
    assert all("office PDF" in card and "press PDF" in card for card in cards)
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == len(cards) and all('loading="lazy"' in image for image in images)


def test_many_clinics_start_folded_and_the_filter_box_is_plain_inline_script():
    folded, _ = page_for(OPEN_CLINICS + 1)
    assert folded.count('<details class="clinic group"') == OPEN_CLINICS + 1
    assert " open>" not in folded
    scripts = re.findall(r"<script([^>]*)>", folded)
    assert scripts == [""], "one inline script, nothing fetched"
    assert not re.search(r"""(src|href)=["'](https?:|//|/)""", folded), "relative links only"
    assert 'id="find" hidden' in folded  # shown by the script: no dead box without it


@pytest.mark.render
def test_a_build_for_one_clinic_prints_the_paths_of_its_pdfs(scratch_project: Path, tmp_path):
    usa = (ROOT / "chapters/usa.toml").read_text(encoding="utf-8")
    write_record(scratch_project / "chapters", "usa.toml", usa)
    sheet = write_record(tmp_path, "ours.csv", "id,name,chapter\nours,Our Clinic,usa\n")
    out = tmp_path / "out"
    result = invoke(
        "build",
        "-j",
        "1",
        "--clinics",
        str(sheet),
        "--lang",
        "en",
        "--brochure",
        "mission",
        "--variant",
        "office",
        "--out",
        str(out),
        root=scratch_project,
    )
    assert result.exit_code == 0, result.output
    listed = result.output.split("Our Clinic (ours): 1 PDF(s)\n", 1)[1].splitlines()[0].strip()
    assert listed == str(out.resolve() / "usa/en/mission-ours-office.pdf")
    assert Path(listed).is_file()
