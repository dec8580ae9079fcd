"""ETags for records, and the If-Match check that stops a write over someone else's change."""

import hashlib

from django.conf import settings
from django.db import models

from register.api.exceptions import PreconditionFailed, PreconditionRequired
from register.translation import LANGUAGE_CODES


def etag_for(instance: models.Model, language: str = settings.LANGUAGE_CODE) -> str:
    """Return the record's strong ETag in ``language``, which changes whenever the record is saved."""
    return etag(type(instance), instance.pk, instance.version, language)


def etags_for(instance: models.Model) -> list[str]:
    """Return the record's current ETag in every language: a write may send back the one its reader was given."""
    return [etag_for(instance, language) for language in LANGUAGE_CODES]


def etag(model, pk: int, version: int, language: str = settings.LANGUAGE_CODE) -> str:
    """Return the strong ETag of the record ``pk`` of ``model`` at ``version``, as shown in ``language``.

    The one place that knows how a record's version is told: from its ``version`` column, raised by one on every
    save (register.models.versioning). Each language is its own representation (RFC 9110 section 8.8.3), so its
    tag differs: a cache that keeps both under ``Vary: Accept-Language`` never takes one for the other.
    """
    tag = f"{model._meta.label}:{pk}:v{version}"
    if language != settings.LANGUAGE_CODE:
        tag = f"{tag}:{language}"
    return '"' + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:32] + '"'


def check_if_match(header: str | None, current: list[str]) -> None:
    """Raise 428 when the If-Match header is missing, 412 when it names none of the ``current`` ETags.

    Strong comparison (RFC 9110 section 13.1.1): a weak tag never matches. ``*`` matches any current version: a
    client that sends it chooses to overwrite whatever is there.
    """
    if header is None:
        # Without the version it was made from, a write could silently undo another curator's (RFC 6585 section 3).
        raise PreconditionRequired()
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or any(tag in current for tag in tags):
        return
    raise PreconditionFailed()
