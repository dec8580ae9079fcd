"""What the importer finds in an article: the monuments it names, and evidence it suggests to curators."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from register.models.dates import EDTFField, EDTFWindowsMixin, edtf_window_constraints
from register.models.events import ONE_SUBJECT, Evidence
from register.models.places import Artefact, Monument
from register.models.sources import Article, Source
from register.models.vocabularies import Condition, IncidentKind, RestorationKind

# A sentence that states a subject's condition, in a survey or an imagery assessment, is suggested as an assessment.
ASSESSMENT_KIND = "assessment"
SUGGESTION_KINDS = [
    (_("incident"), IncidentKind.choices),
    (_("restoration"), RestorationKind.choices),
    (_("assessment"), [(ASSESSMENT_KIND, _("assessment of its condition"))]),
]


def validate_verbatim(instance, text_field: str) -> None:
    """Raise unless the instance's text stands verbatim in its article's body at its position."""
    text = getattr(instance, text_field)
    if instance.article_id is None or not text:
        return
    body = instance.article.body
    if body[instance.position : instance.position + len(text)] != text:
        raise ValidationError(
            {text_field: _("Not verbatim in the article at position %(position)s.") % {"position": instance.position}}
        )


class MentionStatus(models.TextChoices):
    NAMED = "named", _("named")
    AMBIGUOUS = "ambiguous", _("ambiguous: a curator decides")
    RESOLVED = "resolved", _("resolved by a curator")


class MentionQuerySet(models.QuerySet):
    def of_monuments(self):
        return self.filter(monument__isnull=False)

    def ambiguous(self):
        return self.filter(status=MentionStatus.AMBIGUOUS)


# What a mention names: one monument or artefact, or (while ambiguous) none until a curator picks a candidate.
MENTION_SUBJECT = (Q(status=MentionStatus.AMBIGUOUS) & Q(monument__isnull=True, artefact__isnull=True)) | (
    ~Q(status=MentionStatus.AMBIGUOUS) & ONE_SUBJECT
)
# A curator resolves an ambiguous name to a monument, and the mention records when.
MENTION_RESOLUTION = Q(status=MentionStatus.RESOLVED, monument__isnull=False, resolved_at__isnull=False) | (
    ~Q(status=MentionStatus.RESOLVED) & Q(resolved_at__isnull=True)
)


class Mention(models.Model):
    """A place in an article's body where it names a monument or an artefact, or a name a curator must resolve."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("article"))
    monument = models.ForeignKey(
        Monument, on_delete=models.PROTECT, null=True, blank=True, related_name="mentions", verbose_name=_("monument")
    )
    artefact = models.ForeignKey(
        Artefact, on_delete=models.PROTECT, null=True, blank=True, related_name="mentions", verbose_name=_("artefact")
    )
    position = models.PositiveIntegerField(
        _("position"), help_text=_("Where the name starts in the body, in characters.")
    )
    text = models.CharField(_("as written"), max_length=300, help_text=_("The name exactly as the body writes it."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MentionStatus.choices,
        default=MentionStatus.NAMED,
        help_text=_(
            "Ambiguous: the name is a part of more than one site the article names, and the text does not say "
            "which; it names no monument until a curator picks one of its candidates."
        ),
    )
    candidates = models.ManyToManyField(
        Monument,
        blank=True,
        related_name="candidate_mentions",
        verbose_name=_("candidates"),
        help_text=_("The monuments an ambiguous name may be, one of which a curator picks."),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.CheckConstraint(condition=MENTION_SUBJECT, name="mention_one_subject_unless_ambiguous"),
            models.CheckConstraint(condition=MENTION_RESOLUTION, name="mention_resolved_to_a_monument"),
            models.CheckConstraint(condition=Q(status__in=MentionStatus.values), name="mention_status_known"),
            models.CheckConstraint(condition=~Q(text=""), name="mention_text_not_blank"),
            models.UniqueConstraint(
                fields=["article", "monument", "position"],
                condition=Q(monument__isnull=False),
                name="mention_unique_monument_position",
            ),
            models.UniqueConstraint(
                fields=["article", "artefact", "position"],
                condition=Q(artefact__isnull=False),
                name="mention_unique_artefact_position",
            ),
            models.UniqueConstraint(
                fields=["article", "position"],
                condition=Q(status=MentionStatus.AMBIGUOUS),
                name="mention_unique_ambiguous_position",
            ),
        ]

    def __str__(self):
        if self.status == MentionStatus.AMBIGUOUS:
            return _("“%(text)s” → ambiguous (%(position)s)") % {"text": self.text, "position": self.position}
        return f"“{self.text}” → {self.subject} ({self.position})"

    @property
    def subject(self):
        return self.monument or self.artefact

    def clean(self):
        validate_verbatim(self, "text")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SuggestionStatus.PENDING)

    def for_article(self, article):
        return self.filter(article=article)

    def for_monument(self, monument):
        """Return suggestions about the monument, or about artefacts that come from it."""
        return self.filter(Q(monument=monument) | Q(artefact__origin=monument))

    def of_incidents(self):
        return self.filter(kind__in=IncidentKind.values)

    def of_restorations(self):
        return self.filter(kind__in=RestorationKind.values)

    def of_assessments(self):
        return self.filter(kind=ASSESSMENT_KIND)


