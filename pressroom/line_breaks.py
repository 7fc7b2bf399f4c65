"""Line breaks a designer would not let pass: hyphen ladders, runts, and names, dates, URLs,
e-mail addresses and phone numbers broken across lines. Pure functions over boxes.py records."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from .boxes import Block, PageLayout, Problem, element_of
from .catalog_checks import EMAIL, PHONE, URL, WARNING

LADDER_LINES = 2  # more hyphenated lines in a row than this is a ladder
# A paragraph's last line that is one word, or part of one, this short is a runt: counted in
# letters and digits (punctuation and vowel signs not), CJK characters as two (their width).
RUNT_CHARS = 4
HYPHENS = ("-", "\u2010", "\u00ad")
YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
NOUNS_CAPITALISED = {"de", "lb"}  # capitals mid-sentence are not names in these languages
RIGHT_TO_LEFT = {"ar", "he", "fa", "ur"}
# A line of running text longer than this is hard to follow back to the next line's start
# (the review's D15: comfortable is 55-75 characters); CJK lines are not counted in letters.
MEASURE_CHARS = 85
# A line of right-to-left text ending in a Latin word's hyphen ("High-/Risk"): the bidi
# algorithm gives the line-final hyphen the paragraph's direction and draws it at the far
# left, before the Latin ("-Care of the High").
_LATIN_HYPHEN_END = re.compile(r"[A-Za-z][-\u2010]$")
# Latin letters or digits touching ideographs or kana, with no space between ("IAIMインファント")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOUCHING = re.compile(rf"[A-Za-z0-9®][{_CJK}]|[{_CJK}][A-Za-z0-9]")


_SCRIPT_MARKS = (
    ("arabic", ("ARABIC",)),
    ("hebrew", ("HEBREW",)),
    ("devanagari", ("DEVANAGARI",)),
    ("greek", ("GREEK",)),
    ("cyrillic", ("CYRILLIC",)),
    ("cjk", ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")),
)


@cache
def _script_of_letter(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ")[0]
    for script, marks in _SCRIPT_MARKS:
        if name.startswith(marks) or any(mark in first for mark in marks):
            return script
    return "latin"


def script_of(text: str) -> str:
    """The script most of the text's letters are in (latin, greek, cyrillic, hebrew, arabic,
    devanagari or cjk)."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = _script_of_letter(char)
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda script: counts[script]) if counts else "latin"


def _width(text: str) -> int:
    """A fragment's length in characters of Latin width: wide (CJK) characters count two."""
    return sum(
        2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
        if unicodedata.category(char)[0] in "LN"
    )


def _breaks(block: Block):
    """Each line break inside a word: (the part before, the part after, hyphen added)."""
    spaced = " ".join(block.text.split())
    for line, following in zip(block.lines, block.lines[1:], strict=False):
        if not line.split() or not following.split():
            continue
        head, tail = line.split()[-1], following.split()[0]
        if head.endswith(HYPHENS) and head[:-1] + tail in spaced and head + tail not in spaced:
            yield head[:-1], tail, True  # hyphenated by the line breaker
        elif head + tail in spaced and f"{head} {tail}" not in spaced:
            yield head, tail, False  # broken without a hyphen (a URL at "/", CJK)


def _kind_of_word(block: Block, before: str, after: str, lang: str, names: Sequence[str]) -> str:
    word = before + after
    spaced = " ".join(block.text.split())
    for kind, pattern in (("URL", URL), ("e-mail address", EMAIL), ("phone number", PHONE)):
        if any(
            word in match.group(0) or match.group(0) in word for match in pattern.finditer(spaced)
        ):
            return kind
    at = spaced.find(word)
    near = spaced[max(at - 12, 0) : at + len(word) + 12] if at >= 0 else ""
    if YEAR.search(near) or re.search(r"\d", word):
        return "date"
    if any(name in spaced and word in name for name in names if name):
        return "name"
    if (
        script_of(word) in ("latin", "greek", "cyrillic")
        and word[:1].isupper()
        and at >= 0
        and lang.split("_")[0] not in NOUNS_CAPITALISED
    ):
        # A proper name of several words: a capitalised neighbour with no punctuation between
        # ("San Francisco", "International Association"); lone capitals (a list of terms,
        # a sentence's first word) are not names.
        before_words = spaced[:at].split()
        after_words = spaced[at + len(word) :].split()
        previous = before_words[-1] if before_words else ""
        following = after_words[0] if after_words else ""
        if (previous[:1].isupper() and not re.search(r"[.,;:!?)\]]$", previous)) or (
            following[:1].isupper() and not re.search(r"[.,;:!?)\]]$", word)
        ):
            return "name"
    return ""


