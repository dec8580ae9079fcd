"""Who publishes or is quoted (sources), and the reports themselves (articles)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from register.models.places import Monument
from register.models.search import text_matching
from register.models.versioning import version_field
from register.models.vocabularies import SourceKind

WEB_URL = Q(url="") | Q(url__startswith="https://") | Q(url__startswith="http://")


class SourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Source(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("How citations name it: AFP, SOHR, SANA.")
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    url = models.URLField(_("web site"), blank=True)
    description = models.TextField(_("description"), blank=True)

    version = version_field()
    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [models.CheckConstraint(condition=WEB_URL, name="source_url_is_web_address")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def citation_name(self) -> str:
        return self.short_name or self.name


def carried_text(publisher: str, carried_by: str | None) -> str:
    """Return who published a report, and the outlet that carried it if another did: "AFP (via Pulse)"."""
    if not carried_by:
        return publisher
    return gettext("%(publisher)s (via %(outlet)s)") % {"publisher": publisher, "outlet": carried_by}


def citation_text(*, publisher: str, carried_by: str | None, title: str, published) -> str:
    """Return a one-line citation from its parts' names: “AFP (via Pulse), “Title”, 2017-03-02”.

    ``published`` is a date or its ISO 8601 text (as a list reads it from the database's JSON), or None.
    """
    title = gettext("“%(title)s”") % {"title": title} if title else gettext("untitled report")
    date = str(published) if published else gettext("undated")
    return gettext("%(origin)s, %(title)s, %(date)s") % {
        "origin": carried_text(publisher, carried_by),
        "title": title,
        "date": date,
    }


def fingerprint(raw_text: str) -> str:
    """Return the SHA-256 of the raw text as UTF-8, the article's fingerprint."""
    return hashlib.sha256(raw_text.encode("utf-8")).hexdigest()


class ArticleQuerySet(models.QuerySet):
    def get_by_natural_key(self, sha256, url):
        # A full text is known by its fingerprint; a reference-only article by its URL.
        if sha256:
            return self.get(sha256=sha256)
        return self.get(sha256__isnull=True, url=url)

    def with_text(self):
        return self.exclude(raw_text="")

    def needing_review(self):
        return self.filter(needs_review=True)

    def published_between(self, start, end):
        """Return articles published within [start, end]; either end may be open, undated articles never match."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(published__gte=start)
        if end is not None:
            queryset = queryset.filter(published__lte=end)
        return queryset

    def mentioning(self, monument):
        """Return articles that name the monument (or its parts, when a site) or are quoted as evidence about it.

        Quotes count too: a passage quoted about a monument speaks of it even where the importer found no
        name it knows (and articles entered by hand have no mentions found at all).
        """
        from register.models.events import Incident, Restoration  # events imports this module

        monuments = Monument.objects.within(monument)
        # One subquery per path, each answered once by its indexes; one OR over the joins scans every quote.
        about = Q(pk__in=self.model.objects.filter(mentions__monument__in=monuments).values("pk"))
        for event, model, subject in (
            ("incident", Incident, "monument"),
            ("restoration", Restoration, "monument"),
            ("incident", Incident, "artefact__origin"),
            ("restoration", Restoration, "artefact__origin"),
        ):
            # Evidence for an event the public may not see says nothing public about the monument.
            public = model.objects.public().filter(**{f"{subject}__in": monuments}).values("pk")
            about |= Q(pk__in=self.model.objects.filter(**{f"evidence__{event}__in": public}).values("pk"))
        return self.filter(about)

    def matching_text(self, text: str):
        """Return articles whose title or cleaned body matches every word of ``text`` (full text, as prefixes)."""
        text = text.strip()
        if not text:
            return self
        return text_matching(self, text, substring=Q(title__icontains=text) | Q(body__icontains=text))


class Article(models.Model):
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="published_articles",
        verbose_name=_("publisher"),
        help_text=_("Who wrote the report: the agency whose copy it is (AFP, Reuters)."),
    )
    carried_by = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_articles",
        verbose_name=_("carried by"),
        help_text=_("The outlet that carried the agency's copy, when not the publisher itself."),
    )
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    dateline = models.CharField(
        _("dateline"), max_length=200, blank=True, help_text=_("For example: BEIRUT (Reuters).")
    )
    published = models.DateField(
        _("published"), null=True, blank=True, help_text=_("Empty when the report gives no date.")
    )
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=20, default="en")
    raw_text = models.TextField(
        _("raw text"), blank=True, help_text=_("Exactly as received (decoded). Empty for a reference-only article.")
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("The raw text without page furniture. Quotes point into it.")
    )
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Fingerprint of the raw text in UTF-8."),
    )
    source_file = models.CharField(_("imported from"), max_length=500, blank=True)
    encoding = models.CharField(
        _("encoding"), max_length=40, blank=True, help_text=_("How the received bytes were decoded.")
    )
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_note = models.CharField(_("why it needs review"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    version = version_field()
    history = HistoricalRecords(excluded_fields=["raw_text"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title", "pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            # A full article has a fingerprint; a reference-only one has a URL to follow instead.
            models.CheckConstraint(
                condition=(~Q(raw_text="") & Q(sha256__regex=r"^[0-9a-f]{64}$"))
                | (Q(raw_text="", body="", sha256__isnull=True) & ~Q(url="")),
                name="article_text_fingerprinted_or_reference",
            ),
            models.UniqueConstraint(
                fields=["url"], condition=Q(sha256__isnull=True), name="article_reference_url_unique"
            ),
            # Pages link to this address: only web addresses, never javascript: or data: ones.
            models.CheckConstraint(condition=WEB_URL, name="article_url_is_web_address"),
        ]
        indexes = [
            models.Index(fields=["published"]),
            # ?ordering=updated: a harvester pulling what changed since its last visit reads an index range.
            models.Index(fields=["updated", "id"], name="article_updated_id"),
        ]

    def __str__(self):
        return self.title or _("Untitled report %(sha)s") % {"sha": (self.sha256 or "")[:12]}

    def natural_key(self):
        return (self.sha256 or "", self.url)

    natural_key.dependencies = ["register.source"]

    def get_absolute_url(self):
        return reverse("register:article-detail", args=[self.pk])

    @property
    def is_reference_only(self) -> bool:
        return not self.raw_text

    def clean(self):
        stored = type(self).objects.filter(pk=self.pk).values("raw_text", "body").first() if self.pk else None
        if stored and stored["raw_text"] and self.raw_text != stored["raw_text"]:
            # The fingerprint must keep verifying the text it was taken from (the database refuses it too).
            raise ValidationError(
                {"raw_text": _("The raw text is kept exactly as it was imported: it cannot be changed.")}
            )
        if stored and self.body != stored["body"]:
            self._check_quotes_stand_in_body()
        if self.raw_text:
            self.sha256 = fingerprint(self.raw_text)
        else:
            self.sha256 = None
            if self.body:
                raise ValidationError({"body": _("A reference-only article has no body; add the raw text first.")})
        if self.carried_by_id and self.carried_by_id == self.publisher_id:
            raise ValidationError({"carried_by": _("Leave empty when the publisher carried its own report.")})

    def _check_quotes_stand_in_body(self) -> None:
        """Raise a ValidationError on ``body`` naming every quote the body no longer holds verbatim at its position."""
        orphaned = [
            evidence
            for evidence in self.evidence.filter(position__isnull=False).only("pk", "quote", "position")
            if self.body[evidence.position : evidence.position + len(evidence.quote)] != evidence.quote
        ]
        if not orphaned:
            return
        quotes = ", ".join(
            gettext("#%(id)s “%(start)s”") % {"id": evidence.pk, "start": Truncator(evidence.quote).chars(40)}
            for evidence in orphaned
        )
        message = ngettext(
            "This body no longer holds the quote %(quotes)s verbatim at its position: change or remove the quote "
            "first, or keep its words where they stand.",
            "This body no longer holds the quotes %(quotes)s verbatim at their positions: change or remove the "
            "quotes first, or keep their words where they stand.",
            len(orphaned),
        ) % {"quotes": quotes}
        raise ValidationError({"body": message})

    @property
    def citation(self) -> str:
        """Return a one-line citation: publisher (via outlet), title, date."""
        return citation_text(
            publisher=self.publisher.citation_name,
            carried_by=self.carried_by.citation_name if self.carried_by_id else None,
            title=self.title,
            published=self.published,
        )
