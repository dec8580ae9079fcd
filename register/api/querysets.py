"""The querysets the API and the bulk download read, each with everything its serializer touches joined.

Each is built once per process and cloned for every use (``.all()``), as DRF clones a view's class-level
``queryset``: building one (its joins, deferred columns, prefetches and filters) cost a quarter of a millisecond
of every request, and it never changes. A clone is evaluated; the one built is never.
"""

from functools import cache, wraps

from django.db.models import QuerySet

from register import visibility
from register.api.inline_names import with_names
from register.api.inline_quotes import with_quotes
from register.models import Artefact, Article, Evidence, Incident, Monument, Restoration, Source


def _only(path: str, model, *shown: str) -> list[str]:
    """Return ``defer()`` paths for every column of a joined record but its id and those ``shown``.

    ``shown`` may name a serializer's fields: names that are no column (links, properties) defer nothing.

    A nested summary shows a few columns of a wide row; the rest (texts, timestamps) would be read, decoded
    and thrown away for every row of a page. The query-count tests fail if a deferred column is ever read.
    """
    return [f"{path}__{field.name}" for field in model._meta.concrete_fields if field.name not in {"id", *shown}]


def _subjects(queryset: QuerySet) -> QuerySet:
    """Join an event's monument or artefact for the subject summary (id, slug and name)."""
    return queryset.select_related("monument", "artefact").defer(
        *_only("monument", Monument, "slug", "name"), *_only("artefact", Artefact, "slug", "name")
    )


def built_once(build):
    """Make ``build`` run once per process and its callers get a fresh clone of what it built each time."""
    built = cache(build)

    @wraps(build)
    def clone(*args, **kwargs) -> QuerySet:
        return built(*args, **kwargs).all()

    return clone


@built_once
def monuments() -> QuerySet:
    """Return monuments with their names and their site; counts and condition are stored on each row."""
    # Each monument's names in its own row (register.api.inline_names), not by a second query.
    return with_names(Monument.objects.select_related("part_of").defer(*_only("part_of", Monument, "slug")))


@built_once
def artefacts() -> QuerySet:
    return Artefact.objects.select_related("origin")


@built_once
def incidents(*, public: bool = True) -> QuerySet:
    """Return incidents with their subject and quotes; ``public`` keeps only those the public may see."""
    queryset = with_quotes(_subjects(Incident.objects.all()))
    return visibility.public(queryset) if public else queryset


@built_once
def restorations(*, public: bool = True) -> QuerySet:
    """Return restorations with their subject, institution and quotes; ``public`` as for incidents."""
    queryset = with_quotes(_subjects(Restoration.objects.select_related("institution")))
    return visibility.public(queryset) if public else queryset


@built_once
def articles() -> QuerySet:
    return Article.objects.select_related("publisher", "carried_by")


@built_once
def sources() -> QuerySet:
    return Source.objects.all()


@built_once
def evidence(*, public: bool = True) -> QuerySet:
    """Return evidence with its citation and event; ``public`` keeps only that for events the public may see."""
    queryset = Evidence.objects.with_citation().select_related("incident", "restoration")
    return visibility.public(queryset) if public else queryset
