"""Clean uploaded photographs before the register keeps them.

Every upload is first checked as the model checks it (register.models.validators.image_checked: a real
JPEG, PNG or WebP image within a size and a pixel limit). What is kept is a re-encoding: EXIF and other
metadata are dropped (they can carry a photographer's location), the EXIF orientation is applied to the
pixels first so nothing turns sideways, and a thumbnail is made.
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from register.models.validators import ALLOWED_FORMATS, image_checked

THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class CleanImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


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
    image = image_checked(data, name)
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
