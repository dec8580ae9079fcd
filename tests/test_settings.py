"""Settings come from the environment; a malformed value stops start-up naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from heritage import env

ROOT = Path(__file__).resolve().parent.parent


def start_django(**variables):
    """Import the settings in a fresh interpreter, as a server start would."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(variables)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "heritage.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mongodb://localhost/db"),
        ("ALLOWED_HOSTS", "example.org,,other.org"),
        ("REDIS_URL", "localhost:6379"),
        ("MEDIA_ROOT", "relative/media"),
    ],
)
def test_a_malformed_variable_stops_start_up_naming_it(variable, value):
    result = start_django(**{"DEBUG": "true", variable: value})
    assert result.returncode != 0
    assert f"Environment variable {variable}=" in result.stderr


def test_without_debug_a_secret_key_is_required():
    result = start_django(DEBUG="false", ALLOWED_HOSTS="register.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_without_debug_allowed_hosts_are_required():
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_complete_production_environment_starts():
    result = start_django(DEBUG="off", SECRET_KEY="x" * 50, ALLOWED_HOSTS="register.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("text", "expected"), [("1", True), ("YES", True), ("off", False), ("false", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, text, expected):
    monkeypatch.setenv("SOME_FLAG", text)
    assert env.env_bool("SOME_FLAG", default=not expected) is expected


def test_an_unset_variable_takes_its_default(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env.env_bool("SOME_FLAG", default=True) is True
    assert env.env_list("SOME_FLAG", default=["a"]) == ["a"]


def test_a_postgres_url_becomes_a_postgres_database(monkeypatch):
    monkeypatch.setenv("SOME_DB", "postgres://postgres@127.0.0.1:5432/register")
    config = env.env_database("SOME_DB", default="sqlite:////tmp/x.sqlite3")
    assert (config["ENGINE"], config["NAME"], config["HOST"]) == (
        "django.db.backends.postgresql",
        "register",
        "127.0.0.1",
    )


def test_the_default_database_is_sqlite_under_var(settings):
    config = env.env_database("UNSET_DATABASE_URL_FOR_TEST", default=f"sqlite:///{settings.VAR_DIR / 'x.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert str(config["NAME"]).startswith(str(ROOT / "var"))


def test_a_redis_url_selects_the_redis_cache(monkeypatch):
    monkeypatch.setenv("SOME_REDIS", "redis://127.0.0.1:6379/1")
    assert env.env_redis_url("SOME_REDIS") == "redis://127.0.0.1:6379/1"
    monkeypatch.setenv("SOME_REDIS", "http://127.0.0.1")
    with pytest.raises(ImproperlyConfigured, match="SOME_REDIS"):
        env.env_redis_url("SOME_REDIS")


@pytest.mark.postgres
def test_postgresql_sessions_run_without_jit_and_with_random_reads_priced_for_memory(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
