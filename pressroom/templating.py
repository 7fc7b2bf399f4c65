"""The Jinja environment: strict, autoescaping, translated, with CLDR-aware filters."""

from __future__ import annotations

import gettext
import re
from datetime import date

import jinja2
import nh3
from babel.dates import format_date
from markupsafe import Markup

from .errors import TemplateError
from .languages import Language, is_pseudo
from .project import Project
from .qr import qr_code
from .typesetting import bind_last_word, latin_in_rtl, phrase_html, plain_head, unbreakable


def make_environment(
    project: Project,
    lang: Language,
    translations: gettext.NullTranslations,
    *,
    highlight_missing: bool = False,
) -> jinja2.Environment:
    """One environment per language: its gettext and its locale are fixed for its lifetime.
    `highlight_missing` marks strings still in English (for the translators' preview)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.brochures),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Trimmed `{% trans %}` blocks: translators see one clean line per sentence.
    env.policies["ext.i18n.trimmed"] = True
    install_translations(env, lang, translations, highlight_missing=highlight_missing)
    locale = "en" if is_pseudo(lang.code) else lang.code  # a pseudo-locale dates as English

    def long_date(value: date) -> str:
        text = format_date(value, format="long", locale=locale)
        if locale.startswith("fr") and value.day == 1:
            text = text.replace("1 ", "1er ", 1)  # French writes the first of a month "1er"
        return unbreakable(text)

    env.filters["long_date"] = long_date
    env.filters["url_breaks"] = url_breaks
    env.globals["qr_code"] = qr_code
    env.extend(
        finish_html=lambda html: latin_in_rtl(
            phrase_html(plain_head(html), lang.code), lang.code, lang.direction == "rtl"
        )
    )
    return env


def install_translations(
    env: jinja2.Environment,
    lang: Language,
    translations: gettext.NullTranslations,
    *,
    highlight_missing: bool = False,
) -> None:
    """The language's catalog into its environment; again after the catalog is edited (the
    preview), keeping the compiled templates."""
    _install_gettext(
        env,
        translations,
        rtl=lang.direction == "rtl",
        highlight_missing=highlight_missing,
        spaced=lang.code not in ("ja", "zh_Hans"),
        english=lang.code.startswith("en"),
    )


def url_breaks(label: str) -> Markup:
    """A web address that may break at each "/" of its path and nowhere else, never with a
    hyphen (which would read as part of the address). Pango may take the break after the
    slash (UAX #14) rather than before it; both keep the address readable."""
    host, *path = label.split("/")
    return Markup("<wbr>/").join([host, *path])  # join escapes each part


# Latin marks inside right-to-left text are isolated (LRI … PDI) so the bidi algorithm keeps
# "IAIM®" in one piece; translators must not type these invisible characters themselves.
LATIN_MARKS = ("IAIM®",)


def _isolate(text: str) -> str:
    for mark in LATIN_MARKS:
        text = text.replace(mark, f"\u2066{mark}\u2069")
    return text


# Translations reach the page as markup (gettext output is trusted by Jinja), so whatever `check`
# said, a translation keeps only these tags, and links only to https, mailto and tel.
ALLOWED_TAGS = {"cite", "em", "strong", "b", "i", "br", "sup", "sub", "span", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}


_CITE = re.compile(r"<cite>(.*?)</cite>", re.S)


def mark_english_titles(text: str, *sources: str) -> str:
    """A title the translation keeps as the English source has it (<cite>Your Amazing
    Newborn</cite>) is marked lang="en", so a screen reader reads it in English (/Lang in the
    PDF's structure) and nothing else about it changes."""
    english = {title for source in sources for title in _CITE.findall(source)}
    return _CITE.sub(lambda m: f'<cite lang="en">{m[1]}</cite>' if m[1] in english else m[0], text)


def sanitize(text: str) -> str:
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _install_gettext(
    env: jinja2.Environment,
    translations: gettext.NullTranslations,
    *,
    rtl: bool,
    highlight_missing: bool,
    spaced: bool,
    english: bool = True,
) -> None:
    catalog = getattr(translations, "_catalog", None)

    def finish(key: str, text: str, *sources: str) -> str:
        if text not in sources:  # a volunteer's translation, not the template's own text
            text = sanitize(text)
            if not english:
                text = mark_english_titles(text, *sources)
        if spaced:
            text = bind_last_word(text)
        if rtl:
            text = _isolate(text)
        if highlight_missing and catalog is not None and key not in catalog:
            return Markup(f"<mark class=untranslated>{text}</mark>")  # template text: trusted
        return text

    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda message: finish(message, translations.gettext(message), message),
        ngettext=lambda s, p, n: finish(s, translations.ngettext(s, p, n), s, p),
        pgettext=lambda c, message: finish(
            f"{c}\x04{message}", translations.pgettext(c, message), message
        ),
        npgettext=lambda c, s, p, n: finish(
            f"{c}\x04{s}", translations.npgettext(c, s, p, n), s, p
        ),
        newstyle=True,
    )


def syntax_error(error: jinja2.TemplateSyntaxError, template: str) -> TemplateError:
    return TemplateError(
        f"brochures/{error.name or template}:{error.lineno}: template syntax error: {error.message}"
    )


def render_html(env: jinja2.Environment, template: str, context: dict) -> str:
    try:
        finish = env.finish_html  # type: ignore[attr-defined]  # set by env.extend
        return finish(env.get_template(template).render(context))
    except jinja2.TemplateSyntaxError as error:
        raise syntax_error(error, template) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(
            f"brochures/{template}: {error.message} (a variable the template uses is not provided)"
        ) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"brochures/{template}: template {error.name!r} not found") from None
