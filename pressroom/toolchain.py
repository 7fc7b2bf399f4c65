"""The versions of everything that shapes a PDF besides our own files: Python packages (and the
lock they came from), CLDR's data, and the system's Pango and HarfBuzz."""

from __future__ import annotations

import ctypes
import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from babel.core import get_cldr_version

from . import __version__
from .project import DEFAULT_ROOT

# Python packages whose upgrade can change a PDF's bytes or what a check says about it.
PACKAGES = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "fonttools",
    "pyphen",
    "jinja2",
    "babel",
    "segno",
    "pypdf",
)
# The lock of the source tree this code runs from (absent in a plain `pip install`).
LOCK = DEFAULT_ROOT / "requirements.lock"


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _library(soname: str, function: str) -> str:
    """A C library's own version string, read without importing WeasyPrint."""
    try:
        call = getattr(ctypes.CDLL(soname), function)
    except (OSError, AttributeError):
        return "absent"
    call.restype = ctypes.c_char_p
    return call().decode()


@cache
def renderer_versions() -> dict[str, str]:
    """What made a PDF, as recorded in its manifest entry."""
    return {
        "weasyprint": _package("weasyprint"),
        "pango": _library("libpango-1.0.so.0", "pango_version_string"),
        "harfbuzz": _library("libharfbuzz.so.0", "hb_version_string"),
    }


@cache
def toolchain_digest() -> str:
    """One hash of every version above, the CLDR data and the lock, for the fingerprints: an
    upgrade re-renders what it may change."""
    parts = [
        f"pressroom {__version__}",
        f"cldr {get_cldr_version()}",
        f"lock {hashlib.sha256(LOCK.read_bytes()).hexdigest() if LOCK.is_file() else '-'}",
        *(f"{name} {_package(name)}" for name in PACKAGES),
        *(f"{name} {value}" for name, value in sorted(renderer_versions().items())),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
