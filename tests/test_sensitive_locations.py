"""Sensitive locations and extents: one rule (register.visibility.location_seen), applied by every channel.

The public sees a sensitive place's coordinates rounded to one decimal and no extent; curators who may change
monuments see both exactly, in the API and the admin. The bbox filter matches a sensitive place by the point its
requester sees, so no box, however fine, tells the public more. tests/test_canaries.py walks every public address
for the exact digits; these tests hold the rule itself and each format's shape.
"""

import csv
import io
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from register import visibility
from register.models import Monument
from register.models.vocabularies import MonumentKind

pytestmark = pytest.mark.django_db

EXTENT = {
    "type": "Polygon",
    "coordinates": [[[38.26, 34.55], [38.28, 34.55], [38.28, 34.56], [38.26, 34.56], [38.26, 34.55]]],
}


@pytest.fixture
def curator_api(curator):
    client = APIClient()
    client.force_authenticate(curator)
    return client


@pytest.fixture
def temple(site):
    return Monument.objects.create(
        name="Temple of Bel", slug="temple-of-bel", kind=MonumentKind.TEMPLE, part_of=site,
        latitude="34.5476000", longitude="38.2676000", extent=EXTENT,
    )  # fmt: skip


@pytest.fixture
def tell(site):
    return Monument.objects.create(
        name="Looted Tell", slug="looted-tell", kind=MonumentKind.SITE, sensitive=True,
        latitude="35.1234567", longitude="-36.7654321", extent=EXTENT,
    )  # fmt: skip


def test_the_public_sees_a_sensitive_place_rounded_to_one_decimal_and_without_extent():
    seen = visibility.location_seen(
        latitude=Decimal("35.1234567"), longitude=Decimal("-36.7654321"), extent=EXTENT, sensitive=True, exact=False
    )
    assert seen == visibility.Location(Decimal("35.1"), Decimal("-36.8"), None)


def test_a_curator_and_a_place_that_is_not_sensitive_are_shown_the_location_as_stored():
    stored = {"latitude": Decimal("35.1234567"), "longitude": Decimal("36.7654321"), "extent": EXTENT}
    exact = visibility.Location(**stored)
    assert visibility.location_seen(**stored, sensitive=True, exact=True) == exact
    assert visibility.location_seen(**stored, sensitive=False, exact=False) == exact


def test_half_a_step_rounds_away_from_zero():
    assert visibility.rounded_coordinate(Decimal("35.1500000")) == Decimal("35.2")
    assert visibility.rounded_coordinate(Decimal("-35.1500000")) == Decimal("-35.2")
    assert visibility.rounded_coordinate(Decimal("0.0499999")) == Decimal("0.0")
    assert visibility.rounded_coordinate(None) is None


def test_only_curators_who_may_change_monuments_see_exact_locations(curator, django_user_model):
    assert visibility.sees_exact_locations(curator)
    assert not visibility.sees_exact_locations(None)
    assert not visibility.sees_exact_locations(django_user_model.objects.create_user("reader"))


# Values on and about the edges of the rounding: half steps on either side of zero, and the antimeridian.
EDGE_VALUES = ["35.15", "35.1499999", "35.05", "-35.15", "-35.05", "-35.0500001", "0.05", "-0.05", "0.0499999"]
EDGE_LONGITUDES = ["179.96", "179.94", "-179.96", "36.75", "-36.75"]
BOXES = [
    (-180, -90, 180, 90),
    (36.7, 35.1, 36.8, 35.2),
    (36.75, 35.15, 36.76, 35.16),
    (-36.8, -35.2, -36.7, -35.1),
    (-36.76, -35.06, -36.74, -35.0),
    (-0.1, -0.1, 0.1, 0.1),
    (0.0, 0.0, 0.1, 0.1),
    (-0.1, -0.1, 0.0, 0.0),
    (179.95, -90, -179.95, 90),
    (179.9, 35.0, 180, 35.2),
    (36.8, 35.0, 36.7, 35.2),
]


def test_the_public_bbox_matches_a_sensitive_place_exactly_where_its_rounded_point_lies():
    places = []
    for number, (latitude, longitude) in enumerate(itertools.product(EDGE_VALUES[:6], EDGE_LONGITUDES + EDGE_VALUES)):
        places.append(Monument(name=f"Tell {number}", slug=f"tell-{number}", kind="site", sensitive=True,
                               latitude=latitude, longitude=longitude))  # fmt: skip
    Monument.objects.bulk_create(places)
    stored = list(Monument.objects.all())
    for box in BOXES:
        west, south, east, north = (Decimal(str(edge)) for edge in box)
        expected = set()
        for place in stored:
            latitude = visibility.rounded_coordinate(place.latitude)
            longitude = visibility.rounded_coordinate(place.longitude)
            within = west <= longitude <= east if west <= east else (longitude >= west or longitude <= east)
            if south <= latitude <= north and within:
                expected.add(place.slug)
        found = visibility.in_public_bbox(
            Monument.objects.all(), user=None, min_lon=box[0], min_lat=box[1], max_lon=box[2], max_lat=box[3]
        )
        assert set(found.values_list("slug", flat=True)) == expected, box


def test_a_fine_box_finds_a_sensitive_place_for_a_curator_and_not_for_the_public(api_client, curator_api, tell, temple):
    fine = {"bbox": "-36.77,35.12,-36.76,35.13"}
    assert api_client.get("/api/v1/monuments/", fine).json()["results"] == []
    assert [record["slug"] for record in curator_api.get("/api/v1/monuments/", fine).json()["results"]] == [
        "looted-tell"
    ]
    rounded = {"bbox": "-36.85,35.05,-36.75,35.15"}
    assert [record["slug"] for record in api_client.get("/api/v1/monuments/", rounded).json()["results"]] == [
        "looted-tell"
    ]
    # A place that is not sensitive is found by its exact coordinates, as before.
    around_temple = {"bbox": "38.2675,34.5475,38.2677,34.5477"}
    assert [record["slug"] for record in api_client.get("/api/v1/monuments/", around_temple).json()["results"]] == [
        "temple-of-bel"
    ]


