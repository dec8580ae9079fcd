"""What happened to a monument or artefact, and the passages that say so."""

import datetime as dt

from django.contrib.postgres.fields import DateRangeField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from register.models.dates import EDTFField, EDTFWindowsMixin, edtf_window_constraints
from register.models.places import Artefact, Monument
from register.models.search import first_of_each, text_matching
from register.models.sources import Article, Source, carried_text
from register.models.versioning import version_field
from register.models.vocabularies import (
    AssessmentMethod,
    Certainty,
    Condition,
    DamageExtent,
    DamageGrade,
    EvidenceStrength,
    IncidentKind,
    Priority,
    PublicationState,
    RestorationKind,
    Stance,
    Trend,
)


def attribution_text(
    *,
    publisher: str,
    carried_by: str | None,
    cited_source: str | None,
    cited_person: str,
    publisher_guessed: bool = False,
    carried_by_guessed: bool = False,
    sees_guesses: bool = False,
) -> str:
    """Return the attribution chain from its names: "AFP (via Pulse), citing Rami Abdel Rahman, SOHR".

    The publisher and outlet the importer guessed are shown as ``carried_text`` shows them to the reader.
    """
    chain = carried_text(
        publisher,
        carried_by,
        publisher_guessed=publisher_guessed,
        carried_by_guessed=carried_by_guessed,
        sees_guesses=sees_guesses,
    )
    if cited_person and cited_source:
        cited = gettext("%(person)s, %(source)s") % {"person": cited_person, "source": cited_source}
    else:
        cited = cited_person or cited_source
    if not cited:
        return chain
    return gettext("%(chain)s, citing %(cited)s") % {"chain": chain, "cited": cited}


ONE_SUBJECT = Q(monument__isnull=False, artefact__isnull=True) | Q(monument__isnull=True, artefact__isnull=False)
# Evidence is for exactly one incident, restoration or assessment.
ONE_EVENT = (
    Q(incident__isnull=False, restoration__isnull=True, assessment__isnull=True)
    | Q(incident__isnull=True, restoration__isnull=False, assessment__isnull=True)
    | Q(incident__isnull=True, restoration__isnull=True, assessment__isnull=False)
)
PUBLIC = Q(is_public=True)


def public_rule(model: "type[Event]") -> ExpressionWrapper:
    """Return the condition that an event of ``model`` is public: a curator published it and a quote supports it.

    The one rule of what the public may see of incidents, restorations and assessments. It is evaluated only to
    store its answer in each event's ``is_public`` (register.services.condition keeps that true after every change),
    which every channel reads (register.visibility). A draft, a withdrawn record, and a record whose only support is
    a report held by reference are not public.
    """
    quoted = Exists(Evidence.objects.quotes().filter(**{model._meta.model_name: OuterRef("pk")}))
    return ExpressionWrapper(Q(state=PublicationState.PUBLISHED) & quoted, output_field=BooleanField())


class EventQuerySet(models.QuerySet):
    """Set logic shared by incidents and restorations."""

    @property
    def date_field(self) -> str:
        return self.model.date_field

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def for_monument(self, monument, *, include_parts: bool = True):
        """Return events of the monument, of its parts when it is a site, and of artefacts from them."""
        monuments = Monument.objects.within(monument) if include_parts else Monument.objects.filter(pk=monument.pk)
        own = self.model.objects.order_by().filter(monument__in=monuments).values("pk")
        from_artefacts = self.model.objects.order_by().filter(artefact__origin__in=monuments).values("pk")
        # One IN over a UNION of ids each side finds by its own index: an OR of the two INs made PostgreSQL
        # test every event of the register.
        return self.filter(pk__in=own.union(from_artefacts))

    def for_subject(self, subject):
        """Return the events of exactly this monument or artefact, parts excluded."""
        if isinstance(subject, Artefact):
            return self.filter(artefact=subject)
        return self.filter(monument=subject)

    def overlapping(self, start: dt.date | None, end: dt.date | None):
        """Return events whose uncertain window overlaps [start, end]; either end may be open."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(**{f"{self.date_field}_latest__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{self.date_field}_earliest__lte": end})
        if start is not None and end is not None and connections[self.db].vendor == "postgresql":
            # The same condition as a range overlap, which the GiST index of migration 0011 answers directly:
            # a B-tree on either end alone must read every event before the window to rule it out.
            field = self.date_field
            ends = (F(f"{field}_earliest"), F(f"{field}_latest"), Value("[]"))
            window = Func(*ends, function="daterange", output_field=DateRangeField())
            queryset = queryset.alias(window=window).filter(window__overlap=DateRange(start, end, "[]"))
        return queryset

    def certainly_by(self, day: dt.date):
        """Return events whose whole window lies on or before ``day``."""
        return self.filter(**{f"{self.date_field}_latest__lte": day})

    def in_date_order(self):
        return self.order_by(f"{self.date_field}_latest", f"{self.date_field}_earliest", "pk")

    def cited_from(self, source):
        """Return events with a quote that ``source`` published, carried or is cited for."""
        evidence = Evidence.objects.filter(
            Q(article__publisher=source) | Q(article__carried_by=source) | Q(cited_source=source)
        )
        return self.filter(pk__in=evidence.values(self.model._meta.model_name))

    def with_evidence(self):
        """Return only events that carry at least one quote, as the database holds them now."""
        return self.filter(Exists(Evidence.objects.quotes().filter(**{self.model._meta.model_name: OuterRef("pk")})))

    def public(self):
        """Return the events the public may see: those whose stored flag says ``public_rule`` holds."""
        return self.filter(is_public=True)

    def with_public_evidence(self):
        """Prefetch each event's quotes with everything a citation names."""
        return self.prefetch_related(
            models.Prefetch("evidence", queryset=Evidence.objects.with_citation().order_by("article", "position"))
        )


