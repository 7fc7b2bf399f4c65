"""Languages the project can publish in, with their CLDR facts (name, direction, tag)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale

from .project import Project

SOURCE_LANGUAGE = "en"
# Made on the fly from the English template (pseudo.py); never in a default build.
PSEUDO_LOCALES = {
    "en-XA": "English, pseudo-accented and 40 % longer",
    "ar-XB": "English, pseudo right-to-left and mirrored",
}


def is_pseudo(code: str) -> bool:
    return code in PSEUDO_LOCALES


def has_catalog(code: str) -> bool:
    """Whether a language is read from a PO file (not English, not a pseudo-locale)."""
    return code != SOURCE_LANGUAGE and not is_pseudo(code)


@dataclass(frozen=True)
class Language:
    code: str  # the catalog folder name: en, pt_BR, zh_Hans
    tag: str  # BCP 47, for <html lang> and the PDF /Lang: pt-BR, zh-Hans
    native_name: str  # the language's name in itself, from CLDR
    english_name: str
    direction: str  # "ltr" or "rtl", from CLDR character order


@cache
def language(code: str) -> Language:
    if is_pseudo(code):  # English text: English rules and sizes (a private-use tag for ar-XB)
        rtl = code == "ar-XB"
        return Language(
            code,
            "en-x-ar-xb" if rtl else code,
            PSEUDO_LOCALES[code],
            PSEUDO_LOCALES[code],
            "rtl" if rtl else "ltr",
        )
    locale = Locale.parse(code)
    rtl = locale.character_order == "right-to-left"
    return Language(
        code=code,
        tag=code.replace("_", "-"),
        native_name=locale.get_display_name(locale) or code,
        english_name=locale.get_display_name("en") or code,
        direction="rtl" if rtl else "ltr",
    )


def catalog_path(project: Project, code: str):
    return project.locales / code / "LC_MESSAGES" / "messages.po"


def available_languages(project: Project) -> frozenset[str]:
    """The source language plus every language that has a catalog."""
    found = {path.parent.parent.name for path in project.locales.glob("*/LC_MESSAGES/messages.po")}
    return frozenset(found | {SOURCE_LANGUAGE})
