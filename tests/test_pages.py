"""The minimal public pages answer and show every claim with its quote and source."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from register.models import AlternateName, Source
from tests.conftest import QUOTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidenced(incident, make_evidence):
    sohr = Source.objects.create(name="Syrian Observatory for Human Rights", slug="sohr", kind="monitor")
    return make_evidence(incident, cited_source=sohr, cited_person="Rami Abdel Rahman")


def test_home_says_what_the_register_is_and_lists_the_latest_incident(client, evidenced):
    response = client.get(reverse("register:home"))
    assert response.status_code == 200
    assert "Every incident carries the exact words of the report" in response.text
    assert evidenced.incident.get_absolute_url() in response.text


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


def test_monument_page_shows_the_quote_who_said_it_and_the_article(client, evidenced, tetrapylon):
    response = client.get(tetrapylon.get_absolute_url())
    assert response.status_code == 200
    assert f'<blockquote cite="">{escape(QUOTE)}</blockquote>' in response.text
    assert "AFP, citing Rami Abdel Rahman, Syrian Observatory for Human Rights" in response.text
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


def test_article_page_anchors_each_quote(client, evidenced):
    response = client.get(evidenced.article.get_absolute_url())
    assert response.status_code == 200
    assert f'id="evidence-{evidenced.pk}"' in response.text
    assert f"<mark>{escape(QUOTE)}</mark>" in response.text
    assert evidenced.article.sha256 in response.text


def test_unknown_monument_answers_404(client, db):
    assert client.get(reverse("register:monument-detail", args=["atlantis"])).status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_monument_page_queries_do_not_grow_with_incidents_and_quotes(client, tetrapylon, make_incident, make_evidence):
    url = tetrapylon.get_absolute_url()
    make_evidence(make_incident(slug="first"))
    one = count_queries(client, url)
    for number in range(2, 12):
        incident = make_incident(slug=f"incident-{number}", occurred=f"20{number:02d}")
        make_evidence(incident)
        make_evidence(incident, quote="The new destruction was condemned")
    assert count_queries(client, url) == one == 7


def test_monument_list_queries_do_not_grow_with_monuments(client, tetrapylon, site):
    url = reverse("register:monument-list")
    two = count_queries(client, url)
    for number in range(20):
        type(site).objects.create(name=f"Tower {number}", slug=f"tower-{number}", kind="tomb", part_of=site)
    assert count_queries(client, url) == two == 3
