"""Text that extracts: every glyph of an office PDF mapped to the characters it shows, and the
runs whose glyphs cannot say it in order (Devanagari, Arabic) carrying /ActualText.

WeasyPrint 70 maps a glyph to the text of the first HarfBuzz cluster it is drawn in: the other
glyphs of a many-glyph cluster (Devanagari's vowel sign i before its consonant, a half form
before a conjunct's last letter) get no text at all, and a glyph first seen in such a cluster
keeps that cluster's text wherever else it is drawn. Here each glyph gets its own text, from
the font itself: its cmap, else the characters its GSUB substitutions were made from.

/ActualText goes on Indic runs only. An Arabic run's glyphs are drawn in visual order and each
maps to its own letters (a lam-alef ligature to both), which every extractor reorders as
right-to-left text; poppler spreads an /ActualText string left to right over its run, so
there it would read backwards."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pydyf
from fontTools.ttLib import TTFont

# Indic scripts (Devanagari to Sinhala): shaping draws a vowel sign before its consonant and
# several letters as one conjunct, so no glyph-by-glyph mapping reads back in logical order.
_INDIC = re.compile("[\u0900-\u0dff\ua8e0-\ua8ff]")
# Presentation forms (ﬁ, Arabic ﻟ…): a font's cmap maps them to its ligature and contextual
# glyphs, but text extracted as them is not the text typed, searched or read aloud.
_PRESENTATION = re.compile("[\ufb00-\ufdff\ufe70-\ufeff]")


def needs_actual_text(text: str) -> bool:
    return bool(_INDIC.search(text))


def _sources(font: TTFont) -> dict[str, list[list[str]]]:
    """For each glyph a substitution produces, the glyphs it can be made from, in the order of
    the rules: single and alternate substitutions from one glyph, ligatures from several."""
    made_from: dict[str, list[list[str]]] = {}
    if "GSUB" not in font or font["GSUB"].table.LookupList is None:
        return made_from
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:  # extension: the real subtable is inside
                kind, table = table.ExtensionLookupType, table.ExtSubTable
            if kind == 1:
                for source, target in table.mapping.items():
                    made_from.setdefault(target, []).append([source])
            elif kind == 3:
                for source, targets in table.alternates.items():
                    for target in targets:
                        made_from.setdefault(target, []).append([source])
            elif kind == 4:
                for first, ligatures in table.ligatures.items():
                    for ligature in ligatures:
                        made_from.setdefault(ligature.LigGlyph, []).append(
                            [first, *ligature.Component]
                        )
    return made_from


class _Font:
    """What the mapping needs of one font file: glyph names, the cmap by glyph (plain
    characters before presentation forms) and, read only when a glyph needs it (a CJK font's
    GSUB takes half a second), what each substituted glyph was made from."""

    def __init__(self, data: bytes, index: int) -> None:
        self.font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
        self.order = self.font.getGlyphOrder()
        cmap = self.font.getBestCmap() or {}
        self.chars: dict[str, list[str]] = {}
        for code in sorted(cmap, key=lambda code: (bool(_PRESENTATION.match(chr(code))), code)):
            self.chars.setdefault(cmap[code], []).append(chr(code))
        self._made_from: dict[str, list[list[str]]] | None = None

    @property
    def made_from(self) -> dict[str, list[list[str]]]:
        if self._made_from is None:
            self._made_from = _sources(self.font)
        return self._made_from


def needs_mapping(drawn: dict[int, str]) -> bool:
    """WeasyPrint's map is right where every glyph was alone in a one-character cluster (all
    of a Chinese or Japanese text): only a glyph with no text or several characters (a part of
    a cluster, a ligature or conjunct) needs the font read."""
    return any(len(text) != 1 for text in drawn.values())


def glyph_texts(font_data: bytes, index: int, drawn: dict[int, str]) -> dict[int, str]:
    """The text of each drawn glyph (glyph id -> characters). WeasyPrint's cluster text is kept
    where it is this glyph's own (a character the cmap maps to it, or what the glyph was
    substituted from: a ligature, a conjunct, a contextual form); otherwise the cmap's
    character (not a presentation form), else what the glyph was substituted from."""
    font = _Font(font_data, index)
    chars = font.chars

    def derived(name: str, seen: frozenset[str], rule: int = 0) -> str:
        made_from = font.made_from
        if name in seen or len(made_from.get(name, ())) <= rule:
            return ""
        return "".join(primary(source, seen | {name}) for source in made_from[name][rule])

    def primary(name: str, seen: frozenset[str] = frozenset()) -> str:
        own = chars.get(name, [])
        if own and not _PRESENTATION.match(own[0]):
            return own[0]
        return derived(name, seen) or (own[0] if own else "")

    texts = {}
    for glyph, text in drawn.items():
        if not 0 <= glyph < len(font.order):
            texts[glyph] = text  # a .notdef stand-in WeasyPrint numbered past the font's glyphs
            continue
        name = font.order[glyph]
        if text and text in chars.get(name, ()):
            texts[glyph] = text  # the common case: no GSUB needed
        elif text and any(
            text == derived(name, frozenset(), r) for r in range(len(font.made_from.get(name, ())))
        ):
            texts[glyph] = text
        else:
            texts[glyph] = primary(name) or text
    return texts


def to_unicode_stream(texts: dict[int, str]) -> list[bytes]:
    """A ToUnicode CMap's lines, as WeasyPrint writes them."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(texts.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for glyph, text in batch:
            lines.append(f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return lines


def remap_fonts(
    pdf: pydyf.PDF, fonts: list[tuple[bytes, Callable[[], bytes], int, dict[int, str]]]
) -> None:
    """Rewrite the ToUnicode CMap of each font that `needs_mapping` with `glyph_texts`. `fonts`
    lists, in the order WeasyPrint wrote them, each font's /BaseFont, a way to read its font
    file, its face index and its glyph-to-text map (two sizes of one face share a /BaseFont but
    each has its own dictionary and map)."""
    dictionaries = [
        obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font" and "ToUnicode" in obj
    ]
    for obj, (name, read, index, drawn) in zip(dictionaries, fonts, strict=False):
        reference = obj["ToUnicode"]
        if obj.get("BaseFont") != name or not needs_mapping(drawn):
            continue
        if not isinstance(reference, bytes):
            continue
        stream = pdf.objects[int(reference.split()[0])]
        stream.stream = to_unicode_stream(glyph_texts(read(), index, drawn))
