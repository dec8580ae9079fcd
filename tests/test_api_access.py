"""Who may read and write through the API, ETags and If-Match, and the anonymous throttle."""

import ipaddress
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from heritage.env import env_rate
from register.api.throttling import client_address
from register.models import Evidence, Incident, Monument, Restoration
from tests.conftest import published

ROOT = Path(__file__).resolve().parent.parent


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
    caches["throttle"].clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    yield settings
    caches["throttle"].clear()


def test_anonymous_requests_are_throttled_at_the_configured_rate(api, site, throttle):
    codes = [api.get("/api/v1/monuments/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api.get("/api/v1/monuments/")
    assert int(response.headers["Retry-After"]) > 0
    assert "detail" in response.json()


def test_curators_are_not_throttled_as_anonymous(curator_api, site, throttle):
    assert {curator_api.get("/api/v1/monuments/").status_code for _ in range(5)} == {200}


def test_a_rotating_x_forwarded_for_does_not_escape_the_throttle(api, site, throttle):
    codes = [api.get("/api/v1/monuments/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_one_proxy_the_throttle_counts_the_address_the_proxy_saw(api, site, throttle):
    throttle.REST_FRAMEWORK = {**throttle.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def through_proxy(forwarded):
        return api.get("/api/v1/monuments/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # What the client wrote before the proxy's own entry changes nothing.
    codes = [through_proxy(f"198.51.100.{n}, 203.0.113.5") for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert through_proxy("203.0.113.6") == 200


def test_a_forwarded_value_that_is_not_an_address_counts_as_the_peer(rf, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, not-an-address")
    assert client_address(request) == "10.0.0.1"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address, 2001:db8::5")
    assert client_address(request) == "2001:db8::5"


def allowed_in_another_process(address: str, requests: int, **variables) -> int:
    """Make anonymous API requests from ``address`` in a fresh process, as a gunicorn worker; count the 200s."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        f"client = Client(REMOTE_ADDR={address!r}, HTTP_HOST='localhost'); "
        f"print(sum(client.get('/api/v1/').status_code == 200 for _ in range({requests})))"
    )
    kept = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_DIR", "API_ANON_RATE"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**kept, "DJANGO_SETTINGS_MODULE": "heritage.settings", "DEBUG": "true", "API_ANON_RATE": "5/minute"}
        | variables,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_workers_in_separate_processes_count_against_one_limit(tmp_path):
    shared = {"CACHE_DIR": str(tmp_path)}
    assert allowed_in_another_process("192.0.2.7", 4, **shared) == 4
    assert allowed_in_another_process("192.0.2.7", 4, **shared) == 1
    assert allowed_in_another_process("192.0.2.8", 4, **shared) == 4


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_running(), reason="needs Redis at 127.0.0.1:6379")
def test_with_redis_workers_in_separate_processes_count_against_one_limit():
    # An address of its own, so counts left in this Redis by another run cannot meet this one's.
    address = str(ipaddress.IPv6Address(secrets.randbits(128)))
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert allowed_in_another_process(address, 4, **redis) == 4
    assert allowed_in_another_process(address, 4, **redis) == 1


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
        slug="rebuilt", monument=incident.monument, kind="reconstruction", finished="2019", summary="R.", **published()
    )
    quote = "IS destroyed Palmyra's tetrapylon monument"
    body = {"article": article.pk, "incident": incident.slug, "restoration": "rebuilt", "quote": quote}
    response = curator_api.post("/api/v1/evidence/", {**body, "position": article.body.index(quote)}, format="json")
    assert response.status_code == 400
    assert not Evidence.objects.exists()
