"""Every kind of public page in Arabic under /ar/ and in English under /en/, and the ways between them."""

import re

import feedparser
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from register.models import Assessment, Restoration
from register.models.vocabularies import PublicationState

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def register_records(incident, make_evidence, tetrapylon):
    """An evidenced incident, restoration and assessment of the Tetrapylon, all published."""
    published = {"state": PublicationState.PUBLISHED, "published": timezone.now()}
    restoration = Restoration.objects.create(
        slug="rebuilt",
        monument=tetrapylon,
        kind="reconstruction",
        finished="2018",
        summary="Rebuilt.",
        **published,
    )
    assessment = Assessment.objects.create(
        slug="tetrapylon-assessed",
        monument=tetrapylon,
        assessed="2016-12/2017-01",
        condition="destroyed",
        method="satellite_imagery",
        summary="Only two columns stand.",
        **published,
    )
    evidence = [make_evidence(record) for record in (incident, restoration, assessment)]
    return {"incident": incident, "restoration": restoration, "assessment": assessment, "article": evidence[0].article}


def page_addresses(records, language: str) -> dict[str, str]:
    """Return every kind of public page's address in ``language``."""
    with translation.override(language):
        return {
            "home": reverse("register:home"),
            "monuments": reverse("register:monument-list"),
            "incidents": reverse("register:incident-list"),
            "restorations": reverse("register:restoration-list"),
            "assessments": reverse("register:assessment-list"),
            "artefacts": reverse("register:artefact-list"),
            "articles": reverse("register:article-list"),
            "sources": reverse("register:source-list"),
            "monument": reverse("register:monument-detail", args=["tetrapylon"]),
            "incident": records["incident"].get_absolute_url(),
            "restoration": records["restoration"].get_absolute_url(),
            "assessment": records["assessment"].get_absolute_url(),
            "article": records["article"].get_absolute_url(),
            "search": reverse("register:search") + "?q=tetrapylon",
        }


PAGES = [
    *("home", "monuments", "incidents", "restorations", "assessments", "artefacts", "articles", "sources"),
    *("monument", "incident", "restoration", "assessment", "article", "search"),
]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_answers_in_arabic_under_ar(client, register_records, page):
    address = page_addresses(register_records, "ar")[page]
    assert address.startswith("/ar/")
    response = client.get(address)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert response["Content-Language"] == "ar"
    title = re.search(r"<title>(.+?)</title>", response.text, re.S).group(1)
    assert "سجل أضرار التراث" in title
    # The interface's own words are Arabic: the navigation, the search button, the footer.
    assert ">المعالم</a>" in response.text
    assert ">بحث</button>" in response.text
    assert ">Monuments</a>" not in response.text


@pytest.mark.parametrize("page", PAGES)
def test_each_page_answers_in_english_under_en(client, register_records, page):
    address = page_addresses(register_records, "en")[page]
    assert address.startswith("/en/")
    response = client.get(address, headers={"accept-language": "ar"})
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.text
    assert ">Monuments</a>" in response.text
    # Arabic only where the page names the other language, in the switcher.
    assert ARABIC_LETTER.findall(response.text.replace("العربيّة", "")) == []


def test_the_monument_page_says_its_condition_and_dates_in_arabic(client, register_records):
    text = client.get(page_addresses(register_records, "ar")["monument"]).text
    # One sentence with its placeholder, in Arabic order: "الحالة الآن: <badge>".
    assert 'الحالة الآن: <span class="badge destroyed" id="condition">مدمَّر</span>' in text
    # Months as in Syria and Iraq, digits as in EDTF: the assessment's window, told in words.
    assert (
        'بين <time datetime="2016-12">كانون الأول 2016</time> و<time datetime="2017-01">كانون الثاني 2017</time>'
        in text
    )


def test_a_date_in_words_uses_levantine_month_names_and_western_digits(client, register_records):
    text = client.get(page_addresses(register_records, "ar")["article"]).text
    assert '<time datetime="2017-03-02">2 آذار 2017</time>' in text


