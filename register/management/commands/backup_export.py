"""Write the whole register (records, history, accounts and API tokens, media) to one zip archive."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from register.services.backup import backup_export


class Command(BaseCommand):
    help = "Export the whole register, its edit history, accounts and API tokens, and its media to a zip archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="Archive to write (default: var/backups/register-<UTC timestamp>.zip).",
        )

    def handle(self, *args, path, **options):
        if path is None:
            path = Path("var/backups") / f"register-{timezone.now():%Y%m%dT%H%M%SZ}.zip"
        summary = backup_export(path=path)
        records = sum(summary.counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {summary.path}: {records} records, {summary.media_files} media files.")
        )
