"""Check and clean uploaded photographs before the register keeps them.

Every upload is opened with Pillow and must be a real JPEG, PNG or WebP image
within a size and a pixel limit (so a decompression bomb is refused before it
is decoded). What is kept is a re-encoding: EXIF and other metadata are
dropped (they can carry a photographer's location), the EXIF orientation is
applied to the pixels first so nothing turns sideways, and a thumbnail is made.
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class CleanImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _refuse(message, code, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _open_checked(data: bytes, name: str) -> Image.Image:
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


def _encode(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # No exif= or pnginfo= argument: the re-encoded file carries no metadata.
    options = {"quality": 88, "optimize": True} if kind in {"JPEG", "WEBP"} else {"optimize": True}
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def image_clean(*, data: bytes, name: str) -> CleanImage:
    """Return the upload re-encoded without metadata, upright, with a thumbnail; refuse anything else."""
    image = _open_checked(data, name)
    kind = image.format
    upright = ImageOps.exif_transpose(image)
    stem = PurePath(name).stem or "image"
    extension = ALLOWED_FORMATS[kind]
    thumbnail = upright.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return CleanImage(
        image=ContentFile(_encode(upright, kind), name=f"{stem}.{extension}"),
        thumbnail=ContentFile(_encode(thumbnail, kind), name=f"{stem}-thumb.{extension}"),
        width=upright.width,
        height=upright.height,
    )


def validate_image_upload(upload) -> None:
    """Model-field validator: refuse an upload that image_clean would refuse."""
    if upload is None or getattr(upload, "_committed", True):
        return  # a file already stored was checked when it arrived
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    data = upload.read()
    upload.seek(position)
    _open_checked(data, PurePath(upload.name).name)
