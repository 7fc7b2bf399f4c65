"""The structure tree of office PDFs, repaired where WeasyPrint 70 tags by HTML element alone:
the title read first, description lists as list items with a label, no empty elements, links
that print and say where they go. A WeasyPrint finisher step (pydyf objects, before writing)."""

from __future__ import annotations

from collections.abc import Iterator

import pydyf

PRINT = 4  # the annotation flag: print the link's appearance as the page shows it


def _object(pdf: pydyf.PDF, reference):
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return pdf.objects[int(reference.split()[0])]
    return reference


def _elements(pdf: pydyf.PDF, element) -> Iterator:
    """The structure elements under `element` (itself excluded), depth first."""
    for kid in element.get("K", ()):
        child = _object(pdf, kid)
        if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
            yield child
            yield from _elements(pdf, child)


def _kids(pdf: pydyf.PDF, element) -> list:
    return [
        child
        for child in (_object(pdf, kid) for kid in element.get("K", ()))
        if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem"
    ]


def _root(pdf: pydyf.PDF):
    return next(
        (
            o
            for o in pdf.objects
            if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/StructTreeRoot"
        ),
        None,
    )


def drop_empty(pdf: pydyf.PDF, element) -> bool:
    """Remove elements with nothing in them (WeasyPrint tags every HTML element, so an empty
    box drawn for its background, a rule or a tint, becomes an empty /Span or /Div); true if
    `element` itself is left empty. Backgrounds are already artifacts."""
    kept = pydyf.Array()
    for kid in element.get("K", ()):
        child = _object(pdf, kid)
        is_element = isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem"
        if is_element and drop_empty(pdf, child):
            continue
        kept.append(kid)
    element["K"] = kept
    return not kept and "Alt" not in element and "ActualText" not in element


def _heading_level(element) -> int | None:
    tag = str(element.get("S", ""))
    return int(tag[2]) if len(tag) == 3 and tag.startswith("/H") and tag[2].isdigit() else None


def _holds_heading(pdf: pydyf.PDF, element, level: int | None = None) -> bool:
    return any(
        _heading_level(e) is not None and level in (None, _heading_level(e))
        for e in (element, *_elements(pdf, element))
    )


def title_first(pdf: pydyf.PDF, document) -> None:
    """Read the H1 before any other heading: a tri-fold's outside sheet runs flap, back panel,
    cover in the panels' order, so the cover (with the title) moves to the front of each level
    where a heading came before it. Everything else keeps the panels' order."""
    parent = document
    while _heading_level(parent) != 1:
        kids = _kids(pdf, parent)
        path = next((kid for kid in kids if _holds_heading(pdf, kid, 1)), None)
        if path is None:
            return
        if any(_holds_heading(pdf, kid) for kid in kids[: kids.index(path)]):
            references = list(parent["K"])
            reference = next(r for r in references if _object(pdf, r) is path)
            references.remove(reference)
            parent["K"] = pydyf.Array([reference, *references])
        parent = path


def _retag(element, tag: str) -> None:
    element["S"] = f"/{tag}"


def description_lists(pdf: pydyf.PDF, document) -> None:
    """HTML's <dl> with <div> groups (a term and its descriptions) comes out as L > Div > LI,
    LI…: each group becomes one LI, its term the Lbl and its descriptions one LBody."""
    for element in [document, *_elements(pdf, document)]:
        if element.get("S") != "/L":
            continue
        for group in _kids(pdf, element):
            items = _kids(pdf, group)
            if group.get("S") != "/Div" or not items or any(i.get("S") != "/LI" for i in items):
                continue
            _retag(group, "LI")
            bodies = [body for item in items for body in _kids(pdf, item)]
            term, descriptions = bodies[0], bodies[1:]
            _retag(term, "Lbl")
            term["P"] = group.reference
            kids = [term.reference]
            if descriptions:
                body = descriptions[0]
                for extra in descriptions[1:]:
                    for kid in extra["K"]:
                        child = _object(pdf, kid)
                        if isinstance(child, pydyf.Dictionary):
                            child["P"] = body.reference
                        body["K"].append(kid)
                body["P"] = group.reference
                kids.append(body.reference)
            group["K"] = pydyf.Array(kids)


def _is_objr(pdf: pydyf.PDF, kid) -> bool:
    child = _object(pdf, kid)
    return isinstance(child, pydyf.Dictionary) and child.get("Type") == "/OBJR"


def annotations_in_links(pdf: pydyf.PDF, root, element, link=None) -> None:
    """A link's annotation belongs to its /Link element. WeasyPrint gives an inline box
    inside a link (a Chinese phrase span in an address) an annotation of its own, tagged
    under that box's /Span: it moves up to the /Link, with the parent tree's entry."""
    if link is not None and element is not link:
        moved = [kid for kid in element["K"] if _is_objr(pdf, kid)]
        if moved:
            element["K"] = pydyf.Array([kid for kid in element["K"] if not _is_objr(pdf, kid)])
            link["K"].extend(moved)
            nums = _object(pdf, root["ParentTree"])["Nums"]
            for kid in moved:
                index = _object(pdf, _object(pdf, kid)["Obj"]).get("StructParent")
                position = next(i for i in range(0, len(nums), 2) if nums[i] == index)
                nums[position + 1] = link.reference
    for child in _kids(pdf, element):
        annotations_in_links(pdf, root, child, child if child.get("S") == "/Link" else link)


