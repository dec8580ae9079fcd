"""Uploaded photographs: real images only, within limits, without metadata, upright, with thumbnails."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from register.models import validators
from register.services.image_cleaning import image_clean


def encode(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def photo_with_exif(orientation: int) -> bytes:
    """A 60×40 JPEG, left half red, whose EXIF says to rotate it and where it was taken."""
    image = Image.new("RGB", (60, 40), "blue")
    image.paste((255, 0, 0), (0, 0, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (34.0, 33.0, 3.0)}  # GPSInfo: latitude
    return encode(image, "JPEG", exif=exif.tobytes(), quality=95)


def refused(data: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        image_clean(data=data, name=name)
    return error.value


def test_a_jpeg_is_kept_upright_without_its_exif():
    clean = image_clean(data=photo_with_exif(orientation=6), name="theatre.jpg")
    kept = Image.open(io.BytesIO(clean.image.read()))
    # Orientation 6 means "rotate 90° clockwise to view": the 60×40 photo becomes 40×60.
    assert kept.size == (40, 60) == (clean.width, clean.height)
    assert not kept.getexif()
    assert "exif" not in kept.info
    # The red half, once on the left, is now at the top.
    assert kept.getpixel((20, 5))[0] > 200 and kept.getpixel((20, 55))[2] > 200


def test_a_thumbnail_is_made_within_the_thumbnail_size():
    big = encode(Image.new("RGB", (2000, 1000), "white"), "PNG")
    clean = image_clean(data=big, name="wide.png")
    thumbnail = Image.open(io.BytesIO(clean.thumbnail.read()))
    assert thumbnail.size == (480, 240)
    assert clean.thumbnail.name == "wide-thumb.png"


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(kind):
    clean = image_clean(data=encode(Image.new("RGB", (10, 10)), kind), name=f"x.{kind.lower()}")
    assert Image.open(io.BytesIO(clean.image.read())).format == kind


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "photo.jpg"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "photo.jpg"),
        (b"", "empty.jpg"),
    ],
)
def test_svg_or_html_named_jpg_is_refused(data, name):
    error = refused(data, name)
    assert error.code == "not_an_image"
    assert name in error.messages[0]


def test_a_gif_is_refused_by_format():
    error = refused(encode(Image.new("P", (10, 10)), "GIF"), "anim.gif")
    assert error.code == "format" and "GIF" in error.messages[0]


def test_a_truncated_jpeg_is_refused():
    whole = encode(Image.effect_noise((400, 300), 64).convert("RGB"), "JPEG")
    error = refused(whole[: len(whole) // 2], "cut.jpg")
    assert error.code == "truncated"


def test_an_oversized_file_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(validators, "MAX_UPLOAD_BYTES", 1000)
    error = refused(encode(Image.effect_noise((100, 100), 64).convert("RGB"), "PNG"), "noise.png")
    assert error.code == "too_large"


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge canvas: a decompression bomb."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_by_its_pixel_count():
    error = refused(png_declaring(10_000, 8_000), "bomb.png")
    assert error.code in {"too_many_pixels", "too_many_pixels_bomb"}


def test_a_giant_declared_canvas_is_refused_as_a_bomb():
    error = refused(png_declaring(100_000, 100_000), "huge.png")
    assert error.code == "too_many_pixels_bomb"


# Through the curators' admin: the same checks, with the file named in the message.


@pytest.fixture
def curator_client(client, db, settings, tmp_path):
    from django.contrib.auth.models import Group, User

    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


def upload(client, monument, data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("admin:register_monumentimage_add"),
        {
            "monument": monument.pk,
            "image": SimpleUploadedFile(name, data),
            "caption": "The theatre",
            "alt_text": "The stage wall",
            "credit": "Test, CC0",
            "position": 0,
        },
    )


def test_an_uploaded_photo_is_stored_clean_with_a_thumbnail(curator_client, tetrapylon):
    from register.models import MonumentImage

    response = upload(curator_client, tetrapylon, photo_with_exif(orientation=6), "theatre.jpg")
    assert response.status_code == 302
    stored = MonumentImage.objects.get()
    kept = Image.open(stored.image.path)
    assert kept.size == (40, 60) and not kept.getexif()
    assert Image.open(stored.thumbnail.path).size == (40, 60)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "evil.jpg", "is not a readable"),
        (b"<html><script>alert(1)</script></html>", "page.jpg", "is not a readable"),
    ],
)
def test_a_disguised_upload_is_refused_in_the_admin_with_a_clear_message(
    curator_client, tetrapylon, data, name, message
):
    from register.models import MonumentImage

    response = upload(curator_client, tetrapylon, data, name)
    assert response.status_code == 200
    assert not MonumentImage.objects.exists()
    errors = " ".join(str(error) for error in response.context["adminform"].form.errors.get("image", []))
    assert message in errors or "Upload a valid image" in errors


def test_a_truncated_upload_is_refused_in_the_admin_naming_the_file(curator_client, tetrapylon):
    from register.models import MonumentImage

    whole = encode(Image.effect_noise((400, 300), 64).convert("RGB"), "JPEG")
    response = upload(curator_client, tetrapylon, whole[: len(whole) // 2], "cut.jpg")
    assert response.status_code == 200
    assert not MonumentImage.objects.exists()
    assert "cut.jpg is damaged or truncated" in response.text
