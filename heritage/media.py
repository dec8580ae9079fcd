"""Serve uploaded photographs from MEDIA_ROOT when no proxy in front does (SERVE_MEDIA)."""

import mimetypes

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.static import serve

# Uploads are re-encoded to these types only (register.services.image_cleaning); anything else found under
# MEDIA_ROOT was not put there by the app and is not served from the site's origin.
PHOTOGRAPH_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# A photograph's file is written once under a name of its own; a day lets browsers and proxies keep it.
MEDIA_MAX_AGE = 86_400


@require_safe
def media_serve(request, path):
    """Answer a photograph under MEDIA_ROOT, with its type, a cache lifetime, and no way to run as a page."""
    content_type, encoding = mimetypes.guess_type(path)
    if content_type not in PHOTOGRAPH_TYPES or encoding is not None:
        raise Http404(_("No photograph is kept at this address."))
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    # Even a file that is not what its name says cannot run scripts or load anything as this origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
