"""A monument's or artefact's condition over time, from its evidenced events.

The condition is never edited by hand: it follows from the incidents,
restorations and assessments that carry at least one quote, taken in the order
of their latest possible day. An event counts on a given day only once its whole
window lies on or before that day, so the register never shows a state before
the evidence places it. An assessment states the condition on its date (one of
unknown condition states nothing); an incident after it can only worsen it; a
restoration sets the condition it records (a replica, which leaves the original
as it was, records none). Of events whose windows end on the same day, incidents
come first, then restorations, then assessments, which state what they left.

``condition_now`` is the truth. Monuments and artefacts also store it
(``condition``), and monuments their counts of evidenced incidents and of
quotes, so lists can filter and show them without reading every event.
Events store whether the public sees them (``is_public``, by
``register.models.events.public_rule``), so no list re-derives it per row;
the condition and the counts are read from the public events, so the flags are
refreshed first. Every path that changes events or evidence (the admin, the
API, accepting a suggestion, restoring a backup, ``refresh_conditions``,
generating a register) calls ``conditions_refresh_for`` with the records it
touched, ``condition_refresh`` for one subject, or ``conditions_refresh`` in
bulk.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Now

from register.models import Artefact, Assessment, Evidence, Incident, Monument, Restoration
from register.models.events import public_rule
from register.models.vocabularies import CONDITION_AFTER_GRADE, CONDITION_SEVERITY, Condition

# The kinds of event a condition follows from, in the order they take on the same day: a restoration answers
# damage, and an assessment states the condition the day's events left.
EVENT_MODELS = (Incident, Restoration, Assessment)
_SAME_DAY_ORDER = {model: rank for rank, model in enumerate(EVENT_MODELS)}

Event = Incident | Restoration | Assessment


@dataclass(frozen=True)
class ConditionChange:
    """One step of a timeline: the event and the condition it leaves behind."""

    event: Event
    earliest: dt.date
    latest: dt.date
    condition: str


def _window(event: Event) -> tuple[dt.date, dt.date]:
    return getattr(event, f"{event.date_field}_earliest"), getattr(event, f"{event.date_field}_latest")


def _condition_after(condition: str, event: Event) -> str:
    if isinstance(event, Assessment):
        return condition if event.condition == Condition.UNKNOWN else event.condition
    if isinstance(event, Restoration):
        return event.condition_after or condition
    caused = CONDITION_AFTER_GRADE.get(event.grade)
    if caused is None:
        return condition
    return max(condition, caused, key=lambda value: CONDITION_SEVERITY[value])


def _timeline(baseline: str, events: list[Event]) -> list[ConditionChange]:
    ordered = sorted(events, key=lambda e: (*reversed(_window(e)), _SAME_DAY_ORDER[type(e)], e.pk))
    changes, condition = [], baseline
    for event in ordered:
        condition = _condition_after(condition, event)
        changes.append(ConditionChange(event, *_window(event), condition))
    return changes


def condition_timeline(subject: Monument | Artefact) -> list[ConditionChange]:
    """Return the subject's evidenced events in date order with the condition after each."""
    events = [
        event for model in EVENT_MODELS for event in model.objects.for_subject(subject).public().with_public_evidence()
    ]
    return _timeline(subject.condition_baseline, events)


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


def conditions_now(subjects: list[Monument] | list[Artefact]) -> dict[int, str]:
    """Return each monument's (or each artefact's) current condition by id, in a query per kind of event."""
    if not subjects:
        return {}
    key = "artefact_id" if isinstance(subjects[0], Artefact) else "monument_id"
    by_subject: dict[int, list] = defaultdict(list)
    ids = [subject.pk for subject in subjects]
    for model in EVENT_MODELS:
        for event in model.objects.filter(**{f"{key}__in": ids}).public().only("pk", key, *_fields(model)):
            by_subject[getattr(event, key)].append(event)
    result = {}
    for subject in subjects:
        timeline = _timeline(subject.condition_baseline, by_subject[subject.pk])
        result[subject.pk] = timeline[-1].condition if timeline else subject.condition_baseline
    return result


def monument_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """Return each monument's evidenced incidents and quotes by id, in four queries whatever the count.

    The quotes are those about its incidents, restorations and assessments; a report held only by reference is no
    quote.
    """
    counts = {pk: {"incident_count": 0, "evidence_count": 0} for pk in ids}
    incidents = Incident.objects.filter(monument__in=ids).public().order_by()
    for pk, number in incidents.values_list("monument").annotate(n=Count("pk")):
        counts[pk]["incident_count"] = number
    # One query per path: an OR over the joins would read every quote.
    for path in ("incident__monument", "restoration__monument", "assessment__monument"):
        quotes = Evidence.objects.public().quotes().filter(**{f"{path}__in": ids}).order_by()
        for pk, number in quotes.values_list(path).annotate(n=Count("pk")):
            counts[pk]["evidence_count"] += number
    return counts


