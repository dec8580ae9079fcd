"""The read path's own pieces (register.api.records) show values exactly as DRF's fields and Django's reverse() do."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from register.api.records import Computed, Link, Reading, present_moment
from register.models import Incident

MOMENTS = [
    dt.datetime(2017, 3, 2, 10, 4, 5, 123456, tzinfo=dt.UTC),
    dt.datetime(2017, 3, 2, 10, 4, 5, tzinfo=dt.UTC),
    dt.datetime(2017, 3, 2, 12, 4, 5, 7, tzinfo=zoneinfo.ZoneInfo("Asia/Damascus")),
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
@pytest.mark.parametrize("zone", ["UTC", "Asia/Baghdad"])
def test_a_date_time_is_written_as_drfs_own_field_writes_it(moment, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert present_moment(moment) == serializers.DateTimeField().to_representation(moment)
    assert present_moment(None) is None


# Every key a route takes: slugs and ids.
@pytest.mark.parametrize("key", ["tetrapylon", "Temple-of-Bel_2", 12])
def test_a_link_is_the_address_reverse_gives(rf, key):
    link = Link("api:incident-detail", "slug", field=serializers.CharField())
    request = rf.get("/")
    present = link.presenter("")
    assert present({"slug": key, "id": 1}, Reading(request=request)) == request.build_absolute_uri(
        reverse("api:incident-detail", kwargs={"slug": str(key)})
    )
    assert present({"slug": None, "id": 1}, Reading(request=request)) is None


def test_a_remembered_value_is_made_once_per_response_for_the_same_values():
    made = []

    def make(name):
        made.append(name)
        return name.upper()

    present = Computed(["name"], make, field=serializers.CharField(), remember=True).presenter("")
    reading = Reading()
    assert [present({"name": name}, reading) for name in ("afp", "sana", "afp")] == ["AFP", "SANA", "AFP"]
    assert made == ["afp", "sana"]
    # A new response makes it again: nothing is kept between requests.
    assert present({"name": "afp"}, Reading()) == "AFP" and made == ["afp", "sana", "afp"]


def test_a_part_reads_its_columns_under_the_prefix_it_is_nested_at():
    present = Computed(["slug"], str.upper, field=serializers.CharField()).presenter("incident")
    assert present({"incident__slug": "x", "slug": "y"}, Reading()) == "X"
    assert Incident._meta.get_field("slug")


def test_a_nested_record_the_same_for_many_rows_is_made_once_per_response():
    from register.api.records import One, Representation
    from register.models import Evidence

    made = []

    def title(value):
        made.append(value)
        return value.title()

    summary = Representation(
        Evidence, "TitleOnly", [("title", Computed(["article__title"], title, field=serializers.CharField()))]
    )
    present = One("", summary, same_for=(["article"], tuple)).presenter("")
    rows = [{"article": 1, "article__title": "a"}, {"article": 2, "article__title": "b"}]
    rows.append({"article": 1, "article__title": "a"})
    reading = Reading()
    assert [present(row, reading) for row in rows] == [{"title": "A"}, {"title": "B"}, {"title": "A"}]
    assert made == ["a", "b"]
