"""The translation review's ambiguous terms carry a `Translators:` comment into every catalog."""

from __future__ import annotations

from pressroom.catalogs import read_catalog
from pressroom.languages import available_languages, catalog_path
from pressroom.project import Project

from .conftest import ROOT

# msgid (its start) -> words its `#.` comment must have
REVIEWED = {
    "Cramps": "tummy cramps",
    "Increased flexibility and muscle tone": "muscle tone",
    "Delayed bonding may occur": "not practical",
    "The process by which a massage is given": "never the medical stroke",
    "The strokes and pressure": "never the medical stroke",
    "To find a chapter near you": "keep it in English beside your translation",
    "Dr. Marshall Klaus, MD, is a pediatrician": "add the Latin form once",
    "Interaction in infant massage may include:": "a list heading",
    "Each massage may stimulate:": "a list heading",
    "Parents may find that infant massage helps relieve:": "a list heading",
    "The massage promotes relaxation": "a list heading",
}


def test_every_catalog_carries_the_reviewed_comments():
    project = Project.at(ROOT)
    for code in sorted(available_languages(project) - {"en"}) + ["pot"]:
        path = project.locales / "messages.pot" if code == "pot" else catalog_path(project, code)
        catalog = read_catalog(project, path)
        for start, words in REVIEWED.items():
            (message,) = [m for m in catalog if m.id and m.id.startswith(start)]
            comment = " ".join(" ".join(message.auto_comments).split())
            assert words in comment, (code, start, comment)
