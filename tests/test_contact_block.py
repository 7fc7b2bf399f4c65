"""The contact block, laid out for real: the QR code sits on the end side of the contact
lines and covers no text, in left-to-right and right-to-left handouts and tri-folds."""

from __future__ import annotations

import pytest
import weasyprint

from pressroom.document_inputs import stylesheets_for
from pressroom.documents import DocumentMaker
from pressroom.jobs import Filters
from pressroom.plan import make_plan

from .conftest import ROOT

pytestmark = pytest.mark.render  # every test here lays out pages


def _boxes(box):
    for child in getattr(box, "children", ()):
        yield child
        yield from _boxes(child)


def _rect(box):
    return (
        box.position_x,
        box.position_y,
        box.position_x + box.margin_width(),
        box.position_y + box.margin_height(),
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def laid_out(chapter: str, lang: str, brochure: str):
    plan = make_plan(ROOT, Filters((chapter,), (lang,), (brochure,), ("office",)))
    job = plan.jobs[0]
    html = DocumentMaker(plan.project).html(job)
    sheets = [
        weasyprint.CSS(filename=str(plan.project.styles / name)) for name in stylesheets_for(job)
    ]
    return weasyprint.HTML(string=html, base_url=str(plan.project.brochures) + "/").render(
        stylesheets=sheets
    )


@pytest.mark.parametrize(
    "lang, brochure",
    [("he", "what-is-infant-massage"), ("ar", "benefits"), ("en", "what-is-infant-massage")],
)
def test_the_qr_code_is_on_the_end_side_and_covers_no_text(lang, brochure):
    document = laid_out("israel", lang, brochure)
    found = 0
    for page in document.pages:
        boxes = list(_boxes(page._page_box))
        for qr in (
            b
            for b in boxes
            if "qr"
            in (getattr(b, "element", None) is not None and b.element.get("class") or "").split()
        ):
            found += 1
            code = _rect(qr)
            texts = [b for b in boxes if type(b).__name__ == "TextBox" and b.text.strip()]
            covered = [b.text for b in texts if _overlap(code, _rect(b))]
            assert not covered, f"{lang}: the QR code covers {covered}"
            cells = [b for b in boxes if getattr(b, "element_tag", None) == "td"]
            lines = [
                t
                for cell in cells
                for t in _boxes(cell)
                if type(t).__name__ == "TextBox" and t.text.strip()
            ]
            assert lines
            if lang == "en":  # end side: right of the contact lines, left when mirrored
                assert all(code[0] >= _rect(b)[2] for b in lines)
            else:
                assert all(code[2] <= _rect(b)[0] for b in lines)
    assert found == 1
