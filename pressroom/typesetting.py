"""Line-break typography applied to rendered HTML and translated text, per language:
no short last word alone on a line (a no-break space binds it), no-break spaces inside
dates, and phrase-level line breaks for Japanese and Chinese (BudouX), which break
between any two characters otherwise and split words such as "プロ/グラム"."""

from __future__ import annotations

import re
from functools import cache
from html import unescape

from markupsafe import escape

NBSP = "\u00a0"
# A last word this short (with its punctuation) is bound to the word before it.
RUNT = 7
# Languages whose lines break between phrases found by BudouX.
PHRASE_PARSERS = {"ja": "load_default_japanese_parser",
                  "zh_Hans": "load_default_simplified_chinese_parser"}
# Two CJK phrases this short together are kept on one line at a paragraph's end.
CJK_RUNT = 12
# Longer phrases may still break inside, so a narrow column never overflows.
LONGEST_PHRASE = 8

_LAST_SPACE = re.compile(rf" (?=[^\s<>]{{1,{RUNT}}}$)")
_TEXT_NODES = re.compile(r"(<[^>]*>)")
_BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.S)


def bind_last_word(text: str) -> str:
    """A paragraph's last word, when short, goes to the next line with the word before it."""
    stripped = text.rstrip()
    bound = _LAST_SPACE.sub(NBSP, stripped, count=1)
    return bound + text[len(stripped):]


def unbreakable(text: str) -> str:
    """Dates and other short runs that must stay on one line."""
    return text.replace(" ", NBSP)


@cache
def _parser(code: str):
    import budoux  # only Japanese and Chinese documents need it
    return getattr(budoux, PHRASE_PARSERS[code])()


def phrase_html(html: str, code: str) -> str:
    """Wrap each Japanese or Chinese phrase of the body's text in a no-wrap span, so lines
    break between phrases; the last two phrases of a text stay together when short (no runt)."""
    if code not in PHRASE_PARSERS:
        return html
    parser = _parser(code)

    def text_node(text: str) -> str:
        if not text.strip() or text.startswith("<"):
            return text
        phrases = parser.parse(unescape(text))
        if len(phrases) > 2 and len(phrases[-1]) + len(phrases[-2]) <= CJK_RUNT:
            phrases[-2:] = [phrases[-2] + phrases[-1]]
        if len(phrases) < 2:
            return text
        return "".join(f'<span class="ph">{escape(phrase)}</span>'
                       if len(phrase) <= LONGEST_PHRASE else str(escape(phrase))
                       for phrase in phrases)

    def body(match: re.Match) -> str:
        parts = _TEXT_NODES.split(match.group(2))
        return match.group(1) + "".join(text_node(part) for part in parts) + match.group(3)

    return _BODY.sub(body, html, count=1)
