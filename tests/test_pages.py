"""The public pages answer, show every claim with its quote and source, filter, search, and stay cheap."""

import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from register.models import (
    AlternateName,
    Article,
    Evidence,
    Mention,
    Monument,
    MonumentImage,
    Restoration,
    Source,
    fingerprint,
)
from register.services.condition import conditions_refresh_for
from tests.conftest import QUOTE, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_counts():
    """The home page keeps its counts in the cache for a while; each test starts without them."""
    cache.clear()


@pytest.fixture
def evidenced(incident, make_evidence):
    sohr = Source.objects.create(name="Syrian Observatory for Human Rights", slug="sohr", kind="monitor")
    return make_evidence(incident, cited_source=sohr, cited_person="Rami Abdel Rahman")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(width=60, height=40) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 140, 90)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


def add_image(monument, number=1, **fields):
    image = MonumentImage(
        monument=monument,
        caption=fields.pop("caption", f"View {number}"),
        alt_text=fields.pop("alt_text", f"The monument seen from the east, photo {number}"),
        credit=fields.pop("credit", "Jane Doe, CC BY-SA 4.0"),
        position=number,
    )
    image.image.save(f"photo-{number}.png", png(**fields), save=True)
    return image


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data).status_code == 200
    return len(queries)


def located(monument, latitude="34.5513", longitude="38.2692"):
    monument.latitude, monument.longitude = latitude, longitude
    monument.save()
    return monument


# Home


def test_home_says_what_the_register_is_and_lists_the_latest_incident(client, evidenced):
    response = client.get(reverse("register:home"))
    assert response.status_code == 200
    assert "Every incident carries the exact words of the report" in response.text
    assert evidenced.incident.get_absolute_url() in response.text


def test_home_counts_only_what_the_public_can_see(client, evidenced, make_incident, make_evidence, palmyra_names):
    make_incident(slug="unquoted")
    make_incident(slug="unquoted-busts", monument=None, artefact=palmyra_names["funerary-busts"])
    make_evidence(make_incident(slug="busts-damaged", monument=None, artefact=palmyra_names["funerary-busts"]))
    response = client.get(reverse("register:home"))
    assert response.context["counts"] == {
        "monuments": 7,
        "incidents": 2,
        "restorations": 0,
        "articles": 1,
        "evidence": 2,
    }


def test_home_map_carries_the_monuments_with_coordinates_as_geojson(client, tetrapylon, site):
    located(tetrapylon)
    response = client.get(reverse("register:home"))
    features = json.loads(
        re.search(r'<script id="home-map-features" type="application/json">(.*?)</script>', response.text, re.S).group(
            1
        )
    )
    assert features["type"] == "FeatureCollection"
    assert [f["properties"]["slug"] for f in features["features"]] == ["tetrapylon"]
    assert features["features"][0]["geometry"]["coordinates"] == [38.2692, 34.5513]
    assert 'src="/static/leaflet/leaflet.js"' in response.text
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in response.text


def test_an_empty_tile_setting_draws_the_map_without_tiles(client, settings, site):
    settings.MAP_TILE_URL = ""
    assert 'data-tiles=""' in client.get(reverse("register:home")).text


def test_home_counts_the_register_once_per_public_max_age(client, evidenced, make_incident, make_evidence):
    url = reverse("register:home")
    assert client.get(url).context["counts"]["incidents"] == 1
    make_evidence(make_incident(slug="later", occurred="2018"))
    # The page itself may be that old in any cache: the counts are counted again only once it has expired.
    assert client.get(url).context["counts"]["incidents"] == 1
    cache.clear()
    assert client.get(url).context["counts"]["incidents"] == 2


def features_on(text: str, map_id: str) -> list[str]:
    found = re.search(rf'<script id="{map_id}-features" type="application/json">(.*?)</script>', text, re.S)
    return [feature["properties"]["slug"] for feature in json.loads(found.group(1))["features"]]


