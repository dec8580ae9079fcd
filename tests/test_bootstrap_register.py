"""`manage.py bootstrap_register`: Palmyra once, an admin account once, edits kept."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from register.models import Monument

pytestmark = pytest.mark.django_db


def bootstrap():
    out = StringIO()
    call_command("bootstrap_register", stdout=out)
    return out.getvalue()


def test_bootstrap_loads_palmyra_and_creates_an_admin_with_a_printed_password():
    output = bootstrap()
    assert Monument.objects.filter(slug="tetrapylon").exists()
    password = output.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_bootstrap_again_keeps_curators_edits_and_creates_no_second_admin():
    bootstrap()
    Monument.objects.filter(slug="tetrapylon").update(description="Edited by a curator.")
    output = bootstrap()
    assert Monument.objects.get(slug="tetrapylon").description == "Edited by a curator."
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert "password" not in output.split("\n")[-2]
    assert "no account created" in output
