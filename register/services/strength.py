"""How well an incident is established, from its quotes: independent origins, counted across kinds of document.

After Airwars' grading (``EvidenceStrength``). An origin is whom a quote cites, else the article's publisher:
two outlets carrying one AFP wire are one origin (AFP), and a report citing the Observatory is the
Observatory's. Two origins or more corroborate an incident; when one of them is satellite imagery or an
official body (an imagery assessment or an official statement, or a source that is imagery, a government or an
intergovernmental body), it is confirmed. An origin that contradicts what another supports makes it contested.

The strength is also a curator's field. The rule only raises it (single, corroborated, confirmed) or marks it
contested: a curator's stronger or contested grading is never lowered by it.
"""

from django.db import transaction

from register.models import Incident
from register.models.vocabularies import DocumentKind, EvidenceStrength, SourceKind, Stance

CONFIRMING_DOCUMENTS = frozenset({DocumentKind.IMAGERY_ASSESSMENT, DocumentKind.OFFICIAL_STATEMENT})
CONFIRMING_SOURCES = frozenset({SourceKind.IMAGERY, SourceKind.GOVERNMENT, SourceKind.INTERGOVERNMENTAL})
_RANK = {EvidenceStrength.SINGLE: 0, EvidenceStrength.CORROBORATED: 1, EvidenceStrength.CONFIRMED: 2}


def incident_strength(*, incident: Incident) -> EvidenceStrength:
    """Return the strength the incident's quotes give it, counting independent origins across kinds of document."""
    supporting, confirming, contradicting = set(), set(), set()
    rows = incident.evidence.values_list(
        "stance",
        "cited_source_id",
        "cited_source__kind",
        "article__publisher_id",
        "article__publisher__kind",
        "article__kind",
    )
    for stance, cited, cited_kind, publisher, publisher_kind, document_kind in rows:
        origin, origin_kind = (cited, cited_kind) if cited else (publisher, publisher_kind)
        if stance == Stance.SUPPORTS:
            supporting.add(origin)
            if document_kind in CONFIRMING_DOCUMENTS or origin_kind in CONFIRMING_SOURCES:
                confirming.add(origin)
        elif stance == Stance.CONTRADICTS:
            contradicting.add(origin)
    if supporting and contradicting - supporting:
        return EvidenceStrength.CONTESTED
    if len(supporting) >= 2:
        return EvidenceStrength.CONFIRMED if confirming else EvidenceStrength.CORROBORATED
    return EvidenceStrength.SINGLE


@transaction.atomic
def incident_strength_refresh(*, incident: Incident) -> Incident:
    """Raise the incident's strength to what its quotes give, or mark it contested; never lower a curator's."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    computed = incident_strength(incident=incident)
    current = incident.strength
    if computed == EvidenceStrength.CONTESTED:
        changed = current != computed
    else:
        changed = current != EvidenceStrength.CONTESTED and _RANK[computed] > _RANK.get(current, 0)
    if changed:
        incident.strength = computed
        incident.full_clean()
        incident.save()
    return incident
