"""Curators never lose each other's work: stale saves refused, history with differences and reverts,
and no deletion of what evidence or an event points to."""

import threading

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from register.models import Artefact, Incident, Monument, Source
from tests.conftest import published

pytestmark = pytest.mark.django_db


def make_curator(name: str) -> User:
    user = User.objects.create_user(name, is_staff=True)
    # A transactional test that ran before flushed the group its data migration made; the
    # permissions themselves come back after every flush, so the group is rebuilt from them.
    group, created = Group.objects.get_or_create(name="Curators")
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="register"))
    user.groups.add(group)
    return user


def logged_in(user: User) -> Client:
    # raise_request_exception off: a lost race is answered by middleware, as a browser would see it.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def form_data(response) -> dict:
    """Return what a browser posts back for an admin change form left as it is."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            data[field.html_name] = "on" if value is True else str(value)
    return data


@pytest.fixture
def curators(db):
    return logged_in(make_curator("amal")), logged_in(make_curator("bruno"))


@pytest.fixture
def evidenced_incident(incident, make_evidence):
    make_evidence(incident)
    return incident


def change_url(obj) -> str:
    return reverse(f"admin:register_{obj._meta.model_name}_change", args=[obj.pk])


def test_a_stale_admin_save_is_refused_and_the_first_change_stays(curators, evidenced_incident):
    first, second = curators
    url = change_url(evidenced_incident)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))

    first_form["summary_en"] = "Blown up; two columns left standing (ASOR imagery)."
    assert first.post(url, first_form).status_code == 302
    second_form["summary_en"] = "Destroyed."
    response = second.post(url, second_form)

    assert response.status_code == 200
    assert "Another curator saved this record after you opened it" in response.text
    evidenced_incident.refresh_from_db()
    assert evidenced_incident.summary == "Blown up; two columns left standing (ASOR imagery)."
    assert evidenced_incident.version == 2


def test_a_stale_evidence_inline_save_is_refused(curators, evidenced_incident):
    first, second = curators
    url = change_url(evidenced_incident)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))
    note_field = next(name for name in first_form if name.endswith("-note"))
    first_form[note_field] = "Checked against the AFP wire."
    assert first.post(url, first_form).status_code == 302
    second_form[note_field] = "Unchecked."
    response = second.post(url, second_form)
    assert response.status_code == 200
    assert evidenced_incident.evidence.get().note == "Checked against the AFP wire."


def test_saving_the_form_just_saved_again_is_refused_too(curators, evidenced_incident):
    first, _ = curators
    url = change_url(evidenced_incident)
    form = form_data(first.get(url))
    form["summary_en"] = "Once."
    assert first.post(url, form).status_code == 302
    form["summary_en"] = "Twice, from the same old page."
    assert first.post(url, form).status_code == 200
    evidenced_incident.refresh_from_db()
    assert evidenced_incident.summary == "Once."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_admin_saves_exactly_one_is_kept(tetrapylon, make_incident, make_evidence):
    incident = make_incident()
    make_evidence(incident)
    clients = [logged_in(make_curator(name)) for name in ("amal", "bruno")]
    url = change_url(incident)
    forms = [form_data(client.get(url)) for client in clients]
    barrier, statuses = threading.Barrier(2), {}

    def save(index: int) -> None:
        forms[index]["summary_en"] = f"Summary by curator {index}."
        barrier.wait()
        try:
            statuses[index] = clients[index].post(url, forms[index]).status_code
        finally:
            connection.close()  # each thread has its own connection; leave none open on the test database

    threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # The loser is refused by the form (200, with the message) or, if it got past the form, by the
    # version check in its UPDATE (409).
    assert sorted(statuses.values()) in ([200, 302], [302, 409])
    winner = next(index for index, status in statuses.items() if status == 302)
    incident.refresh_from_db()
    assert incident.summary == f"Summary by curator {winner}."
    assert incident.version == 2


def test_history_shows_who_changed_what(curators, evidenced_incident):
    first, _ = curators
    url = change_url(evidenced_incident)
    form = form_data(first.get(url))
    form["perpetrator"] = "Islamic State"
    first.post(url, form)
    history = first.get(reverse("admin:register_incident_history", args=[evidenced_incident.pk]))
    assert history.status_code == 200
    assert "amal" in history.text
    # simple-history lists each change with the field and its old and new values.
    latest = history.context["page_obj"].object_list[0]
    changes = {change["field"]: (change["old"], change["new"]) for change in latest.history_delta_changes}
    assert changes["Reported perpetrator"] == ("", "Islamic State")
    assert "Summary" not in changes
    assert "Islamic State" in history.text


def test_a_curator_reverts_a_record_to_an_earlier_version(curators, evidenced_incident):
    first, _ = curators
    url = change_url(evidenced_incident)
    form = form_data(first.get(url))
    form["summary_en"] = "A wrong summary."
    first.post(url, form)
    original = evidenced_incident.history.earliest("history_date")
    revert_url = reverse("admin:register_incident_simple_history", args=[evidenced_incident.pk, original.history_id])

    response = first.post(revert_url, form_data(first.get(revert_url)))

    assert response.status_code == 302
    evidenced_incident.refresh_from_db()
    assert evidenced_incident.summary == "Destroyed."
    assert evidenced_incident.history.count() == 3


def test_a_revert_form_opened_before_another_change_is_refused(curators, evidenced_incident):
    first, second = curators
    original = evidenced_incident.history.earliest("history_date")
    revert_url = reverse("admin:register_incident_simple_history", args=[evidenced_incident.pk, original.history_id])
    stale_revert = form_data(first.get(revert_url))
    url = change_url(evidenced_incident)
    form = form_data(second.get(url))
    form["summary_en"] = "A later, better summary."
    second.post(url, form)

    assert first.post(revert_url, stale_revert).status_code == 200
    evidenced_incident.refresh_from_db()
    assert evidenced_incident.summary == "A later, better summary."


@pytest.fixture
def pointed_at(article, make_evidence):
    """An article, a cited source, a monument and an artefact, each pointed at by evidence or an event."""
    sohr = Source.objects.create(name="Syrian Observatory", slug="sohr", kind="monitor")
    bust = Artefact.objects.create(name="Funerary bust", slug="bust")
    smashed = Incident.objects.create(
        slug="bust-smashed",
        artefact=bust,
        kind="damaged",
        grade="severe",
        occurred="2015",
        summary="Smashed.",
        **published(),
    )
    evidence = make_evidence(smashed, cited_source=sohr)
    arch = Monument.objects.create(name="Monumental Arch", slug="monumental-arch", kind="arch")
    destroyed = Incident.objects.create(
        slug="arch-destroyed",
        monument=arch,
        kind="destroyed",
        grade="destroyed",
        occurred="2015",
        summary="Gone.",
        **published(),
    )
    return {
        "article": (article, str(evidence)),
        "source": (sohr, str(evidence)),
        "artefact": (bust, str(smashed)),
        "monument": (arch, str(destroyed)),
    }


@pytest.mark.parametrize("target", ["article", "source", "monument", "artefact"])
def test_deleting_what_evidence_or_an_event_points_to_is_refused_naming_it(curators, pointed_at, target):
    first, _ = curators
    obj, dependant = pointed_at[target]
    delete_url = reverse(f"admin:register_{obj._meta.model_name}_delete", args=[obj.pk])

    page = first.get(delete_url)

    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.text
    assert escape(dependant) in page.text
    first.post(delete_url, {"post": "yes"})
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_api_writes_with_the_same_if_match_exactly_one_is_kept(site):
    from rest_framework.test import APIClient

    clients = []
    for name in ("amal", "bruno"):
        client = APIClient()
        client.force_authenticate(make_curator(name))
        clients.append(client)
    etag = APIClient().get("/api/v1/monuments/palmyra/").headers["ETag"]
    barrier, statuses = threading.Barrier(2), {}

    def write(index: int) -> None:
        barrier.wait()
        try:
            response = clients[index].patch(
                "/api/v1/monuments/palmyra/", {"description": f"By {index}."}, format="json", HTTP_IF_MATCH=etag
            )
            statuses[index] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [200, 412]
    winner = next(index for index, status in statuses.items() if status == 200)
    site.refresh_from_db()
    assert site.description == f"By {winner}."
