"""Publishing, correcting and withdrawing incidents, restorations and assessments.

A record starts as a draft (accepting an importer's suggestion makes one), which only curators see. A curator
publishes it once it is complete; the public then sees it while a quote supports it (``public_rule``). A change in
substance to a published record is a correction, recorded with a note the public reads; a withdrawn record keeps its
page with the reason and the date and leaves every list, count, map and condition.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import Assessment, Correction, Incident, Restoration
from register.models.vocabularies import IncidentKind, PublicationState
from register.services.condition import conditions_refresh_for

Event = Incident | Restoration | Assessment

# Incidents of physical damage need a grade; looting, misuse and military use may leave none visible (the grade's
# help text says so), so a grade is not asked of them.
GRADED_KINDS = frozenset({IncidentKind.DESTROYED, IncidentKind.DAMAGED, IncidentKind.VANDALISED})

# What a reader relies on: a change to any of these in a published record is a correction, which the public sees.
SUBSTANTIVE_FIELDS = {
    Incident: ("monument", "artefact", "kind", "grade", "occurred"),
    Restoration: ("monument", "artefact", "kind", "finished", "returned", "condition_after"),
    Assessment: ("monument", "artefact", "assessed", "condition", "extent"),
}


class PublicationRefused(ValidationError):
    """The record cannot take this step; ``messages`` say why, each a sentence a curator can act on."""


def _normalised(text: str) -> str:
    return " ".join(text.split())


def missing_for_publication(event: Event) -> list[str]:
    """Return what ``event`` lacks before it may be published, as sentences; empty when it is complete."""
    missing = []
    quotes = [_normalised(quote) for quote in event.evidence.quotes().values_list("quote", flat=True)]
    summary = _normalised(event.summary)
    if not summary:
        missing.append(_("Write a summary."))
    elif summary in quotes:
        missing.append(_("Write the summary in your own words: it is the quoted passage as imported."))
    if not getattr(event, "kind", None) and not isinstance(event, Assessment):
        missing.append(_("Choose what kind of event it is."))
    if not event.when:
        missing.append(_("Give the date."))
    if not quotes:
        missing.append(_("Add at least one verbatim quote from a stored document."))
    if isinstance(event, Incident) and event.kind in GRADED_KINDS and not event.grade:
        missing.append(_("Give the damage grade."))
    return missing


def publish(event: Event, *, by=None) -> Event:
    """Publish a draft (or a withdrawn record again) once it is complete; refuse with what is missing otherwise."""
    with transaction.atomic():
        if event.state == PublicationState.PUBLISHED:
            raise PublicationRefused(_("It is already published."))
        event.full_clean()
        missing = missing_for_publication(event)
        if missing:
            raise PublicationRefused(missing)
        event.state = PublicationState.PUBLISHED
        event.published = event.published or timezone.now()
        event.withdrawn, event.withdrawal_reason = None, ""
        event.save()
        conditions_refresh_for(records=[event])
    return event


def withdraw(event: Event, *, reason: str, by=None) -> Event:
    """Withdraw a published record: its page stays, saying why and when; it leaves lists, maps and conditions."""
    reason = reason.strip()
    with transaction.atomic():
        if event.state != PublicationState.PUBLISHED:
            raise PublicationRefused(_("Only a published record can be withdrawn; a draft is never public."))
        if not reason:
            raise PublicationRefused(_("Say why the record is withdrawn: the public reads the reason."))
        event.state = PublicationState.WITHDRAWN
        event.withdrawn, event.withdrawal_reason = timezone.now(), reason
        event.full_clean()
        event.save()
        conditions_refresh_for(records=[event])
    return event


def substantive_changes(event: Event, changes: dict) -> list[str]:
    """Return the substantive fields to which ``changes`` (field name to new value) gives ``event`` a new value."""
    fields = SUBSTANTIVE_FIELDS[type(event)]
    return [name for name in fields if name in changes and changes[name] != getattr(event, name)]


def needs_correction_note(event: Event) -> bool:
    """Return whether a change in substance to ``event`` must be explained to the public: it is or was public."""
    return event.state != PublicationState.DRAFT


def correction_record(event: Event, *, note: str, changed: list[str], by=None) -> Correction:
    """Record a correction of ``event`` with the note the public reads."""
    correction = Correction(note=note.strip(), changed=changed, made_by=by, **{event._meta.model_name: event})
    correction.full_clean()
    correction.save()
    return correction
