"""Errors as JSON bodies: validation from the models becomes 400, protected deletions 409."""

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it: fetch it again and reapply your change."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is still referred to by other records."
    default_code = "conflict"


def exception_handler(exc, context):
    """Return DRF's error response, mapping Django's own errors, and always as JSON (or the browsable page)."""
    if isinstance(exc, RecordModifiedError):
        # Another save slipped in between our read and our write: the same answer as a stale If-Match.
        exc = PreconditionFailed()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ProtectedError | RestrictedError):
        names = sorted({obj._meta.verbose_name_plural for obj in getattr(exc, "protected_objects", ())} or set())
        exc = Conflict(f"The record is still referred to by {', '.join(map(str, names)) or 'other records'}.")
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        renderer = getattr(request, "accepted_renderer", None)
        # A CSV, GeoJSON or JSON-LD client still gets its error as JSON it can read.
        if getattr(renderer, "format", None) not in {JSONRenderer.format, BrowsableAPIRenderer.format}:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
    return response
