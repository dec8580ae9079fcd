"""The public maps in a real browser (Playwright and Debian's Chromium, as in tests/test_browser.py), offline.

Every request bound for another host is refused at once. The basemap the site serves itself (Natural Earth land,
lakes, rivers and borders) must be drawn under the markers with no request leaving the site; a place's extent is
drawn as its outline; and a sensitive place shows the public its marker only, never its extent.
"""

import pytest

from register.models import Monument
from register.models.vocabularies import MonumentKind
from tests import test_browser
from tests.test_browser import CHROMIUM, tile_hosts

# The browser and its tabs, as the other browser tests have them.
browser = test_browser.browser
visit = test_browser.visit

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]

TEMPLE_EXTENT = {
    "type": "Polygon",
    "coordinates": [
        [[38.2660, 34.5465], [38.2690, 34.5465], [38.2690, 34.5488], [38.2660, 34.5488], [38.2660, 34.5465]]
    ],
}
TELL_EXTENT = {
    "type": "Polygon",
    "coordinates": [[[40.7270, 34.7450], [40.7330, 34.7450], [40.7330, 34.7490], [40.7270, 34.7450]]],
}
# Whether an element of the page is drawn: it has a box of some size inside its map.
DRAWN_IN_MAP = """element => {
    const map = element.closest('[data-map]').getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return box.width * box.height > 0 && box.right > map.left && box.left < map.right
        && box.bottom > map.top && box.top < map.bottom;
}"""


@pytest.fixture
def places(live_server):
    palmyra = Monument.objects.create(
        name="Palmyra", slug="palmyra", kind=MonumentKind.SITE, latitude="34.5503", longitude="38.2691"
    )
    Monument.objects.create(
        name="Temple of Bel", slug="temple-of-bel", kind=MonumentKind.TEMPLE, part_of=palmyra,
        latitude="34.5476", longitude="38.2675", extent=TEMPLE_EXTENT,
    )  # fmt: skip
    Monument.objects.create(
        name="Looted Tell", slug="looted-tell", kind=MonumentKind.SITE, sensitive=True,
        latitude="34.7471234", longitude="40.7301234", extent=TELL_EXTENT,
    )  # fmt: skip
    Monument.objects.create(name="Hatra", slug="hatra", kind=MonumentKind.SITE, latitude="35.5881", longitude="42.7183")


@pytest.fixture
def offline(settings):
    """No tile server: every request the map makes must be to the site itself."""
    settings.MAP_TILE_URL = ""


def basemap_path(page, map_id: str, layer: str):
    return page.locator(f"#{map_id} .leaflet-basemap-pane path.basemap-{layer}")


def test_the_monument_map_draws_the_basemap_and_the_extent_with_no_request_leaving_the_site(places, offline, visit):
    tab = visit()
    page = tab.open("/monuments/temple-of-bel/")
    page.wait_for_selector("#monument-map[data-basemap-ready='true']")
    for layer in ("land", "lakes", "rivers", "borders"):
        assert basemap_path(page, "monument-map", layer).count() == 1, layer
    # At the temple's scale the view is all land.
    assert basemap_path(page, "monument-map", "land").evaluate(DRAWN_IN_MAP)
    outline = page.locator("#monument-map path.map-extent[data-slug='temple-of-bel']")
    assert outline.count() == 1
    assert outline.evaluate(DRAWN_IN_MAP)
    assert page.locator("#monument-map .leaflet-marker-icon[data-slug='temple-of-bel']").is_visible()
    assert "Natural Earth" in page.locator("#monument-map .leaflet-control-attribution").inner_text()
    tab.screenshot("map-temple-extent-offline")
    assert tab.foreign_requests() == set()
    assert any(url.endswith(".topo.json") for url in tab.requests)


def test_the_home_map_draws_coasts_borders_and_rivers_under_the_markers_offline(places, offline, visit):
    tab = visit()
    page = tab.open("/")
    page.wait_for_selector("#home-map[data-basemap-ready='true']")
    # Palmyra to Hatra: the Syrian-Iraqi border, the Euphrates and the Tigris lie in view.
    for layer in ("land", "rivers", "borders"):
        assert basemap_path(page, "home-map", layer).evaluate(DRAWN_IN_MAP), layer
    assert page.locator("#home-map .leaflet-marker-icon").count() == 4
    stacking = page.evaluate(
        """() => ['basemap', 'tile', 'overlay', 'marker'].map(
            name => Number(getComputedStyle(document.querySelector('#home-map .leaflet-' + name + '-pane')).zIndex))"""
    )
    assert stacking == sorted(stacking), "basemap, tiles, extents and markers stack in that order"
    tab.screenshot("map-home-basemap-offline")
    assert tab.foreign_requests() == set()


@pytest.mark.skipif(not tile_hosts(), reason="MAP_TILE_URL is set empty: no tiles to ask for")
def test_tiles_when_configured_are_asked_for_and_the_basemap_is_drawn_without_them(places, visit):
    # The tile host's requests are refused, as a phone offline would find them; the page's policy allows no other.
    tab = visit()
    page = tab.open("/monuments/palmyra/")
    page.wait_for_selector("#monument-map[data-basemap-ready='true']")
    assert basemap_path(page, "monument-map", "land").evaluate(DRAWN_IN_MAP)
    assert page.locator("#monument-map path.map-extent[data-slug='temple-of-bel']").count() == 1
    assert tab.foreign_requests() == tile_hosts()


def test_a_sensitive_place_shows_the_public_its_marker_and_no_extent(places, offline, visit):
    tab = visit()
    page = tab.open("/monuments/looted-tell/")
    page.wait_for_selector("#monument-map[data-basemap-ready='true']")
    assert page.locator("#monument-map .leaflet-marker-icon[data-slug='looted-tell']").is_visible()
    assert page.locator("#monument-map path.map-extent").count() == 0
    assert "1234" not in page.content()
    page.locator("#monument-map .leaflet-marker-icon[data-slug='looted-tell']").click()
    assert "about 11 km" in page.locator("#monument-map .leaflet-popup-content").inner_text()
    home = tab.open("/")
    home.wait_for_selector("#home-map[data-ready='true']")
    assert home.locator("#home-map path.map-extent").count() == 1
    assert home.locator("#home-map path.map-extent[data-slug='looted-tell']").count() == 0
    assert tab.foreign_requests() == set()