class IncidentQuerySet(EventQuerySet):
    def reported_overlapping(self, start: dt.date | None, end: dt.date | None):
        """Return incidents first reported in a window overlapping [start, end]; undated reports never match."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(reported_latest__gte=start)
        if end is not None:
            queryset = queryset.filter(reported_earliest__lte=end)
        return queryset

    def matching_text(self, text: str):
        """Return incidents whose summary or perpetrator matches ``text`` (full text), or whose subject's name does."""
        text = text.strip()
        if not text:
            return self
        ids = [branch.values("pk") for branch in self._matching_text_branches(Incident.objects.order_by(), text)]
        # A UNION of ids each side finds by its own index. An OR over a join to artefacts scans every incident.
        return self.filter(pk__in=ids[0].union(*ids[1:]))

    def latest_matching(self, text: str, *, first: int):
        """Return incidents ``text`` matches, latest first, whose first ``first`` are those of ``matching_text(text)``.

        A common word ("temple") matches a large share of all incidents; each way of matching, ordered and limited
        on its own (search.first_of_each), is a walk back along incident_occurred_order that stops after
        ``first`` matches, or for a rare word the few its index finds, sorted.
        """
        text = text.strip()
        branches = [branch.latest_first() for branch in self._matching_text_branches(self, text)]
        return self.model.objects.filter(first_of_each(branches, first)).latest_first()

    @staticmethod
    def _matching_text_branches(incidents, text: str) -> list:
        """Return the incidents ``text`` matches by each way of matching, one an index answers alone per branch."""
        words = Q(summary__icontains=text) | Q(perpetrator__icontains=text)
        # The monument's own text and its alternate names apart: PostgreSQL answers an IN over either one incident
        # at a time, which a walk in date order needs, but must read the whole of an IN over their UNION first.
        monument_text, monument_named = Monument.objects.name_matches_by_source(text)
        # artefact__isnull=False is implied, but stated it keeps PostgreSQL from estimating every incident for
        # this side when no incident has an artefact (its statistics then say nothing about the join).
        named_artefact = Artefact.objects.filter(name__icontains=text)
        return [
            text_matching(incidents, text, substring=words),
            incidents.filter(monument__in=monument_text),
            incidents.filter(monument__in=monument_named),
            incidents.filter(artefact__isnull=False, artefact__in=named_artefact),
        ]

    def latest_first(self):
        return self.order_by("-occurred_latest", "-occurred_earliest", "-pk")


class RestorationQuerySet(EventQuerySet):
    pass


class AssessmentQuerySet(EventQuerySet):
    pass


