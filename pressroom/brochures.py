"""The brochures and handouts the project publishes, and what each one is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Brochure:
    """One publication: its template in brochures/ and the shape of its pages."""

    name: str
    template: str
    title: str  # the English title, as lists and the catalog page show it
    description: str
    pages: int  # the page count the design has; more means content overflowed
    landscape: bool
    takes_imprint: bool  # a clinic may put its own name and contact on it


BROCHURES: tuple[Brochure, ...] = (
    Brochure(
        "benefits",
        "benefits.html",
        "Advantages of the IAIM Infant Massage Program",
        "Tri-fold: Advantages of the IAIM Infant Massage Program",
        2,
        True,
        False,
    ),
    Brochure(
        "what-is-infant-massage",
        "what-is-infant-massage.html",
        "What is infant massage?",
        "Two-page handout: what infant massage is and does",
        2,
        False,
        True,
    ),
    Brochure(
        "mission",
        "mission.html",
        "The IAIM mission",
        "One-page wall handout: the IAIM mission statement",
        1,
        False,
        True,
    ),
)
BROCHURE_NAMES = tuple(brochure.name for brochure in BROCHURES)


def brochure_named(name: str) -> Brochure:
    return next(brochure for brochure in BROCHURES if brochure.name == name)
