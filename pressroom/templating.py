"""The Jinja environment: strict, autoescaping, translated, with CLDR-aware filters."""

from __future__ import annotations

import gettext
from datetime import date

import jinja2
from babel.dates import format_date

from .errors import TemplateError
from .languages import Language
from .project import Project


def make_environment(project: Project, lang: Language,
                     translations: gettext.NullTranslations) -> jinja2.Environment:
    """One environment per language: its gettext and its locale are fixed for its lifetime."""
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
    env.install_gettext_translations(translations, newstyle=True)
    locale = lang.code

    def long_date(value: date) -> str:
        return format_date(value, format="long", locale=locale)

    env.filters["long_date"] = long_date
    return env


def render_html(env: jinja2.Environment, template: str, context: dict) -> str:
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"brochures/{error.name or template}:{error.lineno}: template syntax error: "
            f"{error.message}"
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(f"brochures/{template}: {error.message} (a variable the "
                            "template uses is not provided)") from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"brochures/{template}: template {error.name!r} not found") from None
