"""Who may read and write through the API, ETags and If-Match, and the anonymous throttle."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from heritage.env import env_rate
from register.models import Evidence, Incident, Monument, Restoration

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def curator(db):
    user = User.objects.create_user("curator", password="not-used-here-1")
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_api(curator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    return client


def test_anyone_may_read(api, site):
    assert api.get("/api/v1/monuments/palmyra/").status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/monuments/"),
        ("put", "/api/v1/monuments/palmyra/"),
        ("patch", "/api/v1/monuments/palmyra/"),
        ("delete", "/api/v1/monuments/palmyra/"),
    ],
)
def test_anonymous_writes_answer_401_with_a_token_challenge(api, site, method, url):
    response = getattr(api, method)(url, {"name": "Tadmur"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert Monument.objects.get(slug="palmyra").name == "Palmyra"


def test_a_signed_in_user_without_the_model_permission_answers_403(api, site):
    api.force_login(User.objects.create_user("reader", password="not-used-here-1"))
    assert api.patch("/api/v1/monuments/palmyra/", {"name": "Tadmur"}, format="json").status_code == 403


def test_a_curator_with_a_token_creates_a_monument(curator_api, site):
    response = curator_api.post(
        "/api/v1/monuments/",
        {"name": "Temple of Bel", "slug": "temple-of-bel", "kind": "temple", "part_of": "palmyra", "latitude": 34.547},
        format="json",
    )
    # Latitude without longitude breaks a database rule that full_clean() checks first.
    assert response.status_code == 400
    assert "non_field_errors" in response.json() or "latitude" in response.json()
    response = curator_api.post(
        "/api/v1/monuments/",
        {"name": "Temple of Bel", "slug": "temple-of-bel", "kind": "temple", "part_of": "palmyra"},
        format="json",
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "http://testserver/api/v1/monuments/temple-of-bel/"
    assert response.headers["ETag"]
    assert response.json()["condition"] == "unknown"
    assert Monument.objects.get(slug="temple-of-bel").part_of.slug == "palmyra"


def test_a_curator_in_a_session_edits_a_record(api, curator, site):
    api.force_login(curator)
    etag = api.get("/api/v1/monuments/palmyra/").headers["ETag"]
    response = api.patch(
        "/api/v1/monuments/palmyra/", {"description": "Oasis city."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert Monument.objects.get(slug="palmyra").description == "Oasis city."


def test_a_quote_not_verbatim_in_its_article_answers_400_not_500(curator_api, incident, article):
    response = curator_api.post(
        "/api/v1/evidence/",
        {"article": article.pk, "incident": incident.slug, "quote": "IS restored the tetrapylon", "position": 0},
        format="json",
    )
    assert response.status_code == 400
    assert "quote" in response.json()
    assert not Evidence.objects.exists()


def test_a_verbatim_quote_is_accepted(curator_api, incident, article):
    quote = "IS destroyed Palmyra's tetrapylon monument"
    response = curator_api.post(
        "/api/v1/evidence/",
        {"article": article.pk, "incident": incident.slug, "quote": quote, "position": article.body.index(quote)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["attribution"]["text"] == "AFP"


def test_a_bad_edtf_date_answers_400_naming_the_field(curator_api, incident, make_evidence):
    make_evidence(incident)
    url = f"/api/v1/incidents/{incident.slug}/"
    response = curator_api.patch(url, {"occurred": "last winter"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert list(response.json()) == ["occurred"]


def test_curators_see_incidents_no_quote_supports_yet_and_the_public_does_not(api, curator_api, incident):
    assert curator_api.get(f"/api/v1/incidents/{incident.slug}/").status_code == 200
    assert api.get(f"/api/v1/incidents/{incident.slug}/").status_code == 404


def test_deleting_what_evidence_points_to_answers_409(curator_api, incident, make_evidence):
    make_evidence(incident)
    response = curator_api.delete(f"/api/v1/incidents/{incident.slug}/", HTTP_IF_MATCH="*")
    assert response.status_code == 409
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_a_record_carries_an_etag_that_changes_when_it_is_saved(api, site):
    first = api.get("/api/v1/monuments/palmyra/").headers["ETag"]
    assert first.startswith('"') and first.endswith('"')
    assert api.get("/api/v1/monuments/palmyra/").headers["ETag"] == first
    site.description = "Changed."
    site.save()
    assert api.get("/api/v1/monuments/palmyra/").headers["ETag"] != first


def test_a_write_with_the_current_etag_goes_through_and_answers_the_new_one(api, curator_api, site):
    etag = api.get("/api/v1/monuments/palmyra/").headers["ETag"]
    response = curator_api.patch("/api/v1/monuments/palmyra/", {"name": "Tadmur"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert response.headers["ETag"] == api.get("/api/v1/monuments/palmyra/").headers["ETag"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_over_a_change_made_since_it_was_read_answers_412(api, curator_api, site, method):
    etag = api.get("/api/v1/monuments/palmyra/").headers["ETag"]
    Monument.objects.filter(pk=site.pk).update(description="Someone else's edit.")
    site.refresh_from_db()
    site.save()
    body = {"name": "Tadmur", "slug": "palmyra", "kind": "site"}
    response = getattr(curator_api, method)("/api/v1/monuments/palmyra/", body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert "detail" in response.json()
    assert Monument.objects.get(pk=site.pk).name == "Palmyra"


def test_if_match_star_or_a_list_holding_the_current_etag_lets_the_write_through(api, curator_api, site):
    assert curator_api.patch("/api/v1/monuments/palmyra/", {}, format="json", HTTP_IF_MATCH="*").status_code == 200
    etag = api.get("/api/v1/monuments/palmyra/").headers["ETag"]
    listed = f'"stale", {etag}'
    assert curator_api.patch("/api/v1/monuments/palmyra/", {}, format="json", HTTP_IF_MATCH=listed).status_code == 200


def test_a_weak_etag_never_matches(api, curator_api, site):
    etag = api.get("/api/v1/monuments/palmyra/").headers["ETag"]
    response = curator_api.patch("/api/v1/monuments/palmyra/", {}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 412


def test_sources_have_etags_too(api, curator_api, afp):
    etag = api.get("/api/v1/sources/afp/").headers["ETag"]
    response = curator_api.patch("/api/v1/sources/afp/", {"country": "France"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    response = curator_api.patch("/api/v1/sources/afp/", {"country": "FR"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412


@pytest.fixture
def throttle(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    yield
    cache.clear()


def test_anonymous_requests_are_throttled_at_the_configured_rate(api, site, throttle):
    codes = [api.get("/api/v1/monuments/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api.get("/api/v1/monuments/")
    assert int(response.headers["Retry-After"]) > 0
    assert "detail" in response.json()


def test_curators_are_not_throttled_as_anonymous(curator_api, site, throttle):
    assert {curator_api.get("/api/v1/monuments/").status_code for _ in range(5)} == {200}


@pytest.mark.parametrize("value", ["120", "120/fortnight", "many/minute", "0/minute", "-5/second"])
def test_a_malformed_anonymous_rate_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("API_ANON_RATE", value)
    with pytest.raises(ImproperlyConfigured, match="API_ANON_RATE"):
        env_rate("API_ANON_RATE", default="120/minute")


def test_the_anonymous_rate_reads_a_whole_number_per_period(monkeypatch):
    monkeypatch.setenv("API_ANON_RATE", " 30/hour ")
    assert env_rate("API_ANON_RATE", default="120/minute") == "30/hour"


def test_a_second_copy_of_a_quote_answers_400_not_500(curator_api, incident, article, make_evidence):
    existing = make_evidence(incident)
    body = {"article": article.pk, "incident": incident.slug, "quote": existing.quote, "position": existing.position}
    response = curator_api.post("/api/v1/evidence/", body, format="json")
    assert response.status_code == 400
    assert Evidence.objects.count() == 1


def test_a_quote_for_both_an_incident_and_a_restoration_answers_400(curator_api, incident, article):
    Restoration.objects.create(
        slug="rebuilt", monument=incident.monument, kind="reconstruction", finished="2019", summary="R."
    )
    quote = "IS destroyed Palmyra's tetrapylon monument"
    body = {"article": article.pk, "incident": incident.slug, "restoration": "rebuilt", "quote": quote}
    response = curator_api.post("/api/v1/evidence/", {**body, "position": article.body.index(quote)}, format="json")
    assert response.status_code == 400
    assert not Evidence.objects.exists()
