"""Production settings: deploy checks, security headers, and lock-out of repeated failed logins."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def production_environment(**extra) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "heritage.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "register.example.org",
        **extra,
    }


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_turn_on_hsts_secure_cookies_and_https(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=production_environment(), capture_output=True, text=True
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr


def test_public_pages_carry_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get(reverse("register:home"), secure=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_admin_carries_the_content_security_policy(client):
    response = client.get(reverse("admin:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_repeated_failed_admin_logins_are_locked_out(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("curator", password="the-right-password-42", is_staff=True)
    login = reverse("admin:login")
    for _ in range(3):
        response = client.post(login, {"username": "curator", "password": "wrong"})
        assert not response.wsgi_request.user.is_authenticated
    response = client.post(login, {"username": "curator", "password": "the-right-password-42"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_a_successful_login_before_the_limit_resets_the_count(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("curator", password="the-right-password-42", is_staff=True)
    login = reverse("admin:login")
    for _ in range(2):
        client.post(login, {"username": "curator", "password": "wrong"})
    response = client.post(login, {"username": "curator", "password": "the-right-password-42"})
    assert response.status_code == 302
    client.logout()
    for _ in range(2):
        client.post(login, {"username": "curator", "password": "wrong"})
    assert client.post(login, {"username": "curator", "password": "the-right-password-42"}).status_code == 302


@pytest.fixture
def guarded_login(settings):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("curator", password="the-right-password-42", is_staff=True)
    return reverse("admin:login")


def test_one_address_trying_many_usernames_is_locked_out(client, guarded_login):
    for n in range(3):
        client.post(guarded_login, {"username": f"guess-{n}", "password": "wrong"})
    response = client.post(guarded_login, {"username": "curator", "password": "the-right-password-42"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_one_username_tried_from_many_addresses_is_locked_out(client, guarded_login):
    for n in range(3):
        client.post(guarded_login, {"username": "curator", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post(
        guarded_login, {"username": "curator", "password": "the-right-password-42"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429


def test_a_rotating_x_forwarded_for_does_not_escape_the_lock_out(client, guarded_login):
    for n in range(3):
        client.post(
            guarded_login, {"username": f"guess-{n}", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
    response = client.post(
        guarded_login,
        {"username": "curator", "password": "the-right-password-42"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_lock_out_counts_the_address_the_proxy_saw(client, guarded_login, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    codes = [
        client.post(
            guarded_login,
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # Another client behind the same proxy may still log in.
    response = client.post(
        guarded_login,
        {"username": "curator", "password": "the-right-password-42"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert response.status_code == 302


def test_a_forwarded_value_that_is_not_an_address_is_counted_as_the_proxy(client, guarded_login, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    response = client.post(
        guarded_login,
        {"username": "curator", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.1"]
