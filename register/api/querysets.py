"""The querysets the API and the bulk download read, each with everything its serializer touches joined."""

from django.db.models import Prefetch, QuerySet

from register.models import AlternateName, Artefact, Article, Evidence, Incident, Monument, Restoration, Source


def monuments() -> QuerySet:
    """Return monuments with their names and their site; counts and condition are stored on each row."""
    return Monument.objects.select_related("part_of").prefetch_related(
        Prefetch("names", queryset=AlternateName.objects.order_by("language", "name"))
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
