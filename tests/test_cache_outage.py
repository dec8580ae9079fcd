"""With REDIS_URL pointing at a Redis that is down, pages and the API answer as if there were no cache."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def caches_configured_for(redis_url: str) -> dict:
    """Return CACHES as heritage.settings builds it in a fresh process with REDIS_URL set."""
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "heritage.settings", "DEBUG": "true", "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def down_redis_caches():
    return caches_configured_for(f"redis://127.0.0.1:{unused_port()}/0")


@pytest.fixture
def redis_down(settings, down_redis_caches, stderr_log):
    settings.CACHES = down_redis_caches
    return stderr_log


def assert_outage_logged(log: str):
    assert "Traceback (most recent call last)" in log
    assert "ConnectionError" in log


def test_the_home_page_answers_while_redis_is_down(redis_down, site):
    response = Client(raise_request_exception=False).get(reverse("register:home"))
    assert response.status_code == 200
    assert_outage_logged(redis_down.getvalue())


def test_an_api_list_answers_while_redis_is_down(redis_down, site):
    response = Client(raise_request_exception=False).get("/api/v1/monuments/")
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["palmyra"]


def test_the_throttle_lets_requests_through_while_redis_is_down(redis_down, site, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    client = Client(raise_request_exception=False)
    assert [client.get("/api/v1/monuments/").status_code for _ in range(3)] == [200, 200, 200]
    assert_outage_logged(redis_down.getvalue())


def test_every_cache_answers_as_an_empty_cache_while_redis_is_down(redis_down, down_redis_caches):
    for alias in down_redis_caches:
        caches[alias].set("counted", 1)
        assert caches[alias].get("counted", "missing") == "missing"
        assert caches[alias].get_or_set("computed", lambda: "fresh") == "fresh"


def test_an_outage_is_logged_but_not_mailed_to_the_admins_once_a_call(redis_down, site, settings):
    settings.DEBUG = False
    settings.ADMINS = [("Duty curator", "duty@register.example.org")]
    assert Client(raise_request_exception=False).get(reverse("register:home")).status_code == 200
    assert "heritage.cache" in redis_down.getvalue()
    assert mail.outbox == []


def test_a_redis_that_accepts_but_never_answers_costs_a_timeout_not_a_hung_request(settings, site, stderr_log):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        # Connections complete in the kernel's backlog and are never read from.
        silent.listen(16)
        settings.CACHES = caches_configured_for(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        started = time.monotonic()
        response = Client(raise_request_exception=False).get("/api/v1/monuments/")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 5
    assert "TimeoutError" in stderr_log.getvalue()
