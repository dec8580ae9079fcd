"""Store a monument's photograph: cleaned, upright, without metadata, with its thumbnail."""

from pathlib import PurePath

from django.db import transaction

from register.models import MonumentImage
from register.services.image_cleaning import image_clean


@transaction.atomic
def monument_image_save(*, image: MonumentImage) -> MonumentImage:
    """Validate and save the record; a newly uploaded file is replaced by its clean re-encoding and a thumbnail."""
    upload = image.image
    stored = MonumentImage.objects.filter(pk=image.pk).values_list("image", flat=True).first() if image.pk else None
    # A file just uploaded still has the name it came with; one already kept has its stored name.
    if upload and upload.name != stored:
        upload.seek(0)
        clean = image_clean(data=upload.read(), name=PurePath(upload.name).name)
        image.image = clean.image
        image.thumbnail = clean.thumbnail
    image.full_clean()
    image.save()
    return image
