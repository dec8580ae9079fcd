"""Who publishes or is quoted (sources), the reports themselves (articles), and the files they came in."""

import hashlib
from bisect import bisect_right

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
from register.models.vocabularies import DocumentFormat, DocumentKind, ReceivedFileFormat, SourceKind

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
    # What a harvester asks for with ?updated_after= and ?ordering=updated, as of every other record.
    updated = models.DateTimeField(auto_now=True)

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


def publisher_text(publisher: str, *, guessed: bool = False) -> str:
    """Return a publisher's name as a reader sees it: marked as not confirmed while it is the importer's guess."""
    if guessed:
        return gettext("%(publisher)s (publisher not confirmed)") % {"publisher": publisher}
    return publisher


def carried_text(
    publisher: str,
    carried_by: str | None,
    *,
    publisher_guessed: bool = False,
    carried_by_guessed: bool = False,
    sees_guesses: bool = False,
) -> str:
    """Return who published a report, and the outlet that carried it if another did: "AFP (via Pulse)".

    The one place a guess becomes text, for every channel: a guessed publisher is marked as not confirmed, and a
    guessed outlet is left out ("AFP", not "AFP (via Business Insider)") unless the reader ``sees_guesses`` (a
    curator), who sees it marked as not confirmed.
    """
    if carried_by_guessed and not sees_guesses:
        carried_by = None
    names = {"publisher": publisher, "outlet": carried_by}
    if not carried_by:
        return publisher_text(publisher, guessed=publisher_guessed)
    if publisher_guessed and carried_by_guessed:
        return gettext("%(publisher)s (publisher not confirmed; via %(outlet)s, not confirmed)") % names
    if publisher_guessed:
        return gettext("%(publisher)s (publisher not confirmed; via %(outlet)s)") % names
    if carried_by_guessed:
        return gettext("%(publisher)s (via %(outlet)s, not confirmed)") % names
    return gettext("%(publisher)s (via %(outlet)s)") % names


def citation_text(
    *,
    publisher: str,
    carried_by: str | None,
    title: str,
    published,
    kind: str = "",
    page: int | None = None,
    publisher_guessed: bool = False,
    carried_by_guessed: bool = False,
    sees_guesses: bool = False,
) -> str:
    """Return a one-line citation from its parts' names: “AFP (via Pulse), “Title”, 2017-03-02”.

    ``published`` is a date or its ISO 8601 text (as a list reads it from the database's JSON), or None. A
    ``kind`` of document other than a news report is named after the title (“UNITAR-UNOSAT, “Palmyra”,
    satellite imagery assessment, 2015-09-02”), and a quote's ``page`` ends the citation (“..., p. 2”). The
    guesses are shown as ``carried_text`` shows them.
    """
    title = gettext("“%(title)s”") % {"title": title} if title else gettext("untitled report")
    date = str(published) if published else gettext("undated")
    origin = carried_text(
        publisher,
        carried_by,
        publisher_guessed=publisher_guessed,
        carried_by_guessed=carried_by_guessed,
        sees_guesses=sees_guesses,
    )
    parts = {"origin": origin, "title": title, "date": date}
    if kind and kind != DocumentKind.NEWS_REPORT:
        parts["kind"] = DocumentKind(kind).label
        citation = gettext("%(origin)s, %(title)s, %(kind)s, %(date)s") % parts
    else:
        citation = gettext("%(origin)s, %(title)s, %(date)s") % parts
    if page:
        return gettext("%(citation)s, p. %(page)s") % {"citation": citation, "page": page}
    return citation


def page_at(page_starts, position: int | None) -> int | None:
    """Return the page (from 1) that the body's character at ``position`` stands on, or None for an unpaged body."""
    if not page_starts or position is None:
        return None
    return max(bisect_right(page_starts, position), 1)


def fingerprint(raw_text: str) -> str:
    """Return the SHA-256 of the raw text as UTF-8, the article's fingerprint."""
    return hashlib.sha256(raw_text.encode("utf-8")).hexdigest()


SHA256_HEX = r"^[0-9a-f]{64}$"


