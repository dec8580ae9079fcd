"""register.geojson: monuments as an RFC 7946 FeatureCollection, for the API and the public map."""

import json

import pytest

from register.geojson import feature_collection
from register.models import Monument

pytestmark = pytest.mark.django_db


@pytest.fixture
def located(tetrapylon):
    tetrapylon.latitude, tetrapylon.longitude = "34.5513000", "38.2692000"
    tetrapylon.save()
    return tetrapylon


def test_features_put_longitude_before_latitude_as_numbers(located, site):
    collection = feature_collection(Monument.objects.all())
    [feature] = collection["features"]
    assert collection["type"] == "FeatureCollection"
    assert feature["geometry"] == {"type": "Point", "coordinates": [38.2692, 34.5513]}
    assert all(isinstance(number, float) for number in feature["geometry"]["coordinates"])


def test_monuments_without_coordinates_are_left_out(located, site):
    slugs = [feature["properties"]["slug"] for feature in feature_collection(Monument.objects.all())["features"]]
    assert slugs == ["tetrapylon"]


def test_properties_name_the_monument_its_site_condition_and_addresses(located, incident, make_evidence):
    make_evidence(incident)
    [feature] = feature_collection(Monument.objects.all())["features"]
    assert feature["properties"] == {
        "id": located.pk,
        "slug": "tetrapylon",
        "name": "Tetrapylon",
        "kind": "tetrapylon",
        "condition": "destroyed",
        "part_of": "palmyra",
        "latitude": 34.5513,
        "longitude": 38.2692,
        "sensitive": False,
        "page_url": "/en/monuments/tetrapylon/",
        "api_url": "/api/v1/monuments/tetrapylon/",
    }


def test_given_conditions_are_used_and_a_request_makes_urls_absolute(located, rf):
    [feature] = feature_collection([located], conditions={located.pk: "poor"}, request=rf.get("/"))["features"]
    assert feature["properties"]["condition"] == "poor"
    assert feature["properties"]["api_url"] == "http://testserver/api/v1/monuments/tetrapylon/"


def test_a_queryset_costs_the_same_queries_for_one_monument_or_fifty(located, site, django_assert_num_queries):
    # One for the monuments with their sites; the condition is stored on each.
    with django_assert_num_queries(1):
        assert len(feature_collection(Monument.objects.all())["features"]) == 1
    Monument.objects.bulk_create(
        Monument(name=f"Tower {n}", slug=f"tower-{n}", kind="tomb", part_of=site, latitude=34.5, longitude=38.2)
        for n in range(49)
    )
    with django_assert_num_queries(1):
        assert len(feature_collection(Monument.objects.all())["features"]) == 50


def test_the_collection_is_plain_json(located):
    assert json.loads(json.dumps(feature_collection([located], conditions={})))["features"][0]["id"] == located.pk
