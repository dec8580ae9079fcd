"""A monument's or artefact's condition over time, from its evidenced events.

The condition is never stored by hand: it follows from the incidents and
restorations that carry at least one quote, taken in the order of their latest
possible day. An event counts on a given day only once its whole window lies
on or before that day, so the register never shows a state before the
evidence places it. An incident can only worsen a condition; a restoration
sets the condition it records (a replica, which leaves the original as it was,
records none).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from register.models import Artefact, Incident, Monument, Restoration
from register.models.vocabularies import CONDITION_AFTER_GRADE, CONDITION_SEVERITY


@dataclass(frozen=True)
class ConditionChange:
    """One step of a timeline: the event and the condition it leaves behind."""

    event: Incident | Restoration
    earliest: dt.date
    latest: dt.date
    condition: str


def _window(event: Incident | Restoration) -> tuple[dt.date, dt.date]:
    if isinstance(event, Incident):
        return event.occurred_earliest, event.occurred_latest
    return event.finished_earliest, event.finished_latest


def _condition_after(condition: str, event: Incident | Restoration) -> str:
    if isinstance(event, Restoration):
        return event.condition_after or condition
    caused = CONDITION_AFTER_GRADE.get(event.grade)
    if caused is None:
        return condition
    return max(condition, caused, key=lambda value: CONDITION_SEVERITY[value])


def _timeline(baseline: str, events: list[Incident | Restoration]) -> list[ConditionChange]:
    # Incidents sort before restorations on the same day: a restoration answers damage.
    ordered = sorted(events, key=lambda e: (*reversed(_window(e)), isinstance(e, Restoration), e.pk))
    changes, condition = [], baseline
    for event in ordered:
        condition = _condition_after(condition, event)
        changes.append(ConditionChange(event, *_window(event), condition))
    return changes


def condition_timeline(subject: Monument | Artefact) -> list[ConditionChange]:
    """Return the subject's evidenced events in date order with the condition after each."""
    incidents = Incident.objects.for_subject(subject).with_evidence().with_public_evidence()
    restorations = Restoration.objects.for_subject(subject).with_evidence().with_public_evidence()
    return _timeline(subject.condition_baseline, [*incidents, *restorations])


def condition_on(subject: Monument | Artefact, day: dt.date) -> str:
    """Return the subject's condition on ``day``, from events wholly on or before it."""
    condition = subject.condition_baseline
    for change in condition_timeline(subject):
        if change.latest > day:
            break
        condition = change.condition
    return condition


def condition_now(subject: Monument | Artefact) -> str:
    """Return the subject's condition after every evidenced event."""
    timeline = condition_timeline(subject)
    return timeline[-1].condition if timeline else subject.condition_baseline


def conditions_now(monuments: list[Monument]) -> dict[int, str]:
    """Return each monument's current condition by id, in two queries whatever the count."""
    by_monument: dict[int, list] = defaultdict(list)
    ids = [monument.pk for monument in monuments]
    for model in (Incident, Restoration):
        for event in (
            model.objects.filter(monument_id__in=ids).with_evidence().only("pk", "monument_id", *_fields(model))
        ):
            by_monument[event.monument_id].append(event)
    result = {}
    for monument in monuments:
        timeline = _timeline(monument.condition_baseline, by_monument[monument.pk])
        result[monument.pk] = timeline[-1].condition if timeline else monument.condition_baseline
    return result


def _fields(model) -> tuple[str, ...]:
    if model is Incident:
        return ("occurred_earliest", "occurred_latest", "grade")
    return ("finished_earliest", "finished_latest", "condition_after")
