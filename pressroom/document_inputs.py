"""What a document is made from besides its template and catalog: its stylesheets and the
date stamped inside it. The maker uses them and the fingerprint hashes them, so both read
them from here."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from .jobs import Job
from .variants import VARIANTS

# The date IAIM supplied the source content ("content provided by IAIM® Sept 1, 2020").
CONTENT_DATE = date(2020, 9, 1)
STYLESHEETS = {True: ("base.css", "trifold.css"), False: ("base.css", "handout.css")}


def stylesheets_for(job: Job) -> tuple[str, ...]:
    variant = VARIANTS[job.variant]
    landscape = job.brochure.landscape
    return (
        STYLESHEETS[landscape]
        + variant.stylesheets
        + (variant.trifold_stylesheets if landscape else ())
    )


def document_date() -> str:
    """The date stamped inside PDFs: SOURCE_DATE_EPOCH when set, else the content's date,
    never the clock, so two builds of the same inputs are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    else:
        moment = datetime(CONTENT_DATE.year, CONTENT_DATE.month, CONTENT_DATE.day, tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
