"""A monument's extent (a GeoJSON polygon), its sensitive flag, and the kinds of place with their AAT concepts."""

import pytest
from django.core.exceptions import ValidationError

from register.api.jsonld import monument_node
from register.models import Monument
from register.models.geometry import MAX_EXTENT_VERTICES, extent_validate, representative_point
from register.models.vocabularies import MONUMENT_KIND_AAT, MonumentKind

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[38.26, 34.54], [38.28, 34.54], [38.28, 34.56], [38.26, 34.56], [38.26, 34.54]]],
}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def _messages(value) -> str:
    with pytest.raises(ValidationError) as caught:
        extent_validate(value)
    return " ".join(caught.value.messages)


def test_a_square_and_a_multipolygon_are_valid_extents():
    extent_validate(SQUARE)
    extent_validate({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]})
    extent_validate(None)


def test_a_self_intersecting_polygon_is_refused_naming_where():
    assert "Self-intersection" in _messages(BOWTIE)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ({"type": "Point", "coordinates": [38.2, 34.5]}, "Polygon or MultiPolygon"),
        ("not a geometry", "Polygon or MultiPolygon"),
        ({"type": "Polygon"}, "no coordinates"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "at least four positions"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]}, "end at the position"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [190, 0], [1, 1], [0, 0]]]}, "outside WGS84"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 95], [1, 1], [0, 0]]]}, "outside WGS84"),
        ({"type": "Polygon", "coordinates": [[["a", 0], [1, 0], [1, 1], ["a", 0]]]}, "in numbers"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, True], [0, 0]]]}, "in numbers"),
        ({"type": "Polygon", "coordinates": "nope"}, "list of rings"),
    ],
)
def test_malformed_extents_are_refused_with_a_reason(value, says):
    assert says in _messages(value)


def test_an_extent_of_too_many_vertices_is_refused():
    ring = [[i * 1e-4, 0.0] for i in range(MAX_EXTENT_VERTICES)] + [[0.0, 1.0], [0.0, 0.0]]
    assert str(MAX_EXTENT_VERTICES) in _messages({"type": "Polygon", "coordinates": [ring]})


def test_the_representative_point_lies_inside_the_extent():
    latitude, longitude = representative_point(SQUARE)
    assert 34.54 < latitude < 34.56 and 38.26 < longitude < 38.28


def test_full_clean_refuses_a_monument_with_an_invalid_extent(db):
    monument = Monument(name="Somewhere", slug="somewhere", kind=MonumentKind.SITE, extent=BOWTIE)
    with pytest.raises(ValidationError) as caught:
        monument.full_clean()
    assert "extent" in caught.value.message_dict


def test_an_extent_and_the_sensitive_flag_are_stored(db):
    Monument.objects.create(name="Mari", slug="mari", kind=MonumentKind.TELL, extent=SQUARE, sensitive=True)
    stored = Monument.objects.get(slug="mari")
    assert stored.extent == SQUARE
    assert stored.sensitive is True
    assert Monument.objects.get(slug="mari").history.first().sensitive is True


def test_a_monument_is_not_sensitive_unless_marked(db):
    assert Monument.objects.create(name="Bosra", slug="bosra", kind=MonumentKind.SITE).sensitive is False


def test_the_region_kinds_are_offered():
    for kind in ("mosque", "church", "monastery", "shrine", "fortification", "minaret", "souq", "museum"):
        assert kind in MonumentKind.values
    for kind in ("archaeological_site", "tell", "bridge", "cemetery", "site", "temple", "tetrapylon"):
        assert kind in MonumentKind.values


def test_every_aat_concept_is_a_known_kind_and_a_getty_id():
    for kind, concept in MONUMENT_KIND_AAT.items():
        assert kind in MonumentKind.values
        assert concept.isdigit() and concept.startswith("300")
    assert MONUMENT_KIND_AAT[MonumentKind.MOSQUE] == "300007544"


def _record(kind: str) -> dict:
    return {
        "api_url": "/api/v1/monuments/x/",
        "page_url": "/monuments/x/",
        "name": "X",
        "slug": "x",
        "kind": kind,
        "alternate_names": [],
        "condition": "unknown",
        "description": "",
        "built": "",
        "latitude": None,
        "longitude": None,
        "part_of": None,
        "wikidata": "",
    }


def test_json_ld_identifies_a_kind_by_its_aat_concept():
    node = monument_node(_record(MonumentKind.MOSQUE), {})
    assert node["classified_as"] == [{"id": "http://vocab.getty.edu/aat/300007544", "type": "Type", "_label": "mosque"}]


def test_json_ld_leaves_a_kind_without_an_aat_concept_unidentified():
    node = monument_node(_record(MonumentKind.SOUQ), {})
    assert node["classified_as"] == [{"type": "Type", "_label": "souq"}]
