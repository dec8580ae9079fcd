"""Export the whole register to one archive, and restore it into an empty database.

The archive is a zip holding `data.json` (Django's serializer: primary keys kept
so the API's ids stay stable after a restore, foreign keys to users, groups,
permissions and content types written as natural keys so they resolve in a
fresh database; accounts and their API tokens included), `media/` (every uploaded file) and `manifest.json` (record
counts, article fingerprints and media checksums) against which a restore
verifies itself before it commits.
"""

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from register.models import Article, Monument
from register.services.condition import conditions_refresh

FORMAT_VERSION = 1
# What a restore brings back: the register with its edit history, the accounts and groups the history names,
# and the API tokens scripts authenticate with (as secret as the password hashes beside them). Sessions are left
# out: they expire and a curator logs in again.
EXPORTED_APPS = ("auth.group", "auth.user", "authtoken.token", "register")


class BackupError(Exception):
    """A backup could not be restored as it is; nothing was written."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    counts: dict[str, int]
    media_files: int


def _exported_models():
    models = []
    for label in EXPORTED_APPS:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    return models


def _counts() -> dict[str, int]:
    return {model._meta.label: model._meta.default_manager.count() for model in _exported_models()}


def _fingerprints() -> list[str]:
    return sorted(Article.objects.exclude(sha256=None).values_list("sha256", flat=True))


def _media_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_export(*, path: Path) -> BackupSummary:
    """Write the register, its history and its media to a zip archive at ``path``."""
    media_root = Path(settings.MEDIA_ROOT)
    media = _media_files(media_root)
    # One transaction so the records, counts and fingerprints describe one moment.
    with transaction.atomic():
        objects = (obj for model in _exported_models() for obj in model._meta.default_manager.order_by("pk"))
        data = serializers.serialize("json", objects, use_natural_foreign_keys=True, indent=1)
        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "counts": _counts(),
            "article_fingerprints": _fingerprints(),
            "media": {str(file.relative_to(media_root)): _sha256(file) for file in media},
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        archive.writestr("data.json", data)
        for file in media:
            archive.write(file, f"media/{file.relative_to(media_root)}")
    return BackupSummary(path=path, counts=manifest["counts"], media_files=len(media))


def _safe_members(archive: zipfile.ZipFile) -> None:
    for name in archive.namelist():
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"The archive holds an unsafe path: {name}")


def backup_restore(*, path: Path) -> BackupSummary:
    """Load an archive made by backup_export into an empty register, media included.

    Refuses a register that already holds monuments or articles, and rolls
    everything back when the loaded data does not match the manifest.
    """
    if Monument.objects.exists() or Article.objects.exists():
        raise BackupError("The register is not empty: restore only into a freshly migrated database.")
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path} is not a readable backup archive: {error}") from None
    with archive, tempfile.TemporaryDirectory() as scratch:
        _safe_members(archive)
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError:
            raise BackupError(f"{path} has no manifest.json: not an archive made by backup_export.") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"{path} is format {manifest.get('format')}; this version reads {FORMAT_VERSION}.")
        archive.extractall(scratch)
        media_dir = Path(scratch) / "media"
        for name, checksum in manifest["media"].items():
            if _sha256(media_dir / name) != checksum:
                raise BackupError(f"Media file {name} does not match its checksum in the manifest.")
        with transaction.atomic():
            call_command("loaddata", str(Path(scratch) / "data.json"), verbosity=0)
            # The stored public flags, conditions and counts are derived, never trusted from the archive (an older
            # one carries none): derive them from the events and evidence just loaded.
            conditions_refresh()
            counts, fingerprints = _counts(), _fingerprints()
            # A model an older archive did not export (API tokens, before they were kept) must come back empty.
            expected = {label: manifest["counts"].get(label, 0) for label in counts}
            if counts != expected or fingerprints != manifest["article_fingerprints"]:
                raise BackupError("The restored records do not match the manifest; nothing was restored.")
        media_root = Path(settings.MEDIA_ROOT)
        for name in manifest["media"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(media_dir / name, target)
    return BackupSummary(path=path, counts=counts, media_files=len(manifest["media"]))
