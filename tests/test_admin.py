"""The curators' admin: access, permissions, search, query counts, inline editing and history."""

import datetime as dt
import hashlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalChanges

from register.models import (
    AlternateName,
    Artefact,
    Article,
    Assessment,
    Correction,
    Evidence,
    Incident,
    Mention,
    Monument,
    MonumentImage,
    ReceivedFile,
    Restoration,
    Source,
    Suggestion,
    SuggestionStatus,
    fingerprint,
)
from register.models.vocabularies import (
    DamageGrade,
    IncidentKind,
    MonumentKind,
    RestorationKind,
    SourceKind,
    Stance,
)
from tests.conftest import published

curators_migration = importlib.import_module("register.migrations.0002_curators_group")

REGISTER_ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label == "register"]

# From seed 000 (AFP, carried by Pulse), with the page furniture removed.
BODY = (
    "Syrian government forces backed by Russian soldiers advanced Wednesday to the outskirts of ancient "
    "Palmyra after battles with the Islamic State group, a monitor and a military source said.\n\n"
    "IS has ravaged the city's celebrated heritage, blowing up funerary towers and carrying out mass "
    "executions in the city's Roman theatre.\n\n"
    "Last month, IS destroyed Palmyra's tetrapylon monument, while satellite images showed damage to the "
    "theatre's facade.\n\n"
    "On Wednesday, two funeral busts damaged by IS after it first captured Palmyra were brought back to "
    "Syria after being restored in Italy."
)
RAW_TEXT = "date 2017-03-02 In Syria Army advances to outskirts of IS-held Palmyra\n\n" + BODY + "\n\nPulse By AFP\n"
INCIDENT_QUOTE = "IS destroyed Palmyra's tetrapylon monument"
SUGGESTED_QUOTE = "Last month, IS destroyed Palmyra's tetrapylon monument"
RESTORATION_QUOTE = "two funeral busts damaged by IS after it first captured Palmyra were brought back to Syria"


@pytest.fixture
def register(db):
    """Build one of each register model, Palmyra-shaped."""
    afp = Source.objects.create(name="Agence France-Presse", slug="afp", short_name="AFP", kind=SourceKind.NEWS_AGENCY)
    pulse = Source.objects.create(name="Pulse News Agency International", slug="pulse", kind=SourceKind.OUTLET)
    sohr = Source.objects.create(
        name="Syrian Observatory for Human Rights", slug="sohr", short_name="SOHR", kind=SourceKind.MONITOR
    )
    iscr = Source.objects.create(
        name="Istituto Superiore per la Conservazione ed il Restauro",
        slug="iscr",
        short_name="ISCR",
        kind=SourceKind.RESEARCH,
        country="Italy",
    )
    palmyra = Monument.objects.create(name="Palmyra", slug="palmyra", kind=MonumentKind.SITE, unesco_ref="C 23bis")
    tetrapylon = Monument.objects.create(
        name="Tetrapylon", slug="tetrapylon", kind=MonumentKind.TETRAPYLON, part_of=palmyra
    )
    arabic_name = AlternateName.objects.create(monument=palmyra, name="تدمر", language="ar")
    AlternateName.objects.create(monument=palmyra, name="Bride of the Desert", language="en")
    AlternateName.objects.create(monument=tetrapylon, name="التترابيل", language="ar")
    image = MonumentImage.objects.create(
        monument=tetrapylon,
        image="monuments/2014/tetrapylon.jpg",
        caption="The Tetrapylon before 2015",
        alt_text="Four groups of columns on a square platform",
        credit="Example photographer, CC BY-SA 4.0",
    )
    bust = Artefact.objects.create(name="Funerary bust of a man", slug="funerary-bust-man", origin=palmyra)
    article = Article.objects.create(
        title="In Syria Army advances to outskirts of IS-held Palmyra",
        publisher=afp,
        carried_by=pulse,
        raw_text=RAW_TEXT,
        body=BODY,
        sha256=fingerprint(RAW_TEXT),
        published=dt.date(2017, 3, 2),
    )
    incident = Incident.objects.create(
        slug="tetrapylon-destroyed",
        monument=tetrapylon,
        kind=IncidentKind.DESTROYED,
        grade=DamageGrade.DESTROYED,
        occurred="2017-01",
        perpetrator="Islamic State group",
        summary="The Tetrapylon was blown up; two columns were left standing.",
        **published(),
    )
    restoration = Restoration.objects.create(
        slug="funerary-bust-man-restored",
        artefact=bust,
        kind=RestorationKind.RESTORATION,
        institution=iscr,
        place="Rome",
        country="Italy",
        finished="2017-02",
        returned="2017-02-28/2017-03-01",
        summary="Restored at the ISCR and returned to Syria.",
        **published(),
    )
    incident_evidence = Evidence.objects.create(
        article=article, incident=incident, quote=INCIDENT_QUOTE, position=BODY.index(INCIDENT_QUOTE)
    )
    assessment = Assessment.objects.create(
        slug="tetrapylon-assessed-2017",
        monument=tetrapylon,
        assessed="2017-02",
        condition="destroyed",
        method="satellite_imagery",
        summary="Two columns left standing.",
        **published(),
    )
    Evidence.objects.create(
        article=article, assessment=assessment, quote=INCIDENT_QUOTE, position=BODY.index(INCIDENT_QUOTE)
    )
    restoration_evidence = Evidence.objects.create(
        article=article,
        restoration=restoration,
        quote=RESTORATION_QUOTE,
        position=BODY.index(RESTORATION_QUOTE),
        stance=Stance.SUPPORTS,
        cited_source=sohr,
    )
    mention = Mention.objects.create(
        article=article, monument=tetrapylon, text="tetrapylon", position=BODY.index("tetrapylon")
    )
    suggestion = Suggestion.objects.create(
        article=article,
        monument=tetrapylon,
        quote=SUGGESTED_QUOTE,
        position=BODY.index(SUGGESTED_QUOTE),
        kind=IncidentKind.DESTROYED,
        subject_text="Palmyra's tetrapylon monument",
        trigger="destroyed",
        date_phrase="Last month",
        asserted="2017-02",
    )
    received = ReceivedFile.objects.create(
        sha256=hashlib.sha256(b"<html></html>").hexdigest(), format="html", name="page.html", size=13,
        content=b"<html></html>",
    )  # fmt: skip
    correction = Correction.objects.create(incident=incident, note="The date was first given as 2016.")
    return SimpleNamespace(
        afp=afp,
        pulse=pulse,
        sohr=sohr,
        iscr=iscr,
        palmyra=palmyra,
        tetrapylon=tetrapylon,
        bust=bust,
        article=article,
        incident=incident,
        restoration=restoration,
        incident_evidence=incident_evidence,
        suggestion=suggestion,
        by_model={
            Mention: mention,
            Suggestion: suggestion,
            Source: afp,
            Monument: palmyra,
            AlternateName: arabic_name,
            MonumentImage: image,
            Artefact: bust,
            Article: article,
            Incident: incident,
            Restoration: restoration,
            Assessment: assessment,
            Evidence: restoration_evidence,
            ReceivedFile: received,
            Correction: correction,
        },
    )


