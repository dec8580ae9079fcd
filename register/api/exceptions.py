"""Errors as JSON bodies: validation from the models becomes 400, protected deletions 409."""

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record changed since you read it: fetch it again and reapply your change.")
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the record's ETag in an If-Match header: read the record, then send back the ETag it answered, "
        "so that your change cannot overwrite one made since."
    )
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record is still referred to by other records.")
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
        names = sorted({str(obj._meta.verbose_name_plural) for obj in getattr(exc, "protected_objects", ())})
        if names:
            exc = Conflict(_("The record is still referred to by %(records)s.") % {"records": ", ".join(names)})
        else:
            exc = Conflict()
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        renderer = getattr(request, "accepted_renderer", None)
        # A CSV, GeoJSON or JSON-LD client still gets its error as JSON it can read.
        if getattr(renderer, "format", None) not in {JSONRenderer.format, BrowsableAPIRenderer.format}:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
    return response
