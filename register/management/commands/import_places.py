"""Import places from CSV or GeoJSON files: ``manage.py import_places fixtures/places/*.csv``."""

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from register.services.places_import import PlacesImportResult, PlacesStatus, places_import_file


class Command(BaseCommand):
    help = (
        "Import places (monuments and their alternate names) from CSV files with a header row or GeoJSON "
        "FeatureCollections. A row is matched to the register's monument by its Wikidata id, else its slug. Each "
        "file is checked whole first: a file with any bad row imports nothing and every bad row is reported "
        "with its line or feature and column, and the other files still import. Importing a file again changes "
        "nothing. Exits with status 1 when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="CSV (.csv) or GeoJSON (.geojson, .json) files.")
        parser.add_argument("--dry-run", action="store_true", help="Check the files and report; write nothing.")
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["text", "json"],
            default="text",
            help="json: one JSON object per file (file, status, created, updated, unchanged, errors).",
        )

    def handle(self, *args, paths, dry_run, output_format, **options):
        counts = Counter()
        terminal = self.stdout.isatty()
        for path in map(Path, paths):
            # A bar only for a person at a terminal; piped output stays one object or block per file.
            with tqdm(unit=" rows", desc=path.name, leave=False, disable=not terminal) as bar:
                result = places_import_file(path=path, dry_run=dry_run, progress=bar.update)
            counts[result.status] += 1
            with tqdm.external_write_mode():
                if output_format == "json":
                    self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
                else:
                    self.stdout.write(self._report(result))
        summary = _("%(files)s: %(imported)s imported, %(unchanged)s unchanged, %(failed)s failed.") % {
            "files": ngettext("%(count)s file", "%(count)s files", len(paths)) % {"count": len(paths)},
            "imported": counts[PlacesStatus.IMPORTED],
            "unchanged": counts[PlacesStatus.UNCHANGED],
            "failed": counts[PlacesStatus.FAILED],
        }
        if dry_run:
            summary = _("%(summary)s A dry run: nothing was written.") % {"summary": summary}
        if counts[PlacesStatus.FAILED]:
            raise CommandError(summary)
        # In JSON mode stdout carries only the objects; the summary goes to stderr.
        (self.stderr if output_format == "json" else self.stdout).write(summary)

    def _report(self, result: PlacesImportResult) -> str:
        values = {
            "file": result.file,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "count": len(result.errors),
        }
        if result.status == PlacesStatus.FAILED:
            heading = ngettext(
                "failed     %(file)s: %(count)s fault; nothing of the file was imported.",
                "failed     %(file)s: %(count)s faults; nothing of the file was imported.",
                len(result.errors),
            )
            lines = [self.style.ERROR(heading % values), *(f"    {error}" for error in result.errors)]
            return "\n".join(lines)
        if result.status == PlacesStatus.UNCHANGED:
            return _("unchanged  %(file)s: every place is already as the file gives it (%(unchanged)s).") % values
        message = (
            _("would import %(file)s: %(created)s to create, %(updated)s to update, %(unchanged)s unchanged.")
            if result.dry_run
            else _("imported   %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        )
        return self.style.SUCCESS(message % values)