# Kept as received: listed and shown, never added by hand (their add page answers 403).
VIEW_ONLY_MODELS = {ReceivedFile, Correction}


def admin_urls(model, obj):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [
        reverse(f"{info}_changelist"),
        *([] if model in VIEW_ONLY_MODELS else [reverse(f"{info}_add")]),
        reverse(f"{info}_change", args=[obj.pk]),
        reverse(f"{info}_history", args=[obj.pk]),
    ]


def unchanged_form_data(response):
    """Return what a browser would post back for an admin change form left as it is."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            # Unticked boxes, empty values and kept uploads are not posted.
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_a_received_file_cannot_be_added_or_changed_in_the_admin(curator_client, register):
    received = register.by_model[ReceivedFile]
    assert curator_client.get(reverse("admin:register_receivedfile_add")).status_code == 403
    change = reverse("admin:register_receivedfile_change", args=[received.pk])
    assert curator_client.post(change, {"name": "renamed.html"}).status_code == 403
    received.refresh_from_db()
    assert received.name == "page.html"


def test_every_register_model_is_in_the_admin():
    register_models = {
        model for model in apps.get_app_config("register").get_models() if not issubclass(model, HistoricalChanges)
    }
    assert set(REGISTER_ADMIN_MODELS) == register_models


@pytest.mark.parametrize("model", REGISTER_ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_a_curator_can_open_every_admin_page_of_a_register_model(curator_client, register, model):
    for url in admin_urls(model, register.by_model[model]):
        response = curator_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", REGISTER_ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, register, model):
    login = reverse("admin:login")
    for url in admin_urls(model, register.by_model[model]):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url


def test_curators_group_has_exactly_the_curator_permissions(db):
    expected = set()
    for model in apps.get_app_config("register").get_models():
        name = model._meta.model_name
        actions = ("view",) if issubclass(model, HistoricalChanges) else ("add", "change", "delete", "view")
        expected |= {("register", f"{action}_{name}") for action in actions}

    group = Group.objects.get(name="Curators")

    assert set(group.permissions.values_list("content_type__app_label", "codename")) == expected
    assert not group.permissions.exclude(content_type__app_label="register").exists()


def test_a_curator_cannot_manage_users_or_groups(curator_client):
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert curator_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_reversing_the_curators_migration_deletes_the_group_and_reapplying_restores_it(db):
    state_apps = MigrationLoader(connection).project_state(("register", "0002_curators_group")).apps
    schema_editor = SimpleNamespace(connection=connection)

    curators_migration.delete_curators_group(state_apps, schema_editor)
    assert not Group.objects.filter(name="Curators").exists()

    curators_migration.create_curators_group(state_apps, schema_editor)
    granted = Group.objects.get(name="Curators").permissions.values_list("codename", flat=True)
    assert set(granted) == curators_migration.CURATOR_CODENAMES


@pytest.mark.parametrize("term", ["تدمر", "Bride of the Desert"])
def test_a_curator_finds_a_monument_by_an_alternate_name(curator_client, register, term):
    response = curator_client.get(reverse("admin:register_monument_changelist"), {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [register.palmyra]


def test_a_curator_finds_an_incident_by_its_monuments_names_summary_or_perpetrator(curator_client, register):
    url = reverse("admin:register_incident_changelist")

    for term in ("Tetrapylon", "التترابيل", "Islamic State", "two columns"):
        response = curator_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [register.incident], term
    assert list(curator_client.get(url, {"q": "Temple of Bel"}).context["cl"].result_list) == []


def add_rows(model, register, count):
    """Add ``count`` rows of ``model``, varying which related objects each row points to."""
    for i in range(1, count + 1):
        odd = i % 2 == 1
        if model is Monument:
            Monument.objects.create(
                name=f"Funerary tower {i}", slug=f"funerary-tower-{i}", kind=MonumentKind.TOMB, part_of=register.palmyra
            )
        elif model is AlternateName:
            monument = register.tetrapylon if odd else register.palmyra
            AlternateName.objects.create(monument=monument, name=f"Other name {i}", language="en")
        elif model is Article:
            raw = f"Report {i}\n\n{BODY}"
            Article.objects.create(
                title=f"Report {i}",
                publisher=register.afp,
                carried_by=register.pulse if odd else None,
                raw_text=raw,
                body=BODY,
                sha256=fingerprint(raw),
                published=dt.date(2017, 3, i),
            )
        elif model is Incident:
            incident = Incident.objects.create(
                slug=f"incident-{i}",
                monument=None if odd else register.tetrapylon,
                artefact=register.bust if odd else None,
                kind=IncidentKind.DAMAGED,
                occurred=f"2016-{i % 12 + 1:02d}",
                summary=f"Damage {i}.",
                **published(),
            )
            Evidence.objects.create(
                article=register.article, incident=incident, quote=INCIDENT_QUOTE, position=BODY.index(INCIDENT_QUOTE)
            )
        elif model is Restoration:
            Restoration.objects.create(
                slug=f"restoration-{i}",
                monument=register.tetrapylon if odd else None,
                artefact=None if odd else register.bust,
                kind=RestorationKind.CONSERVATION,
                institution=register.iscr if odd else None,
                finished=f"2018-{i % 12 + 1:02d}",
                summary=f"Conservation {i}.",
                **published(),
            )
        elif model is Evidence:
            event = {"incident": register.incident} if odd else {"restoration": register.restoration}
            Evidence.objects.create(
                article=register.article,
                quote=BODY[i * 7 : i * 7 + 30],
                position=i * 7,
                cited_source=register.sohr if odd else None,
                **event,
            )

        elif model is Suggestion:
            reviewer = User.objects.get_or_create(username="reviewer")[0]
            Suggestion.objects.create(
                article=register.article,
                monument=register.tetrapylon if odd else None,
                artefact=None if odd else register.bust,
                quote=BODY[i * 7 : i * 7 + 30],
                position=i * 7,
                kind=IncidentKind.DAMAGED if odd else RestorationKind.RETURN,
                subject_text="it",
                trigger="damaged",
                status=SuggestionStatus.PENDING if odd else SuggestionStatus.REJECTED,
                reviewed_by=None if odd else reviewer,
                reviewed_at=None if odd else dt.datetime(2017, 3, 3, tzinfo=dt.UTC),
            )


def changelist_query_count(client, model):
    url = reverse(f"admin:register_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.context["cl"].result_count, len(queries)


@pytest.mark.parametrize(
    "model",
    [Monument, Incident, Evidence, Article, AlternateName, Restoration, Suggestion],
    ids=lambda m: m._meta.model_name,
)
def test_a_changelist_makes_as_many_queries_for_twenty_rows_as_for_one(curator_client, register, model):
    changelist_query_count(curator_client, model)  # Warm per-process caches first.
    few_rows, few_queries = changelist_query_count(curator_client, model)

    add_rows(model, register, 20 - few_rows)
    many_rows, many_queries = changelist_query_count(curator_client, model)

    assert many_rows == 20
    assert many_queries == few_queries


def test_the_incident_changelist_counts_evidence(curator_client, register):
    Evidence.objects.create(
        article=register.article, incident=register.incident, quote="Last month", position=BODY.index("Last month")
    )

    response = curator_client.get(reverse("admin:register_incident_changelist"))

    assert response.context["cl"].result_list[0].evidence_count == 2


def test_a_curator_edits_an_incidents_evidence_through_its_inline(curator_client, register):
    url = reverse("admin:register_incident_change", args=[register.incident.pk])
    response = curator_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    new_quote = "IS destroyed Palmyra's tetrapylon monument, while satellite images showed damage"
    data = unchanged_form_data(response)
    data[f"{prefix}-0-quote"] = new_quote
    data[f"{prefix}-0-position"] = BODY.index(new_quote)

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    register.incident_evidence.refresh_from_db()
    assert register.incident_evidence.quote == new_quote


def test_the_incident_inline_rejects_a_quote_that_is_not_in_the_article(curator_client, register):
    url = reverse("admin:register_incident_change", args=[register.incident.pk])
    response = curator_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data[f"{prefix}-0-quote"] = "IS destroyed the Temple of Bel"

    response = curator_client.post(url, data)

    assert response.status_code == 200
    register.incident_evidence.refresh_from_db()
    assert register.incident_evidence.quote == INCIDENT_QUOTE


def test_a_change_through_the_admin_is_kept_in_the_history(curator_client, curator, register):
    url = reverse("admin:register_monument_change", args=[register.palmyra.pk])
    data = unchanged_form_data(curator_client.get(url))
    data["description_en"] = "Ancient city in the Syrian desert."

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    history = register.palmyra.history.all()
    assert history.count() == 2
    assert history.first().history_user == curator
    assert history.first().description == "Ancient city in the Syrian desert."
    page = curator_client.get(reverse("admin:register_monument_history", args=[register.palmyra.pk]))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 2


def test_the_article_raw_text_is_read_only_once_imported(curator_client, register):
    change = curator_client.get(reverse("admin:register_article_change", args=[register.article.pk]))
    add = curator_client.get(reverse("admin:register_article_add"))

    assert "raw_text" not in change.context["adminform"].form.fields
    assert "body" in change.context["adminform"].form.fields
    assert "raw_text" in add.context["adminform"].form.fields


def test_an_article_body_posted_with_browser_line_breaks_keeps_its_quotes_in_place(curator_client, register):
    url = reverse("admin:register_article_change", args=[register.article.pk])
    data = unchanged_form_data(curator_client.get(url))
    # Browsers post a textarea's line breaks as CRLF.
    data["body"] = BODY.replace("\n", "\r\n")

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    register.article.refresh_from_db()
    assert register.article.body == BODY
    register.incident_evidence.full_clean()


def test_importing_an_article_twice_through_the_admin_is_refused(curator_client, register):
    response = curator_client.get(reverse("admin:register_article_add"))
    data = unchanged_form_data(response)
    data.update(publisher=register.afp.pk, raw_text=RAW_TEXT, body=BODY)

    response = curator_client.post(reverse("admin:register_article_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert Article.objects.count() == 1


def test_a_curator_accepts_a_suggestion_as_evidence_for_a_new_incident(curator_client, curator, register):
    response = curator_client.post(
        reverse("admin:register_suggestion_changelist"),
        {"action": "accept_as_new_events", "_selected_action": [register.suggestion.pk]},
    )

    assert response.status_code == 302
    register.suggestion.refresh_from_db()
    assert register.suggestion.status == SuggestionStatus.ACCEPTED
    assert register.suggestion.reviewed_by == curator
    assert register.suggestion.evidence.quote == SUGGESTED_QUOTE
    assert register.suggestion.evidence.incident.occurred == "2017-02"


def test_a_curator_rejects_a_suggestion_without_making_evidence(curator_client, curator, register):
    evidence_before = Evidence.objects.count()

    curator_client.post(
        reverse("admin:register_suggestion_changelist"),
        {"action": "reject", "_selected_action": [register.suggestion.pk]},
    )

    register.suggestion.refresh_from_db()
    assert register.suggestion.status == SuggestionStatus.REJECTED
    assert register.suggestion.reviewed_by == curator
    assert Evidence.objects.count() == evidence_before
