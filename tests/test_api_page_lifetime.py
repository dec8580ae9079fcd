"""A list's response refers to none of its page's records: they are freed as the view returns, not by the collector."""

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


@pytest.mark.parametrize(
    ("path", "model", "most"),
    # The first and last row, and for monuments the site each of those two is part of.
    [("/api/v1/incidents/", Incident, 2), ("/api/v1/monuments/", Monument, 4)],
)
def test_a_page_outlives_its_request_only_by_the_rows_its_links_name(register, path, model, most):
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
    # The paginator keeps the first and last row for the page's links; the rest were freed when the view returned
    # (with the collector off, whatever a cycle held would still be here).
    assert {results[0]["id"], results[-1]["id"]} <= {record.pk for record in kept}
    assert len(kept) <= most
