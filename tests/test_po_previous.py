"""Previous msgids (`#|`, `#~|`) through repeated updates, as GNU msgmerge --previous keeps them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pressroom import i18n
from pressroom.catalog_checks import check_catalog
from pressroom.catalogs import load_translations, parse_catalog
from pressroom.languages import catalog_path
from pressroom.pofile import read_po_file
from pressroom.previous_msgids import Previous
from pressroom.project import Project

from .conftest import invoke

OLD = "Coordination and balance"


def previous(path: Path) -> dict:
    return parse_catalog(path.read_bytes(), path.name)[1]


def fuzzy(path: Path) -> set:
    catalog = parse_catalog(path.read_bytes(), path.name)[0]
    return {m.id for m in catalog if m.id and m.fuzzy} | {
        m.id for m in catalog.obsolete.values() if m.fuzzy
    }


def msgmerge(po: Path, pot: Path) -> None:
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", str(po), str(po), str(pot)], check=True
    )


def edit_template(pot: Path, old: str, new: str) -> None:
    text = pot.read_text(encoding="utf-8")
    assert old in text
    pot.write_text(text.replace(old, new), encoding="utf-8")


def german_twice(scratch_project: Path, tmp_path: Path) -> tuple[Project, Path, Path, Path]:
    """The project, its template, its German catalog and a copy of it for msgmerge."""
    project = Project.at(scratch_project)
    ours = catalog_path(project, "de")
    theirs = tmp_path / "msgmerge-de.po"
    shutil.copy(ours, theirs)
    return project, i18n.template_path(project), ours, theirs


def test_previous_msgids_survive_repeated_updates_as_with_msgmerge(scratch_project, tmp_path):
    project, pot, ours, theirs = german_twice(scratch_project, tmp_path)

    def both_update(times: int = 1) -> None:
        for _ in range(times):
            i18n.update(project, ["de"])
            msgmerge(theirs, pot)

    edit_template(pot, f'msgid "{OLD}"', 'msgid "Coordination and good balance"')
    both_update(3)
    expected = {(False, None, "Coordination and good balance"): Previous(OLD)}
    assert previous(ours) == previous(theirs) == expected
    assert fuzzy(ours) == fuzzy(theirs) == {"Coordination and good balance"}
    assert "# |" not in ours.read_text(encoding="utf-8")  # Babel's reading made it a comment
    assert invoke("i18n", "update", "--check", "--lang", "de", root=scratch_project).exit_code == 0

    # changed again before anyone translated it: the translation still matches the first msgid
    edit_template(pot, "Coordination and good balance", "Coordination and very good balance")
    assert invoke("i18n", "update", "--check", "--lang", "de", root=scratch_project).exit_code == 1
    both_update(2)
    assert previous(ours) == previous(theirs)
    assert list(previous(ours).values()) == [Previous(OLD)]

    # no longer in the templates: obsolete, keeping its flag and its previous msgid (`#~|`)
    text = pot.read_text(encoding="utf-8")
    start = text.rindex("\n\n", 0, text.index('msgid "Coordination and very good balance"')) + 2
    pot.write_text(text[:start] + text[text.index("\n\n", start) + 2 :], encoding="utf-8")
    both_update(3)
    gone = (True, None, "Coordination and very good balance")
    assert previous(ours) == previous(theirs) == {gone: Previous(OLD)}
    assert fuzzy(ours) == fuzzy(theirs) == {"Coordination and very good balance"}
    assert '#~| msgid "Coordination and balance"' in ours.read_text(encoding="utf-8")
    assert invoke("i18n", "update", "--check", "--lang", "de", root=scratch_project).exit_code == 0
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(ours)], check=True)


def test_a_confirmed_translation_loses_its_previous_msgid(scratch_project):
    """Once the translator removes `fuzzy`, msgmerge drops `#|`: so does `update`."""
    project = Project.at(scratch_project)
    pot = i18n.template_path(project)
    po = catalog_path(project, "de")
    edit_template(pot, f'msgid "{OLD}"', 'msgid "Coordination and good balance"')
    i18n.update(project, ["de"])
    text = po.read_text(encoding="utf-8")
    assert f'#, fuzzy\n#| msgid "{OLD}"' in text
    po.write_text(text.replace(f'#, fuzzy\n#| msgid "{OLD}"', f'#| msgid "{OLD}"'), "utf-8")
    assert previous(po)  # still written, fuzzy flag gone
    assert [row.changed for row in i18n.update(project, ["de"])] == [True]
    assert previous(po) == {}


def test_a_catalog_with_obsolete_previous_msgids_is_read_checked_and_built(scratch_project):
    """`#~|` as msgmerge and Poedit write it: no syntax error, the build compiles it."""
    project = Project.at(scratch_project)
    po = catalog_path(project, "fr")
    po.write_text(
        po.read_text(encoding="utf-8")
        + '\n#, fuzzy\n#~| msgctxt "old"\n#~| msgid ""\n#~| "An old "\n#~| "sentence"\n'
        '#~ msgid "A newer sentence"\n#~ msgstr "Une phrase"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)
    assert read_po_file(project, po).defects == []
    assert [f.check for f in check_catalog(project, "fr") if f.severity == "error"] == []
    load_translations(project, "fr")  # what a build reads
    assert [row.changed for row in i18n.update(project, ["fr"])] == [False]
    assert previous(po) == {
        (True, None, "A newer sentence"): Previous("An old sentence", context="old")
    }
    result = invoke("check", "--lang", "fr", "--no-layout", root=scratch_project)
    assert "syntax" not in result.output, result.output


def test_a_long_previous_msgid_is_wrapped_as_msgmerge_wraps_it(scratch_project, tmp_path):
    project, pot, po, theirs = german_twice(scratch_project, tmp_path)
    edit_template(pot, '"IAIM instructor"\nmsgstr', '"IAIM instructor near you"\nmsgstr')
    i18n.update(project, ["de"])
    msgmerge(theirs, pot)

    def previous_lines(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").split("\n") if "#|" in line]

    assert len(previous_lines(po)) == 3  # msgid "" and two wrapped lines, quotes unbroken
    assert previous_lines(po) == previous_lines(theirs)


def test_a_po_editors_own_header_fields_survive_an_update(scratch_project):
    """Babel's Catalog drops header fields it does not know; Poedit's are copied over."""
    project = Project.at(scratch_project)
    po = catalog_path(project, "de")
    stamp = '"Generated-By: Babel 2.19.0\\n"\n'
    text = po.read_text(encoding="utf-8")
    assert stamp in text
    poedit = '"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Bookmarks: 12,-1\\n"\n'
    po.write_text(text.replace(stamp, stamp + poedit), encoding="utf-8")
    edit_template(i18n.template_path(project), f'msgid "{OLD}"', 'msgid "Balance"')
    assert [row.changed for row in i18n.update(project, ["de"])] == [True]
    assert poedit in po.read_text(encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)
