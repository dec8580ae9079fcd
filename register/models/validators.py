"""What a model refuses to keep: an uploaded photograph must be a real image within limits.

Every upload is opened with Pillow and must be a real JPEG, PNG or WebP image within a size and a pixel limit,
so a decompression bomb is refused before it is decoded. The models check uploads with it (``MonumentImage``)
and the service that re-encodes them (register.services.image_cleaning) opens them through it.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000


def _refuse(message, code, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def image_checked(data: bytes, name: str) -> Image.Image:
    """Return the decoded image, or refuse it with a reason a curator can act on."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB."),
            "too_large",
            name=name,
            size=round(len(data) / 1_048_576, 1),
            limit=MAX_UPLOAD_BYTES // 1_048_576,
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except Image.DecompressionBombError:
        raise _refuse(
            _("%(name)s declares more pixels than any photograph needs; refused as a decompression bomb."),
            "too_many_pixels_bomb",
            name=name,
        ) from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError):
        raise _refuse(_("%(name)s is not a readable JPEG, PNG or WebP image."), "not_an_image", name=name) from None
    if kind not in ALLOWED_FORMATS:
        raise _refuse(
            _("%(name)s is a %(kind)s file; only JPEG, PNG and WebP are accepted."), "format", name=name, kind=kind
        )
    if width * height > MAX_PIXELS:
        raise _refuse(
            _("%(name)s is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels."),
            "too_many_pixels",
            name=name,
            width=width,
            height=height,
            limit=MAX_PIXELS // 1_000_000,
        )
    try:
        # verify() leaves the image unusable and does not decode pixels: reopen and decode fully,
        # which is what finds a truncated file.
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("%(name)s is damaged or truncated."), "truncated", name=name) from None
    return image
