"""backup_export and backup_restore round-trip the whole register, media included."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from register.models import Article, Evidence, Incident, Monument, MonumentImage
from register.models.sources import Source
from register.services.backup import EXPORTED_APPS, _exported_models

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "#8a2b0f").save(buffer, "PNG")
    return buffer.getvalue()


def wipe_register():
    """Empty every exported table, as a freshly migrated database would be."""
    for model in reversed(_exported_models()):
        if model._meta.label != "auth.Group":
            model._default_manager.all()._raw_delete(model._default_manager.db)


@pytest.fixture
def register_with_media(settings, tmp_path, incident, make_evidence, site):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_evidence(incident)
    image = MonumentImage(monument=site, caption="Theatre", alt_text="The theatre", credit="Test")
    image.image.save("theatre.png", ContentFile(png_bytes()))
    return settings.MEDIA_ROOT


def counts():
    return {model._meta.label: model._default_manager.count() for model in _exported_models()}


def test_export_then_restore_into_an_empty_database_round_trips(register_with_media, tmp_path, settings):
    before = counts()
    fingerprints = list(Article.objects.values_list("sha256", flat=True))
    quote_ids = list(Evidence.objects.values_list("pk", "quote"))
    archive = tmp_path / "backup.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())

    wipe_register()
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    assert Monument.objects.count() == 0
    out = io.StringIO()
    call_command("backup_restore", str(archive), stdout=out)

    assert counts() == before
    assert list(Article.objects.values_list("sha256", flat=True)) == fingerprints
    assert list(Evidence.objects.values_list("pk", "quote")) == quote_ids
    image = MonumentImage.objects.get()
    assert image.image.read() == png_bytes()
    assert "counts and article fingerprints match" in out.getvalue()


def test_the_archive_holds_data_media_and_a_manifest(register_with_media, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        manifest = json.loads(opened.read("manifest.json"))
    assert {"manifest.json", "data.json"} <= names
    assert any(name.startswith("media/monuments/") for name in names)
    assert manifest["counts"]["register.Incident"] == 1
    assert manifest["article_fingerprints"] == list(Article.objects.values_list("sha256", flat=True))
    assert "register" in EXPORTED_APPS


def test_restore_into_a_register_that_holds_data_is_refused(register_with_media, tmp_path):
    archive = tmp_path / "backup.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_restore", str(archive))
    assert Incident.objects.count() == 1


def test_an_archive_whose_data_was_tampered_with_restores_nothing(register_with_media, tmp_path):
    archive, tampered = tmp_path / "backup.zip", tmp_path / "tampered.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["article_fingerprints"] = ["0" * 64]
                content = json.dumps(manifest).encode()
            target.writestr(item, content)
    wipe_register()
    with pytest.raises(CommandError, match="do not match the manifest"):
        call_command("backup_restore", str(tampered))
    assert Monument.objects.count() == Source.objects.count() == 0


def test_a_file_that_is_not_an_archive_is_refused_by_name(tmp_path, db):
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip")
    with pytest.raises(CommandError, match="notes.zip is not a readable backup archive"):
        call_command("backup_restore", str(bogus))


def test_api_tokens_survive_a_backup_round_trip(register_with_media, tmp_path, settings):
    user = User.objects.create_user("researcher-script", password="not-used-here-1")
    key = Token.objects.create(user=user).key
    archive = tmp_path / "backup.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())

    Token.objects.all().delete()
    wipe_register()
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("backup_restore", str(archive), stdout=io.StringIO())

    assert Token.objects.get(key=key).user.username == "researcher-script"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/monuments/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {'0' * 40}")
    assert api.get("/api/v1/monuments/").status_code == 401


def test_an_archive_made_before_tokens_were_kept_still_restores(register_with_media, tmp_path, settings):
    archive, older = tmp_path / "backup.zip", tmp_path / "older.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(older, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["counts"].pop("authtoken.Token", None)
                content = json.dumps(manifest).encode()
            elif item.filename == "data.json":
                content = json.dumps([row for row in json.loads(content) if row["model"] != "authtoken.token"]).encode()
            target.writestr(item, content)
    wipe_register()
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("backup_restore", str(older), stdout=io.StringIO())
    assert Incident.objects.count() == 1
    assert not Token.objects.exists()
