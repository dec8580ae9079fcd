"""Write the bulk download: the whole register as one ZIP of JSON Lines and CSV, served at /api/v1/bulk/latest.zip."""

from django.core.management.base import BaseCommand

from register.services.bulk_export import bulk_export


class Command(BaseCommand):
    help = "Write var/exports/heritage-register-<date>.zip (JSON Lines, CSV, README with licence and citation)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address, such as https://register.example.org, to make the records' URLs absolute.",
        )

    def handle(self, *args, base_url, **options):
        export = bulk_export(base_url=base_url)
        records = ", ".join(f"{count} {name}" for name, count in export.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {export.path} ({export.path.stat().st_size} bytes): {records}."))