def link_annotations(pdf: pydyf.PDF) -> None:
    """Links print (an office printout keeps them where the page shows them) and say where
    they lead in /Contents, which screen readers announce."""
    for obj in pdf.objects:
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link"):
            continue
        obj["F"] = PRINT
        action = _object(pdf, obj.get("A"))
        uri = action.get("URI") if isinstance(action, pydyf.Dictionary) else None
        if uri is not None and "Contents" not in obj:
            text = uri.string if isinstance(uri, pydyf.String) else str(uri)
            obj["Contents"] = pydyf.String(text.removeprefix("mailto:").removeprefix("tel:"))


def languages(pdf: pydyf.PDF, root) -> None:
    """Each text run's language (render.py puts it in the run's marked-content properties)
    goes to its structure element where it differs from the document's /Lang: the English
    wordmark and book titles in other languages, which screen readers then pronounce as
    English. The marked content keeps only its MCID."""
    document_lang = pdf.catalog.get("Lang")
    document_lang = document_lang.string if isinstance(document_lang, pydyf.String) else ""
    nums = list(_object(pdf, root["ParentTree"])["Nums"])
    by_page = dict(zip(nums[::2], nums[1::2], strict=True))
    for index, page_reference in enumerate(pdf.page_references):
        contents = _object(pdf, _object(pdf, page_reference)["Contents"])
        elements = by_page.get(index, ())
        for item in getattr(contents, "stream", ()):
            if not (isinstance(item, pydyf.Dictionary) and "Lang" in item and "MCID" in item):
                continue
            lang = item.pop("Lang")
            if lang.string.lower() != document_lang.lower() and item["MCID"] < len(elements):
                _object(pdf, elements[item["MCID"]])["Lang"] = lang


def _top(pdf: pydyf.PDF, element, document):
    """The ancestor of an element that hangs from the document (maybe itself)."""
    while element.get("P") != document.reference:
        element = _object(pdf, element["P"])
    return element


def running_feet(pdf: pydyf.PDF, root, document) -> None:
    """What WeasyPrint draws in page margins gets MCIDs whose elements it leaves out of the
    tree. The handouts' running foot holds the attribution, an element of the page (the
    closing <footer>): it joins the tree after the rest of its page, where a reader meets it;
    the page number, text the stylesheet generates, becomes a pagination artifact."""
    reachable = {id(element) for element in _elements(pdf, document)}
    nums = list(_object(pdf, root["ParentTree"])["Nums"])
    by_page = dict(zip(nums[::2], nums[1::2], strict=True))
    for index, page_reference in enumerate(pdf.page_references):
        elements = by_page.get(index)
        if not isinstance(elements, pydyf.Array):
            continue
        tops: dict[int, pydyf.Dictionary] = {}
        orphans: dict[int, pydyf.Dictionary] = {}
        for mcid, reference in enumerate(elements):
            element = _object(pdf, reference)
            if isinstance(element, pydyf.Dictionary) and id(element) not in reachable:
                top = _top(pdf, element, document)
                tops.setdefault(id(top), top)
                orphans[mcid] = top
        if not orphans:
            continue
        from_elements = [
            top
            for top in tops.values()
            if any(e.get("S") in ("/P", "/H1", "/H2", "/H3") for e in (top, *_elements(pdf, top)))
        ]
        on_page = [
            position
            for position, kid in enumerate(document["K"])
            if _object(pdf, kid).get("Pg") == page_reference
        ]
        at = on_page[-1] + 1 if on_page else len(document["K"])
        document["K"][at:at] = [top.reference for top in from_elements]
        kept = {id(top) for top in from_elements}
        artifacts = {mcid for mcid, top in orphans.items() if id(top) not in kept}
        stream = _object(pdf, _object(pdf, page_reference)["Contents"]).stream
        for position, item in enumerate(stream):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in artifacts and position:
                elements[item["MCID"]] = b"null"
                stream[position - 1] = "/Artifact"
                item.clear()
                item.update({"Type": "/Pagination", "Subtype": "/Footer"})


def repair_structure(pdf: pydyf.PDF) -> None:
    """Every repair above, for a tagged (office) PDF; an untagged one is left alone."""
    root = _root(pdf)
    if root is None:
        return
    document = _object(pdf, root["K"][0])
    languages(pdf, root)
    running_feet(pdf, root, document)
    annotations_in_links(pdf, root, document)
    drop_empty(pdf, document)
    title_first(pdf, document)
    description_lists(pdf, document)
    link_annotations(pdf)
