"""The public record of what curators changed in a published incident, restoration or assessment, and why."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models.events import Assessment, Incident, Restoration

ONE_EVENT = (
    Q(incident__isnull=False, restoration__isnull=True, assessment__isnull=True)
    | Q(incident__isnull=True, restoration__isnull=False, assessment__isnull=True)
    | Q(incident__isnull=True, restoration__isnull=True, assessment__isnull=False)
)


class CorrectionQuerySet(models.QuerySet):
    def of(self, event):
        return self.filter(**{event._meta.model_name: event})


class Correction(models.Model):
    """A change in substance to a published record, with the note the public reads, as newspapers print them.

    Corrections are never edited or deleted through the register: the record of a change is itself kept.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    restoration = models.ForeignKey(
        Restoration, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    made = models.DateTimeField(_("made"), default=timezone.now, db_index=True)
    note = models.TextField(_("correction note"), help_text=_("What was wrong and what the record now says."))
    # The model field names changed, so the page can name them in the reader's language.
    changed = models.JSONField(_("fields changed"), default=list, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["made", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            models.CheckConstraint(condition=ONE_EVENT, name="correction_one_event"),
            models.CheckConstraint(condition=~Q(note=""), name="correction_has_note"),
        ]

    def __str__(self):
        return f"{self.event}: {self.note[:60]}"

    @property
    def event(self):
        return self.incident or self.restoration or self.assessment
