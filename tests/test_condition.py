"""A monument's condition on any day follows from its evidenced events."""

import datetime as dt

import pytest

from register.models import Assessment, Restoration
from register.models.vocabularies import DamageGrade, IncidentKind, RestorationKind
from register.services.condition import condition_now, condition_on, condition_timeline, conditions_now
from tests.conftest import published

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def history(tetrapylon, make_incident, make_evidence):
    """Possibly damaged in 2015, destroyed in January 2017, restored (to fair) in 2019."""
    events = [
        make_incident(slug="possibly", occurred="2015-08", grade=DamageGrade.POSSIBLE, kind=IncidentKind.DAMAGED),
        make_incident(slug="destroyed", occurred="2016-12-26/2017-01-10", grade=DamageGrade.DESTROYED),
        Restoration.objects.create(
            slug="rebuilt",
            monument=tetrapylon,
            kind=RestorationKind.RECONSTRUCTION,
            finished="2019",
            condition_after="fair",
            summary="Rebuilt.",
            **published(),
        ),
    ]
    for event in events:
        make_evidence(event)
    return events


def test_condition_before_any_event_is_the_baseline(history, tetrapylon):
    assert condition_on(tetrapylon, D(2015, 7, 31)) == "good"


def test_an_event_counts_only_once_its_whole_window_has_passed(history, tetrapylon):
    assert condition_on(tetrapylon, D(2015, 8, 30)) == "good"
    assert condition_on(tetrapylon, D(2015, 8, 31)) == "fair"
    assert condition_on(tetrapylon, D(2017, 1, 9)) == "fair"
    assert condition_on(tetrapylon, D(2017, 1, 10)) == "destroyed"


def test_a_restoration_sets_the_condition_it_records(history, tetrapylon):
    assert condition_on(tetrapylon, D(2019, 12, 31)) == "fair"
    assert condition_now(tetrapylon) == "fair"


def test_a_lesser_incident_after_destruction_does_not_improve_the_condition(
    history, tetrapylon, make_incident, make_evidence
):
    later = make_incident(slug="shelled", occurred="2017-06", grade=DamageGrade.MODERATE, kind=IncidentKind.DAMAGED)
    make_evidence(later)
    assert condition_on(tetrapylon, D(2017, 7, 1)) == "destroyed"


def test_a_replica_leaves_the_condition_as_it_was(history, tetrapylon, make_evidence):
    replica = Restoration.objects.create(
        slug="replica",
        monument=tetrapylon,
        kind=RestorationKind.REPLICA,
        finished="2020",
        summary="A replica.",
        **published(),
    )
    make_evidence(replica)
    assert condition_now(tetrapylon) == "fair"


def test_an_incident_without_evidence_changes_nothing(tetrapylon, make_incident):
    make_incident(slug="unevidenced", occurred="2016", grade=DamageGrade.DESTROYED)
    assert condition_now(tetrapylon) == "good"
    assert condition_timeline(tetrapylon) == []


def test_the_timeline_is_in_date_order_with_the_condition_after_each(history, tetrapylon):
    steps = [(change.event.slug, change.condition) for change in condition_timeline(tetrapylon)]
    assert steps == [("possibly", "fair"), ("destroyed", "destroyed"), ("rebuilt", "fair")]


def assess(subject, *, slug: str, assessed: str, condition: str) -> Assessment:
    return Assessment.objects.create(
        slug=slug,
        monument=subject,
        assessed=assessed,
        condition=condition,
        method="field_visit",
        summary="Seen.",
        **published(),
    )


def test_an_assessment_states_the_condition_even_a_better_one_than_before(history, tetrapylon, make_evidence):
    # Destroyed in January 2017; a survey in 2018 finds it in poor condition: the survey's word stands.
    make_evidence(assess(tetrapylon, slug="surveyed", assessed="2018-04-02", condition="poor"))
    assert condition_on(tetrapylon, D(2018, 4, 1)) == "destroyed"
    assert condition_on(tetrapylon, D(2018, 4, 2)) == "poor"
    assert condition_on(tetrapylon, D(2019, 12, 31)) == "fair"


def test_a_later_incident_worsens_what_an_assessment_stated_and_never_improves_it(
    tetrapylon, make_incident, make_evidence
):
    make_evidence(assess(tetrapylon, slug="surveyed", assessed="2015-06", condition="poor"))
    make_evidence(make_incident(slug="possibly", occurred="2015-08", grade=DamageGrade.POSSIBLE, kind="damaged"))
    make_evidence(make_incident(slug="severe", occurred="2016-03", grade=DamageGrade.SEVERE, kind="damaged"))
    steps = [(change.event.slug, change.condition) for change in condition_timeline(tetrapylon)]
    assert steps == [("surveyed", "poor"), ("possibly", "poor"), ("severe", "very_bad")]
    assert condition_on(tetrapylon, D(2015, 6, 29)) == "good"


def test_an_assessment_of_unknown_condition_leaves_the_condition_as_it_was(history, tetrapylon, make_evidence):
    make_evidence(assess(tetrapylon, slug="glimpsed", assessed="2020", condition="unknown"))
    assert condition_timeline(tetrapylon)[-1].event.slug == "glimpsed"
    assert condition_now(tetrapylon) == "fair"


def test_on_one_day_incidents_then_restorations_then_assessments_take_their_turn(
    tetrapylon, make_incident, make_evidence
):
    survey = assess(tetrapylon, slug="survey", assessed="2017-03-01", condition="poor")
    incident = make_incident(slug="struck", occurred="2017-03-01", grade=DamageGrade.DESTROYED)
    repair = Restoration.objects.create(
        slug="propped",
        monument=tetrapylon,
        kind=RestorationKind.CONSERVATION,
        finished="2017-03-01",
        condition_after="very_bad",
        summary="Propped.",
        **published(),
    )
    for event in (survey, incident, repair):
        make_evidence(event)
    assert [change.event.slug for change in condition_timeline(tetrapylon)] == ["struck", "propped", "survey"]
    assert condition_now(tetrapylon) == "poor"


def test_an_unquoted_assessment_states_nothing(tetrapylon):
    assess(tetrapylon, slug="draft", assessed="2016", condition="destroyed")
    assert condition_now(tetrapylon) == "good"


def test_bulk_conditions_agree_with_one_by_one_in_a_fixed_number_of_queries(
    history, tetrapylon, site, django_assert_num_queries
):
    # One query per kind of event: incidents, restorations, assessments.
    with django_assert_num_queries(3):
        bulk = conditions_now([tetrapylon, site])
    assert bulk == {tetrapylon.pk: condition_now(tetrapylon), site.pk: condition_now(site)}
