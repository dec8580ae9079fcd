"""Text carrying HTML or script renders inert on every public page and in the admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from register.models import AlternateName, Article, Evidence, Incident, Monument, Source, fingerprint

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
    )
    quote = f"IS destroyed the site {payload} entirely."
    Evidence.objects.create(
        article=article,
        incident=incident,
        quote=quote,
        position=body.index(quote),
        cited_person=payload,
        note=payload,
    )
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