class ReceivedFileQuerySet(models.QuerySet):
    def get_by_natural_key(self, sha256):
        return self.get(sha256=sha256)

    def without_content(self):
        """Return the files without their bytes, for lists and look-ups that only name them."""
        return self.defer("content")

    def cited(self):
        """Return the files an article was read from or captured in."""
        return self.filter(
            Q(pk__in=Article.objects.filter(original__isnull=False).values("original"))
            | Q(pk__in=Article.objects.filter(archive__isnull=False).values("archive"))
        )


class ReceivedFile(models.Model):
    """A file exactly as received (a web page, a PDF, a web archive): its bytes and their SHA-256.

    The bytes are kept in the database, beside the articles read from them: stored in the same transaction as
    its articles, a file is never left behind by a failed import nor missing behind a stored one; a trigger
    refuses any change to it; and every backup and copy of the database carries it.
    """

    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("Of the bytes as received: what sha256sum prints for the file."),
    )
    format = models.CharField(_("format"), max_length=10, choices=ReceivedFileFormat.choices, editable=False)
    name = models.CharField(_("received as"), max_length=500, blank=True, help_text=_("The file's name."))
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    content = models.BinaryField(_("bytes"))
    received = models.DateTimeField(_("received"), auto_now_add=True)

    objects = ReceivedFileQuerySet.as_manager()

    class Meta:
        ordering = ["-received", "pk"]
        verbose_name = _("received file")
        verbose_name_plural = _("received files")
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=SHA256_HEX), name="receivedfile_sha256_is_hex"),
            models.CheckConstraint(condition=Q(size__gt=0), name="receivedfile_not_empty"),
        ]

    def __str__(self):
        return f"{self.name or self.get_format_display()} ({self.sha256[:12]})"

    def natural_key(self):
        return (self.sha256,)

    def clean(self):
        content = bytes(self.content or b"")
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.size = len(content)


