"""Store every monument's and artefact's condition now, derived from their evidenced events."""

from django.core.management.base import BaseCommand

from register.services.condition import conditions_refresh


class Command(BaseCommand):
    help = "Recompute the stored condition of every monument and artefact (after loaddata or a bulk change)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="Subjects read per batch.")

    def handle(self, *args, batch_size, **options):
        changed = conditions_refresh(batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(f"Stored conditions refreshed: {changed} changed."))
