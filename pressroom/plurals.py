"""Plural-Forms headers as gettext tools write them: the conventional rule, and a check that a
header's own rule is sound.

GNU msginit, Poedit, Weblate and translate-toolkit write gettext's conventional rules
(French `nplurals=2; plural=(n > 1);`); Babel 2.19 and later writes CLDR's (French has a third
form for 1 000 000). Both are correct gettext: what matters is that the expression parses and
picks an index below its own `nplurals`, and that plural entries have that many `msgstr[]`.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass

from babel.messages.plurals import get_plural

_SLAVIC_EAST = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
_ONE_FORM = "nplurals=1; plural=0;"
_NOT_ONE = "nplurals=2; plural=(n != 1);"
_ABOVE_ONE = "nplurals=2; plural=(n > 1);"

# GNU gettext's table of conventional rules (gettext-tools/src/plural-table.c), which msginit
# and the PO editors follow. Languages it lacks take CLDR's rule from Babel.
CONVENTIONAL = {
    **dict.fromkeys(("ja", "vi", "ko", "zh", "th", "id", "ms"), _ONE_FORM),
    **dict.fromkeys(
        (
            "en",
            "de",
            "nl",
            "sv",
            "da",
            "no",
            "nb",
            "nn",
            "fo",
            "es",
            "pt",
            "it",
            "bg",
            "el",
            "fi",
            "et",
            "he",
            "eo",
            "hu",
            "tr",
            "ca",
        ),
        _NOT_ONE,
    ),
    **dict.fromkeys(("pt_BR", "fr"), _ABOVE_ONE),
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr", "bs"), _SLAVIC_EAST),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) "
    "? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
}

HEADER = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*")
# Numbers that reach every branch of the rules in use (small counts, teens, hundreds, millions).
_SAMPLES = (*range(0, 230), 1000, 1001, 1002, 1011, 100000, 1000000, 1000001, 2000000, 10**9)


def conventional_rule(code: str) -> str:
    """The Plural-Forms value `msginit` would write for a language (else CLDR's)."""
    for key in (code, code.split("_")[0]):
        if key in CONVENTIONAL:
            return CONVENTIONAL[key]
    return get_plural(code).plural_forms


def cldr_plural_count(code: str) -> int:
    return get_plural(code).num_plurals


@dataclass(frozen=True)
class PluralRule:
    count: int  # nplurals
    expression: str


class PluralFormsError(ValueError):
    """A Plural-Forms header that gettext would not accept; the message says what to write."""


def parse_plural_forms(value: str, code: str) -> PluralRule:
    """Check a header's rule on its own terms: it parses, and every index it picks is below its
    own nplurals. Never evaluates anything but gettext's C-like expression language."""
    hint = f"for example: {conventional_rule(code)}"
    match = HEADER.fullmatch(value)
    if not match:
        raise PluralFormsError(f"Plural-Forms {value!r} is malformed; {hint}")
    count, expression = int(match.group(1)), match.group(2)
    if count < 1:
        raise PluralFormsError(f"nplurals={count}: a language has at least one form; {hint}")
    try:
        choose = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        raise PluralFormsError(f"plural expression {expression!r} is not valid; {hint}") from None
    for n in _SAMPLES:
        try:
            index = choose(n)
        except (ArithmeticError, RecursionError):
            raise PluralFormsError(
                f"plural expression {expression!r} fails for n={n}; {hint}"
            ) from None
        if not 0 <= index < count:
            raise PluralFormsError(
                f"plural expression {expression!r} gives form {index} for "
                f"n={n}, but nplurals={count} allows 0…{count - 1}; {hint}"
            )
    return PluralRule(count, expression)
