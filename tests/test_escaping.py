"""Text carrying HTML or script renders inert on every public page and in the admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from register.models import AlternateName, Article, Evidence, Incident, Monument, Source, fingerprint
from register.services.condition import conditions_refresh_for
from tests.conftest import published

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "{{ 7|add:7 }}{% now 'Y' %}",
]


@pytest.fixture(params=range(len(PAYLOADS)), ids=["script", "attribute", "textarea", "link", "template"])
def payload(request):
    return PAYLOADS[request.param]


@pytest.fixture
def poisoned(payload, db):
    """A register whose every free-text field carries the payload."""
    source = Source.objects.create(name=f"Monitor {payload}", slug="monitor", kind="monitor", short_name=payload)
    site = Monument.objects.create(name=f"Palmyra {payload}", slug="palmyra", kind="site", description=payload)
    AlternateName.objects.create(monument=site, name=f"تدمر {payload}", language="ar", note=payload)
    body = f"Before. IS destroyed the site {payload} entirely. After."
    raw = f"date 2017-03-02 Title {payload}\n\n{body}\n"
    article = Article.objects.create(
        title=f"Title {payload}", publisher=source, raw_text=raw, body=body, sha256=fingerprint(raw), byline=payload
    )
    incident = Incident.objects.create(
        slug="destroyed",
        monument=site,
        kind="destroyed",
        grade="destroyed",
        occurred="2017-01",
        summary=f"Summary {payload}",
        perpetrator=payload,
        **published(),
    )
    quote = f"IS destroyed the site {payload} entirely."
    evidence = Evidence.objects.create(
        article=article,
        incident=incident,
        quote=quote,
        position=body.index(quote),
        cited_person=payload,
        note=payload,
    )
    # As the admin and the API do after a change to evidence: the incident is public from here on.
    conditions_refresh_for(records=[evidence])
    return {"site": site, "article": article, "incident": incident}


def assert_inert(html: str, payload: str) -> None:
    assert payload not in html
    # Rendered, escaped, somewhere: the page did show the text.
    assert escape(payload) in html


def public_urls(poisoned):
    return [
        reverse("register:home"),
        reverse("register:monument-list"),
        poisoned["site"].get_absolute_url(),
        reverse("register:incident-list"),
        poisoned["incident"].get_absolute_url(),
        poisoned["article"].get_absolute_url(),
        poisoned["article"].get_absolute_url() + "?raw=1",
        reverse("register:search") + "?q=Palmyra",
    ]


def test_payloads_render_inert_on_every_public_page(client, poisoned, payload):
    for url in public_urls(poisoned):
        response = client.get(url)
        assert response.status_code == 200, url
        assert payload not in response.text, url
    # The pages that show the monument's own text show it escaped.
    assert_inert(client.get(poisoned["site"].get_absolute_url()).text, payload)
    assert_inert(client.get(poisoned["article"].get_absolute_url()).text, payload)


def test_payloads_render_inert_in_the_admin(client, poisoned, payload):
    user = User.objects.create_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    for model, obj in [
        ("monument", poisoned["site"]),
        ("article", poisoned["article"]),
        ("incident", poisoned["incident"]),
        ("evidence", poisoned["incident"].evidence.get()),
    ]:
        for url in (
            reverse(f"admin:register_{model}_changelist"),
            reverse(f"admin:register_{model}_change", args=[obj.pk]),
            reverse(f"admin:register_{model}_history", args=[obj.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert payload not in response.text, url


def test_the_raw_text_download_is_plain_text(client, poisoned):
    response = client.get(reverse("register:article-raw", args=[poisoned["article"].pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"])
def test_an_article_address_that_is_not_a_web_address_is_refused_by_the_database(db, url):
    source = Source.objects.create(name="AFP", slug="afp", kind="news_agency")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(publisher=source, url=url)
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="Evil", slug="evil", kind="other", url=url)


# The API: every format carries the text as data, in a type no browser renders as a page.


@pytest.fixture
def located(poisoned):
    site = poisoned["site"]
    site.latitude, site.longitude = 34.55, 38.27
    site.save()
    return poisoned


def strings(data):
    """Yield every string value in a parsed JSON document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/v1/monuments/palmyra/", "application/json"),
        ("/api/v1/incidents/destroyed/", "application/json"),
        ("/api/v1/monuments/?format=geojson", "application/geo+json"),
        ("/api/v1/monuments/palmyra/?format=jsonld", "application/ld+json"),
        ("/api/v1/incidents/destroyed/?format=jsonld", "application/ld+json"),
        ("/api/v1/articles/?format=jsonld", "application/ld+json"),
    ],
)
def test_api_formats_carry_payloads_as_data_not_markup(client, located, payload, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert any(payload in text for text in strings(response.json()))


def test_the_browsable_api_escapes_payloads(client, located, payload):
    for url in ("/api/v1/monuments/palmyra/", "/api/v1/incidents/destroyed/", "/api/v1/articles/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("text/html")
        assert payload not in response.text, url


def test_csv_keeps_payloads_as_text_and_neutralises_formulas(client, located, payload):
    response = client.get("/api/v1/monuments/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0]["name"] == f"Palmyra {payload}"


@pytest.mark.parametrize("formula", ['=HYPERLINK("https://evil.example","open")', "+cmd|' /C calc'!A0", "@SUM(1+1)"])
def test_csv_cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe(client, db, formula):
    Monument.objects.create(name=formula, slug="formula", kind="site", description=formula)
    response = client.get("/api/v1/monuments/?format=csv")
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert row["name"] == "'" + formula
    assert client.get("/api/v1/monuments/formula/").json()["name"] == formula


def test_negative_edtf_years_stay_as_they_are_in_csv():
    from register.api.renderers import inert_cell

    assert inert_cell("-0050") == "-0050"
    assert inert_cell("-0050/0020") == "-0050/0020"
    assert inert_cell("-x") == "'-x"
