"""What an office PDF gives a screen reader, checked as the independent checker (outloud) does:
headings from one H1, well-formed lists, every glyph mapped to text, links that print and say
where they go, the title shown. Read with pypdf; each check returns its problems."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject

PRINT = 4
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _elements(element: Any, parent: str = "") -> Iterator[tuple[str, str, Any]]:
    """(structure type, its parent's type, element) depth first, in reading order."""
    kids = element.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            kind = str(kid["/S"])[1:]
            yield kind, parent, kid
            yield from _elements(kid, kind)


def _level(kind: str) -> int | None:
    return int(kind[1]) if re.fullmatch(r"H[1-6]", kind) else None


def heading_problems(tree: list[tuple[str, str, Any]]) -> list[str]:
    levels = [level for kind, _, _ in tree if (level := _level(kind))]
    problems = []
    if levels and levels[0] != 1:
        problems.append(f"the first heading is H{levels[0]}, not H1")
    if levels.count(1) > 1:
        problems.append(f"{levels.count(1)} H1 headings, not one")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"H{before} followed by H{after}: a level skipped")
            break
    return problems


def list_problems(tree: list[tuple[str, str, Any]]) -> list[str]:
    problems = []
    outside = sum(1 for kind, parent, _ in tree if kind == "LI" and parent != "L")
    if outside:
        problems.append(f"{outside} list item(s) (LI) outside a list (L)")
    foreign = sorted({kind for kind, parent, _ in tree if parent == "L"} - {"LI", "L", "Caption"})
    if foreign:
        problems.append(f"a list (L) holds {', '.join(foreign)}, not only list items")
    bodiless = 0
    for kind, _, element in tree:
        if kind == "LI" and not any(k == "LBody" for k, _, _ in _elements(element)):
            bodiless += 1
    if bodiless:
        problems.append(f"{bodiless} list item(s) without a body (LBody)")
    return problems


def _widths_glyphs(widths: Any) -> set[int]:
    """The glyph ids a CID font's /W array lists: the glyphs the file draws."""
    glyphs: set[int] = set()
    items = list(widths.get_object()) if widths is not None else []
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1].get_object()
        if isinstance(following, ArrayObject):
            glyphs.update(range(first, first + len(following)))
            index += 2
        else:
            glyphs.update(range(first, int(following) + 1))
            index += 3
    return glyphs


def _mapped_codes(cmap: bytes) -> set[int]:
    """The codes a ToUnicode CMap maps to some text (bfchar pairs, bfrange triples)."""
    mapped: set[int] = set()
    for kind, body in _SECTION.findall(cmap):
        values = _HEX.findall(body)
        if kind == b"bfchar":
            mapped.update(
                int(code, 16) for code, text in zip(values[::2], values[1::2], strict=False) if text
            )
        else:
            for first, last in zip(values[::3], values[1::3], strict=False):
                mapped.update(range(int(first, 16), min(int(last, 16), 0xFFFF) + 1))
    return mapped


def unmapped_glyphs(fonts: dict[str, Any]) -> list[str]:
    """Fonts (by /BaseFont) with glyphs their ToUnicode maps to no text."""
    problems = []
    for name, font in sorted(fonts.items()):
        if font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
            continue
        mapped = _mapped_codes(font["/ToUnicode"].get_object().get_data())
        descendant = font["/DescendantFonts"][0].get_object()
        missing = _widths_glyphs(descendant.get("/W")) - mapped
        if missing:
            codes = ", ".join(f"{glyph:#06x}" for glyph in sorted(missing)[:6])
            problems.append(f"{name}: {len(missing)} glyph(s) map to no text ({codes})")
    return problems


def _parent_tree(tree_root: Any) -> dict[int, Any]:
    if tree_root is None or "/ParentTree" not in tree_root:
        return {}
    nums = list(tree_root["/ParentTree"].get_object().get("/Nums", []))
    return {int(key): value for key, value in zip(nums[::2], nums[1::2], strict=False)}


def _tagged_as_link(annotation: Any, parents: dict[int, Any]) -> bool:
    element = parents.get(int(annotation.get("/StructParent", -1)))
    return element is not None and element.get_object().get("/S") == "/Link"


def link_problems(pages: list[Any], tree_root: Any = None) -> list[str]:
    problems = []
    parents = _parent_tree(tree_root)
    for number, page in enumerate(pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            missing = [
                what
                for what, ok in (
                    ("the Print flag", int(annotation.get("/F", 0)) & PRINT),
                    ("/Contents", str(annotation.get("/Contents", "")).strip()),
                    ("a /Link structure element", _tagged_as_link(annotation, parents)),
                )
                if not ok
            ]
            if missing:
                problems.append(f"page {number}: a link without {', '.join(missing)}")
    return problems


def accessibility_checks(root: Any, pages: list[Any], fonts: dict[str, Any]):
    """(check name, problems, what passing means) for an office PDF."""
    tree_root = root.get("/StructTreeRoot")
    tree_root = tree_root.get_object() if tree_root is not None else None
    tree = list(_elements(tree_root)) if tree_root is not None else []
    preferences = root.get("/ViewerPreferences")
    shown = preferences is not None and bool(preferences.get_object().get("/DisplayDocTitle"))
    return [
        ("headings", heading_problems(tree), "one H1 first, no level skipped"),
        ("lists", list_problems(tree), "L > LI > (Lbl, LBody)"),
        ("text extracts", unmapped_glyphs(fonts), "every glyph drawn maps to Unicode"),
        ("links", link_problems(pages, tree_root), "tagged, printed, with /Contents"),
        ("title shown", [] if shown else ["no /DisplayDocTitle true"], "DisplayDocTitle"),
    ]
