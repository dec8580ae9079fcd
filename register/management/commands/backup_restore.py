"""Restore an archive made by backup_export into an empty, migrated database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from register.services.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup_export archive into an empty, freshly migrated register; verify counts and fingerprints."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            summary = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        records = sum(summary.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {records} records and {summary.media_files} media files from {path}; "
                "counts and article fingerprints match the manifest."
            )
        )
