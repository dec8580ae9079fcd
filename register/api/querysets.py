"""The querysets the API and the bulk download read, each with everything its serializer touches joined."""

from django.db.models import Prefetch, QuerySet

from register.api.reading import PREFETCHED
from register.models import AlternateName, Artefact, Article, Evidence, Incident, Monument, Restoration, Source


def _quotes() -> Prefetch:
    """Prefetch an event's quotes with everything a citation names, to a list register.api.reading reads.

    A citation names its article, so the articles' texts are left in the database.
    """
    quotes = Evidence.objects.with_citation().defer("article__raw_text", "article__body")
    quotes = quotes.order_by("article", "position")
    return Prefetch("evidence", queryset=quotes, to_attr=f"{PREFETCHED}evidence")


def monuments() -> QuerySet:
    """Return monuments with their names and their site; counts and condition are stored on each row."""
    return Monument.objects.select_related("part_of").prefetch_related(
        Prefetch("names", queryset=AlternateName.objects.order_by("language", "name"), to_attr=f"{PREFETCHED}names")
    )


def artefacts() -> QuerySet:
    return Artefact.objects.select_related("origin")


def incidents(*, public: bool = True) -> QuerySet:
    """Return incidents with their subject and quotes; ``public`` keeps only those a quote supports."""
    queryset = Incident.objects.select_related("monument", "artefact").prefetch_related(_quotes())
    return queryset.with_evidence() if public else queryset


def restorations(*, public: bool = True) -> QuerySet:
    """Return restorations with their subject, institution and quotes; ``public`` as for incidents."""
    queryset = Restoration.objects.select_related("monument", "artefact", "institution").prefetch_related(_quotes())
    return queryset.with_evidence() if public else queryset


def articles() -> QuerySet:
    return Article.objects.select_related("publisher", "carried_by")


def sources() -> QuerySet:
    return Source.objects.all()


def evidence() -> QuerySet:
    return Evidence.objects.with_citation().select_related("incident", "restoration")
