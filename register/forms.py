"""The curators' forms: saving a record without losing another curator's edit, importing files, reviewing a suggestion.

The public pages' search and filter forms live beside their filters in ``register.page_filters``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from register.models import Article, Assessment, Incident, Mention, Monument, Restoration, fingerprint
from register.services.publication import SUBSTANTIVE_FIELDS, needs_correction_note

# The change form's field for the note a correction of a published record carries.
CORRECTION_NOTE = "correction_note"

STALE_EDIT = _(
    "Another curator saved this record after you opened it. Your changes were not saved, and theirs are kept: "
    "open the record again to see them, then make your change again."
)


class VersionedForm(forms.ModelForm):
    """Refuse a save made from a version of the record that is no longer current.

    The form carries the version it was opened at (django-concurrency signs it). The
    current row is locked while the admin's transaction runs, so of two curators
    saving at once the second sees the first one's version and is refused; the
    version check in every UPDATE catches whatever slips past this.
    """

    def has_changed(self):
        # An empty extra inline row posts an empty version, which differs from its None initial;
        # that alone must not make Django validate (and refuse) a row the curator left blank.
        return any(name != "version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and "version" in self.fields:
            current = (
                type(self.instance)
                ._meta.default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and cleaned.get("version") != current:
                raise ValidationError(STALE_EDIT, code="stale")
        return cleaned


class EventAdminForm(VersionedForm):
    """An incident's, restoration's or assessment's change form: a change in substance to a public record is explained.

    Once a record has been public, changing its subject, kind, grade, condition or dates is a correction: the note
    is required, and the public reads it on the record's page with its date.
    """

    correction_note = forms.CharField(
        label=_("Correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            "Required when you change the subject, kind, grade, condition or dates of a published record, or remove "
            "a quote from it: say what was wrong and what the record now says. The public reads it on the record's "
            "page."
        ),
    )

    def substantive_changes(self) -> list[str]:
        """Return the substantive fields this form changes in a record that has been public."""
        if self.instance.pk is None or not needs_correction_note(self.instance):
            return []
        return [name for name in SUBSTANTIVE_FIELDS[type(self.instance)] if name in self.changed_data]

    def clean(self):
        cleaned = super().clean()
        if self.substantive_changes() and not cleaned.get(CORRECTION_NOTE, "").strip():
            raise ValidationError(
                {CORRECTION_NOTE: _("This record has been published: say in a correction note what you changed.")}
            )
        return cleaned


class WithdrawalForm(forms.Form):
    """The reason a record is withdrawn, which its page shows the public with the date."""

    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("The public reads this on the record's page, which stays at its address."),
    )


class EvidenceInlineFormSet(forms.BaseInlineFormSet):
    """A published record's quotes: removing one is a correction, so the change form's note is required."""

    def clean(self):
        super().clean()
        if self.instance.pk is None or not needs_correction_note(self.instance):
            return
        if self.deleted_forms and not self.data.get(CORRECTION_NOTE, "").strip():
            raise ValidationError(
                _("This record has been published: say in the correction note above why you remove a quote.")
            )


class VerbatimTextField(forms.CharField):
    """Text kept as typed: no stripping, and line breaks as LF.

    Browsers post a textarea's line breaks as CRLF; quote positions count LF, so an
    unchanged body would otherwise shift every quote and count as a change.
    """

    def __init__(self, **kwargs):
        kwargs["strip"] = False
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class ArticleAdminForm(VersionedForm):
    """An article's change form, which also refuses a second copy of a text or of a reference already held."""

    def clean(self):
        cleaned_data = super().clean()
        # sha256 is not a form field, so model validation skips its uniqueness: check it
        # here rather than let a re-import fail in the database.
        raw_text = self.instance.raw_text if "raw_text" not in self.fields else cleaned_data.get("raw_text")
        others = Article.objects.exclude(pk=self.instance.pk)
        if raw_text and others.filter(sha256=fingerprint(raw_text)).exists():
            self.add_error(None, _("An article with exactly this raw text is already in the register."))
        elif (
            not raw_text
            and cleaned_data.get("url")
            and others.filter(sha256__isnull=True, url=cleaned_data["url"]).exists()
        ):
            self.add_error("url", _("A reference-only article with this URL is already in the register."))
        return cleaned_data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; an empty one is let through so the importer can say why it fails."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class ArticleImportForm(forms.Form):
    """The files a curator uploads to import as articles."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "One or more files: text reports (.txt, UTF-8 or Windows-1252), saved web pages (.html, .htm), PDF "
            "reports (.pdf) or web archives (.warc, .warc.gz, .wacz). A file already held is skipped."
        ),
    )


class PlacesImportForm(forms.Form):
    """The places files a curator uploads: CSV or GeoJSON, each checked whole before anything is written."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "CSV files (UTF-8, with a header row) or GeoJSON FeatureCollections (.geojson or .json). A file with "
            "any bad row imports nothing."
        ),
    )
    dry_run = forms.BooleanField(
        required=False, label=_("Only check the files"), help_text=_("Report what an import would do; write nothing.")
    )


class SuggestionReviewForm(forms.Form):
    """A curator's decision on one suggestion: which event it is evidence for, or why it is not."""

    incident = forms.ModelChoiceField(
        queryset=Incident.objects.none(),
        required=False,
        label=_("Existing incident"),
        help_text=_("Incidents of the same monument or artefact."),
    )
    restoration = forms.ModelChoiceField(
        queryset=Restoration.objects.none(),
        required=False,
        label=_("Existing restoration"),
        help_text=_("Restorations and returns of the same monument or artefact."),
    )
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        label=_("Existing assessment"),
        help_text=_("Assessments of the same monument or artefact's condition."),
    )
    date = forms.CharField(
        required=False,
        max_length=64,
        label=_("Date for a new one"),
        help_text=_(
            "EDTF (2017-02, 2016-12/2017-01). With no event chosen, accepting creates a new one of the "
            "suggestion's kind, dated this way, for you to complete. A new assessment without a date takes its "
            "document's: the later image of an imagery assessment, else its publication."
        ),
    )
    reason = forms.CharField(
        required=False, max_length=500, label=_("Why it is rejected"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        subject = suggestion.subject
        self.fields["incident"].queryset = Incident.objects.for_subject(subject).select_related("monument", "artefact")
        self.fields["restoration"].queryset = Restoration.objects.for_subject(subject).select_related(
            "monument", "artefact"
        )
        self.fields["assessment"].queryset = Assessment.objects.for_subject(subject).select_related(
            "monument", "artefact"
        )
        self.fields["date"].initial = suggestion.asserted


class CandidateChoiceField(forms.ModelChoiceField):
    """Monuments that share a name, told apart by their site."""

    def label_from_instance(self, obj):
        if obj.part_of_id:
            return _("%(monument)s, at %(site)s") % {"monument": obj, "site": obj.part_of}
        return str(obj)


class MentionResolveForm(forms.ModelForm):
    """A curator's decision on an ambiguous mention: which of its candidates the article means there."""

    monument = CandidateChoiceField(
        queryset=Monument.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        label=_("The monument it names"),
        help_text=_("Read the passage: the article names more than one site with a part of this name."),
    )

    class Meta:
        model = Mention
        fields = ["monument"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monument"].queryset = self.instance.candidates.select_related("part_of").order_by(
            "part_of__name", "name"
        )

    def clean(self):
        cleaned = super().clean()
        if not Mention.objects.ambiguous().filter(pk=self.instance.pk).exists():
            raise ValidationError(_("Another curator resolved this mention after you opened it; reload the page."))
        return cleaned
