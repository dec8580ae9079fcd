"""The offline basemap the site serves itself: built by tools/basemap from Natural Earth, small enough for a phone."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from register.models import Monument
from register.models.vocabularies import MonumentKind

BASEMAP = "register/basemap/natural-earth-50m.topo.json"
# What a phone on a slow connection fetches once (browsers and whitenoise keep it): about a second at 1 Mbit/s.
MOST_GZIPPED_BYTES = 128_000


def test_the_basemap_is_topojson_of_land_lakes_rivers_and_borders_in_wgs84():
    topology = json.loads(Path(finders.find(BASEMAP)).read_text())
    assert topology["type"] == "Topology"
    assert set(topology["objects"]) == {"land", "lakes", "rivers", "borders"}
    assert {name: layer["type"] for name, layer in topology["objects"].items()} == {
        "land": "MultiPolygon",
        "lakes": "MultiPolygon",
        "rivers": "MultiLineString",
        "borders": "MultiLineString",
    }
    # Quantized: the first position of each arc, put back in degrees, lies on the globe.
    (scale_x, scale_y), (left, bottom) = topology["transform"]["scale"], topology["transform"]["translate"]
    for arc in topology["arcs"]:
        x, y = arc[0]
        assert -180 <= left + x * scale_x <= 180 and -90 <= bottom + y * scale_y <= 90


def test_the_basemap_is_small_enough_for_a_phone():
    data = Path(finders.find(BASEMAP)).read_bytes()
    assert len(gzip.compress(data)) <= MOST_GZIPPED_BYTES


@pytest.mark.django_db
def test_every_map_asset_a_page_names_is_served_by_the_site(client, site):
    Monument.objects.create(
        name="Tetrapylon", slug="tetrapylon", kind=MonumentKind.TETRAPYLON, latitude="34.55", longitude="38.27"
    )
    page = client.get(reverse("register:monument-detail", args=["tetrapylon"])).content.decode()
    assets = re.findall(r'(?:src|href|data-basemap)="/static/([^"]+)"', page)
    assert BASEMAP in assets and "register/basemap/topojson-client.min.js" in assets
    for asset in assets:
        assert finders.find(asset), asset
    assert "naturalearthdata.com" in page
