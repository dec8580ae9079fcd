"""Deleting a record through the API or the admin: what nothing points to goes, and a record gone is a 404."""

import threading
from functools import partial

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from register.models import Artefact, Monument

pytestmark = pytest.mark.django_db


def make_curator(name: str) -> User:
    user = User.objects.create_user(name, is_staff=True)
    # A transactional test flushes the group its data migration made; the permissions come back after a flush.
    group, created = Group.objects.get_or_create(name="Curators")
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="register"))
    user.groups.add(group)
    return user


def api_for(user: User) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.fixture
def curator_api(db):
    return api_for(make_curator("amal"))


@pytest.fixture
def admin_client_of_a_curator(db):
    client = Client(raise_request_exception=False)
    client.force_login(make_curator("bruno"))
    return client


@pytest.fixture
def unreferenced(site):
    """A monument and an artefact nothing points to."""
    return {
        "monument": Monument.objects.create(name="Temple of Nabu", slug="temple-of-nabu", kind="temple", part_of=site),
        "artefact": Artefact.objects.create(name="Lion of Al-lat", slug="lion-of-al-lat", origin=site),
    }


def etag(client: APIClient, url: str) -> str:
    return client.get(url).headers["ETag"]


@pytest.mark.parametrize("kind", ["monument", "artefact"])
def test_a_curator_deletes_a_monument_or_artefact_nothing_points_to_through_the_api(curator_api, unreferenced, kind):
    record = unreferenced[kind]
    url = f"/api/v1/{kind}s/{record.slug}/"

    response = curator_api.delete(url, HTTP_IF_MATCH=etag(curator_api, url))

    assert response.status_code == 204, response.content
    assert not type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", ["monument", "artefact"])
def test_a_curator_deletes_a_monument_or_artefact_nothing_points_to_in_the_admin(
    admin_client_of_a_curator, unreferenced, kind
):
    record = unreferenced[kind]
    url = reverse(f"admin:register_{kind}_delete", args=[record.pk])

    response = admin_client_of_a_curator.post(url, {"post": "yes"})

    assert response.status_code == 302, response.content[:2000]
    assert not type(record).objects.filter(pk=record.pk).exists()


def test_the_admin_deletes_several_monuments_at_once(admin_client_of_a_curator, unreferenced, site):
    other = Monument.objects.create(name="Agora", slug="agora", kind="other", part_of=site)
    chosen = [unreferenced["monument"].pk, other.pk]

    response = admin_client_of_a_curator.post(
        reverse("admin:register_monument_changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )

    assert response.status_code == 302
    assert not Monument.objects.filter(pk__in=chosen).exists()


def test_deleting_a_record_already_deleted_answers_404(curator_api, unreferenced):
    url = "/api/v1/monuments/temple-of-nabu/"
    current = etag(curator_api, url)
    assert curator_api.delete(url, HTTP_IF_MATCH=current).status_code == 204

    response = curator_api.delete(url, HTTP_IF_MATCH=current)

    assert response.status_code == 404
    assert "detail" in response.json()


def race(*requests) -> list[int]:
    """Send each request from its own thread and connection at the same moment; return their statuses in order."""
    barrier, statuses = threading.Barrier(len(requests)), [None] * len(requests)

    def send(index: int) -> None:
        barrier.wait()
        try:
            statuses[index] = requests[index]().status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


ROUNDS = 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_racing_deletes_of_one_record_one_deletes_it_and_the_other_answers_404(site):
    clients = [api_for(make_curator(name)) for name in ("amal", "bruno")]
    outcomes = []
    for round_ in range(ROUNDS):
        slug = f"temple-{round_}"
        Monument.objects.create(name=f"Temple {round_}", slug=slug, kind="temple", part_of=site)
        url = f"/api/v1/monuments/{slug}/"
        current = etag(clients[0], url)
        outcomes.append(sorted(race(*(partial(client.delete, url, HTTP_IF_MATCH=current) for client in clients))))

    assert outcomes == [[204, 404]] * ROUNDS
    assert not Monument.objects.filter(slug__startswith="temple-").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_delete_racing_an_edit_either_deletes_or_is_refused_never_a_server_error(site):
    deleter, editor = api_for(make_curator("amal")), api_for(make_curator("bruno"))
    outcomes = set()
    for round_ in range(ROUNDS):
        slug = f"temple-{round_}"
        Monument.objects.create(name=f"Temple {round_}", slug=slug, kind="temple", part_of=site)
        url = f"/api/v1/monuments/{slug}/"
        current = etag(deleter, url)
        deleted, edited = race(
            partial(deleter.delete, url, HTTP_IF_MATCH=current),
            partial(editor.patch, url, {"description": "Edited."}, format="json", HTTP_IF_MATCH=current),
        )
        # Whichever locks the row first wins: the other finds it gone (404) or changed since it was read (412).
        assert (deleted, edited) in {(204, 404), (412, 200)}, (round_, deleted, edited)
        outcomes.add((deleted, edited))
        exists = Monument.objects.filter(slug=slug).exists()
        assert exists == (edited == 200)
