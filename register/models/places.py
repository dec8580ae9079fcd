"""Monuments (immovable places), their names and images, and artefacts."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from register.models.geometry import MAX_EXTENT_VERTICES, extent_validate
from register.models.search import first_of_each, name_matches, text_matching
from register.models.validators import image_checked
from register.models.versioning import version_field
from register.models.vocabularies import Condition, MonumentKind

WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"


class MonumentQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def sites(self):
        return self.filter(part_of__isnull=True)

    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def in_bbox(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float):
        """Return monuments inside a WGS84 box; a west edge east of the east edge crosses the antimeridian."""
        inside = self.with_coordinates().filter(latitude__gte=min_lat, latitude__lte=max_lat)
        if min_lon <= max_lon:
            return inside.filter(longitude__gte=min_lon, longitude__lte=max_lon)
        return inside.filter(Q(longitude__gte=min_lon) | Q(longitude__lte=max_lon))

    def within(self, site):
        """Return the site itself and its parts (one level down, as the register models sites)."""
        return self.filter(Q(pk=site.pk) | Q(part_of=site))

    def matching_name(self, text: str):
        """Return monuments whose name, any alternate name or description matches every word of ``text``.

        Full-text search (register.models.search): each word matches as a prefix, in any language.
        """
        text = text.strip()
        if not text:
            return self
        own, named = self.name_matches_by_source(text)
        # One IN over a UNION: each side is answered by its own index, where an OR of two INs scans every monument.
        return self.filter(pk__in=own.union(named))

    @staticmethod
    def name_matches_by_source(text: str):
        """Return the ids of monuments ``text`` matches by their own name or description, and by an alternate name."""
        own = text_matching(Monument.objects.order_by(), text, substring=Q(name__icontains=text)).values("pk")
        named = text_matching(AlternateName.objects.order_by(), text, substring=Q(name__icontains=text))
        return own, named.values("monument_id")

    def relevance(self, text: str):
        """Where ``text`` matches: 2 in the name, 1 in an alternate name, 0 elsewhere (the description)."""
        in_name = name_matches(self, text, substring=Q(name__icontains=text))
        named = text_matching(AlternateName.objects.filter(monument=OuterRef("pk")), text, substring=Q(pk__isnull=True))
        return Case(When(in_name, then=Value(2)), When(Exists(named), then=Value(1)), default=Value(0))

    def by_relevance(self, text: str):
        """Order by where ``text`` matches: the name, an alternate name, then the description; by name within each."""
        return self.alias(relevance=self.relevance(text)).order_by("-relevance", "name", "pk")

    def best_matching(self, text: str, *, first: int):
        """Return monuments ``text`` matches, by relevance, whose first ``first`` are those of the full order.

        The same first rows as ``matching_name(text).by_relevance(text)``; slice them off. Ranking every match
        costs as many rows as match, and "temple" matches thousands; but each level of relevance is a set an
        index answers alone: monuments whose name matches, those with a matching alternate name, and all whose
        own text (name or description) matches. The first ``first`` of each by name (search.first_of_each),
        ranked again, hold the first ``first`` overall: a level's rows missing from its set were crowded out by
        rows of higher levels, ``first`` of them at least.
        """
        text = text.strip()
        _own, named = self.name_matches_by_source(text)
        # On the monument's own columns, not an IN over its ids, so the GIN index answers it for these rows.
        in_own_text = text_matching(self, text, substring=Q(name__icontains=text))
        in_name = in_own_text.filter(name_matches(self, text, substring=Q(name__icontains=text)))
        # When ``first`` names match, no lower level can reach the first ``first``: PostgreSQL tests this once
        # (is there a ``first``-th match, in any order, from the index) and then never reads the lower levels.
        names_leave_room = ~Exists(in_name.order_by()[first - 1 : first])
        with_name = self.filter(names_leave_room, pk__in=named)
        in_other_text = in_own_text.filter(names_leave_room)
        # By the name as an expression no index holds, so PostgreSQL reads the matches from the GIN index and
        # sorts them. Walking the name index instead stops early only when matches are spread over the alphabet,
        # but a word leads the names it is in ("Temple of ..."): the walk read every name before "Temple" first.
        by_name = (Concat("name", Value("")), "pk")
        levels = [in_name.order_by(*by_name), with_name.order_by(*by_name), in_other_text.order_by(*by_name)]
        return self.model.objects.filter(first_of_each(levels, first)).by_relevance(text)

    def evidenced_in(self, article):
        """Return monuments an article's public evidence is about, directly or through artefacts from them."""
        from register.models.events import Assessment, Incident, Restoration  # events imports this module

        paths = (
            ("incidents", Incident),
            ("restorations", Restoration),
            ("assessments", Assessment),
            ("artefacts__incidents", Incident),
            ("artefacts__restorations", Restoration),
            ("artefacts__assessments", Assessment),
        )
        about = Q()
        for path, model in paths:
            # Evidence is public when its event is: the public ones among the events the article is evidence for.
            public = model.objects.public().filter(evidence__article=article).values("pk")
            # One subquery per path keeps the outer query free of duplicate rows from joins.
            about |= Q(pk__in=Monument.objects.filter(**{f"{path}__in": public}).values("pk"))
        return self.filter(about)

    def mentioned_in(self, article):
        """Return monuments the article names (as the importer found them) or that its quotes are about."""
        named = Monument.objects.filter(mentions__article=article).values("pk")
        return self.filter(Q(pk__in=named) | Q(pk__in=Monument.objects.evidenced_in(article).values("pk")))

    def mentioned_in_articles(self, article_ids):
        """Return, for many articles at once, the monuments each ``mentioned_in``: a row per pair, with ``article_id``.

        One query whatever the count of articles; UNION (not UNION ALL) leaves one row per article and monument
        however often one names the other.
        """
        parts = [self.filter(mentions__article__in=article_ids).annotate(article_id=F("mentions__article"))]
        events = ("incidents", "restorations", "assessments")
        for path in [*events, *(f"artefacts__{event}" for event in events)]:
            # Evidence is public when its event is; both conditions in one filter(), so both hold for the same event.
            found = self.filter(**{f"{path}__evidence__article__in": article_ids, f"{path}__is_public": True})
            parts.append(found.annotate(article_id=F(f"{path}__evidence__article")))
        parts = [part.order_by() for part in parts]
        return parts[0].union(*parts[1:])


