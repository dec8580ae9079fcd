"""Uploaded photographs are served at MEDIA_URL by the app (SERVE_MEDIA), with DEBUG off as with it on."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from register.models import MonumentImage
from register.services.monument_image_storage import monument_image_save
from tests.production_process import run_in_production

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), "#8a2b0f").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def photograph(settings, tmp_path, site):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = MonumentImage(monument=site, caption="Theatre", alt_text="The theatre", credit="Test")
    image.image = ContentFile(png_bytes(), name="theatre.png")
    return monument_image_save(image=image)


def request_in_production(url: str, media_root: Path, tmp_path: Path, **variables) -> dict:
    """GET ``url`` from a fresh process configured as `make serve` runs (DEBUG off); return what it answered."""
    script = (
        "import django, hashlib, json; django.setup(); from django.test import Client; "
        "client = Client(HTTP_HOST='register.example.org'); "
        f"response = client.get({url!r}, secure=True); "
        "body = b''.join(response.streaming_content) if response.streaming else response.content; "
        "print(json.dumps({'status': response.status_code, 'headers': dict(response.headers), "
        "'sha256': hashlib.sha256(body).hexdigest()}))"
    )
    result = run_in_production(script, tmp_path, MEDIA_ROOT=str(media_root), **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_uploaded_photograph_is_served_with_debug_off(photograph, settings, tmp_path):
    answer = request_in_production(photograph.image.url, settings.MEDIA_ROOT, tmp_path)
    assert answer["status"] == 200
    assert answer["headers"]["Content-Type"] == "image/png"
    assert answer["headers"]["X-Content-Type-Options"] == "nosniff"
    assert "max-age=" in answer["headers"]["Cache-Control"]
    assert answer["sha256"] == hashlib.sha256(Path(photograph.image.path).read_bytes()).hexdigest()
    thumbnail = request_in_production(photograph.thumbnail.url, settings.MEDIA_ROOT, tmp_path)
    assert thumbnail["status"] == 200


def test_with_serve_media_off_the_app_leaves_media_to_the_proxy(photograph, settings, tmp_path):
    answer = request_in_production(photograph.image.url, settings.MEDIA_ROOT, tmp_path, SERVE_MEDIA="false")
    assert answer["status"] == 404


def test_a_photograph_is_served_with_its_type_nosniff_a_lifetime_and_no_scripts(client, photograph):
    response = client.get(photograph.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == Path(photograph.image.path).read_bytes()


def test_an_unchanged_photograph_answers_304_to_a_conditional_request(client, photograph):
    last_modified = client.get(photograph.image.url)["Last-Modified"]
    assert client.get(photograph.image.url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "notes.txt", "script.js"])
def test_a_file_in_media_that_is_not_a_photograph_is_not_served(client, settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / name).write_text("<script>alert(1)</script>")
    response = client.get(f"/media/{name}")
    assert response.status_code == 404
    assert b"alert" not in response.content


def test_a_missing_photograph_answers_404(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/media/monuments/2026/missing.png").status_code == 404


@pytest.mark.parametrize(
    "path", ["/media/../secret.png", "/media/%2e%2e/secret.png", "/media/monuments/../../secret.png"]
)
def test_nothing_outside_media_root_is_served(client, settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (tmp_path / "secret.png").write_bytes(png_bytes())
    response = client.get(path)
    assert response.status_code in {400, 404}


def test_a_folder_in_media_is_not_listed(client, photograph):
    assert client.get("/media/monuments/").status_code == 404
