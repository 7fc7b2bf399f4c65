"""Line-break typography applied to rendered HTML and translated text, per language:
no short last word alone on a line (a no-break space binds it), no-break spaces inside
dates, phrase-level line breaks for Japanese and Chinese (BudouX), which break
between any two characters otherwise and split words such as "プロ/グラム", and a quarter-em
space between Latin and Japanese or Chinese text ("IAIM インファント")."""

from __future__ import annotations

import re
from functools import cache
from html import unescape

from markupsafe import escape

NBSP = "\u00a0"
# A last word this short (with its punctuation) is bound to the word before it.
RUNT = 7
# Languages whose lines break between phrases found by BudouX.
PHRASE_PARSERS = {
    "ja": "load_default_japanese_parser",
    "zh_Hans": "load_default_simplified_chinese_parser",
}
# Two CJK phrases this short together are kept on one line at a paragraph's end, and more
# phrases join them while the last line would hold fewer than CJK_TAIL characters (not
# counting punctuation): BudouX's Chinese phrases are often one character ("可", "爱", "了！）").
CJK_RUNT = 12
CJK_TAIL = 3
# Elements whose text breaks only between phrases (and any element of class "phrases").
DISPLAY = frozenset({"h1", "h2", "h3", "li", "dt", "figcaption"})
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr"})
# Phrases up to this long never break; longer ones are marked `ph-long`, which only a
# large display title in a narrow panel lets break (styles/trifold.css), and the longest
# are left to break anywhere, so no column can overflow.
SHORT_PHRASE = 8
LONG_PHRASE = 16
# Latin letters or digits beside ideographs or kana get a quarter em between them (JLReq
# 3.2.3, clreq "mixed text"): U+2005 FOUR-PER-EM SPACE, a break opportunity after it only, so
# it never starts a line. WeasyPrint has no `text-autospace`; the CJK fonts lack the glyph and
# it comes from Noto Sans, the fallback in every font stack (styles/base.css).
QUARTER_EM = "\u2005"
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
LATIN_CHARS = "A-Za-z0-9\u00c0-\u024f\u00ae"  # ® ends "IAIM®"
_MIXED = re.compile(rf"(?<=[{LATIN_CHARS}])(?=[{CJK_CHARS}])|(?<=[{CJK_CHARS}])(?=[A-Za-z0-9])")
# Latin words inside Arabic text ("رسالة IAIM") are set smaller, as peers of the Arabic
# (styles/base.css, `.latin`): Latin capitals stand far taller than Naskh's letter bodies.
LATIN_SCALED = frozenset({"ar"})
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9®]*(?:[ .&'\u2060-]+[A-Za-z0-9®]+)*")
# A word joiner after a Latin word's hyphen: no line break there, and the hyphen keeps its
# glyph (Naskh's own U+2011 NON-BREAKING HYPHEN sits on the Arabic baseline, low).
WORD_JOINER = "\u2060"
_LATIN_HYPHEN = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")

# (an opening bracket or quote is not counted: "(IAIM®)." is bound like "IAIM®).")
_LAST_SPACE = re.compile(rf" (?=[(\[«“„‚'\"]?[^\s<>]{{1,{RUNT}}}$)")
_TEXT_NODES = re.compile(r"(<[^>]*>)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_PHRASES_CLASS = re.compile(r'class="[^"]*\bphrases\b')
_BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.S)


def bind_last_word(text: str) -> str:
    """A paragraph's last word, when short, goes to the next line with the word before it."""
    stripped = text.rstrip()
    bound = _LAST_SPACE.sub(NBSP, stripped, count=1)
    return bound + text[len(stripped) :]


def unbreakable(text: str) -> str:
    """Dates and other short runs that must stay on one line."""
    return text.replace(" ", NBSP)


def plain_head(html: str) -> str:
    """The title and metadata in <head> go into the PDF's document info: plain spaces there."""
    head, sep, body = html.partition("</head>")
    return head.replace(NBSP, " ") + sep + body if sep else html


def space_mixed(text: str) -> str:
    """A quarter em wherever Latin letters or digits touch ideographs or kana."""
    return _MIXED.sub(QUARTER_EM, text)


def latin_in_rtl(html: str, code: str, rtl: bool) -> str:
    """Latin inside right-to-left text: its hyphens never break a line (at a line's end the
    bidi algorithm draws the hyphen at the far left, "-Care of the High"), and in Arabic text
    nodes each Latin run goes in a `latin` span (sized in CSS); text with no Arabic in it
    (a name, an address, the wordmark) keeps its size."""
    if not rtl:
        return html

    def node(part: str) -> str:
        if part.startswith("<"):
            return part
        part = _LATIN_HYPHEN.sub(WORD_JOINER, part)
        if code not in LATIN_SCALED or not _ARABIC.search(part):
            return part
        return _LATIN_RUN.sub(lambda run: f'<span class="latin">{run.group(0)}</span>', part)

    def body(match: re.Match) -> str:
        inner = "".join(node(part) for part in _TEXT_NODES.split(match.group(2)))
        return match.group(1) + inner + match.group(3)

    return _BODY.sub(body, html, count=1)


@cache
def _parser(code: str):
    import budoux  # only Japanese and Chinese documents need it

    return getattr(budoux, PHRASE_PARSERS[code])()


def phrase_html(html: str, code: str) -> str:
    """Japanese and Chinese line breaks: display text (titles, headings, list items, terms,
    captions) breaks only between BudouX phrases, each wrapped in a no-wrap span; running
    text stays on the character grid, with its last three letters kept together (no runt).
    Latin runs are spaced from the CJK text around them (space_mixed)."""
    if code not in PHRASE_PARSERS:
        return html
    parser = _parser(code)

    def text_node(text: str, display: bool) -> str:
        plain = space_mixed(unescape(text))
        phrases = parser.parse(plain)
        if len(phrases) > 2 and len(phrases[-1]) + len(phrases[-2]) <= CJK_RUNT:
            phrases[-2:] = [phrases[-2] + phrases[-1]]
        while (
            len(phrases) > 2
            and sum(map(str.isalnum, phrases[-1])) < CJK_TAIL
            and len(phrases[-1]) + len(phrases[-2]) <= CJK_RUNT
        ):
            phrases[-2:] = [phrases[-2] + phrases[-1]]
        if len(phrases) < 2:
            return str(escape(plain))
        if not display:
            cut = _tail(plain)
            if cut <= 0:
                return str(escape(plain))
            return f'{escape(plain[:cut])}<span class="ph">{escape(plain[cut:])}</span>'
        return "".join(_phrase(phrase) for phrase in phrases)

    def body(match: re.Match) -> str:
        out: list[str] = []
        stack: list[tuple[str, bool]] = []  # open elements, and whether each is display text
        for part in _TEXT_NODES.split(match.group(2)):
            tag = _TAG.match(part)
            if tag:
                closing, name = tag.group(1), tag.group(2).lower()
                names = [entry[0] for entry in stack]
                if closing and name in names:
                    del stack[len(names) - 1 - names[::-1].index(name) :]
                elif not closing and name not in VOID and not part.endswith("/>"):
                    stack.append((name, name in DISPLAY or bool(_PHRASES_CLASS.search(part))))
                out.append(part)
            elif part.strip():
                out.append(text_node(part, display=any(flag for _, flag in stack)))
            else:
                out.append(part)
        return match.group(1) + "".join(out) + match.group(3)

    return _BODY.sub(body, html, count=1)


def _tail(text: str) -> int:
    """Where running text's unbreakable end begins: its last CJK_TAIL letters (a Latin word
    counts as enough) with the punctuation after them. Only so much is kept whole: a longer
    run that no longer fits would leave the line before it short, a hole in the justified
    grid (WeasyPrint stretches spaces only)."""
    at, letters = len(text), 0
    while at > 0 and letters < CJK_TAIL:
        char = text[at - 1]
        if char.isascii() and char.isalnum():
            while at > 0 and text[at - 1].isascii() and text[at - 1].isalnum():
                at -= 1
            letters = CJK_TAIL
        else:
            letters += char.isalnum()
            at -= 1
    return at


def _phrase(phrase: str) -> str:
    if len(phrase) <= SHORT_PHRASE:
        return f'<span class="ph">{escape(phrase)}</span>'
    if len(phrase) <= LONG_PHRASE:
        return f'<span class="ph ph-long">{escape(phrase)}</span>'
    return str(escape(phrase))
