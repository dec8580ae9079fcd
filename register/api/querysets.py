"""The querysets the API and the bulk download read, each with everything its serializer touches joined."""

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from register.models import AlternateName, Artefact, Article, Evidence, Incident, Monument, Restoration, Source


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def monuments() -> QuerySet:
    """Return monuments with their names, their site, and counts of evidenced incidents and of quotes."""
    evidenced_incidents = Incident.objects.with_evidence().filter(monument=OuterRef("pk"))
    # Two counts added, not one over an OR: each follows an index, where the OR scans every quote per monument.
    about_incidents = Evidence.objects.filter(incident__monument=OuterRef("pk"), position__isnull=False)
    about_restorations = Evidence.objects.filter(restoration__monument=OuterRef("pk"), position__isnull=False)
    return (
        Monument.objects.select_related("part_of")
        .prefetch_related(Prefetch("names", queryset=AlternateName.objects.order_by("language", "name")))
        .annotate(
            incident_count=_count(evidenced_incidents),
            evidence_count=_count(about_incidents) + _count(about_restorations),
        )
    )


def artefacts() -> QuerySet:
    return Artefact.objects.select_related("origin")


def incidents(*, public: bool = True) -> QuerySet:
    """Return incidents with their subject and quotes; ``public`` keeps only those a quote supports."""
    queryset = Incident.objects.select_related("monument", "artefact").with_public_evidence()
    return queryset.with_evidence() if public else queryset


def restorations(*, public: bool = True) -> QuerySet:
    """Return restorations with their subject, institution and quotes; ``public`` as for incidents."""
    queryset = Restoration.objects.select_related("monument", "artefact", "institution").with_public_evidence()
    return queryset.with_evidence() if public else queryset


def articles() -> QuerySet:
    return Article.objects.select_related("publisher", "carried_by")


def sources() -> QuerySet:
    return Source.objects.all()


def evidence() -> QuerySet:
    return Evidence.objects.with_citation().select_related("incident", "restoration")
