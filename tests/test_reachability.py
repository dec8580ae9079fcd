"""Every record reachable: lists of restorations, artefacts, articles and sources, linked from the navigation and
from the records they concern, each the same list as in the API; dates told in words; filters that take a name."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from register.models import (
    AlternateName,
    Artefact,
    Article,
    Assessment,
    Evidence,
    Incident,
    Monument,
    Restoration,
    Source,
)
from register.services.condition import conditions_refresh_for
from tests.conftest import published

pytestmark = pytest.mark.django_db

LISTS = {
    "register:monument-list": "api:monument-list",
    "register:incident-list": "api:incident-list",
    "register:restoration-list": "api:restoration-list",
    "register:assessment-list": "api:assessment-list",
    "register:artefact-list": "api:artefact-list",
    "register:article-list": "api:article-list",
    "register:source-list": "api:source-list",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def palmyra(db):
    call_command("loaddata", "palmyra", verbosity=0)
    call_command("refresh_conditions", verbosity=0)
    return Monument.objects.get(slug="palmyra")


def links_in(text: str) -> list[str]:
    return [escape_free(href) for href in re.findall(r'href="([^"]+)"', text)]


def escape_free(href: str) -> str:
    return href.replace("&amp;", "&")


def test_the_navigation_links_every_list(client, palmyra):
    text = client.get(reverse("register:home")).text
    nav = text.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    for page in LISTS:
        assert f'href="{reverse(page)}"' in nav, page


@pytest.mark.parametrize("page", LISTS)
def test_every_list_page_answers_and_links_to_the_same_list_in_the_api_as_json_and_csv(client, palmyra, page):
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    address = reverse(LISTS[page])
    api = [href for href in links_in(response.text) if href.startswith(address)]
    formats = {dict(parse_qsl(urlsplit(href).query)).get("format") for href in api}
    assert {"json", "csv"} <= formats, page
    for href in api:
        assert APIClient().get(href).status_code == 200, href


LIST_ROWS = [
    ("register:restoration-list", {}, Restoration, "restorations"),
    ("register:artefact-list", {}, Artefact, "artefacts"),
    ("register:article-list", {}, Article, "articles"),
    ("register:source-list", {}, Source, "sources"),
    ("register:incident-list", {"monument": "Palmyra", "kind": "destroyed"}, Incident, "incidents"),
    ("register:restoration-list", {"monument": "Tadmur"}, Restoration, "restorations"),
    ("register:artefact-list", {"origin": "palmyra museum"}, Artefact, "artefacts"),
    ("register:article-list", {"publisher": "AFP"}, Article, "articles"),
    ("register:source-list", {"kind": "news_agency"}, Source, "sources"),
]


@pytest.mark.parametrize(("page", "filters", "model", "resource"), LIST_ROWS)
def test_a_filtered_list_holds_the_same_records_as_the_api_list_it_links_to(
    client, palmyra, page, filters, model, resource
):
    response = client.get(reverse(page), filters)
    assert response.status_code == 200
    shown = {record.pk for record in response.context["page"]}
    assert shown
    [json_link] = [href for href in links_in(response.text) if "format=json" in href]
    assert urlsplit(json_link).path == f"/api/v1/{resource}/"
    fetched = APIClient().get(f"{json_link}&page_size=500").json()["results"]
    assert {record["id"] for record in fetched} == shown


def test_the_monument_filter_takes_a_name_in_any_language_or_the_address(client, palmyra):
    by_slug = client.get(reverse("register:incident-list"), {"monument": "palmyra"}).context["page"]
    for name in ("Palmyra", "palmyra", "  PALMYRA ", "Tadmur", "تدمر"):
        page = client.get(reverse("register:incident-list"), {"monument": name}).context["page"]
        assert page is not None, name
        assert [incident.pk for incident in page] == [incident.pk for incident in by_slug], name
    # A misnomer a report used is a name a reader searches for.
    theatre = client.get(reverse("register:incident-list"), {"monument": "Roman amphitheatre"}).context["page"]
    assert {incident.monument.slug for incident in theatre} == {"roman-theatre"}


def test_a_name_that_fits_several_monuments_is_refused_naming_each_with_its_address(client, palmyra):
    aleppo = Monument.objects.create(name="Aleppo", slug="aleppo", kind="site")
    Monument.objects.create(name="Citadel", slug="aleppo-citadel", kind="fortification", part_of=aleppo)
    Monument.objects.filter(slug="citadel").update(name="Citadel")
    response = client.get(reverse("register:incident-list"), {"monument": "Citadel"})
    # Addresses are lower case: "Citadel" is no address, so the names decide.
    assert response.context["page"] is None
    errors = response.context["filters"].form.errors["monument"][0]
    assert "could mean several" in errors
    assert "Citadel, part of Palmyra (address: citadel)" in errors
    assert "Citadel, part of Aleppo (address: aleppo-citadel)" in errors
    assert escape(errors) in response.text
    # Its address picks one.
    assert client.get(reverse("register:incident-list"), {"monument": "aleppo-citadel"}).context["page"] is not None


def test_a_name_that_fits_no_monument_is_refused_saying_so(client, palmyra):
    response = client.get(reverse("register:restoration-list"), {"monument": "Atlantis"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "No monument is called “Atlantis”" in response.text
    assert "format=json" not in response.text


def test_an_incident_links_to_the_restoration_of_the_same_object_and_back(client, palmyra):
    incident = Incident.objects.get(slug="funerary-busts-smashed-2015")
    restoration = Restoration.objects.get(slug="funerary-busts-restored-in-rome")
    assert restoration.get_absolute_url() in client.get(incident.get_absolute_url()).text
    assert incident.get_absolute_url() in client.get(restoration.get_absolute_url()).text
    # The object itself is found in the artefacts list.
    artefact_link = f"{reverse('register:artefact-list')}?q="
    assert artefact_link in client.get(incident.get_absolute_url()).text


def test_a_monument_page_lists_its_restorations_and_artefacts(client, palmyra):
    text = client.get(reverse("register:monument-detail", args=["palmyra"])).text
    restorations = text.split('id="restorations-heading"')[1].split("</section>")[0]
    assert Restoration.objects.get(slug="funerary-busts-restored-in-rome").get_absolute_url() in restorations
    artefacts = text.split('id="artefacts-heading"')[1].split("</section>")[0]
    assert "Two funerary busts" in artefacts or "funerary busts" in artefacts.lower()
    assert "Lion" in artefacts
    museum = client.get(reverse("register:monument-detail", args=["palmyra-museum"])).text
    assert "No restoration with evidence is recorded here." not in museum


def test_the_footer_states_the_rule_that_holds(client, palmyra):
    text = client.get(reverse("register:home")).text
    footer = text.split('<footer class="site">')[1]
    assert "Every published claim carries a verbatim quote from a stored report." in footer
    assert "A report the register holds only by reference, without its text, is marked as such." in footer


def test_a_report_held_by_reference_is_marked_as_such_in_the_article_list(client, palmyra, afp=None):
    publisher = Source.objects.get(slug="afp")
    reference = Article.objects.create(title="Held by reference only", publisher=publisher, url="https://example.org/r")
    incident = Incident.objects.public().first()
    Evidence.objects.create(article=reference, incident=incident, note="Says the same.")
    conditions_refresh_for(records=[incident])
    text = client.get(reverse("register:article-list")).text
    row = text.split("Held by reference only")[1].split("</tr>")[0]
    assert "held by reference, no text" in row


def test_lists_and_the_home_page_tell_dates_in_words(client, palmyra):
    words = 'between <time datetime="2016-12">December 2016</time> and <time datetime="2017-01">January 2017</time>'
    for page in ("register:home", "register:incident-list"):
        text = client.get(reverse(page)).text
        assert words in text, page
        assert ">2016-12/2017-01<" not in text, page
    restorations = client.get(reverse("register:restoration-list")).text
    assert (
        'between <time datetime="2016-10">October 2016</time> and <time datetime="2017-03-01">1 March 2017</time>'
        in (restorations)
    )


def test_hidden_records_are_in_no_list(client, palmyra):
    hidden = Restoration.objects.create(
        slug="hidden-works",
        monument=palmyra,
        kind="conservation",
        finished="2019",
        summary="Unquoted works.",
        **published(),
    )
    conditions_refresh_for(records=[hidden])
    for page in LISTS:
        assert "hidden-works" not in client.get(reverse(page)).text, page
    assert "hidden-works" not in client.get(reverse("register:monument-detail", args=["palmyra"])).text


# Every list page costs the same queries for a few rows and for many.
QUERIES = [
    ("register:restoration-list", {}, 2),
    ("register:restoration-list", {"monument": "palmyra"}, 3),
    ("register:assessment-list", {}, 2),
    ("register:artefact-list", {}, 2),
    ("register:article-list", {}, 2),
    ("register:source-list", {}, 2),
]


def grow(palmyra, first: int, number: int):
    """Add ``number`` more of every kind of listed record, each event quoted."""
    evidence = Evidence.objects.exclude(position=None).select_related("article").first()
    quote = {"article": evidence.article, "quote": evidence.quote, "position": evidence.position}
    for index in range(first, first + number):
        artefact = Artefact.objects.create(name=f"Relief {index}", slug=f"relief-{index}", origin=palmyra)
        restoration = Restoration.objects.create(
            slug=f"relief-{index}-restored",
            artefact=artefact,
            kind="restoration",
            finished="2018",
            summary="R.",
            **published(),
        )
        assessment = Assessment.objects.create(
            slug=f"relief-{index}-assessed", artefact=artefact, assessed="2019", condition="fair",
            method="field_visit", summary="A.", **published(),
        )  # fmt: skip
        Evidence.objects.create(restoration=restoration, **quote)
        Evidence.objects.create(assessment=assessment, **quote)
        conditions_refresh_for(records=[restoration, assessment])
        Source.objects.create(name=f"Outlet {index}", slug=f"outlet-{index}", kind="outlet")
        Article.objects.create(
            title=f"Report {index}", publisher=evidence.article.publisher, url=f"https://e.org/{index}"
        )


@pytest.mark.parametrize(("page", "filters", "queries"), QUERIES)
def test_a_list_page_costs_the_same_queries_for_few_rows_and_many(client, palmyra, page, filters, queries):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(page), filters).status_code == 200
        return len(captured)

    grow(palmyra, 0, 1)
    few = count()
    grow(palmyra, 1, 25)
    assert count() == few == queries


def test_an_alternate_name_resolves_even_when_the_register_is_large(client, palmyra):
    for index in range(30):
        monument = Monument.objects.create(name=f"Tomb {index}", slug=f"tomb-{index}", kind="tomb", part_of=palmyra)
        AlternateName.objects.create(monument=monument, name=f"Palmyra tomb {index}", language="en")
    page = client.get(reverse("register:incident-list"), {"monument": "Palmyra"}).context["page"]
    assert page is not None
