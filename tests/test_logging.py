"""Server errors leave a traceback in the server's log (stderr) and reach the admins, with DEBUG off."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from heritage import env
from tests.production_process import run_in_production

FAILING_URLS = "tests.failing_urls"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = FAILING_URLS
    settings.ADMINS = [("Duty curator", "duty@register.example.org")]
    return settings


@pytest.mark.parametrize(
    ("url", "message"), [("/fails/", "the page failed on purpose"), ("/api/fails/", "the API view failed on purpose")]
)
def test_a_server_error_with_debug_off_writes_its_traceback_to_stderr(production, stderr_log, url, message):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    logged = stderr_log.getvalue()
    assert f"Internal Server Error: {url}" in logged
    assert "Traceback (most recent call last)" in logged
    assert f"tests.failing_urls.DeliberateFailure: {message}" in logged


def test_a_server_error_with_debug_off_is_mailed_to_the_admins_with_its_traceback(production, stderr_log):
    Client(raise_request_exception=False).get("/fails/")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["duty@register.example.org"]
    assert "/fails/" in sent.subject
    assert "Traceback" in sent.body and "the page failed on purpose" in sent.body


def test_a_server_error_in_development_is_logged_but_not_mailed(production, stderr_log):
    production.DEBUG = True
    Client(raise_request_exception=False).get("/fails/")
    assert "the page failed on purpose" in stderr_log.getvalue()
    assert mail.outbox == []


def test_a_production_process_writes_a_server_errors_traceback_to_its_stderr(tmp_path):
    """Start Django as `make serve` would (DEBUG off) and read the traceback from the process's own stderr."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client, override_settings\n"
        f"with override_settings(ROOT_URLCONF={FAILING_URLS!r}):\n"
        "    client = Client(raise_request_exception=False, HTTP_HOST='register.example.org')\n"
        "    response = client.get('/fails/', secure=True)\n"
        "print(response.status_code)\n"
    )
    result = run_in_production(script, tmp_path)
    assert result.stdout.strip() == "500", result.stderr
    assert "ERROR django.request Internal Server Error: /fails/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "DeliberateFailure: the page failed on purpose" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("duty@register.example.org", [("duty@register.example.org", "duty@register.example.org")]),
        (
            "Duty Curator <duty@register.example.org>, ops@register.example.org",
            [("Duty Curator", "duty@register.example.org"), ("ops@register.example.org", "ops@register.example.org")],
        ),
        ("<duty@register.example.org>", [("duty@register.example.org", "duty@register.example.org")]),
    ],
)
def test_admins_are_read_from_names_with_addresses_or_bare_addresses(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_ADMINS", value)
    assert env.env_admins("SOME_ADMINS") == expected


@pytest.mark.parametrize(
    "value",
    [
        "not an address",
        "duty@register.example.org,,ops@register.example.org",
        "Duty <duty@register.example.org",
        "Duty <not-an-address>",
        "Duty <duty@register.example.org> trailing",
        "Duty <ops> <duty@register.example.org>",
    ],
)
def test_a_malformed_admins_value_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("SOME_ADMINS", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_ADMINS"):
        env.env_admins("SOME_ADMINS")


def test_unset_admins_are_nobody(monkeypatch):
    monkeypatch.delenv("SOME_ADMINS", raising=False)
    assert env.env_admins("SOME_ADMINS") == []
