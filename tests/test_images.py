"""Uploaded photographs: real images only, within limits, without metadata, upright, with thumbnails."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from register.services import images
from register.services.images import image_clean


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
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
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