class Suggestion(EDTFWindowsMixin):
    """A sentence the importer thinks is evidence; it becomes evidence only when a curator accepts it."""

    edtf_fields = ("asserted",)

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("article")
    )
    monument = models.ForeignKey(
        Monument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("monument"),
    )
    artefact = models.ForeignKey(
        Artefact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("artefact"),
    )
    quote = models.TextField(_("quote"), help_text=_("The sentence, verbatim from the article's body."))
    position = models.PositiveIntegerField(
        _("position"), help_text=_("Where the quote starts in the body, in characters.")
    )
    kind = models.CharField(
        _("what it seems to report"), max_length=20, choices=SUGGESTION_KINDS, help_text=_("A guess from its wording.")
    )
    subject_text = models.CharField(
        _("named as"), max_length=300, help_text=_("How the sentence names or refers to the subject.")
    )
    trigger = models.CharField(
        _("trigger"),
        max_length=100,
        help_text=_("The words that suggested the kind: destroyed, brought back, no visible damage."),
    )
    condition = models.CharField(
        _("condition it states (guess)"),
        max_length=20,
        choices=Condition.choices,
        blank=True,
        default="",
        help_text=_("For an assessment: the EAMENA condition its words state. Empty for an incident or restoration."),
    )
    attribution = models.CharField(
        _("attribution"), max_length=300, blank=True, help_text=_("Whom the sentence attributes it to, as written.")
    )
    cited_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("cites (guess)"),
    )
    date_phrase = models.CharField(
        _("date as written"), max_length=100, blank=True, help_text=_("last month, Wednesday, in May 2015.")
    )
    asserted = EDTFField(
        _("date it asserts (guess)"),
        blank=True,
        help_text=_("EDTF, resolved against the publication date; empty when the sentence gives none."),
    )
    asserted_earliest = models.DateField(null=True, editable=False)
    asserted_latest = models.DateField(null=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    evidence = models.ForeignKey(
        Evidence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("evidence"),
        help_text=_("The evidence a curator made of it."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="suggestion_one_subject"),
            models.CheckConstraint(condition=~Q(quote=""), name="suggestion_quote_not_blank"),
            models.CheckConstraint(
                condition=Q(kind__in=[*IncidentKind.values, *RestorationKind.values, ASSESSMENT_KIND]),
                name="suggestion_kind_known",
            ),
            # Only an assessment states a condition.
            models.CheckConstraint(
                condition=Q(kind=ASSESSMENT_KIND, condition__in=Condition.values)
                | (~Q(kind=ASSESSMENT_KIND) & Q(condition="")),
                name="suggestion_condition_only_for_assessments",
            ),
            *edtf_window_constraints("suggestion", "asserted", required=False),
            # Evidence is made only by accepting; a decision records who made it and when.
            models.CheckConstraint(
                condition=Q(evidence__isnull=True) | Q(status=SuggestionStatus.ACCEPTED),
                name="suggestion_evidence_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.PENDING) | Q(reviewed_at__isnull=False),
                name="suggestion_reviewed_when_decided",
            ),
            models.UniqueConstraint(
                fields=["article", "position", "monument"],
                condition=Q(monument__isnull=False),
                name="suggestion_unique_monument_position",
            ),
            models.UniqueConstraint(
                fields=["article", "position", "artefact"],
                condition=Q(artefact__isnull=False),
                name="suggestion_unique_artefact_position",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        return f"{self.subject}: {self.get_kind_display()} — “{self.quote[:60]}”"

    @property
    def subject(self):
        return self.monument or self.artefact

    @property
    def is_restoration(self) -> bool:
        return self.kind in RestorationKind.values

    @property
    def is_assessment(self) -> bool:
        return self.kind == ASSESSMENT_KIND

    def clean(self):
        validate_verbatim(self, "quote")
