"""A list is read as rows: no record of its page is made a model instance, so none outlives the request."""

import gc

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from register.models import Incident, Monument

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    # Generated, so that no fixture holds records of its own.
    call_command("generate_register", monuments=12, seed=2, verbosity=0)


@pytest.mark.parametrize(("path", "model"), [("/api/v1/incidents/", Incident), ("/api/v1/monuments/", Monument)])
def test_a_page_leaves_no_record_behind_when_its_request_ends(register, path, model):
    def alive() -> list:
        # type(), not isinstance(): some objects alive (lazy settings) must not be touched.
        return [thing for thing in gc.get_objects() if type(thing) is model]

    client = APIClient()
    client.get(path, {"page_size": 6})
    gc.collect()
    gc.disable()
    try:
        before = {id(record) for record in alive()}
        response = client.get(path, {"page_size": 6})
        kept = [record for record in alive() if id(record) not in before]
    finally:
        gc.enable()
    results = response.json()["results"]
    assert len(results) == 6 and response.json()["next"]
    # With the collector off, whatever a cycle held would still be here.
    assert kept == []