@pytest.fixture
def api_client():
    return APIClient()


def test_json_gives_the_extent_and_the_sensitive_flag(api_client, temple, tell):
    record = api_client.get("/api/v1/monuments/temple-of-bel/").json()
    assert (record["latitude"], record["longitude"], record["extent"], record["sensitive"]) == (
        34.5476,
        38.2676,
        EXTENT,
        False,
    )
    record = api_client.get("/api/v1/monuments/looted-tell/").json()
    assert (record["latitude"], record["longitude"], record["extent"], record["sensitive"]) == (
        35.1,
        -36.8,
        None,
        True,
    )


def test_a_curator_reads_the_exact_location_in_json(curator_api, tell):
    record = curator_api.get("/api/v1/monuments/looted-tell/").json()
    assert (record["latitude"], record["longitude"], record["extent"]) == (35.1234567, -36.7654321, EXTENT)


def test_geojson_gives_the_extent_as_the_geometry_and_the_point_in_the_properties(api_client, temple, tell):
    features = {
        feature["properties"]["slug"]: feature
        for feature in api_client.get("/api/v1/monuments/", {"format": "geojson"}).json()["features"]
    }
    assert features["temple-of-bel"]["geometry"] == EXTENT
    assert (
        features["temple-of-bel"]["properties"]["latitude"],
        features["temple-of-bel"]["properties"]["longitude"],
    ) == (
        34.5476,
        38.2676,
    )
    assert features["looted-tell"]["geometry"] == {"type": "Point", "coordinates": [-36.8, 35.1]}
    assert features["looted-tell"]["properties"]["sensitive"] is True


def test_csv_gives_the_extent_as_wkt(api_client, temple, tell):
    rows = {
        row["slug"]: row
        for row in csv.DictReader(io.StringIO(api_client.get("/api/v1/monuments/", {"format": "csv"}).text))
    }
    assert rows["temple-of-bel"]["extent"] == (
        "POLYGON ((38.26 34.55, 38.28 34.55, 38.28 34.56, 38.26 34.56, 38.26 34.55))"
    )
    assert (rows["looted-tell"]["latitude"], rows["looted-tell"]["longitude"], rows["looted-tell"]["extent"]) == (
        "35.1",
        "-36.8",
        "",
    )


def test_json_ld_defines_the_place_by_its_extent_where_it_has_one(api_client, temple, tell):
    temple_node = api_client.get("/api/v1/monuments/temple-of-bel/", {"format": "jsonld"}).json()
    assert temple_node["current_location"]["defined_by"] == (
        "POLYGON ((38.26 34.55, 38.28 34.55, 38.28 34.56, 38.26 34.56, 38.26 34.55))"
    )
    tell_node = api_client.get("/api/v1/monuments/looted-tell/", {"format": "jsonld"}).json()
    assert tell_node["current_location"]["defined_by"] == "POINT(-36.8 35.1)"


def test_a_curator_writes_an_extent_and_an_invalid_one_is_refused_naming_it(curator_api, temple):
    square = {
        "type": "Polygon",
        "coordinates": [[[38.0, 34.0], [38.1, 34.0], [38.1, 34.1], [38.0, 34.1], [38.0, 34.0]]],
    }
    response = curator_api.patch(
        "/api/v1/monuments/temple-of-bel/", {"extent": square, "sensitive": True}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["extent"], response.json()["sensitive"]) == (square, True)
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[38.0, 34.0], [38.1, 34.1], [38.1, 34.0], [38.0, 34.1], [38.0, 34.0]]],
    }
    response = curator_api.patch(
        "/api/v1/monuments/temple-of-bel/", {"extent": bow_tie}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["extent"]
    assert Monument.objects.get(slug="temple-of-bel").extent == square


def test_the_monument_page_shows_a_sensitive_place_rounded_to_everyone(client, curator_client, tell):
    for visitor in (client, curator_client):
        page = visitor.get(reverse("register:monument-detail", args=["looted-tell"])).content.decode()
        assert "35.1, -36.8" in page
        assert "1234567" not in page and "7654321" not in page and "38.26" not in page
        assert "the exact location of this place is not published" in page


def test_the_maps_draw_an_extent_where_the_public_may_see_it(client, site, temple, tell):
    Monument.objects.filter(pk=site.pk).update(latitude="34.55", longitude="38.27")
    page = client.get(reverse("register:monument-detail", args=["palmyra"]))
    features = {feature["properties"]["slug"]: feature for feature in page.context["map"]["features"]["features"]}
    assert features["temple-of-bel"]["geometry"] == EXTENT
    assert page.context["map"]["has_extents"]
    home = client.get(reverse("register:home"))
    features = {feature["properties"]["slug"]: feature for feature in home.context["map"]["features"]["features"]}
    assert features["temple-of-bel"]["geometry"] == EXTENT
    assert features["looted-tell"]["geometry"] == {"type": "Point", "coordinates": [-36.8, 35.1]}


def test_the_admin_shows_a_curator_the_exact_location(curator_client, tell):
    page = curator_client.get(f"/admin/register/monument/{tell.pk}/change/").content.decode()
    assert "35.1234567" in page and "-36.7654321" in page and "38.26" in page