def test_the_switcher_leads_to_the_same_page_in_the_other_language(client, register_records):
    arabic, english = page_addresses(register_records, "ar"), page_addresses(register_records, "en")
    for page in PAGES:
        text = client.get(english[page]).text
        assert '<form class="language-switcher" method="post" action="/i18n/setlang/"' in text
        assert '<button type="submit" name="language" value="ar" lang="ar" dir="rtl">' in text
        response = client.post(reverse("set_language"), {"language": "ar", "next": english[page]})
        assert response.status_code == 302
        assert response["Location"] == arabic[page], page
        assert response.cookies["django_language"].value == "ar"
        response = client.post(reverse("set_language"), {"language": "en", "next": arabic[page]})
        assert response["Location"] == english[page], page


def test_each_page_names_its_address_in_the_other_language(client, register_records):
    arabic, english = page_addresses(register_records, "ar"), page_addresses(register_records, "en")
    text = client.get(arabic["incident"]).text
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{english["incident"]}">' in text
    assert f'<link rel="alternate" hreflang="ar" href="http://testserver{arabic["incident"]}">' in text
    # The record's canonical address and its citation are the page's own language's.
    assert f'<link rel="canonical" href="http://testserver{arabic["incident"]}">' in text


def test_an_unprefixed_address_opens_in_the_readers_language(client, register_records):
    response = client.get("/monuments/tetrapylon/", headers={"accept-language": "ar,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/monuments/tetrapylon/"
    assert client.get("/monuments/tetrapylon/?x=1", headers={"accept-language": "en"})["Location"] == (
        "/en/monuments/tetrapylon/?x=1"
    )
    assert client.get("/", headers={"accept-language": "ar"})["Location"] == "/ar/"
    # A reader who chose a language keeps it, whatever the browser asks.
    client.post(reverse("set_language"), {"language": "en", "next": "/ar/"})
    assert client.get("/incidents/", headers={"accept-language": "ar"})["Location"] == "/en/incidents/"


def test_a_shared_arabic_link_opens_in_arabic_whatever_the_browser_asks(client, register_records):
    response = client.get("/ar/monuments/tetrapylon/", headers={"accept-language": "en"})
    assert '<html lang="ar" dir="rtl">' in response.text


def test_the_api_and_the_admin_keep_their_addresses(client, db):
    assert reverse("api:api-root") == "/api/v1/"
    assert reverse("admin:index") == "/admin/"
    assert client.get("/api/v1/monuments/", headers={"accept-language": "ar"}).status_code == 200


def test_the_feeds_are_in_the_readers_language(client, register_records):
    with translation.override("ar"):
        address = reverse("register:feed")
    assert address == "/ar/feed/"
    feed = feedparser.parse(client.get(address).content)
    assert feed.feed.title == "سجل أضرار التراث: أحدث التغييرات"
    assert feed.feed.language == "ar"
    assert feed.feed.link == "http://testserver/ar/"
    assert any(ARABIC_LETTER.search(entry.title) for entry in feed.entries)
    with translation.override("ar"):
        monument_feed = reverse("register:monument-feed", args=["tetrapylon"])
    assert client.get(monument_feed).status_code == 200
    text = client.get(page_addresses(register_records, "ar")["monument"]).text
    assert f'type="application/atom+xml" href="{monument_feed}"' in text


def test_a_missing_page_answers_404_in_the_readers_language(client, db):
    response = client.get("/ar/monuments/atlantis/")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "الصفحة غير موجودة" in response.text
    response = client.get("/en/monuments/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_bad_page_number_is_explained_in_arabic(client, db):
    with translation.override("ar"):
        address = reverse("register:incident-list")
    response = client.get(address, {"page": "x"})
    assert response.status_code == 400
    assert ARABIC_LETTER.search(re.search(r'<p class="form-errors" role="alert">(.+?)<a', response.text).group(1))


def test_a_filter_error_is_one_arabic_sentence(client, db):
    with translation.override("ar"):
        address = reverse("register:incident-list")
    text = client.get(address, {"monument": "Atlantis"}).text
    assert "لا يوجد معلم باسم «Atlantis»" in text


@pytest.mark.parametrize(
    ("template", "heading"), [("500.html", "حدث خطأ من جهتنا"), ("400.html", "طلب غير صالح"), ("409.html", None)]
)
def test_the_error_pages_speak_the_readers_language(template, heading):
    """Django renders these without a request: the language LocaleMiddleware activated is all they have."""
    with translation.override("ar"):
        page = render_to_string(template, {})
    assert '<html lang="ar" dir="rtl">' in page
    assert ARABIC_LETTER.search(re.search(r"<h1>(.+?)</h1>", page).group(1))
    if heading:
        assert f"<h1>{heading}</h1>" in page
