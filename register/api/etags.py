"""ETags for records, and the If-Match check that stops a write over someone else's change."""

import hashlib

from django.db import models

from register.api.exceptions import PreconditionFailed, PreconditionRequired


def etag_for(instance: models.Model) -> str:
    """Return the record's strong ETag, which changes whenever the record is saved."""
    return etag(type(instance), instance.pk, instance.version)


def etag(model, pk: int, version: int) -> str:
    """Return the strong ETag of the record ``pk`` of ``model`` at ``version``.

    The one place that knows how a record's version is told: from its ``version`` column, raised by one on every
    save (register.models.versioning).
    """
    tag = f"{model._meta.label}:{pk}:v{version}"
    return '"' + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:32] + '"'


def check_if_match(header: str | None, current: str) -> None:
    """Raise 428 when the If-Match header is missing, 412 when it names no current ETag.

    Strong comparison (RFC 9110 section 13.1.1): a weak tag never matches. ``*`` matches any current version: a
    client that sends it chooses to overwrite whatever is there.
    """
    if header is None:
        # Without the version it was made from, a write could silently undo another curator's (RFC 6585 section 3).
        raise PreconditionRequired()
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed()
