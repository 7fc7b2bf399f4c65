"""The office PDF repairs without rendering: glyph texts from real Noto fonts, and the
structure tree repairs on small trees made here."""

from __future__ import annotations

from pathlib import Path

import pydyf
import pytest
from fontTools.ttLib import TTFont

from pressroom.tagging import description_lists, drop_empty, title_first
from pressroom.text_mapping import glyph_texts, needs_actual_text

NOTO = Path("/usr/share/fonts/truetype/noto")


def _font(name: str) -> tuple[bytes, TTFont]:
    data = (NOTO / name).read_bytes()
    return data, TTFont(NOTO / name)


def test_devanagari_glyphs_get_their_own_letters():
    """WeasyPrint gave the consonant of "कि" the whole cluster and the vowel sign drawn before
    it nothing; a half-form's text came from the first cluster it met."""
    data, font = _font("NotoSansDevanagari-Regular.ttf")
    gid = font.getGlyphID
    drawn = {
        gid("kadeva"): "कि",  # the last glyph of its cluster got the cluster's text
        gid("ivowelsign05deva"): "",  # a width variant of the vowel sign i, drawn first
        gid("kassadeva"): "",  # the conjunct क्ष, drawn as one glyph
        gid("rephdeva"): "र्म",  # the reph, first met above म
        gid("madeva"): "म",  # already its own
    }
    assert glyph_texts(data, 0, drawn) == {
        gid("kadeva"): "क",
        gid("ivowelsign05deva"): "ि",
        gid("kassadeva"): "क्ष",
        gid("rephdeva"): "र्",
        gid("madeva"): "म",
    }


def test_arabic_forms_map_to_letters_not_presentation_forms():
    data, font = _font("NotoNaskhArabic-Regular.ttf")
    gid = font.getGlyphID
    drawn = {gid("uniFEDF"): "", gid("uniFEEA"): "ه", gid("uniFEE0"): "ل"}
    # lam's initial form (cmap: U+FEDF) is lam; heh's final form, shared with ae's, stays heh
    assert glyph_texts(data, 0, drawn) == {
        gid("uniFEDF"): "ل",
        gid("uniFEEA"): "ه",
        gid("uniFEE0"): "ل",
    }


@pytest.mark.parametrize(
    "text, needed", [("शिशु मालिश", True), ("مرحبا", False), ("Touch", False), ("触摸", False)]
)
def test_actual_text_only_where_glyphs_cannot_read_back(text, needed):
    assert needs_actual_text(text) is needed


class Tree:
    """A structure tree as WeasyPrint writes it, in a pydyf PDF."""

    def __init__(self) -> None:
        self.pdf = pydyf.PDF()
        self.document = self.element("Document", None)

    def element(self, tag: str, parent, *kids, **extra):
        element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{tag}", "K": pydyf.Array()})
        element.update(extra)
        self.pdf.add_object(element)
        for kid in kids:
            kid["P"] = element.reference
            element["K"].append(kid.reference)
        return element

    def tags(self, element=None) -> list:
        element = element or self.document
        out = []
        for kid in element["K"]:
            child = self.pdf.objects[int(kid.split()[0])] if isinstance(kid, bytes) else kid
            if isinstance(child, pydyf.Dictionary):
                inner = self.tags(child)
                tag = str(child["S"])[1:]
                out.append((tag, inner) if inner else tag)
            else:
                out.append(child)
        return out


def test_the_cover_with_the_title_is_read_first_the_panels_keep_their_order():
    tree = Tree()
    e = tree.element
    flap = e("Sect", None, e("H2", None))
    back = e("Sect", None, e("H2", None), e("P", None))
    cover = e("Sect", None, e("Div", None, e("P", None)), e("H1", None))
    sheet = e("Div", None, flap, back, cover)
    tree.document["K"].append(sheet.reference)
    title_first(tree.pdf, tree.document)
    assert tree.tags() == [
        ("Div", [("Sect", [("Div", ["P"]), "H1"]), ("Sect", ["H2"]), ("Sect", ["H2", "P"])])
    ]


def test_a_description_list_becomes_items_with_a_label_and_one_body():
    tree = Tree()
    e = tree.element

    def item():
        body = e("LBody", None)
        body["K"].append(7)  # an MCID
        return e("LI", None, body)

    group = e("Div", None, item(), item(), item())  # <div><dt/><dd/><dd/></div>
    tree.document["K"].append(e("L", None, group).reference)
    description_lists(tree.pdf, tree.document)
    assert tree.tags() == [("L", [("LI", [("Lbl", [7]), ("LBody", [7, 7])])])]


def test_empty_elements_go_and_what_has_content_stays():
    tree = Tree()
    e = tree.element
    qr = e("Div", None, *(e("Span", None) for _ in range(200)))
    text = e("P", None)
    text["K"].append(3)
    figure = e("Figure", None, Alt=pydyf.String("IAIM Canada"))
    tree.document["K"].extend([qr.reference, text.reference, figure.reference])
    drop_empty(tree.pdf, tree.document)
    assert tree.tags() == [("P", [3]), "Figure"]


def test_english_titles_kept_by_a_translation_are_marked_english():
    from pressroom.templating import mark_english_titles

    source = "co-author of <cite>Your Amazing Newborn</cite> and <cite>Bonding</cite>"
    translated = "مؤلف <cite>Your Amazing Newborn</cite> و<cite>الترابط</cite>"
    assert mark_english_titles(translated, source) == (
        'مؤلف <cite lang="en">Your Amazing Newborn</cite> و<cite>الترابط</cite>'
    )
