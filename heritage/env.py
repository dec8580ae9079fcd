"""Strict parsing of settings from environment variables.

A deployment that sets a variable to a value we cannot read must not start
with a silently different configuration, so every parser raises
ImproperlyConfigured naming the variable and the value it refused.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _refuse(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {name}={value!r} is malformed: expected {expected}.")


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable's value, or the default when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean written as 1/0, true/false, yes/no or on/off."""
    value = env_str(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _refuse(name, value, "one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Return a whole number no smaller than ``minimum``."""
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _refuse(name, value, "a whole number") from None
    if number < minimum:
        raise _refuse(name, value, f"a whole number of at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list; blank entries are refused, not skipped."""
    value = env_str(name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item or " " in item for item in items):
        raise _refuse(name, value, "a comma-separated list of names without spaces or empty entries")
    return items


def env_path(name: str, default: Path) -> Path:
    """Return an absolute path."""
    value = env_str(name)
    if value is None:
        return default
    path = Path(value)
    if not path.is_absolute():
        raise _refuse(name, value, "an absolute path")
    return path


def env_database(name: str, default: str) -> dict:
    """Return a Django DATABASES entry parsed from a database URL."""
    value = env_str(name, default)
    if "://" not in value:
        raise _refuse(name, value, "a URL such as sqlite:////abs/path.sqlite3 or postgres://user@host:5432/db")
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise _refuse(name, value, f"a database URL dj-database-url understands ({error})") from None
    if not config.get("ENGINE"):
        raise _refuse(name, value, "a database URL with a known scheme")
    return config


def env_redis_url(name: str) -> str | None:
    """Return a redis:// or rediss:// URL, or None when unset."""
    value = env_str(name)
    if value is None:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise _refuse(name, value, "a URL starting with redis://, rediss:// or unix://")
    return value


# A Redis that does not answer within this many seconds is treated as down for that call.
REDIS_TIMEOUT_SECONDS = 0.5


def env_caches(name: str, *, cache_dir: Path) -> dict:
    """Return Django's CACHES: Redis at the variable's URL, or local memory and files under ``cache_dir``.

    "default" holds what a worker may keep to itself; "throttle" holds the API throttle's counts, which every worker
    must share. With Redis (django-redis) a call that cannot reach it is logged with its traceback and answered as
    by an empty cache, so an outage costs speed, never a page.
    """
    url = env_redis_url(name)
    if url is not None:
        redis = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            },
        }
        return {"default": redis, "throttle": redis}
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "heritage"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": cache_dir / "throttle",
        },
    }


_RATE_PERIODS = {"second", "minute", "hour", "day"}


def env_rate(name: str, default: str) -> str:
    """Return a request rate such as 120/minute (a whole number over second, minute, hour or day)."""
    value = env_str(name, default)
    count, _slash, period = value.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or period not in _RATE_PERIODS:
        raise _refuse(name, value, "a rate such as 120/minute (per second, minute, hour or day)")
    return f"{int(count)}/{period}"


def _email_address(name: str, value: str, address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        raise _refuse(name, value, f"e-mail addresses; {address!r} is not one") from None
    return address


def env_email(name: str, default: str) -> str:
    """Return one e-mail address."""
    value = env_str(name, default)
    return _email_address(name, value, value.strip())


def env_admins(name: str) -> list[tuple[str, str]]:
    """Return Django's ADMINS from comma-separated entries, each ``Name <address>`` or a bare address.

    A bare address is its own name. Names may not hold commas or angle brackets.
    """
    value = env_str(name)
    if value is None:
        return []
    admins = []
    for entry in (item.strip() for item in value.split(",")):
        if entry.endswith(">") and entry.count("<") == 1 and entry.count(">") == 1:
            person, _bracket, address = entry[:-1].partition("<")
            address = _email_address(name, value, address.strip())
            admins.append((person.strip() or address, address))
        elif entry and "<" not in entry and ">" not in entry and " " not in entry:
            admins.append((entry, _email_address(name, value, entry)))
        else:
            raise _refuse(name, value, "comma-separated entries, each 'Name <address>' or an address")
    return admins


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_log_level(name: str, default: str) -> str:
    """Return a logging level name: DEBUG, INFO, WARNING, ERROR or CRITICAL (any case)."""
    value = env_str(name, default)
    level = value.strip().upper()
    if level not in _LOG_LEVELS:
        raise _refuse(name, value, f"one of {', '.join(_LOG_LEVELS)}")
    return level