def test_home_map_shows_the_monuments_with_the_most_incidents_up_to_its_limit(
    client, monkeypatch, site, tetrapylon, make_incident, make_evidence
):
    monkeypatch.setattr("register.views.HOME_MAP_MONUMENTS", 2)
    theatre = Monument.objects.create(name="Roman Theatre", slug="roman-theatre", kind="theatre", part_of=site)
    for monument in (site, tetrapylon, theatre):
        located(monument)
    for number in range(3):
        make_evidence(make_incident(slug=f"theatre-{number}", monument=theatre, occurred=f"201{number}"))
    make_evidence(make_incident(slug="tetrapylon", occurred="2017"))
    text = client.get(reverse("register:home")).text
    assert features_on(text, "home-map") == ["roman-theatre", "tetrapylon"]
    assert "The map shows the 2 monuments with the most incidents" in text
    assert f'<a href="{reverse("api:monument-list")}?format=geojson">GeoJSON API</a>' in text


def test_home_map_of_a_register_within_the_limit_shows_every_located_monument(client, site, tetrapylon):
    located(site)
    located(tetrapylon)
    text = client.get(reverse("register:home")).text
    assert features_on(text, "home-map") == ["palmyra", "tetrapylon"]
    assert "The same monuments are listed on the monuments page." in text


# Monument list


def test_monument_list_shows_each_monument_with_its_condition(client, evidenced, tetrapylon, site):
    response = client.get(reverse("register:monument-list"))
    assert response.status_code == 200
    assert '<span class="badge destroyed">destroyed</span>' in response.text
    assert site.get_absolute_url() in response.text


def test_monument_list_finds_a_monument_by_its_arabic_name(client, tetrapylon, site):
    AlternateName.objects.create(monument=site, name="تدمر", language="ar")
    response = client.get(reverse("register:monument-list"), {"q": "تدمر"})
    assert site.get_absolute_url() in response.text
    assert tetrapylon.get_absolute_url() not in response.text


def test_monument_list_filters_by_kind(client, tetrapylon, site):
    response = client.get(reverse("register:monument-list"), {"kind": "tetrapylon"})
    assert [monument for monument, _ in response.context["rows"]] == [tetrapylon]


def test_monument_list_filters_by_condition_now(client, evidenced, tetrapylon, site):
    response = client.get(reverse("register:monument-list"), {"condition": "destroyed"})
    assert [monument for monument, _ in response.context["rows"]] == [tetrapylon]
    response = client.get(reverse("register:monument-list"), {"condition": "unknown"})
    assert [monument for monument, _ in response.context["rows"]] == [site]