class ArticleQuerySet(models.QuerySet):
    def get_by_natural_key(self, sha256, url):
        # A full text is known by its fingerprint; a reference-only article by its URL.
        if sha256:
            return self.get(sha256=sha256)
        return self.get(sha256__isnull=True, url=url)

    def with_text(self):
        """Return the articles held in full: their text, or the file it was read from (a scan awaiting OCR)."""
        return self.filter(~Q(raw_text="") | Q(original__isnull=False))

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
        from register.models.events import Assessment, Incident, Restoration  # events imports this module

        monuments = Monument.objects.within(monument)
        # One subquery per path, each answered once by its indexes; one OR over the joins scans every quote.
        about = Q(pk__in=self.model.objects.filter(mentions__monument__in=monuments).values("pk"))
        for event, model, subject in (
            ("incident", Incident, "monument"),
            ("restoration", Restoration, "monument"),
            ("assessment", Assessment, "monument"),
            ("incident", Incident, "artefact__origin"),
            ("restoration", Restoration, "artefact__origin"),
            ("assessment", Assessment, "artefact__origin"),
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
    publisher_guessed = models.BooleanField(
        _("publisher guessed, not confirmed"),
        default=False,
        help_text=_(
            "The importer inferred the publisher (from the page's site name or the style of its credits) rather than "
            "read it in the text. The public sees it marked as not confirmed until a curator confirms it: untick to "
            "confirm."
        ),
    )
    carried_by_guessed = models.BooleanField(
        _("outlet guessed, not confirmed"),
        default=False,
        help_text=_(
            "The importer inferred the outlet from page furniture or the page's metadata. The public is not shown it "
            "until a curator confirms it: untick to confirm."
        ),
    )
    kind = models.CharField(
        _("kind of document"),
        max_length=30,
        choices=DocumentKind.choices,
        default=DocumentKind.NEWS_REPORT,
        help_text=_("What the document is: an imagery assessment or an official statement can confirm a report."),
    )
    format = models.CharField(
        _("received as"),
        max_length=10,
        choices=DocumentFormat.choices,
        default=DocumentFormat.TEXT,
        editable=False,
        help_text=_("Decoded from a text file, or extracted from a web page or a PDF."),
    )
    original = models.ForeignKey(
        ReceivedFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="documents",
        verbose_name=_("original file"),
        help_text=_("The web page or PDF exactly as received (a capture: as its archive holds it)."),
    )
    page_starts = models.JSONField(
        _("page starts"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Where each page of a PDF starts in the body, in characters: a quote's position gives its page."),
    )
    archive = models.ForeignKey(
        ReceivedFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="archived_documents",
        verbose_name=_("web archive"),
        help_text=_("The WARC or WACZ file the page or PDF was captured in, exactly as received."),
    )
    captured = models.DateTimeField(
        _("captured"), null=True, blank=True, editable=False, help_text=_("When the archive captured it (WARC-Date).")
    )
    payload_digest = models.CharField(
        _("payload digest"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The capture's WARC-Payload-Digest, as its archive records it."),
    )
    warc_record_id = models.CharField(
        _("WARC record"), max_length=200, blank=True, editable=False, help_text=_("The capture's WARC-Record-ID.")
    )
    imagery_provider = models.CharField(
        _("imagery provider"),
        max_length=200,
        blank=True,
        help_text=_("For a satellite imagery assessment: whose images it compares (Airbus DS, WorldView-2)."),
    )
    imagery_before = models.DateField(
        _("earlier image"),
        null=True,
        blank=True,
        help_text=_("For a satellite imagery assessment: the date of the earlier image compared."),
    )
    imagery_after = models.DateField(
        _("later image"),
        null=True,
        blank=True,
        help_text=_("For a satellite imagery assessment: the date of the later image compared."),
    )
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
            # A full article has a fingerprint (of its text, or of its file: a scan has no text until OCR); a
            # reference-only one has a URL to follow instead.
            models.CheckConstraint(
                condition=((~Q(raw_text="") | Q(original__isnull=False)) & Q(sha256__regex=SHA256_HEX))
                | (Q(raw_text="", body="", sha256__isnull=True, original__isnull=True) & ~Q(url="")),
                name="article_text_fingerprinted_or_reference",
            ),
            models.CheckConstraint(
                condition=Q(format=DocumentFormat.TEXT) | Q(original__isnull=False),
                name="article_document_keeps_its_file",
                violation_error_message=_("A web page or PDF keeps the file it was read from."),
            ),
            models.CheckConstraint(
                condition=Q(archive__isnull=True, captured__isnull=True, payload_digest="", warc_record_id="")
                | Q(archive__isnull=False, original__isnull=False, captured__isnull=False),
                name="article_capture_keeps_its_archive",
                violation_error_message=_("A capture keeps its web archive, its own file and its capture time."),
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.IMAGERY_ASSESSMENT)
                | Q(imagery_provider="", imagery_before__isnull=True, imagery_after__isnull=True),
                name="article_imagery_only_for_assessments",
                violation_error_message=_("Only a satellite imagery assessment has an imagery provider and dates."),
            ),
            models.CheckConstraint(
                condition=Q(imagery_before__isnull=True)
                | Q(imagery_after__isnull=True)
                | Q(imagery_before__lte=models.F("imagery_after")),
                name="article_imagery_in_date_order",
                violation_error_message=_("The earlier image cannot be dated after the later one."),
            ),
            models.UniqueConstraint(
                fields=["url"], condition=Q(sha256__isnull=True), name="article_reference_url_unique"
            ),
            # Pages link to this address: only web addresses, never javascript: or data: ones.
            models.CheckConstraint(condition=WEB_URL, name="article_url_is_web_address"),
            models.CheckConstraint(
                condition=Q(carried_by_guessed=False) | Q(carried_by__isnull=False),
                name="article_guessed_outlet_is_set",
                violation_error_message=_("Only an outlet that is set can be a guess."),
            ),
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

    natural_key.dependencies = ["register.source", "register.receivedfile"]

    def get_absolute_url(self):
        return reverse("register:article-detail", args=[self.pk])

    @property
    def is_reference_only(self) -> bool:
        return not self.raw_text and self.original_id is None

    @property
    def pages(self) -> int | None:
        """Return how many pages the document has, or None for one without pages (text, a web page)."""
        return len(self.page_starts) or None

    def page_of(self, position: int | None) -> int | None:
        """Return the page (from 1) that the body's character at ``position`` stands on, or None without pages."""
        return page_at(self.page_starts, position)

    def clean(self):
        stored = type(self).objects.filter(pk=self.pk).values("raw_text", "body").first() if self.pk else None
        if stored and stored["raw_text"] and self.raw_text != stored["raw_text"]:
            # The fingerprint must keep verifying the text it was taken from (the database refuses it too).
            raise ValidationError(
                {"raw_text": _("The raw text is kept exactly as it was imported: it cannot be changed.")}
            )
        if stored and self.body != stored["body"]:
            self._check_quotes_stand_in_body()
        if self.original_id is not None:
            # A web page's or PDF's fingerprint is its file's, which anyone can check with sha256sum.
            self.sha256 = ReceivedFile.objects.values_list("sha256", flat=True).get(pk=self.original_id)
        elif self.raw_text:
            self.sha256 = fingerprint(self.raw_text)
        else:
            self.sha256 = None
            if self.body:
                raise ValidationError({"body": _("A reference-only article has no body; add the raw text first.")})
        if self.carried_by_id and self.carried_by_id == self.publisher_id:
            raise ValidationError({"carried_by": _("Leave empty when the publisher carried its own report.")})
        self._forget_guesses_changed()

    def _forget_guesses_changed(self) -> None:
        """Clear the guess flag of a publisher or outlet a curator changed or removed: it is theirs now."""
        if self.carried_by_id is None:
            self.carried_by_guessed = False
        if not self.pk or not (self.publisher_guessed or self.carried_by_guessed):
            return
        stored = type(self).objects.filter(pk=self.pk).values("publisher_id", "carried_by_id").first()
        if stored is None:
            return
        if self.publisher_id != stored["publisher_id"]:
            self.publisher_guessed = False
        if self.carried_by_id != stored["carried_by_id"]:
            self.carried_by_guessed = False

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
    def guessed_fields(self) -> list[str]:
        """Return which of "publisher" and "carried_by" the importer guessed and no curator has confirmed yet."""
        return [name for name in ("publisher", "carried_by") if getattr(self, f"{name}_guessed")]

    @property
    def public_carried_by(self) -> Source | None:
        """Return the outlet that carried the report as the public sees it: none while it is a guess."""
        return None if self.carried_by_guessed else self.carried_by

    @property
    def public_publisher(self) -> str:
        """Return the publisher's name as the public sees it: marked as not confirmed while it is a guess."""
        return publisher_text(self.publisher.name, guessed=self.publisher_guessed)

    @property
    def public_publisher_cited(self) -> str:
        """Return the publisher as a public citation names it (its short name), marked while it is a guess."""
        return publisher_text(self.publisher.citation_name, guessed=self.publisher_guessed)

    def origin_text(self, *, sees_guesses: bool = False) -> str:
        """Return who published the report and who carried it, as ``carried_text`` shows a reader the guesses."""
        return carried_text(
            self.publisher.citation_name,
            self.carried_by.citation_name if self.carried_by_id else None,
            publisher_guessed=self.publisher_guessed,
            carried_by_guessed=self.carried_by_guessed,
            sees_guesses=sees_guesses,
        )

    @property
    def citation(self) -> str:
        """Return a one-line citation as the public sees it: publisher (via outlet), title, kind of document, date."""
        return self.citation_at(None)

    def citation_at(self, position: int | None, *, sees_guesses: bool = False) -> str:
        """Return the citation of the passage at ``position`` in the body: the article's, and its page if paged."""
        return citation_text(
            publisher=self.publisher.citation_name,
            carried_by=self.carried_by.citation_name if self.carried_by_id else None,
            title=self.title,
            published=self.published,
            kind=self.kind,
            page=self.page_of(position),
            publisher_guessed=self.publisher_guessed,
            carried_by_guessed=self.carried_by_guessed,
            sees_guesses=sees_guesses,
        )
