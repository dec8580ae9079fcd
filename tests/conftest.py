"""Shared test data, built with objects.create so each test shows what it needs."""

import io
import logging

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from register.models import AlternateName, Artefact, Article, Evidence, Incident, Monument, Source, fingerprint
from register.models.vocabularies import DamageGrade, IncidentKind, MonumentKind, PublicationState, SourceKind
from register.services.condition import conditions_refresh_for

BODY = (
    "Last month, IS destroyed Palmyra's tetrapylon monument, while satellite images showed damage "
    'to the theatre\'s facade.\n\nThe new destruction was condemned by the United Nations as a "war crime."'
)
QUOTE = "IS destroyed Palmyra's tetrapylon monument"


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests when the suite runs on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def default_language():
    """Start each test in the default language: a request leaves its language (/ar/) active in the thread."""
    yield
    translation.deactivate()


@pytest.fixture
def afp(db):
    return Source.objects.create(name="Agence France-Presse", slug="afp", short_name="AFP", kind=SourceKind.NEWS_AGENCY)


@pytest.fixture
def article(afp):
    raw = "date 2017-03-02 Test report\n\n" + BODY + "\n"
    return Article.objects.create(
        title="Test report", publisher=afp, raw_text=raw, body=BODY, sha256=fingerprint(raw), published="2017-03-02"
    )


@pytest.fixture
def site(db):
    return Monument.objects.create(name="Palmyra", slug="palmyra", kind=MonumentKind.SITE)


@pytest.fixture
def tetrapylon(site):
    return Monument.objects.create(
        name="Tetrapylon", slug="tetrapylon", kind=MonumentKind.TETRAPYLON, part_of=site, condition_baseline="good"
    )


def published() -> dict:
    """Return the fields of a record a curator has published, for the records a test makes directly."""
    return {"state": PublicationState.PUBLISHED, "published": timezone.now()}


def publish_as_curator(event, *, summary: str = "A curator's summary of what the evidence says."):
    """Complete a draft as a curator does (a summary of their own, a grade for damage) and publish it."""
    from register.services.publication import publish

    completed = {"summary": summary}
    if isinstance(event, Incident):
        completed["grade"] = event.grade or DamageGrade.SEVERE
    type(event).objects.filter(pk=event.pk).update(**completed)
    event.refresh_from_db()
    publish(event)
    return event


@pytest.fixture
def make_incident(tetrapylon):
    def make(*, slug="tetrapylon-destroyed", occurred="2017-01", grade=DamageGrade.DESTROYED, **fields):
        fields.setdefault("monument", tetrapylon)
        # Published, as most tests need a record the public sees once quoted; drafts are asked for by state.
        fields.setdefault("state", PublicationState.PUBLISHED)
        if fields["state"] != PublicationState.DRAFT:
            fields.setdefault("published", timezone.now())
        return Incident.objects.create(
            slug=slug,
            kind=fields.pop("kind", IncidentKind.DESTROYED),
            grade=grade,
            occurred=occurred,
            summary=fields.pop("summary", "Destroyed."),
            **fields,
        )

    return make


@pytest.fixture
def incident(make_incident):
    return make_incident()


@pytest.fixture
def make_evidence(article):
    def make(event, quote=QUOTE, **fields):
        target = {event._meta.model_name: event}
        evidence = Evidence.objects.create(
            article=fields.pop("article", article), quote=quote, position=article.body.index(quote), **target, **fields
        )
        # As the admin, the API and the importer do after a change to evidence: keep the stored condition true.
        conditions_refresh_for(records=[evidence])
        return evidence

    return make


@pytest.fixture
def palmyra_names(site, tetrapylon):
    """Return Palmyra's monuments and the busts by slug, with the alternate names reports use (no evidence)."""
    parts = {
        "roman-theatre": ("Roman Theatre", MonumentKind.THEATRE, ["Roman Theater", "Roman amphitheatre"]),
        "monumental-arch": ("Monumental Arch", MonumentKind.ARCH, ["Arch of Triumph"]),
        "funerary-towers": ("Funerary towers", MonumentKind.TOMB, ["tower tombs"]),
        "citadel": ("Citadel", MonumentKind.FORTIFICATION, ["Palmyra Castle"]),
        "palmyra-museum": ("Palmyra Museum", MonumentKind.MUSEUM, []),
    }
    subjects = {"palmyra": site, "tetrapylon": tetrapylon}
    AlternateName.objects.create(monument=site, name="Tadmur", language="ar-Latn")
    for slug, (name, kind, alternates) in parts.items():
        subjects[slug] = Monument.objects.create(name=name, slug=slug, kind=kind, part_of=site)
        for alternate in alternates:
            AlternateName.objects.create(monument=subjects[slug], name=alternate, language="en")
    subjects["funerary-busts"] = Artefact.objects.create(
        name="Two funerary busts (a man and a woman)", slug="funerary-busts", origin=subjects["palmyra-museum"]
    )
    return subjects


@pytest.fixture
def curator(db):
    """A staff member in the Curators group (made by data migration 0002), not a superuser."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def stderr_log():
    """Swap the stream of the stderr handler the settings configure (the server's log) for a buffer; give the buffer."""
    handler = next((h for h in logging.getLogger().handlers if h.name == "stderr"), None)
    assert handler is not None, "the root logger has no handler named 'stderr'"
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.fixture(scope="session", autouse=True)
def throttle_counts_of_this_run(tmp_path_factory):
    """Count the API throttle in this run's own directory, not in var/cache beside a developer's server."""
    throttle = django_settings.CACHES["throttle"]
    if throttle["BACKEND"] != "django.core.cache.backends.filebased.FileBasedCache":
        yield
        return
    location = tmp_path_factory.mktemp("throttle")
    with override_settings(CACHES={**django_settings.CACHES, "throttle": {**throttle, "LOCATION": location}}):
        yield
