"""Settings come from the environment; a malformed value stops start-up naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from heritage import env

ROOT = Path(__file__).resolve().parent.parent


def start_django(show="settings.DEBUG", **variables):
    """Import the settings in a fresh interpreter, as a server start would, and print ``show``."""
    chosen_here = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_PREPARED_STATEMENTS", "ADMINS", "NUM_PROXIES"}
    environment = {k: v for k, v in os.environ.items() if k not in chosen_here}
    environment.update(variables)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({show})",
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
        ("CACHE_DIR", "relative/cache"),
        ("ADMINS", "Duty <duty@register.example.org"),
        ("ADMINS", "not an address"),
        ("SERVER_EMAIL", "register"),
        ("EMAIL_PORT", "smtp"),
        ("LOG_LEVEL", "loud"),
        ("NUM_PROXIES", "-1"),
        ("NUM_PROXIES", "one"),
        ("SERVE_MEDIA", "sometimes"),
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


@pytest.mark.parametrize(("text", "expected"), [(None, "True 5"), ("off", "None None")])
def test_prepared_statements_are_on_for_postgresql_unless_turned_off(text, expected):
    options = 'settings.DATABASES["default"]["OPTIONS"]'
    result = start_django(
        show=f'{options}.get("server_side_binding"), {options}.get("prepare_threshold")',
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/register",
        **({"DATABASE_PREPARED_STATEMENTS": text} if text else {}),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.postgres
def test_postgresql_binds_parameters_on_the_server_and_prepares_a_repeated_query(db):
    import psycopg
    from django.db import connection

    from register.models import Monument

    with connection.cursor() as cursor:
        # The client cursor is the one that quotes parameters into the SQL text; it can prepare nothing.
        assert not isinstance(cursor.cursor, psycopg.ClientCursor)
    repeated = Monument.objects.filter(name="no monument is called this").values_list("pk")
    sql, params = repeated.query.sql_with_params()
    assert len(params) == 1
    # The server holds the text with a placeholder where the client cursor would have quoted the name in.
    on_the_server = sql.replace("%s", "$1")

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [on_the_server])
            return cursor.fetchone()[0]

    threshold = connection.connection.prepare_threshold
    assert threshold is not None
    for _ in range(threshold):
        assert list(repeated.all()) == []
    assert prepared() == 0
    assert list(repeated.all()) == []
    assert prepared() == 1


def test_admins_and_the_proxy_count_are_read_from_the_environment():
    result = start_django(
        show='(settings.ADMINS, settings.REST_FRAMEWORK["NUM_PROXIES"])',
        DEBUG="true",
        ADMINS="Duty Curator <duty@register.example.org>,ops@register.example.org",
        NUM_PROXIES="1",
    )
    assert result.returncode == 0, result.stderr
    expected = [("Duty Curator", "duty@register.example.org"), ("ops@register.example.org", "ops@register.example.org")]
    assert result.stdout.strip() == repr((expected, 1))


def test_by_default_the_client_is_the_peer_and_nobody_is_mailed():
    result = start_django(show='(settings.ADMINS, settings.REST_FRAMEWORK["NUM_PROXIES"])', DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "([], 0)"