class Event(EDTFWindowsMixin):
    """What incidents, restorations and assessments share: an address, one subject, timestamps, a version, history."""

    # The EDTF field that places the event in time; its window orders lists and the condition over time.
    date_field: str

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    monument = models.ForeignKey(
        Monument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("monument"),
    )
    artefact = models.ForeignKey(
        Artefact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("artefact"),
    )
    # Changed only by register.services.publication, which checks a record is complete before it is published.
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        editable=False,
        help_text=_("A draft is seen by curators only; a withdrawn record keeps its page, with the reason."),
    )
    published = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    withdrawn = models.DateTimeField(_("withdrawn on"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        editable=False,
        help_text=_(
            "Whether the public sees the event: it is published and at least one quote supports it. "
            "Kept true by register.services.condition after every change to the event or its evidence."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    version = version_field()
    # Whether the event is public follows from its evidence, not from an edit: its history is the evidence's.
    history = HistoricalRecords(inherit=True, excluded_fields=["is_public"])

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="%(class)s_one_subject"),
            models.CheckConstraint(condition=Q(state__in=PublicationState.values), name="%(class)s_state_known"),
            # A published or withdrawn record was published once; a withdrawn one says when and why.
            models.CheckConstraint(
                condition=Q(state=PublicationState.DRAFT) | Q(published__isnull=False),
                name="%(class)s_published_dated",
            ),
            models.CheckConstraint(
                condition=~Q(state=PublicationState.WITHDRAWN)
                | (Q(withdrawn__isnull=False) & ~Q(withdrawal_reason="")),
                name="%(class)s_withdrawal_explained",
            ),
        ]

    def __str__(self):
        return f"{self.subject}: {self.get_kind_display()}, {self.when}"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["register.monument", "register.artefact"]

    def get_absolute_url(self):
        return reverse(f"register:{self._meta.model_name}-detail", args=[self.slug])

    @property
    def subject(self) -> Monument | Artefact | None:
        return self.monument or self.artefact

    @property
    def when(self) -> str:
        """Return the EDTF date that places the event in time."""
        return getattr(self, self.date_field)


class Incident(Event):
    edtf_fields = ("occurred", "reported")
    date_field = "occurred"

    kind = models.CharField(_("what happened"), max_length=20, choices=IncidentKind.choices)
    grade = models.CharField(
        _("damage grade"),
        max_length=20,
        choices=DamageGrade.choices,
        blank=True,
        help_text=_("UNITAR-UNOSAT grade; empty where the incident is not physical damage (misuse, looting)."),
    )
    occurred = EDTFField(_("occurred"), help_text=_("EDTF: 2017-01, 2015-08-23~, 2016-12-26/2017-01-10."))
    occurred_earliest = models.DateField(_("occurred, earliest day"), editable=False)
    occurred_latest = models.DateField(_("occurred, latest day"), editable=False)
    reported = EDTFField(_("first reported"), blank=True, help_text=_("EDTF; when the incident was first reported."))
    reported_earliest = models.DateField(null=True, editable=False)
    reported_latest = models.DateField(null=True, editable=False)
    perpetrator = models.CharField(
        _("reported perpetrator"), max_length=200, blank=True, help_text=_("As reported, not as established.")
    )
    summary = models.TextField(_("summary"))
    strength = models.CharField(
        _("strength of evidence"),
        max_length=20,
        choices=EvidenceStrength.choices,
        default=EvidenceStrength.SINGLE,
        help_text=_("Count independent origins: two outlets carrying one AFP wire are one origin."),
    )
    certainty = models.CharField(
        _("certainty"),
        max_length=20,
        choices=Certainty.choices,
        default=Certainty.MEDIUM,
        help_text=_("EAMENA certainty that the incident happened as summarised."),
    )

    objects = IncidentQuerySet.as_manager()

    class Meta(Event.Meta):
        ordering = ["occurred_latest", "occurred_earliest", "pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            *Event.Meta.constraints,
            *edtf_window_constraints("incident", "occurred", required=True),
            *edtf_window_constraints("incident", "reported", required=False),
            models.CheckConstraint(
                condition=Q(reported_latest__isnull=True) | Q(reported_latest__gte=models.F("occurred_earliest")),
                name="incident_not_reported_before_it_occurred",
            ),
        ]
        indexes = [
            models.Index(fields=["occurred_earliest", "occurred_latest"]),
            # The lists' order and keyset cursor: many incidents share a day, so the id must be in the index too.
            models.Index(fields=["occurred_earliest", "id"], name="incident_occurred_id"),
            # Meta.ordering, and latest_first() read backwards (the public incident list and the home page).
            models.Index(fields=["occurred_latest", "occurred_earliest", "id"], name="incident_occurred_order"),
            # ?ordering=updated: a harvester pulling what changed since its last visit reads an index range.
            models.Index(fields=["updated", "id"], name="incident_updated_id"),
            # The public lists' orders over public incidents alone, so a page walks no unpublished one; the
            # indexes above serve curators, who see every incident.
            models.Index(fields=["occurred_earliest", "id"], condition=PUBLIC, name="incident_public_occurred_id"),
            models.Index(
                fields=["occurred_latest", "occurred_earliest", "id"], condition=PUBLIC, name="incident_public_order"
            ),
        ]

    def clean(self):
        if self.grade == DamageGrade.NONE and self.kind in {IncidentKind.DESTROYED, IncidentKind.DAMAGED}:
            raise ValidationError({"grade": _("An incident of damage cannot be graded as no visible damage.")})


class Restoration(Event):
    edtf_fields = ("started", "finished", "returned")
    date_field = "finished"

    kind = models.CharField(_("kind"), max_length=20, choices=RestorationKind.choices)
    institution = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restorations",
        verbose_name=_("institution"),
        help_text=_("Who did the work, such as ISCR."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("City where the work was done."))
    country = models.CharField(_("country"), max_length=100, blank=True)
    started = EDTFField(_("started"), blank=True)
    started_earliest = models.DateField(null=True, editable=False)
    started_latest = models.DateField(null=True, editable=False)
    finished = EDTFField(_("finished"), help_text=_("EDTF; when the work was done, or when the object came back."))
    finished_earliest = models.DateField(editable=False)
    finished_latest = models.DateField(editable=False)
    returned = EDTFField(
        _("returned"),
        blank=True,
        help_text=_(
            "EDTF; when the object came back. Where reports disagree, use an interval and keep each report as evidence."
        ),
    )
    returned_earliest = models.DateField(null=True, editable=False)
    returned_latest = models.DateField(null=True, editable=False)
    summary = models.TextField(_("summary"))
    condition_after = models.CharField(
        _("condition after"),
        max_length=20,
        choices=Condition.choices,
        blank=True,
        help_text=_(
            "EAMENA condition once finished; empty when the work leaves the original's condition as it was (a replica)."
        ),
    )

    objects = RestorationQuerySet.as_manager()

    class Meta(Event.Meta):
        ordering = ["finished_latest", "finished_earliest", "pk"]
        verbose_name = _("restoration")
        verbose_name_plural = _("restorations")
        constraints = [
            *Event.Meta.constraints,
            *edtf_window_constraints("restoration", "started", required=False),
            *edtf_window_constraints("restoration", "finished", required=True),
            *edtf_window_constraints("restoration", "returned", required=False),
            models.CheckConstraint(
                condition=Q(started_earliest__isnull=True) | Q(started_earliest__lte=models.F("finished_latest")),
                name="restoration_started_before_finished",
            ),
        ]
        indexes = [
            # ?ordering=updated: a harvester pulling what changed since its last visit reads an index range.
            models.Index(fields=["updated", "id"], name="restoration_updated_id"),
            # The public lists' orders over public restorations alone, so a page walks no unpublished one.
            models.Index(fields=["finished_earliest", "id"], condition=PUBLIC, name="restoration_public_finished_id"),
            models.Index(
                fields=["finished_latest", "finished_earliest", "id"], condition=PUBLIC, name="restoration_public_order"
            ),
        ]

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = [*Event.natural_key.dependencies, "register.source"]


PRIORITY_HELP = _(
    "After Historic England's Heritage at Risk Register. A: immediate risk of further rapid deterioration or loss "
    "of fabric, no solution agreed. B: the same, a solution agreed but not yet implemented. C: slow decay, no "
    "solution agreed. D: slow decay, a solution agreed but not yet implemented. E: under repair, or in fair to good "
    "repair, but no use or user identified. F: a repair scheme in progress and, where it applies, a use or user "
    "identified. Empty where the assessment gives none."
)


class Assessment(Event):
    """A dated statement of a monument's or artefact's state: a field survey, a satellite comparison, a report.

    An assessment states the condition on its date, which later incidents can worsen and later restorations set
    again (register.services.condition).
    """

    edtf_fields = ("assessed",)
    date_field = "assessed"

    assessed = EDTFField(
        _("assessed"),
        help_text=_(
            "EDTF: when the state was observed (a field visit's day, the date of the later satellite image), "
            "not when it was published."
        ),
    )
    assessed_earliest = models.DateField(_("assessed, earliest day"), editable=False)
    assessed_latest = models.DateField(_("assessed, latest day"), editable=False)
    condition = models.CharField(
        _("overall condition"),
        max_length=20,
        choices=Condition.choices,
        help_text=_(
            "EAMENA overall condition the assessment states; it sets the condition on its date. Unknown states "
            "nothing and leaves the condition as it was."
        ),
    )
    extent = models.CharField(
        _("damage extent"),
        max_length=10,
        choices=DamageExtent.choices,
        blank=True,
        help_text=_("How much of the place is damaged (EAMENA); empty where the assessment does not say."),
    )
    trend = models.CharField(
        _("trend"),
        max_length=10,
        choices=Trend.choices,
        default=Trend.UNKNOWN,
        help_text=_("Whether the condition is improving, stable or declining, as the assessment finds it."),
    )
    threats = models.TextField(
        _("threats"),
        blank=True,
        help_text=_(
            "What threatens the place as the assessment names it, such as looting, military activity, unexploded "
            "ordnance or neglect; free text, one threat a line."
        ),
    )
    priority = models.CharField(
        _("priority for action"), max_length=1, choices=Priority.choices, blank=True, help_text=PRIORITY_HELP
    )
    method = models.CharField(
        _("method"),
        max_length=20,
        choices=AssessmentMethod.choices,
        help_text=_("How the assessor saw the place: a field visit, satellite imagery, or others' reports."),
    )
    summary = models.TextField(_("summary"))

    objects = AssessmentQuerySet.as_manager()

    class Meta(Event.Meta):
        ordering = ["assessed_latest", "assessed_earliest", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            *Event.Meta.constraints,
            *edtf_window_constraints("assessment", "assessed", required=True),
            models.CheckConstraint(condition=Q(condition__in=Condition.values), name="assessment_condition_known"),
            models.CheckConstraint(
                condition=Q(extent="") | Q(extent__in=DamageExtent.values), name="assessment_extent_known"
            ),
            models.CheckConstraint(condition=Q(trend__in=Trend.values), name="assessment_trend_known"),
            models.CheckConstraint(
                condition=Q(priority="") | Q(priority__in=Priority.values), name="assessment_priority_known"
            ),
            models.CheckConstraint(condition=Q(method__in=AssessmentMethod.values), name="assessment_method_known"),
        ]
        # The public lists' orders over public assessments alone, so a page walks no unpublished one.
        indexes = [
            models.Index(fields=["assessed_earliest", "id"], condition=PUBLIC, name="assessment_public_assessed_id"),
            models.Index(
                fields=["assessed_latest", "assessed_earliest", "id"], condition=PUBLIC, name="assessment_public_order"
            ),
        ]

    def get_kind_display(self) -> str:
        """Return what the assessment found, where an incident names its kind: "very bad (field visit)"."""
        return gettext("%(condition)s (%(method)s)") % {
            "condition": self.get_condition_display(),
            "method": self.get_method_display(),
        }

    def clean(self):
        if self.extent == DamageExtent.NONE and self.condition == Condition.DESTROYED:
            raise ValidationError({"extent": _("A destroyed place cannot be assessed as having no damage.")})


class EvidenceQuerySet(models.QuerySet):
    def get_by_natural_key(self, sha256, url, position, incident_slug, restoration_slug, assessment_slug=""):
        # Keys written before assessments existed have no sixth part.
        article = Article.objects.get_by_natural_key(sha256, url)
        return self.get(
            article=article,
            position=position,
            incident__slug=incident_slug or None,
            restoration__slug=restoration_slug or None,
            assessment__slug=assessment_slug or None,
        )

    def with_citation(self):
        return self.select_related("article__publisher", "article__carried_by", "cited_source")

    def public(self):
        """Return the evidence the public may see: that for a public incident, restoration or assessment."""
        # Joined to each kind of event by key, so PostgreSQL walks a page in its order and reads each row's event
        # flag by primary key; an EXISTS per kind of event made it hash every public event before the first row.
        return self.filter(Q(incident__is_public=True) | Q(restoration__is_public=True) | Q(assessment__is_public=True))

    def quotes(self):
        """Return verbatim passages only, leaving out reports held by reference."""
        return self.filter(position__isnull=False)


class Evidence(EDTFWindowsMixin):
    edtf_fields = ("asserted",)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="evidence")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    restoration = models.ForeignKey(
        Restoration, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    quote = models.TextField(
        _("quote"),
        blank=True,
        help_text=_("Verbatim from the article's body. Empty only for a report whose text the register does not hold."),
    )
    position = models.PositiveIntegerField(
        _("position"),
        null=True,
        blank=True,
        help_text=_("Where the quote starts in the body, in characters. Empty with an empty quote."),
    )
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices, default=Stance.SUPPORTS)
    cited_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cited_in",
        verbose_name=_("cites"),
        help_text=_("Whom the article cites for this passage, when not its own reporting."),
    )
    cited_person = models.CharField(
        _("cited person"),
        max_length=200,
        blank=True,
        help_text=_("For example: Rami Abdel Rahman, head of the Observatory."),
    )
    asserted = EDTFField(
        _("date it asserts"),
        blank=True,
        help_text=_("EDTF; the date this passage gives for the event, resolved against the publication date."),
    )
    asserted_earliest = models.DateField(null=True, editable=False)
    asserted_latest = models.DateField(null=True, editable=False)
    note = models.TextField(_("curator's note"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    version = version_field()
    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        # ?ordering=updated: a harvester pulling what changed since its last visit reads an index range.
        indexes = [models.Index(fields=["updated", "id"], name="evidence_updated_id")]
        constraints = [
            models.CheckConstraint(condition=ONE_EVENT, name="evidence_one_event"),
            # A quote stands at a position; a report the register holds only by reference carries
            # no quote, and the curator's note must then say what it reports.
            models.CheckConstraint(
                condition=(~Q(quote="") & Q(position__isnull=False)) | Q(quote="", position__isnull=True) & ~Q(note=""),
                name="evidence_quoted_or_noted",
            ),
            *edtf_window_constraints("evidence", "asserted", required=False),
            models.UniqueConstraint(
                fields=["article", "position", "incident"],
                condition=Q(incident__isnull=False),
                name="evidence_unique_quote_per_incident",
            ),
            models.UniqueConstraint(
                fields=["article", "position", "restoration"],
                condition=Q(restoration__isnull=False),
                name="evidence_unique_quote_per_restoration",
            ),
            models.UniqueConstraint(
                fields=["article", "position", "assessment"],
                condition=Q(assessment__isnull=False),
                name="evidence_unique_quote_per_assessment",
            ),
        ]

    def __str__(self):
        passage = f"“{self.quote[:60]}”" if self.is_quote else self.note[:60]
        return f"{passage} ({self.article.publisher.citation_name})"

    def natural_key(self):
        return (
            *self.article.natural_key(),
            self.position,
            self.incident.slug if self.incident_id else "",
            self.restoration.slug if self.restoration_id else "",
            self.assessment.slug if self.assessment_id else "",
        )

    natural_key.dependencies = [
        "register.article",
        "register.incident",
        "register.restoration",
        "register.assessment",
        "register.source",
    ]

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#evidence-{self.pk}"

    @property
    def event(self) -> "Incident | Restoration | Assessment | None":
        """Return the incident, restoration or assessment this is evidence for."""
        return self.incident or self.restoration or self.assessment

    @property
    def is_quote(self) -> bool:
        """Whether this is a verbatim passage, rather than a report known only by reference."""
        return self.position is not None

    @property
    def end(self) -> int | None:
        return None if self.position is None else self.position + len(self.quote)

    @property
    def attribution(self) -> str:
        """Return the attribution chain as the public sees it: "AFP (via Pulse), citing Rami Abdel Rahman, SOHR"."""
        article = self.article
        return attribution_text(
            publisher=article.publisher.citation_name,
            carried_by=article.carried_by.citation_name if article.carried_by_id else None,
            cited_source=self.cited_source.name if self.cited_source_id else None,
            cited_person=self.cited_person,
            publisher_guessed=article.publisher_guessed,
            carried_by_guessed=article.carried_by_guessed,
        )

    def clean(self):
        if self.article_id is None:
            return
        body = self.article.body
        if not body:
            # Known only by reference: nothing can be quoted, so the note carries what it reports.
            if self.quote or self.position is not None:
                raise ValidationError(
                    {"quote": _("A reference-only article has no text to quote; import the article first.")}
                )
            if not self.note:
                raise ValidationError({"note": _("Say what the report gives, since its text is not held.")})
            return
        if not self.quote or self.position is None:
            raise ValidationError({"quote": _("Quote the passage verbatim and give its position in the body.")})
        if body[self.position : self.position + len(self.quote)] != self.quote:
            found = body.find(self.quote)
            hint = (
                _(" It stands at position %(found)s.") % {"found": found}
                if found >= 0
                else _(" It is nowhere in the article.")
            )
            raise ValidationError(
                {
                    "quote": _("The quote is not verbatim in the article at position %(position)s.")
                    % {"position": self.position}
                    + hint
                }
            )
