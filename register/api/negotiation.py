"""Content negotiation that answers an unknown ``?format=`` with 400 naming the parameter."""

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class StrictFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            # DRF answers 404 for a format no renderer offers; it is a bad parameter, not a missing page.
            param = api_settings.URL_FORMAT_OVERRIDE
            offered = ", ".join(sorted({renderer.format for renderer in renderers}))
            value = format_suffix or request.query_params.get(param)
            raise ValidationError({param: [f"Unknown format {value!r}: choose one of {offered}."]}) from None