def test_monument_list_shows_an_unknown_kind_as_a_form_error(client, site):
    response = client.get(reverse("register:monument-list"), {"kind": "castle<script>"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Select a valid choice" in response.text
    assert "castle<script>" not in response.text


def test_monument_list_shows_the_stored_counts_of_incidents_and_quotes(client, evidenced, make_evidence, tetrapylon):
    make_evidence(evidenced.incident, quote="The new destruction was condemned")
    text = client.get(reverse("register:monument-list")).text
    row = re.search(rf'<th scope="row"><a href="{tetrapylon.get_absolute_url()}" dir="auto">.*?</tr>', text, re.S)
    row = row.group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "2"]


# A monument


def test_monument_page_shows_the_quote_who_said_it_and_the_article(client, evidenced, tetrapylon):
    response = client.get(tetrapylon.get_absolute_url())
    assert response.status_code == 200
    assert f'<blockquote cite="" dir="auto" lang="en">{escape(QUOTE)}</blockquote>' in response.text
    # Each name, title and date in its own isolate (register/templatetags/isolated_citations.py).
    assert "<bdi>AFP</bdi>, citing <bdi>Rami Abdel Rahman</bdi>, <bdi>Syrian Observatory for Human Rights</bdi>" in (
        response.text
    )
    assert '<bdi>AFP</bdi>, “<bdi lang="en">Test report</bdi>”, <bdi dir="ltr">2017-03-02</bdi>' in response.text
    assert f"{evidenced.article.get_absolute_url()}#evidence-{evidenced.pk}" in response.text
    assert 'id="condition">destroyed<' in response.text


def test_an_incident_without_a_quote_is_not_shown(client, make_incident, tetrapylon):
    make_incident(slug="unsupported", summary="A claim nobody has quoted.")
    response = client.get(tetrapylon.get_absolute_url())
    assert "A claim nobody has quoted." not in response.text
    assert client.get(reverse("register:incident-detail", args=["unsupported"])).status_code == 404


def test_arabic_names_render_right_to_left(client, site):
    AlternateName.objects.create(monument=site, name="تدمر", language="ar")
    response = client.get(site.get_absolute_url())
    assert '<span lang="ar" dir="rtl">تدمر</span>' in response.text


def test_monument_page_draws_the_timeline_as_inline_svg_with_events_in_date_order(
    client, tetrapylon, make_incident, make_evidence
):
    make_evidence(make_incident(slug="later", occurred="2017-01"))
    make_evidence(make_incident(slug="earlier", occurred="2015-08-23~", grade="moderate"))
    text = client.get(tetrapylon.get_absolute_url()).text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' in text
    assert text.index('id="event-earlier"') < text.index('id="event-later"')
    # Told as precisely as known: a month is a month, and an approximate day says so.
    assert '<time datetime="2017-01">January 2017</time> <small class="edtf">' in text
    assert 'about <time datetime="2015-08-23">23 August 2015</time>' in text


def test_monument_page_shows_photos_as_lazy_thumbnails_linking_to_the_full_image(client, media, tetrapylon):
    image = add_image(tetrapylon, width=640, height=480, caption="The Tetrapylon in 2010")
    text = client.get(tetrapylon.get_absolute_url()).text
    assert f'<a href="{image.image.url}" title="Full size"><img src="{image.image.url}"' in text
    assert 'alt="The monument seen from the east, photo 1" loading="lazy" width="320" height="240">' in text
    assert "The Tetrapylon in 2010" in text
    assert "Credit: <bdi>Jane Doe, CC BY-SA 4.0</bdi>" in text


def test_a_missing_image_file_does_not_take_the_page_down(client, media, tetrapylon):
    image = add_image(tetrapylon)
    (media / image.image.name).unlink()
    response = client.get(tetrapylon.get_absolute_url())
    assert response.status_code == 200
    assert 'alt="The monument seen from the east, photo 1" loading="lazy">' in response.text


def test_a_site_lists_its_parts_with_their_condition(client, evidenced, site, tetrapylon):
    text = client.get(site.get_absolute_url()).text
    assert (
        f'<th scope="row"><a href="{tetrapylon.get_absolute_url()}" dir="auto">Tetrapylon</a></th><td>tetrapylon</td>'
        '<td><span class="badge destroyed">destroyed</span>'
    ) in text


def test_monument_page_has_a_permalink_and_cite_this_record(client, tetrapylon):
    text = client.get(tetrapylon.get_absolute_url()).text
    permalink = "http://testserver/en/monuments/tetrapylon/"
    assert f'<link rel="canonical" href="{permalink}">' in text
    assert f'<a href="{permalink}" rel="bookmark" dir="ltr">' in text
    today = dt.date.today().isoformat()
    # Each name, address and date in the citation stands in an isolate of its own, so it reads in order in Arabic.
    assert (
        f'Heritage Damage Register, “<bdi>Tetrapylon</bdi>”, <bdi dir="ltr">{permalink}</bdi>, '
        f'accessed <bdi dir="ltr">{today}</bdi>'
    ) in text
    assert "@misc{hdr-monument-tetrapylon," in text


def test_monument_page_maps_the_monument_and_its_parts(client, site, tetrapylon):
    located(site, "34.5600", "38.2700")
    located(tetrapylon)
    text = client.get(site.get_absolute_url()).text
    features = json.loads(
        re.search(r'<script id="monument-map-features" type="application/json">(.*?)</script>', text, re.S).group(1)
    )
    assert [f["properties"]["slug"] for f in features["features"]] == ["palmyra", "tetrapylon"]


def test_a_monument_without_coordinates_has_no_map(client, tetrapylon):
    text = client.get(tetrapylon.get_absolute_url()).text
    assert "leaflet.js" not in text
    assert 'id="monument-map"' not in text


def test_monument_page_queries_do_not_grow_with_incidents_quotes_and_images(
    client, media, tetrapylon, make_incident, make_evidence
):
    url = tetrapylon.get_absolute_url()
    make_evidence(make_incident(slug="first"))
    add_image(tetrapylon)
    one = count_queries(client, url)
    for number in range(2, 12):
        incident = make_incident(slug=f"incident-{number}", occurred=f"20{number:02d}")
        make_evidence(incident)
        make_evidence(incident, quote="The new destruction was condemned")
        add_image(tetrapylon, number)
    # The monument, names, parts, images, incidents, their quotes, restorations, assessments; the restorations of
    # it, its parts and their artefacts, and the artefacts from them, as the page lists them.
    assert count_queries(client, url) == one == 10


def test_a_site_page_queries_do_not_grow_with_parts_and_restorations(client, site, tetrapylon, make_evidence):
    url = site.get_absolute_url()
    restoration = Restoration.objects.create(
        slug="works", monument=site, kind="conservation", finished="2018", summary="Works.", **published()
    )
    make_evidence(restoration)
    few = count_queries(client, url)
    for number in range(10):
        Monument.objects.create(name=f"Tower {number}", slug=f"tower-{number}", kind="tomb", part_of=site)
        make_evidence(
            Restoration.objects.create(
                slug=f"works-{number}",
                monument=site,
                kind="conservation",
                finished="2019",
                summary="More.",
                **published(),
            )
        )
    # The monument, names, parts, images, incidents (none), restorations and their quotes, assessments (none), and
    # the lists of restorations and artefacts; parts' conditions are stored.
    assert count_queries(client, url) == few == 10


# Incidents


@pytest.fixture
def incidents(tetrapylon, site, make_incident, make_evidence):
    theatre = Monument.objects.create(name="Roman Theatre", slug="roman-theatre", kind="theatre", part_of=site)
    elsewhere = Monument.objects.create(name="Krak des Chevaliers", slug="krak", kind="fortification")
    made = {
        "tetrapylon": make_incident(slug="tetrapylon", occurred="2016-12-26/2017-01-10"),
        "theatre": make_incident(
            slug="theatre", monument=theatre, occurred="2015-05", kind="misuse", grade="", perpetrator="IS"
        ),
        "krak": make_incident(slug="krak", monument=elsewhere, occurred="2013-07", kind="damaged", grade="moderate"),
    }
    for incident in made.values():
        make_evidence(incident)
    return made


def listed(client, **filters):
    response = client.get(reverse("register:incident-list"), filters)
    assert response.status_code == 200
    return [incident.slug for incident in response.context["page"]] if response.context["page"] else None


def test_incident_list_shows_every_quoted_incident_latest_first(client, incidents, make_incident):
    make_incident(slug="unquoted", occurred="2020")
    assert listed(client) == ["tetrapylon", "theatre", "krak"]


def test_incident_list_filters_by_monument_and_a_site_includes_its_parts(client, incidents):
    assert listed(client, monument="palmyra") == ["tetrapylon", "theatre"]
    assert listed(client, monument="roman-theatre") == ["theatre"]


def test_incident_list_filters_by_kind_and_grade(client, incidents):
    assert listed(client, kind="misuse") == ["theatre"]
    assert listed(client, grade="moderate") == ["krak"]


def test_incident_list_matches_every_incident_whose_window_overlaps_the_dates(client, incidents):
    assert listed(client, occurred_after="2017-01-05") == ["tetrapylon"]
    assert listed(client, occurred_before="2015-05-01") == ["theatre", "krak"]
    assert listed(client, occurred_after="2015-05-31", occurred_before="2016-12-26") == ["tetrapylon", "theatre"]


def test_a_malformed_date_is_a_form_error_not_a_server_error(client, incidents):
    response = client.get(reverse("register:incident-list"), {"occurred_after": "last Tuesday"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Enter a valid date." in response.text


def test_dates_in_the_wrong_order_are_a_form_error(client, incidents):
    response = client.get(
        reverse("register:incident-list"), {"occurred_after": "2017-01-01", "occurred_before": "2015-01-01"}
    )
    assert response.context["page"] is None
    assert "must not be later than" in response.text


def test_an_unknown_monument_is_a_form_error(client, incidents):
    response = client.get(reverse("register:incident-list"), {"monument": "atlantis"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "No monument is called “atlantis”: check the spelling, or try another of its names." in response.text


def test_the_monument_filter_is_typed_not_a_list_of_every_monument(client, incidents):
    text = client.get(reverse("register:incident-list"), {"monument": "palmyra"}).text
    assert '<input type="text" name="monument" value="palmyra"' in text
    assert "<option" not in text.split('name="monument"')[1].split("</div>")[0]


def test_incident_list_queries_do_not_grow_with_incidents(client, tetrapylon, make_incident, make_evidence):
    url = reverse("register:incident-list")
    make_evidence(make_incident(slug="first"))
    one = count_queries(client, url, {"monument": "palmyra"})
    for number in range(2, 30):
        incident = make_incident(slug=f"incident-{number}", occurred=f"20{number:02d}")
        make_evidence(incident)
        make_evidence(incident, quote="The new destruction was condemned")
    # The chosen monument, the page count and the page of incidents with their quotes counted.
    assert count_queries(client, url, {"monument": "palmyra"}) == one == 3


def test_incident_page_shows_its_evidence_and_how_to_cite_it(client, evidenced):
    incident = evidenced.incident
    text = client.get(incident.get_absolute_url()).text
    assert f'<blockquote cite="" dir="auto" lang="en">{escape(QUOTE)}</blockquote>' in text
    title = '<bdi>Tetrapylon</bdi>: destroyed, <bdi dir="ltr">2017-01</bdi>'
    assert f'Heritage Damage Register, “{title}”, <bdi dir="ltr">http://testserver/en/incidents/' in text
    assert "@misc{hdr-incident-tetrapylon-destroyed," in text
    assert "<dd>single source</dd>" in text


def test_restoration_page_shows_its_evidence(client, tetrapylon, make_evidence):
    restoration = Restoration.objects.create(
        slug="rebuilt",
        monument=tetrapylon,
        kind="reconstruction",
        finished="2018",
        summary="Rebuilt in stone.",
        **published(),
    )
    make_evidence(restoration)
    text = client.get(restoration.get_absolute_url()).text
    assert "Rebuilt in stone." in text
    assert f'<blockquote cite="" dir="auto" lang="en">{escape(QUOTE)}</blockquote>' in text


def test_a_report_held_by_reference_shows_its_note_instead_of_a_quote(client, afp, tetrapylon, make_evidence):
    restoration = Restoration.objects.create(
        slug="returned", monument=tetrapylon, kind="return", finished="2017-02-28", summary="Came back.", **published()
    )
    make_evidence(restoration)
    reference = Article.objects.create(title="Busts returned", publisher=afp, url="https://news.example/busts")
    held = Evidence.objects.create(
        article=reference, restoration=restoration, quote="", position=None, note="Returned on Tuesday, says DGAM."
    )
    text = client.get(restoration.get_absolute_url()).text
    assert '<span dir="auto">Returned on Tuesday, says DGAM.</span>' in text
    citation = '<bdi>AFP</bdi>, “<bdi lang="en">Busts returned</bdi>”, undated'
    assert f'<a href="{reference.get_absolute_url()}">{citation}</a>' in text
    text = client.get(reference.get_absolute_url()).text
    assert '<span dir="auto">Returned on Tuesday, says DGAM.</span>' in text
    assert f'id="evidence-{held.pk}"' not in text


# An article


def test_article_page_highlights_and_anchors_each_quote_in_the_body(client, evidenced):
    response = client.get(evidenced.article.get_absolute_url())
    assert response.status_code == 200
    assert f'<mark id="evidence-{evidenced.pk}" data-evidence="{evidenced.pk}">{escape(QUOTE)}</mark>' in response.text
    assert evidenced.article.sha256 in response.text


def test_article_page_lists_the_monuments_its_quotes_are_about(client, evidenced, tetrapylon):
    text = client.get(evidenced.article.get_absolute_url()).text
    assert f'<a href="{tetrapylon.get_absolute_url()}" dir="auto">Tetrapylon</a>' in text


def test_article_page_lists_the_monuments_the_importer_found_named_in_it(client, article, site):
    Mention.objects.create(article=article, monument=site, position=article.body.index("Palmyra"), text="Palmyra")
    text = client.get(article.get_absolute_url()).text
    assert f'<li><a href="{site.get_absolute_url()}" dir="auto">Palmyra</a></li>' in text


def test_article_body_is_escaped_around_the_highlights(client, afp, incident):
    body = '<script>alert("x")</script> IS destroyed the arch & the gate.'
    raw = body + "\n"
    article = Article.objects.create(title="Hostile", publisher=afp, raw_text=raw, body=body, sha256=fingerprint(raw))
    quote = "IS destroyed the arch & the gate"
    evidence = Evidence.objects.create(article=article, incident=incident, quote=quote, position=body.index(quote))
    conditions_refresh_for(records=[evidence])
    text = client.get(article.get_absolute_url()).text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; " in text
    assert (
        f'<mark id="evidence-{evidence.pk}" data-evidence="{evidence.pk}">IS destroyed the arch &amp; the gate</mark>'
        in text
    )


def test_overlapping_quotes_each_get_an_anchor(client, article, incident, make_incident, make_evidence):
    other = make_incident(slug="theatre")
    whole = make_evidence(incident, quote="IS destroyed Palmyra's tetrapylon monument, while satellite")
    part = make_evidence(other, quote="satellite images showed damage")
    same = make_evidence(other, quote="IS destroyed Palmyra's tetrapylon monument")
    text = client.get(article.get_absolute_url()).text
    assert f'<span id="evidence-{same.pk}" class="anchor"></span><mark id="evidence-{whole.pk}"' in text
    assert f'<mark id="evidence-{part.pk}" data-evidence="{whole.pk} {part.pk}">satellite</mark>' in text
    assert f'<mark data-evidence="{part.pk}"> images showed damage</mark>' in text
    for evidence in (whole, part, same):
        assert text.count(f'id="evidence-{evidence.pk}"') == 1


def test_article_raw_text_is_shown_on_request(client, evidenced):
    article = evidenced.article
    assert "date 2017-03-02 Test report" not in client.get(article.get_absolute_url()).text
    text = client.get(article.get_absolute_url(), {"raw": "1"}).text
    assert '<pre class="raw" dir="auto" lang="en">date 2017-03-02 Test report' in text


def test_article_raw_text_download_matches_its_fingerprint(client, evidenced):
    article = evidenced.article
    response = client.get(reverse("register:article-raw", args=[article.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert hashlib.sha256(response.content).hexdigest() == article.sha256


def test_article_page_queries_do_not_grow_with_quotes(client, article, make_incident, make_evidence):
    url = article.get_absolute_url()
    make_evidence(make_incident(slug="first"))
    one = count_queries(client, url)
    for number in range(2, 12):
        incident = make_incident(slug=f"incident-{number}", occurred=f"20{number:02d}")
        make_evidence(incident)
        make_evidence(incident, quote="The new destruction was condemned")
    # The article, its quotes with their events and sources, the monuments they concern.
    assert count_queries(client, url) == one == 3


# Search


def test_search_finds_a_monument_by_its_arabic_name(client, site, tetrapylon):
    AlternateName.objects.create(monument=site, name="تدمر", language="ar")
    response = client.get(reverse("register:search"), {"q": "تدمر"})
    assert response.context["results"]["monuments"] == [site]


def test_search_finds_incidents_and_articles_by_their_words(client, evidenced):
    response = client.get(reverse("register:search"), {"q": "tetrapylon"})
    assert response.context["results"]["incidents"] == [evidenced.incident]
    assert response.context["results"]["articles"] == [evidenced.article]
    assert response.context["results"]["monuments"] == [evidenced.incident.monument]
    assert client.get(reverse("register:search"), {"q": "war crime"}).context["results"]["articles"] == [
        evidenced.article
    ]


def test_search_escapes_the_query(client, db):
    text = client.get(reverse("register:search"), {"q": "<b>bold</b>"}).text
    assert "<b>bold</b>" not in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text


def test_search_queries_do_not_grow_with_matches(client, tetrapylon, make_incident, make_evidence):
    make_evidence(make_incident(slug="first"))
    url = reverse("register:search")
    one = count_queries(client, url, {"q": "tetrapylon"})
    for number in range(2, 12):
        make_evidence(make_incident(slug=f"incident-{number}", occurred=f"20{number:02d}"))
    assert count_queries(client, url, {"q": "tetrapylon"}) == one == 3


# Pages of a list, and what every page costs


def towers(site, number, *, start=0):
    return [
        Monument.objects.create(name=f"Tower {index:02d}", slug=f"tower-{index:02d}", kind="tomb", part_of=site)
        for index in range(start, start + number)
    ]


def test_monument_list_links_to_the_next_page_keeping_the_filters(client, monkeypatch, site):
    monkeypatch.setattr("register.page_filters.PAGE_SIZE", 2)
    towers(site, 5)
    url = reverse("register:monument-list")
    response = client.get(url, {"kind": "tomb"})
    assert [monument.slug for monument, _ in response.context["rows"]] == ["tower-00", "tower-01"]
    assert '<a rel="next" href="?kind=tomb&amp;page=2">Next</a>' in response.text
    assert "Page 1 of 3" in response.text
    assert "5 monuments" in response.text
    response = client.get(url, {"kind": "tomb", "page": "3"})
    assert [monument.slug for monument, _ in response.context["rows"]] == ["tower-04"]
    assert '<a rel="prev" href="?kind=tomb&amp;page=2">Previous</a>' in response.text
    assert '<a href="?kind=tomb">First</a>' in response.text
    assert 'rel="next"' not in response.text


def test_incident_list_links_to_the_next_page_keeping_the_filters(client, monkeypatch, incidents):
    monkeypatch.setattr("register.page_filters.PAGE_SIZE", 1)
    url = reverse("register:incident-list")
    response = client.get(url, {"monument": "palmyra"})
    assert [incident.slug for incident in response.context["page"]] == ["tetrapylon"]
    assert '<a rel="next" href="?monument=palmyra&amp;page=2">Next</a>' in response.text
    response = client.get(url, {"monument": "palmyra", "page": "2"})
    assert [incident.slug for incident in response.context["page"]] == ["theatre"]
    assert 'rel="next"' not in response.text


@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5", "", "4"])
@pytest.mark.parametrize("list_name", ["register:monument-list", "register:incident-list"])
def test_a_page_that_is_not_in_the_list_answers_400_saying_so(client, monkeypatch, incidents, list_name, value):
    monkeypatch.setattr("register.page_filters.PAGE_SIZE", 2)
    response = client.get(reverse(list_name), {"kind": "", "page": value})
    assert response.status_code == 400
    assert response.context["page"] is None
    message = re.search(r'<p class="form-errors" role="alert">(.*?)</p>', response.text, re.S).group(1)
    assert message.split(" <a")[0] in {
        "A page number is a whole number.",
        "Pages are numbered from 1.",
        "There is no page with that number.",
    }
    assert '<a href="?kind=">Go to the first page.</a>' in message


def test_a_list_counts_no_further_than_its_last_page_and_points_to_the_api(client, monkeypatch, site):
    monkeypatch.setattr("register.page_filters.PAGE_SIZE", 2)
    monkeypatch.setattr("register.page_filters.MAX_PAGES", 2)
    towers(site, 5)
    url = reverse("register:monument-list")
    response = client.get(url, {"kind": "tomb", "page": "2"})
    assert response.context["page"].paginator.count == 4
    assert response.context["page"].paginator.has_more
    assert "More than 4 monuments match; these are the first 2 pages." in response.text
    assert f'<a href="{reverse("api:monument-list")}?kind=tomb">API</a>' in response.text
    assert 'rel="next"' not in response.text
    assert client.get(url, {"kind": "tomb", "page": "3"}).status_code == 400


def register_of(size, site, make_incident, make_evidence):
    """Return a located site of ``size`` located parts, each with a quoted incident."""
    located(site)
    for monument in towers(site, size):
        located(monument)
        make_evidence(make_incident(slug=f"{monument.slug}-damaged", monument=monument, occurred="2016"))
    return site


# Exact queries for each page, the same for a site of one part as for one of thirty, with every limit below thirty.
PAGE_QUERIES = [
    # Five counts (then cached), the latest incidents, the mapped monuments.
    ("register:home", {}, 7),
    # The page's rows counted (at most to the last page), the page with each monument's site.
    ("register:monument-list", {}, 2),
    ("register:monument-list", {"kind": "tomb", "condition": "destroyed"}, 2),
    ("register:monument-list", {"q": "tower"}, 2),
    # The same for incidents, each with its subject and its quotes counted.
    ("register:incident-list", {}, 2),
    # The monument named in the filter first.
    ("register:incident-list", {"monument": "palmyra", "kind": "destroyed"}, 3),
]


@pytest.mark.parametrize("size", [1, 30])
@pytest.mark.parametrize(("name", "filters", "queries"), PAGE_QUERIES)
def test_a_page_costs_the_same_queries_for_one_part_and_for_thirty(
    client, monkeypatch, site, make_incident, make_evidence, size, name, filters, queries
):
    monkeypatch.setattr("register.page_filters.PAGE_SIZE", 10)
    monkeypatch.setattr("register.page_filters.MAX_PAGES", 2)
    monkeypatch.setattr("register.views.HOME_MAP_MONUMENTS", 10)
    register_of(size, site, make_incident, make_evidence)
    assert count_queries(client, reverse(name), filters) == queries


@pytest.mark.parametrize("size", [1, 30])
def test_a_site_page_costs_the_same_queries_for_one_part_and_for_thirty(
    client, site, make_incident, make_evidence, size
):
    register_of(size, site, make_incident, make_evidence)
    # The site, its names, parts, images, incidents, restorations and assessments (none of its own, so no quotes to
    # fetch), the lists of restorations and artefacts of it and its parts; each part's condition is stored on its row.
    assert count_queries(client, site.get_absolute_url()) == 9


@pytest.mark.parametrize("size", [1, 30])
def test_home_costs_two_queries_once_its_counts_are_cached(client, site, make_incident, make_evidence, size):
    register_of(size, site, make_incident, make_evidence)
    count_queries(client, reverse("register:home"))
    assert count_queries(client, reverse("register:home")) == 2


@pytest.mark.parametrize("size", [1, 30])
def test_every_list_and_map_stays_within_its_limits(client, monkeypatch, site, make_incident, make_evidence, size):
    monkeypatch.setattr("register.page_filters.PAGE_SIZE", 10)
    monkeypatch.setattr("register.views.HOME_MAP_MONUMENTS", 10)
    register_of(size, site, make_incident, make_evidence)
    assert len(features_on(client.get(reverse("register:home")).text, "home-map")) == min(1 + size, 10)
    # The site, its towers and the tetrapylon (unlocated, so not on the map).
    assert len(client.get(reverse("register:monument-list")).context["rows"]) == min(2 + size, 10)
    assert len(client.get(reverse("register:incident-list")).context["page"]) == min(size, 10)


# Every page


def page_urls(evidenced):
    return [
        reverse("register:home"),
        reverse("register:monument-list"),
        evidenced.incident.monument.get_absolute_url(),
        reverse("register:incident-list"),
        evidenced.incident.get_absolute_url(),
        evidenced.article.get_absolute_url(),
        reverse("register:search") + "?q=palmyra",
    ]


def test_every_page_has_a_title_a_description_and_caching_headers(client, evidenced):
    titles = set()
    for url in page_urls(evidenced):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=300", url
        # The address names the language (/en/, /ar/): one copy of a page serves every reader of it.
        assert "Accept-Language" not in response.get("Vary", ""), url
        titles.add(re.search(r"<title>(.+?)</title>", response.text, re.S).group(1))
        assert re.search(r'<meta name="description" content="[^"]{20,}">', response.text), url
    assert len(titles) == len(page_urls(evidenced))


def test_pages_follow_the_readers_language_and_direction(client, evidenced):
    response = client.get("/", headers={"accept-language": "ar"}, follow=True)
    assert response.redirect_chain == [("/ar/", 302)]
    assert '<html lang="ar" dir="rtl">' in response.text


def test_unknown_monument_answers_404(client, db):
    assert client.get(reverse("register:monument-detail", args=["atlantis"])).status_code == 404


@pytest.mark.parametrize("value", ["ftp://tiles.example/{z}/{x}/{y}.png", "https://tiles.example/tile.png"])
def test_a_malformed_tile_url_stops_start_up_naming_it(value):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "heritage.settings", "MAP_TILE_URL": value}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "MAP_TILE_URL" in result.stderr