def _derived(subjects: list[Monument] | list[Artefact]) -> dict[int, dict[str, object]]:
    """Return what the register stores about each subject from its events: the condition, and a monument's counts."""
    derived = {pk: {"condition": condition} for pk, condition in conditions_now(subjects).items()}
    if subjects and isinstance(subjects[0], Monument):
        for pk, counts in monument_counts([subject.pk for subject in subjects]).items():
            derived[pk].update(counts)
    return derived


def public_flags_refresh(events: QuerySet) -> int:
    """Store in each event of ``events`` whether ``public_rule`` holds for it; return how many changed.

    One UPDATE, which writes only the rows whose stored flag differs from the rule.
    """
    rule = public_rule(events.model)
    # A record that appears or disappears for the public has changed for a harvester too (?updated_after=).
    return events.exclude(is_public=rule).update(is_public=rule, updated=Now())


def _public_flags_refresh_of(subjects: set[Monument | Artefact]) -> None:
    """Refresh the stored flag of every incident, restoration and assessment of these monuments and artefacts."""
    monuments = [subject.pk for subject in subjects if isinstance(subject, Monument)]
    artefacts = [subject.pk for subject in subjects if isinstance(subject, Artefact)]
    if not (monuments or artefacts):
        return
    for model in EVENT_MODELS:
        public_flags_refresh(model.objects.filter(Q(monument__in=monuments) | Q(artefact__in=artefacts)))


@transaction.atomic
def condition_refresh(*, subject: Monument | Artefact) -> str:
    """Store whether each of the subject's events is public, then its condition now and a monument's counts.

    Returns the condition.
    """
    _public_flags_refresh_of({subject})
    return _condition_store(subject)


def _condition_store(subject: Monument | Artefact) -> str:
    """Store the subject's condition now, as ``condition_now`` derives it, and a monument's counts."""
    values = _derived([subject])[subject.pk]
    # update(), not save(): derived values are no curator's edit, so they raise no version and write no history.
    type(subject).objects.filter(pk=subject.pk).exclude(**values).update(**values)
    for name, value in values.items():
        setattr(subject, name, value)
    return values["condition"]


def event_subjects(record) -> set[Monument | Artefact]:
    """Return the monument or artefact whose condition a record bears on (itself, its event's, its quote's)."""
    if isinstance(record, Monument | Artefact):
        # A subject just deleted (its pk cleared by delete()) has no stored condition left to keep true.
        return {record} if record.pk is not None else set()
    if isinstance(record, EVENT_MODELS):
        return {record.subject} if record.subject is not None else set()
    if isinstance(record, Evidence):
        return event_subjects(record.event)
    # Sources, articles and names bear on no condition.
    return set()


@transaction.atomic
def conditions_refresh_for(*, records: Iterable) -> None:
    """Refresh what is stored about every subject the records (events, quotes, subjects) bear on.

    The public flags of all the events of those subjects first, then each subject's condition and counts. A
    quote moved from one event to another passes both the old and the new copy, or the old event's subject:
    every event of a subject is refreshed, so the event it left is too.
    """
    subjects = set()
    for record in records:
        subjects |= event_subjects(record)
    _public_flags_refresh_of(subjects)
    for subject in subjects:
        _condition_store(subject)


@transaction.atomic
def conditions_refresh(*, batch_size: int = 5000, progress: Callable[[int], None] | None = None) -> int:
    """Store every event's public flag, then every monument's and artefact's condition now and monuments' counts.

    For a whole register at once: after loading a fixture or a backup, or generating data. Subjects are read in
    batches of ``batch_size``; returns how many subjects' stored values changed.
    """
    for model in EVENT_MODELS:
        public_flags_refresh(model.objects.all())
    changed = 0
    for model in (Monument, Artefact):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        stored = ["condition", "incident_count", "evidence_count"] if model is Monument else ["condition"]
        for start in range(0, len(ids), batch_size):
            first, last = ids[start], ids[min(start + batch_size, len(ids)) - 1]
            batch = list(model.objects.filter(pk__gte=first, pk__lte=last).only("pk", "condition_baseline", *stored))
            derived = _derived(batch)
            # One UPDATE per set of values, not bulk_update: its CASE of one WHEN per row and field costs Django
            # more than the database costs, and a batch holds only a few dozen sets of values.
            stale_by_values: dict[tuple, list[int]] = defaultdict(list)
            for subject in batch:
                values = derived[subject.pk]
                if any(getattr(subject, name) != value for name, value in values.items()):
                    stale_by_values[tuple(sorted(values.items()))].append(subject.pk)
            for values, pks in stale_by_values.items():
                model.objects.filter(pk__in=pks).update(**dict(values))
                changed += len(pks)
            if progress is not None:
                progress(len(batch))
    return changed


def _fields(model) -> tuple[str, ...]:
    """Return the columns ``_timeline`` reads of an event of ``model``: its window, and what it does to a condition."""
    effect = {Incident: "grade", Restoration: "condition_after", Assessment: "condition"}[model]
    return (f"{model.date_field}_earliest", f"{model.date_field}_latest", effect)
