"""Chapter and clinic records: valid ones load, every problem of invalid ones is reported."""

from __future__ import annotations

import pytest

from pressroom.chapters import load_records
from pressroom.errors import ConfigError
from pressroom.languages import available_languages
from pressroom.project import Project

from .conftest import ROOT, write_record

VALID = """
id = "testland"
name = "IAIM Testland"
country = "{country}"
languages = ["en"]
"""


def load(root):
    project = Project.at(root)
    return load_records(project, available_languages(project))


def test_shipped_records_are_valid():
    chapters, clinics = load(ROOT)
    ids = {chapter.id for chapter in chapters}
    assert {"international", "usa", "uk"} <= ids
    assert all(clinic.chapter in ids for clinic in clinics)


@pytest.mark.parametrize(
    "country, paper", [("US", "letter"), ("CA", "letter"), ("DE", "a4"), ("GB", "a4"), ("JP", "a4")]
)
def test_paper_defaults_from_country(scratch_project, country, paper):
    write_record(scratch_project / "chapters", "t.toml", VALID.format(country=country))
    (chapter,), _ = load(scratch_project)
    assert chapter.paper == paper


def test_explicit_paper_overrides_country(scratch_project):
    write_record(
        scratch_project / "chapters", "t.toml", VALID.format(country="US") + 'paper = "a4"\n'
    )
    (chapter,), _ = load(scratch_project)
    assert chapter.paper == "a4"


def test_every_problem_is_reported_at_once(scratch_project):
    chapters = scratch_project / "chapters"
    write_record(
        chapters,
        "bad.toml",
        """
id = "Bad Id!"
country = "XX"
paper = "legal"
languages = ["en", "tlh", "xx-nonsense"]
colour = "blue"

[contact]
website = "http://insecure.example.org"
email = "not-an-address"
phone = "call me"
fax = "123"
""",
    )
    write_record(chapters, "broken.toml", 'id = "broken\nname = 1\n')
    with pytest.raises(ConfigError) as caught:
        load(scratch_project)
    messages = [str(problem) for problem in caught.value.problems]
    expected = [
        "chapters/bad.toml: id:",
        "chapters/bad.toml: name: missing",
        "chapters/bad.toml: country: 'XX' is not an ISO 3166",
        "chapters/bad.toml: paper: 'legal'",
        "chapters/bad.toml: languages: 'tlh'",
        "chapters/bad.toml: languages: 'xx-nonsense'",
        "chapters/bad.toml: colour: unknown field",
        "chapters/bad.toml: contact.website:",
        "chapters/bad.toml: contact.email:",
        "chapters/bad.toml: contact.phone:",
        "chapters/bad.toml: contact.fax: unknown field",
        "chapters/broken.toml: not valid TOML",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in messages), (start, messages)
    assert "line 1" in str(caught.value)


def test_duplicate_ids_and_unknown_clinic_chapter(scratch_project):
    for name in ("a.toml", "b.toml"):
        write_record(scratch_project / "chapters", name, VALID.format(country="DE"))
    write_record(
        scratch_project / "clinics", "c.toml", 'id = "c"\nname = "C Clinic"\nchapter = "nowhere"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load(scratch_project)
    text = str(caught.value)
    assert "chapters/b.toml: id: chapter id 'testland' is already used by chapters/a.toml" in text
    assert "clinics/c.toml: chapter: no chapter has id 'nowhere'" in text


@pytest.mark.parametrize(
    "logo, complaint",
    [
        ("../../etc/passwd.png", "inside the project"),
        ("/etc/hostname", "inside the project"),
        ("missing.png", "no file at"),
        ("t.toml", "must be one of"),
    ],
)
def test_unsafe_or_missing_logo(scratch_project, logo, complaint):
    write_record(
        scratch_project / "chapters", "t.toml", VALID.format(country="DE") + f'logo = "{logo}"\n'
    )
    with pytest.raises(ConfigError, match=complaint):
        load(scratch_project)


def test_logo_symlinked_out_of_project_is_refused(scratch_project, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG")
    (scratch_project / "chapters" / "logo.png").symlink_to(outside)
    write_record(
        scratch_project / "chapters", "t.toml", VALID.format(country="DE") + 'logo = "logo.png"\n'
    )
    with pytest.raises(ConfigError, match="outside the project"):
        load(scratch_project)


def test_names_in_other_languages(scratch_project):
    chapters = scratch_project / "chapters"
    write_record(
        chapters,
        "t.toml",
        VALID.format(country="DE").replace('["en"]', '["en", "de"]')
        + '[name_in]\nde = "IAIM Testland (deutsch)"\n',
    )
    (chapter,), _ = load(scratch_project)
    assert chapter.name_in("de") == "IAIM Testland (deutsch)"
    assert chapter.name_in("en") == "IAIM Testland"
    write_record(chapters, "t.toml", VALID.format(country="DE") + '[name_in]\nfr = "X"\n')
    with pytest.raises(ConfigError, match="name_in.fr: 'fr' is not one of this chapter's"):
        load(scratch_project)
