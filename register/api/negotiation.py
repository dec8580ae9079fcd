"""Content negotiation that answers an unknown or empty ``?format=`` with 400 naming the parameter."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class StrictFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        param = api_settings.URL_FORMAT_OVERRIDE
        value = format_suffix or request.query_params.get(param)
        # DRF reads an empty ``?format=`` as none given, which the schema's choices do not allow.
        if value != "":
            try:
                return super().select_renderer(request, renderers, format_suffix)
            except Http404:
                # DRF answers 404 for a format no renderer offers; it is a bad parameter, not a missing page.
                pass
        offered = ", ".join(sorted({renderer.format for renderer in renderers}))
        message = _("Unknown format “%(format)s”: choose one of %(offered)s.") % {"format": value, "offered": offered}
        raise ValidationError({param: [message]})