class Monument(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("The monument's address in URLs."))
    kind = models.CharField(_("kind"), max_length=20, choices=MonumentKind.choices)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
        help_text=_("The site this monument stands in."),
    )
    built = models.CharField(_("built"), max_length=200, blank=True, help_text=_("As the sources say it."))
    built_earliest_year = models.IntegerField(
        _("built, earliest year"), null=True, blank=True, help_text=_("Negative for BCE.")
    )
    built_latest_year = models.IntegerField(
        _("built, latest year"), null=True, blank=True, help_text=_("Negative for BCE.")
    )
    description = models.TextField(_("description"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=7, null=True, blank=True, help_text=_("WGS84 degrees.")
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=7, null=True, blank=True, help_text=_("WGS84 degrees.")
    )
    wikidata = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, help_text=_("A Wikidata item id such as Q5788.")
    )
    unesco_ref = models.CharField(_("UNESCO reference"), max_length=40, blank=True)
    extent = models.JSONField(
        _("extent"),
        null=True,
        blank=True,
        validators=[extent_validate],
        help_text=format_lazy(
            _(
                "The place's outline as a GeoJSON Polygon or MultiPolygon in WGS84 (longitude before latitude), "
                "of at most {limit} vertices."
            ),
            limit=MAX_EXTENT_VERTICES,
        ),
    )
    sensitive = models.BooleanField(
        _("sensitive location"),
        default=False,
        help_text=_(
            "Its exact location is not published: the public sees coordinates rounded to one decimal and no extent."
        ),
    )
    place_source = models.TextField(
        _("source of the place facts"),
        blank=True,
        help_text=_(
            "Where this record's coordinates, identifiers and names come from, as the places file it was "
            "imported from says."
        ),
    )
    condition_baseline = models.CharField(
        _("condition before recorded events"),
        max_length=20,
        choices=Condition.choices,
        default=Condition.UNKNOWN,
        help_text=_("The condition before the first incident or restoration in the register."),
    )
    condition = models.CharField(
        _("condition now"),
        max_length=20,
        choices=Condition.choices,
        default=Condition.UNKNOWN,
        editable=False,
        help_text=_("Derived from the evidenced events; kept true by register.services.condition.condition_refresh."),
    )
    # Stored beside the condition, by the same refresh, so a list of monuments reads them instead of counting.
    incident_count = models.PositiveIntegerField(
        _("evidenced incidents"), default=0, editable=False, help_text=_("Incidents with at least one quote.")
    )
    evidence_count = models.PositiveIntegerField(
        _("quotes"), default=0, editable=False, help_text=_("Quotes about the monument's incidents and restorations.")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    version = version_field()
    # The stored condition and counts are derived from events, not edited: their history is the events'.
    history = HistoricalRecords(excluded_fields=["condition", "incident_count", "evidence_count"])
    objects = MonumentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("monument")
        verbose_name_plural = _("monuments")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="monument_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=Q(wikidata="") | Q(wikidata__regex=WIKIDATA_PATTERN), name="monument_wikidata_qid"
            ),
            models.UniqueConstraint(fields=["wikidata"], condition=~Q(wikidata=""), name="monument_wikidata_unique"),
            models.CheckConstraint(
                condition=Q(built_earliest_year__isnull=True)
                | Q(built_latest_year__isnull=True)
                | Q(built_earliest_year__lte=models.F("built_latest_year")),
                name="monument_built_years_ordered",
            ),
            models.CheckConstraint(condition=~Q(part_of=models.F("pk")), name="monument_not_part_of_itself"),
        ]
        # The lists' default order and the keyset cursor's (name, id): a page is an index range, not a sort.
        # Each filter the lists offer on a column has its own index in that order, so a filtered page is a
        # range of one index too.
        indexes = [
            models.Index(fields=["name", "id"], name="monument_name_id"),
            models.Index(fields=["kind", "name", "id"], name="monument_kind_name_id"),
            models.Index(fields=["condition", "name", "id"], name="monument_condition_name_id"),
            # ?ordering=updated: a harvester pulling what changed since its last visit reads an index range.
            models.Index(fields=["updated", "id"], name="monument_updated_id"),
            # The home map: the monuments with the most evidenced incidents first.
            models.Index(fields=["-incident_count", "name", "id"], name="monument_most_incidents"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("register:monument-detail", args=[self.slug])


class AlternateNameQuerySet(models.QuerySet):
    def get_by_natural_key(self, monument_slug, language, name):
        return self.get(monument__slug=monument_slug, language=language, name=name)


class AlternateName(models.Model):
    monument = models.ForeignKey(Monument, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=20,
        help_text=_("A BCP 47 language tag: en, ar, fr, ar-Latn (Arabic in Latin letters)."),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("For example: a misnomer used in reports.")
    )

    version = version_field()
    history = HistoricalRecords()
    objects = AlternateNameQuerySet.as_manager()

    class Meta:
        ordering = ["monument", "language", "name"]
        verbose_name = _("alternate name")
        verbose_name_plural = _("alternate names")
        constraints = [
            models.UniqueConstraint("monument", Lower("name"), "language", name="alternate_name_unique_per_language"),
            models.CheckConstraint(condition=~Q(name="") & ~Q(language=""), name="alternate_name_not_blank"),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def natural_key(self):
        return (self.monument.slug, self.language, self.name)

    natural_key.dependencies = ["register.monument"]

    @property
    def is_right_to_left(self) -> bool:
        return is_right_to_left(self.language)


RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "syc"})


def is_right_to_left(language: str) -> bool:
    """Whether text tagged ``language`` (BCP 47) is written right to left: Arabic is, Arabic in Latin script not."""
    return language.split("-")[0] in RIGHT_TO_LEFT_LANGUAGES and "-Latn" not in language


class MonumentImage(models.Model):
    monument = models.ForeignKey(Monument, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to="monuments/%Y/",
        help_text=_("JPEG, PNG or WebP. Stored without its metadata (EXIF, location), turned upright."),
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="monuments/thumbnails/%Y/", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=300)
    alt_text = models.CharField(
        _("alternative text"), max_length=300, help_text=_("What the image shows, for screen readers.")
    )
    credit = models.CharField(_("credit"), max_length=200, help_text=_("Photographer and licence."))
    taken = models.DateField(_("taken on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    version = version_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["monument", "position", "pk"]
        verbose_name = _("monument image")
        verbose_name_plural = _("monument images")

    def __str__(self):
        return self.caption

    def clean(self):
        upload = self.image
        stored = MonumentImage.objects.filter(pk=self.pk).values_list("image", flat=True).first() if self.pk else None
        # A file just uploaded still has the name it came with; one already kept was checked when it arrived.
        if not upload or upload.name == stored:
            return
        position = upload.tell()
        upload.seek(0)
        data = upload.read()
        upload.seek(position)
        try:
            image_checked(data, PurePath(upload.name).name)
        except ValidationError as error:
            raise ValidationError({"image": error}) from None


class ArtefactQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Artefact(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    made = models.CharField(_("made"), max_length=200, blank=True, help_text=_("As the sources say it."))
    origin = models.ForeignKey(
        Monument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="artefacts",
        verbose_name=_("comes from"),
        help_text=_("The monument or museum the object comes from."),
    )
    current_holder = models.CharField(
        _("held by"), max_length=200, blank=True, help_text=_("Who holds the object now, as last reported.")
    )
    wikidata = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    condition_baseline = models.CharField(
        _("condition before recorded events"), max_length=20, choices=Condition.choices, default=Condition.UNKNOWN
    )
    condition = models.CharField(
        _("condition now"),
        max_length=20,
        choices=Condition.choices,
        default=Condition.UNKNOWN,
        editable=False,
        db_index=True,
        help_text=_("Derived from the evidenced events; kept true by register.services.condition.condition_refresh."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    version = version_field()
    # The stored condition is derived from events, not edited: its history is theirs.
    history = HistoricalRecords(excluded_fields=["condition"])
    objects = ArtefactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("artefact")
        verbose_name_plural = _("artefacts")
        # ?ordering=updated: a harvester pulling what changed since its last visit reads an index range.
        indexes = [models.Index(fields=["updated", "id"], name="artefact_updated_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata="") | Q(wikidata__regex=WIKIDATA_PATTERN), name="artefact_wikidata_qid"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["register.monument"]
