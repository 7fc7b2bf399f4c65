"""Preflight's active-content check on crafted PDFs: what a hostile catalog or a tampered file
could smuggle in (no rendering; the PDFs are built with pypdf)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from pressroom.preflight import active_content_of


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({_name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name("/" + key)] = value
    return action


def _annotation(subtype: str, **entries) -> DictionaryObject:
    rect = ArrayObject([FloatObject(10), FloatObject(10), FloatObject(60), FloatObject(30)])
    annotation = DictionaryObject(
        {_name("/Type"): _name("/Annot"), _name("/Subtype"): _name(subtype), _name("/Rect"): rect}
    )
    for key, value in entries.items():
        annotation[_name("/" + key)] = value
    return annotation


def _pdf(*, annotations=(), root=None, page=None) -> bytes:
    """A one-page PDF with the given annotations and extra catalog or page entries."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    page_object = writer.pages[0]
    if annotations:
        page_object[_name("/Annots")] = ArrayObject(writer._add_object(a) for a in annotations)
    for key, value in (page or {}).items():
        page_object[_name(key)] = value
    for key, value in (root or {}).items():
        writer._root_object[_name(key)] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _link(uri: str) -> DictionaryObject:
    return _annotation("/Link", A=_action("/URI", URI=TextStringObject(uri)))


def test_a_plain_page_and_safe_links_pass():
    safe = [_link("https://iaim.example.org"), _link("mailto:a@example.org"), _link("tel:+1")]
    jump = _annotation("/Link", A=_action("/GoTo", D=ArrayObject([NumberObject(0)])))
    assert active_content_of(_pdf()) == []
    assert active_content_of(_pdf(annotations=[*safe, jump])) == []


@pytest.mark.parametrize(
    "uri", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x",
            "file:///etc/passwd", "http://plain.example.org"],
)  # fmt: skip
def test_links_other_than_https_mailto_and_tel_are_reported(uri):
    problems = active_content_of(_pdf(annotations=[_link(uri)]))
    assert len(problems) == 1 and "page 1 link goes to" in problems[0], problems


@pytest.mark.parametrize("kind", ["/JavaScript", "/Launch", "/SubmitForm", "/ImportData"])
def test_script_launch_and_form_actions_on_a_link_are_reported(kind):
    problems = active_content_of(_pdf(annotations=[_annotation("/Link", A=_action(kind))]))
    assert problems == [f"page 1 link is a {kind} action"]


def test_a_script_chained_after_a_safe_link_is_reported():
    script = _action("/JavaScript", JS=TextStringObject("app.alert(1)"))
    link = _annotation(
        "/Link", A=_action("/URI", URI=TextStringObject("https://ok.example"), Next=script)
    )
    assert active_content_of(_pdf(annotations=[link])) == [
        "page 1 link (chained) is a /JavaScript action"
    ]


def test_document_level_scripts_attachments_and_open_actions_are_reported():
    names = DictionaryObject(
        {
            _name("/JavaScript"): DictionaryObject({_name("/Names"): ArrayObject()}),
            _name("/EmbeddedFiles"): DictionaryObject({_name("/Names"): ArrayObject()}),
        }
    )
    data = _pdf(
        root={
            "/Names": names,
            "/OpenAction": _action("/Launch", F=TextStringObject("calc.exe")),
            "/AA": DictionaryObject(),
            "/AcroForm": DictionaryObject({_name("/Fields"): ArrayObject()}),
        }
    )
    problems = active_content_of(data)
    assert set(problems) == {
        "document has embedded files",
        "document has JavaScript",
        "document has automatic actions (/AA)",
        "document has a form (/AcroForm)",
        "document open action is a /Launch action",
    }, problems


def test_attachments_media_and_automatic_actions_on_pages_are_reported():
    attached = _annotation("/FileAttachment")
    media = _annotation("/RichMedia")
    triggered = _annotation("/Widget", AA=DictionaryObject())
    problems = active_content_of(
        _pdf(annotations=[attached, media, triggered], page={"/AA": DictionaryObject()})
    )
    assert set(problems) == {
        "page 1 has automatic actions (/AA)",
        "page 1 has a file attachment",
        "page 1 has a RichMedia annotation",
        "page 1 has an annotation with automatic actions (/AA)",
    }, problems


def test_bytes_that_are_not_a_pdf_are_reported_not_raised():
    assert active_content_of(b"%PDF-1.7\nnot really")[0].startswith("not a readable PDF")
