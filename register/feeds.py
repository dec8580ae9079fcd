"""Atom feeds of what the public may see, latest change first: one for the whole register, one per monument.

A monument's feed holds its own incidents, restorations and assessments and those of the artefacts from it; a
site's holds its parts' too (EventQuerySet.for_monument), as its page's lists do. Each entry is one record: its
summary, every quote behind it with the citation of its report, the publishers of those reports as its author,
and the time the record last changed, so a feed reader shows a changed record again.

What an entry is made from is a list of functions (ENTRY_SOURCES), each giving the latest entries of one kind for a
scope: the records themselves; each correction of a public record, as an entry of its own dated when it was made;
and each withdrawal, so a reader learns that a record it showed no longer stands. Only what register.visibility lets
the public see is read.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from register import visibility
from register.models import Assessment, Correction, Incident, Monument, Restoration
from register.models.vocabularies import PublicationState
from register.templatetags.register_pages import in_words

# Entries per feed: a reader polls often, and the API's ?updated_after= has every change since any time.
FEED_LENGTH = 50


class AtomFeedWithContent(Atom1Feed):
    """Atom 1.0 whose entries carry their full text in ``<content type="html">``, beside the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})

    def latest_post_date(self):
        # An empty feed is as old as its subject, not "now": the same feed read twice must be the same document.
        if not self.items and self.feed.get("updated_when_empty") is not None:
            return self.feed["updated_when_empty"]
        return super().latest_post_date()


@dataclass(frozen=True)
class FeedScope:
    """What a feed covers (a monument, or the whole register when None) and how its addresses are made absolute."""

    monument: Monument | None
    absolute: Callable[[str], str]


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, whatever made it: a record, or (from the publication step) a correction to one."""

    guid: str
    title: str
    link: str
    updated: dt.datetime
    published: dt.datetime | None
    author: str
    summary: str
    content: str
    category: str


def category_label(model_name: str) -> str:
    """Return what a kind of record is called, for titles: "Incident", "Restoration", "Assessment"."""
    return {"incident": _("Incident"), "restoration": _("Restoration"), "assessment": _("Assessment")}[model_name]


def record_entry(record, scope: FeedScope) -> FeedEntry:
    """Return the entry of one public incident, restoration or assessment, its evidence prefetched."""
    evidence = list(record.evidence.all())
    link = scope.absolute(record.get_absolute_url())
    publishers = list(dict.fromkeys(item.article.public_publisher_cited for item in evidence))
    category = record._meta.model_name
    title = record_title(record)
    content = render_to_string(
        "register/_feed_entry.html",
        {
            "record": record,
            "category": category_label(category),
            "link": link,
            "evidence": [(item, scope.absolute(item.article.get_absolute_url())) for item in evidence],
        },
    )
    return FeedEntry(
        guid=link,
        title=title,
        link=link,
        updated=record.updated,
        published=record.published or record.created,
        author=", ".join(publishers) or _("Heritage Damage Register"),
        # Atom's summary is HTML: a summary that reads "<at night>" must not become a tag.
        summary=escape(record.summary),
        content=content,
        category=category,
    )


def record_entries(model) -> Callable[[FeedScope, int], list[FeedEntry]]:
    """Return the function giving a scope's latest-changed public records of ``model``, ``limit`` at most."""

    def entries(scope: FeedScope, limit: int) -> list[FeedEntry]:
        records = visibility.public(model.objects.all())
        if scope.monument is not None:
            records = records.for_monument(scope.monument)
        related = [field.name for field in model._meta.concrete_fields if field.is_relation]
        records = records.select_related(*related).with_public_evidence().order_by("-updated", "-pk")[:limit]
        return [record_entry(record, scope) for record in records]

    return entries


def record_title(record) -> str:
    """Return how an entry names a record: "Incident: Tetrapylon, destroyed, January 2017"."""
    return _("%(category)s: %(subject)s, %(kind)s, %(when)s") % {
        "category": category_label(record._meta.model_name),
        "subject": record.subject,
        "kind": record.get_kind_display(),
        "when": in_words(record),
    }


def _in_scope(scope: FeedScope, records):
    return records.for_monument(scope.monument) if scope.monument is not None else records


def notice_entry(*, link: str, anchor: str, title: str, when: dt.datetime, text: str, category: str) -> FeedEntry:
    """Return the entry of a notice about a record (a correction, a withdrawal): the register's own words, dated."""
    return FeedEntry(
        guid=f"{link}#{anchor}",
        title=title,
        link=f"{link}#{anchor}",
        updated=when,
        published=when,
        author=_("Heritage Damage Register"),
        summary=escape(text),
        content=f"<p>{escape(text)}</p>",
        category=category,
    )


