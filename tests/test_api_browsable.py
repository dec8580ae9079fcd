"""The browsable API renders a page of a list, its filter form and its page links, as it did before."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_browsable_api_renders_a_filtered_page_with_its_links(incident, make_incident, make_evidence):
    make_evidence(incident)
    make_evidence(make_incident(slug="tetrapylon-shelled", occurred="2016-05"))
    response = APIClient().get("/api/v1/incidents/", {"page_size": 1, "grade": "destroyed"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    # The record, the link to the next page (which the paginator makes from the page's last row), and the filters.
    assert "tetrapylon-" in page
    assert "cursor=" in page
    assert 'name="grade"' in page
