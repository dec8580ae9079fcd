"""Prepare a development register: Palmyra data once, and an admin account once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from register.models import Monument
from register.services.condition import conditions_refresh


class Command(BaseCommand):
    help = (
        "Load the Palmyra fixture into an empty register and create an 'admin' superuser with a random "
        "password (printed once) when no superuser exists. Running it again changes nothing, so curators' "
        "edits to the Palmyra records survive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    @transaction.atomic
    def handle(self, *args, username, **options):
        if Monument.objects.exists():
            self.stdout.write("Register already holds data: fixture not loaded again.")
        else:
            call_command("loaddata", "palmyra", verbosity=0)
            # loaddata writes rows as they are; the stored condition is derived from the events just loaded.
            conditions_refresh()
            self.stdout.write(self.style.SUCCESS(f"Loaded the Palmyra fixture: {Monument.objects.count()} monuments."))

        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists: no account created.")
            return
        password = secrets.token_urlsafe(15)
        users.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.WARNING(f"Created superuser '{username}' with password: {password}"))
        self.stdout.write("The password is shown this once; change it in the admin.")