def mixed_spacing(page: PageLayout) -> list[Problem]:
    """Latin set tight against Japanese or Chinese on a line: one problem per paragraph, the
    places counted (the typesetting step puts a quarter em there, typesetting.space_mixed)."""
    problems = []
    for block in page.blocks:
        found = [match.group(0) for line in block.lines for match in TOUCHING.finditer(line)]
        if found:
            shown = ", ".join(dict.fromkeys(found))
            problems.append(
                Problem(
                    "cjk-spacing",
                    WARNING,
                    page.number,
                    block.region,
                    len(found),
                    f"Latin touches Japanese or Chinese with no space between in {len(found)} "
                    f"place(s): {shown[:60]!r} (a quarter em belongs there)",
                    (block.text,),
                    (element_of(block),),
                )
            )
    return problems


def long_lines(page: PageLayout) -> list[Problem]:
    """Running text set too wide: one problem per paragraph, its longest line in characters."""
    problems = []
    for block in page.blocks:
        if block.tag not in ("p", "dd") or script_of(block.text) == "cjk" or not block.lines:
            continue
        longest = max(len(" ".join(line.split())) for line in block.lines)
        if longest > MEASURE_CHARS:
            problems.append(
                Problem(
                    "measure",
                    WARNING,
                    page.number,
                    block.region,
                    longest,
                    f"lines of up to {longest} characters (at most {MEASURE_CHARS}; "
                    f"comfortable reading is 55-75)",
                    (block.text,),
                    (element_of(block),),
                )
            )
    return problems


def line_breaks(page: PageLayout, lang: str, names: Sequence[str]) -> list[Problem]:
    """Hyphen ladders, runts, and names or data broken across lines."""
    problems = []
    for block in page.blocks:
        if not block.text or len(block.lines) < 2:
            continue
        run = longest = 0
        for line in block.lines:
            run = run + 1 if line.rstrip().endswith(HYPHENS) else 0
            longest = max(longest, run)
        if longest > LADDER_LINES:
            problems.append(
                Problem(
                    "hyphen-ladder",
                    WARNING,
                    page.number,
                    block.region,
                    longest,
                    f"{longest} hyphenated lines in a row (at most {LADDER_LINES})",
                    (block.text,),
                    (element_of(block),),
                )
            )
        last = block.lines[-1].strip()
        if len(last.split()) == 1 and 0 < _width(last) <= RUNT_CHARS:
            problems.append(
                Problem(
                    "runt",
                    WARNING,
                    page.number,
                    block.region,
                    _width(last),
                    f"the paragraph ends on a fragment of {_width(last)} character(s): "
                    f"{block.lines[-2].strip()[-20:]!r} / {last!r}",
                    (block.text,),
                    (element_of(block),),
                )
            )
        if lang.split("_")[0] in RIGHT_TO_LEFT:
            for line in block.lines[:-1]:
                if _LATIN_HYPHEN_END.search(line.rstrip()):
                    problems.append(
                        Problem(
                            "bidi-break",
                            WARNING,
                            page.number,
                            block.region,
                            1,
                            f"a Latin word is broken at its hyphen in right-to-left text, which "
                            f"draws the hyphen at the wrong end of the line: "
                            f"{line.rstrip()[-24:]!r}",
                            (block.text,),
                            (element_of(block),),
                        )
                    )
        for before, after, hyphenated in _breaks(block):
            kind = _kind_of_word(block, before, after, lang, names)
            at_slash = before.rstrip("\u200b").endswith("/") or after.lstrip("\u200b")[:1] == "/"
            if kind == "URL" and not hyphenated and at_slash:
                continue  # at a "/" of its path: where a web address may break
            if kind and (hyphenated or kind in ("URL", "e-mail address", "phone number")):
                mark = "-" if hyphenated else ""
                problems.append(
                    Problem(
                        "broken-name",
                        WARNING,
                        page.number,
                        block.region,
                        1,
                        f"a {kind} is broken across lines: {before}{mark} / {after}",
                        (block.text,),
                        (element_of(block),),
                    )
                )
    return problems
