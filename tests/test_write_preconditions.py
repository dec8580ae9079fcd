"""A write to a record names the version it was made from (If-Match), so no curator's change is lost unseen."""

import pytest
from django.contrib.auth.models import Group, User
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from register.models import Monument

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_api(db):
    user = User.objects.create_user("curator")
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.force_authenticate(user)
    return client


BODY = {"name": "Tadmur", "slug": "palmyra", "kind": "site"}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_without_if_match_answers_428_saying_to_send_the_etag(curator_api, site, method):
    response = getattr(curator_api, method)("/api/v1/monuments/palmyra/", BODY, format="json")

    assert response.status_code == 428
    assert response["Content-Type"] == "application/json"
    assert "If-Match" in response.json()["detail"] and "ETag" in response.json()["detail"]
    site.refresh_from_db()
    assert (site.name, site.version) == ("Palmyra", 1)


def test_two_writers_without_if_match_cannot_overwrite_each_other(curator_api, site):
    first = curator_api.patch("/api/v1/monuments/palmyra/", {"description": "First."}, format="json")
    second = curator_api.patch("/api/v1/monuments/palmyra/", {"description": "Second."}, format="json")

    assert (first.status_code, second.status_code) == (428, 428)
    assert Monument.objects.get(pk=site.pk).description == ""


def test_the_etag_read_lets_one_write_through_and_the_next_must_read_again(curator_api, site):
    etag = curator_api.get("/api/v1/monuments/palmyra/").headers["ETag"]

    first = curator_api.patch(
        "/api/v1/monuments/palmyra/", {"description": "First."}, format="json", HTTP_IF_MATCH=etag
    )
    second = curator_api.patch(
        "/api/v1/monuments/palmyra/", {"description": "Second."}, format="json", HTTP_IF_MATCH=etag
    )

    assert (first.status_code, second.status_code) == (200, 412)
    assert Monument.objects.get(pk=site.pk).description == "First."


def test_a_write_to_a_record_that_does_not_exist_answers_404_before_asking_for_if_match(curator_api, site):
    assert curator_api.patch("/api/v1/monuments/atlantis/", {}, format="json").status_code == 404


def test_creating_a_record_needs_no_if_match(curator_api, site):
    body = {"name": "Temple of Bel", "slug": "temple-of-bel", "kind": "temple", "part_of": "palmyra"}
    assert curator_api.post("/api/v1/monuments/", body, format="json").status_code == 201


def test_the_schema_says_if_match_is_required_and_documents_428():
    openapi = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in openapi["paths"].items():
        for method in {"put", "patch", "delete"} & set(operations):
            operation = operations[method]
            if_match = [parameter for parameter in operation["parameters"] if parameter["name"] == "If-Match"]
            assert [parameter["required"] for parameter in if_match] == [True], (path, method)
            assert "ETag" in if_match[0]["description"]
            assert "428" in operation["responses"], (path, method)
            assert "If-Match" in operation["responses"]["428"]["description"]
