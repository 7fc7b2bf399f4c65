"""Planning the build matrix, without rendering anything."""

from __future__ import annotations

import pytest

from pressroom.brochures import BROCHURES
from pressroom.errors import UsageError
from pressroom.jobs import Filters
from pressroom.plan import make_plan
from pressroom.variants import VARIANTS

from .conftest import ROOT


def plan(**filters):
    return make_plan(ROOT, Filters(**{key: tuple(value) for key, value in filters.items()}))


def test_default_matrix_is_every_chapter_language_and_brochure():
    full = plan()
    chapters = full.chapters
    handouts = sum(1 for brochure in BROCHURES if brochure.takes_imprint)
    clinic_jobs = sum(
        handouts * len(next(c for c in chapters if c.id == clinic.chapter).languages)
        for clinic in full.clinics
    )
    expected = sum(len(c.languages) for c in chapters) * len(BROCHURES) + clinic_jobs
    assert len(full.jobs) == expected * len(VARIANTS)
    assert len({job.output for job in full.jobs}) == len(full.jobs), "two jobs share an output"


def test_filters_narrow_the_matrix():
    jobs = plan(chapters=["uk"], brochures=["mission"]).jobs
    assert [job.output for job in jobs] == [
        "uk/en_GB/mission-office.pdf",
        "uk/en_GB/mission-press.pdf",
    ]
    assert jobs[0].paper == "a4"


def test_letter_chapter_jobs_use_letter_and_clinic_imprints_only_on_handouts():
    jobs = plan(chapters=["usa"], languages=["en"]).jobs
    assert {job.paper for job in jobs} == {"letter"}
    imprinted = [job for job in jobs if job.clinic]
    assert imprinted and all(job.brochure.takes_imprint for job in imprinted)
    assert "usa/en/what-is-infant-massage-example-family-clinic-office.pdf" in [
        job.output for job in jobs
    ]


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"chapters": ["atlantis"]}, "--chapter: unknown 'atlantis'"),
        ({"brochures": ["flyer"]}, "--brochure: unknown 'flyer'"),
        ({"chapters": ["uk"], "languages": ["de"]}, "--lang: unknown 'de'"),
    ],
)
def test_unknown_filter_values_are_usage_errors(filters, message):
    with pytest.raises(UsageError, match=message):
        plan(**filters)


def test_two_jobs_writing_one_file_are_refused_before_rendering():
    from pressroom.jobs import _check_distinct_outputs

    jobs = plan(chapters=["uk"], brochures=["mission"]).jobs
    _check_distinct_outputs(jobs)
    with pytest.raises(UsageError, match="would both write uk/en_GB/mission-office.pdf"):
        _check_distinct_outputs([jobs[0], jobs[1], jobs[0]])


def test_harfbuzz_subsetting_is_installed():
    from pressroom.fonts import harfbuzz_subsetting

    assert harfbuzz_subsetting(), "scripts/setup installs libharfbuzz-subset0"
