"""Each rule the database itself enforces, refused below any form or service."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from register.models import AlternateName, Artefact, Article, Evidence, Incident, Monument, Restoration, Source
from register.models.vocabularies import IncidentKind, MonumentKind, RestorationKind, SourceKind
from tests.conftest import published

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize(
    "fields",
    [
        {"latitude": 91, "longitude": 38},
        {"latitude": -91, "longitude": 38},
        {"latitude": 34, "longitude": 181},
        {"latitude": 34, "longitude": None},
    ],
)
def test_coordinates_out_of_range_or_half_given_are_refused(fields):
    refused(lambda: Monument.objects.create(name="X", slug="x", kind=MonumentKind.OTHER, **fields))


@pytest.mark.parametrize("wikidata", ["5788", "q5788", "Q", "Q05", "Q12a", "P31"])
def test_wikidata_ids_that_are_not_q_numbers_are_refused(wikidata):
    refused(lambda: Monument.objects.create(name="X", slug="x", kind=MonumentKind.OTHER, wikidata=wikidata))


def test_a_valid_wikidata_id_is_stored():
    monument = Monument.objects.create(name="X", slug="x", kind=MonumentKind.OTHER, wikidata="Q5788")
    assert Monument.objects.get(pk=monument.pk).wikidata == "Q5788"


def test_monument_slugs_are_unique(site):
    refused(lambda: Monument.objects.create(name="Other", slug="palmyra", kind=MonumentKind.SITE))


def test_built_years_out_of_order_are_refused():
    refused(
        lambda: Monument.objects.create(
            name="X", slug="x", kind=MonumentKind.OTHER, built_earliest_year=300, built_latest_year=200
        )
    )


def test_the_same_alternate_name_twice_in_one_language_is_refused(site):
    AlternateName.objects.create(monument=site, name="Tadmur", language="en")
    refused(lambda: AlternateName.objects.create(monument=site, name="tadmur", language="en"))


def test_article_fingerprints_are_unique(article):
    refused(
        lambda: Article.objects.create(
            publisher=article.publisher, raw_text=article.raw_text, body=article.body, sha256=article.sha256
        )
    )


def test_an_article_with_text_needs_a_well_formed_fingerprint(afp):
    refused(lambda: Article.objects.create(publisher=afp, raw_text="text", body="text", sha256="not-a-hash"))


def test_a_reference_only_article_needs_a_url(afp):
    refused(lambda: Article.objects.create(publisher=afp, raw_text="", body="", sha256=None, url=""))


def test_a_reference_only_article_with_a_url_is_stored(afp):
    article = Article.objects.create(publisher=afp, url="https://whc.unesco.org/en/soc/3350")
    assert article.is_reference_only


def test_an_incident_about_both_a_monument_and_an_artefact_is_refused(make_incident, tetrapylon):
    bust = Artefact.objects.create(name="Bust", slug="bust")
    refused(lambda: make_incident(artefact=bust))


def test_an_incident_about_nothing_is_refused(make_incident):
    refused(lambda: make_incident(monument=None))


def test_a_restoration_about_nothing_is_refused():
    refused(
        lambda: Restoration.objects.create(
            slug="r", kind=RestorationKind.RESTORATION, finished="2017", summary="s", **published()
        )
    )


def test_an_incident_window_out_of_order_is_refused(incident):
    # Written around save(), which would re-derive the window from the EDTF text.
    refused(lambda: Incident.objects.filter(pk=incident.pk).update(occurred_earliest="2018-01-01"))


def test_an_incident_without_a_date_is_refused(incident):
    refused(lambda: Incident.objects.filter(pk=incident.pk).update(occurred_earliest=None))


def test_an_incident_reported_before_it_occurred_is_refused(make_incident):
    refused(lambda: make_incident(occurred="2017-01", reported="2016-12"))


def test_a_restoration_finished_before_it_started_is_refused(tetrapylon):
    refused(
        lambda: Restoration.objects.create(
            slug="r",
            monument=tetrapylon,
            kind=RestorationKind.RESTORATION,
            started="2018",
            finished="2017",
            summary="s",
            **published(),
        )
    )


def test_evidence_for_no_event_or_for_two_is_refused(article, incident, tetrapylon):
    restoration = Restoration.objects.create(
        slug="r", monument=tetrapylon, kind=RestorationKind.RESTORATION, finished="2018", summary="s", **published()
    )
    refused(lambda: Evidence.objects.create(article=article, quote="IS", position=11))
    refused(
        lambda: Evidence.objects.create(
            article=article, quote="IS", position=11, incident=incident, restoration=restoration
        )
    )


def test_evidence_with_a_quote_but_no_position_or_neither_quote_nor_note_is_refused(article, incident):
    refused(lambda: Evidence.objects.create(article=article, incident=incident, quote="IS", position=None))
    refused(lambda: Evidence.objects.create(article=article, incident=incident, quote="", position=None, note=""))


def test_the_same_quote_twice_for_one_incident_is_refused(incident, make_evidence):
    make_evidence(incident)
    refused(lambda: make_evidence(incident))


@pytest.mark.parametrize("target", ["article", "source", "incident", "monument"])
def test_what_evidence_points_to_cannot_be_deleted(target, incident, make_evidence, article):
    sohr = Source.objects.create(name="Syrian Observatory", slug="sohr", kind=SourceKind.MONITOR)
    make_evidence(incident, cited_source=sohr)
    protected = {"article": article, "source": sohr, "incident": incident, "monument": incident.monument}[target]
    with pytest.raises(ProtectedError):
        protected.delete()


def test_a_site_with_parts_cannot_be_deleted(site, tetrapylon):
    with pytest.raises(ProtectedError):
        site.delete()


def test_a_publisher_with_articles_cannot_be_deleted(article):
    with pytest.raises(ProtectedError):
        article.publisher.delete()


def test_incident_kinds_are_the_vocabulary():
    assert set(IncidentKind.values) == {"destroyed", "damaged", "looted", "vandalised", "military_use", "misuse"}
