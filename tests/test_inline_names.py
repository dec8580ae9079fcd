"""A monument's alternate names read in its own row: the same records, in the same order, as the prefetch gave."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from register.api import querysets
from register.models import AlternateName, Monument

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(site, tetrapylon):
    # Written out of order, with case and scripts that sort differently by code point and by a locale's rules.
    for monument, name, language, note in [
        (site, "tadmur", "ar-Latn", ""),
        (site, "تدمر", "ar", "Arabic"),
        (site, "Tadmor", "ar-Latn", "older spelling"),
        (site, "Palmyre", "fr", ""),
        (site, "apamea road", "en", 'a "quoted" note, with \\ and \u00e9'),
        (site, "Bride of the Desert", "en", ""),
        (tetrapylon, "Tétrapyle", "fr", ""),
    ]:
        AlternateName.objects.create(monument=monument, name=name, language=language, note=note)
    # A monument without alternate names.
    Monument.objects.create(name="Citadel", slug="citadel", kind="fortification", part_of=site)


def as_stored(names) -> list[dict]:
    return [
        {field.attname: getattr(name, field.attname) for field in AlternateName._meta.concrete_fields} for name in names
    ]


def test_each_monument_carries_its_names_as_the_database_orders_them(named):
    with CaptureQueriesContext(connection) as captured:
        monuments = list(querysets.monuments().order_by("name"))
        listed = {monument.slug: as_stored(monument.prefetched_names) for monument in monuments}
    assert len(captured) == 1
    expected = {
        monument.slug: as_stored(AlternateName.objects.filter(monument=monument).order_by("language", "name"))
        for monument in Monument.objects.all()
    }
    assert listed == expected
    assert listed["citadel"] == []
    assert len(listed["palmyra"]) == 6


def test_names_read_inline_are_records_that_load_and_save(named):
    monument = querysets.monuments().get(slug="tetrapylon")
    (name,) = monument.prefetched_names
    assert isinstance(name, AlternateName) and not name._state.adding
    assert name.monument_id == monument.pk
    name.note = "French"
    name.save()
    assert AlternateName.objects.get(pk=name.pk).note == "French"


def test_the_api_shows_inline_names_as_drf_reads_them(named):
    body = APIClient().get("/api/v1/monuments/palmyra/").json()
    shown = [(name["name"], name["language"], name["right_to_left"]) for name in body["alternate_names"]]
    expected = [
        (name.name, name.language, name.is_right_to_left)
        for name in AlternateName.objects.filter(monument__slug="palmyra").order_by("language", "name")
    ]
    assert shown == expected
    assert ("تدمر", "ar", True) in shown