def correction_entries(model) -> Callable[[FeedScope, int], list[FeedEntry]]:
    """Return the function giving a scope's latest corrections of public records of ``model``."""
    name = model._meta.model_name

    def entries(scope: FeedScope, limit: int) -> list[FeedEntry]:
        records = _in_scope(scope, visibility.public(model.objects.all())).values("pk")
        corrections = (
            Correction.objects.filter(**{f"{name}__in": records})
            .select_related(f"{name}__monument", f"{name}__artefact")
            .order_by("-made", "-pk")[:limit]
        )
        return [
            notice_entry(
                link=scope.absolute(correction.event.get_absolute_url()),
                anchor=f"correction-{correction.pk}",
                title=_("Correction to %(record)s") % {"record": record_title(correction.event)},
                when=correction.made,
                text=correction.note,
                category="correction",
            )
            for correction in corrections
        ]

    return entries


def withdrawal_entries(model) -> Callable[[FeedScope, int], list[FeedEntry]]:
    """Return the function giving a scope's latest withdrawn records of ``model``, each with its reason."""

    def entries(scope: FeedScope, limit: int) -> list[FeedEntry]:
        records = _in_scope(scope, model.objects.filter(state=PublicationState.WITHDRAWN))
        records = records.select_related("monument", "artefact").order_by("-withdrawn", "-pk")[:limit]
        return [
            notice_entry(
                link=scope.absolute(record.get_absolute_url()),
                anchor="withdrawn",
                title=_("Withdrawn: %(record)s") % {"record": record_title(record)},
                when=record.withdrawn,
                text=record.withdrawal_reason,
                category="withdrawal",
            )
            for record in records
        ]

    return entries


# The kinds of record the feeds carry.
FEED_MODELS = (Incident, Restoration, Assessment)
# Every kind of entry the feeds carry: the records, their corrections and their withdrawals.
ENTRY_SOURCES: list[Callable[[FeedScope, int], list[FeedEntry]]] = [
    *(record_entries(model) for model in FEED_MODELS),
    *(correction_entries(model) for model in FEED_MODELS),
    *(withdrawal_entries(model) for model in FEED_MODELS),
]


def feed_entries(scope: FeedScope, *, limit: int) -> list[FeedEntry]:
    """Return the scope's latest ``limit`` entries of every kind, latest change first."""
    entries = [entry for source in ENTRY_SOURCES for entry in source(scope, limit)]
    return sorted(entries, key=lambda entry: (entry.updated, entry.guid), reverse=True)[:limit]


class RegisterFeed(Feed):
    """The whole register's incidents, restorations and assessments, as the public sees them, latest change first."""

    feed_type = AtomFeedWithContent

    def get_object(self, request, *args, **kwargs) -> FeedScope:
        return FeedScope(monument=None, absolute=request.build_absolute_uri)

    def title(self, scope: FeedScope) -> str:
        return _("Heritage Damage Register: latest changes")

    def subtitle(self, scope: FeedScope) -> str:
        return _(
            "Incidents, restorations and assessments of heritage monuments, each with the quotes of the reports "
            "behind it, latest change first."
        )

    def link(self, scope: FeedScope) -> str:
        return reverse("register:home")

    def feed_url(self, scope: FeedScope) -> str:
        return reverse("register:feed")

    def author_name(self, scope: FeedScope) -> str:
        return _("Heritage Damage Register")

    def feed_extra_kwargs(self, scope: FeedScope) -> dict:
        return {"updated_when_empty": scope.monument.created if scope.monument is not None else None}

    def items(self, scope: FeedScope) -> list[FeedEntry]:
        return feed_entries(scope, limit=FEED_LENGTH)

    def item_title(self, entry: FeedEntry) -> str:
        return entry.title

    def item_link(self, entry: FeedEntry) -> str:
        return entry.link

    def item_guid(self, entry: FeedEntry) -> str:
        return entry.guid

    def item_description(self, entry: FeedEntry) -> str:
        return entry.summary

    def item_updateddate(self, entry: FeedEntry) -> dt.datetime:
        return entry.updated

    def item_pubdate(self, entry: FeedEntry) -> dt.datetime | None:
        return entry.published

    def item_author_name(self, entry: FeedEntry) -> str:
        return entry.author

    def item_categories(self, entry: FeedEntry) -> list[str]:
        return [entry.category]

    def item_extra_kwargs(self, entry: FeedEntry) -> dict:
        return {"content": entry.content}


class MonumentFeed(RegisterFeed):
    """One monument's records and those of the artefacts from it; a site's include its parts'."""

    def get_object(self, request, *args, **kwargs) -> FeedScope:
        monument = get_object_or_404(Monument.objects.only("pk", "name", "slug", "created"), slug=kwargs["slug"])
        return FeedScope(monument=monument, absolute=request.build_absolute_uri)

    def title(self, scope: FeedScope) -> str:
        return _("%(name)s: latest changes in the Heritage Damage Register") % {"name": scope.monument.name}

    def subtitle(self, scope: FeedScope) -> str:
        return _(
            "Incidents, restorations and assessments of %(name)s, its parts and the artefacts from them, each with "
            "the quotes of the reports behind it, latest change first."
        ) % {"name": scope.monument.name}

    def link(self, scope: FeedScope) -> str:
        return scope.monument.get_absolute_url()

    def feed_url(self, scope: FeedScope) -> str:
        return reverse("register:monument-feed", args=[scope.monument.slug])
