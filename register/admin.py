"""The curators' admin: every register model, with history, searchable by any of its names.

Its forms are in ``register.forms``; the page for reviewing one suggestion is ``register.suggestion_review``.
"""

from collections import Counter

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from register.forms import (
    CORRECTION_NOTE,
    ArticleAdminForm,
    ArticleImportForm,
    EventAdminForm,
    EvidenceInlineFormSet,
    MentionResolveForm,
    PlacesImportForm,
    VerbatimTextField,
    VersionedForm,
    WithdrawalForm,
)
from register.ingest.budget import time_budget
from register.models import (
    AlternateName,
    Artefact,
    Article,
    Assessment,
    Correction,
    Evidence,
    Incident,
    Mention,
    Monument,
    MonumentImage,
    ReceivedFile,
    Restoration,
    Source,
    Suggestion,
    SuggestionStatus,
)
from register.models.ingestion import MentionStatus
from register.services.articles import (
    ImportStatus,
    article_guesses_confirm,
    article_import_upload,
    gazetteer_current,
    mention_resolve,
    suggestion_accept,
    suggestion_reject,
)
from register.services.condition import conditions_refresh_for
from register.services.monument_image_storage import monument_image_save
from register.services.places_import import PlacesStatus, places_import_upload
from register.services.publication import (
    PublicationRefused,
    correction_record,
    needs_correction_note,
    publish,
    withdraw,
)
from register.suggestion_review import CONTEXT_CHARACTERS, suggestion_review

admin.site.site_header = _("Heritage Damage Register")
admin.site.site_title = _("Heritage Damage Register")
admin.site.index_title = _("Curation")

# A file of thousands of bad rows shows the first ones; the command's --format json lists them all.
PLACES_ERRORS_SHOWN = 200

# "version" is a hidden input: the version of the record the curator opened (see VersionedForm).
RECORD_FIELDSET = (_("Record"), {"fields": ("created", "updated", "version"), "classes": ("collapse",)})


class TextFieldsMixin:
    """Let free text follow its content's direction, so Arabic reads right to left; keep verbatim fields as typed."""

    verbatim_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.verbatim_fields:
            kwargs["form_class"] = VerbatimTextField
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            formfield is not None
            and isinstance(db_field, models.CharField | models.TextField)
            and not isinstance(db_field, models.SlugField | models.URLField)
            and not db_field.choices
        ):
            formfield.widget.attrs.setdefault("dir", "auto")
        return formfield


class RegisterAdmin(TextFieldsMixin, SimpleHistoryAdmin):
    """Base for register models: history for curators, bidirectional text, no lost updates."""

    form = VersionedForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A revert form is built from an old historical copy, whose version is old by design;
        # what it must guard against is a change made after the curator opened the revert form.
        if obj is not None and request.resolver_match and request.resolver_match.url_name.endswith("_simple_history"):
            obj.version = type(obj)._meta.default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        return super().get_form(request, obj, change=change, **kwargs)


class ConditionRefreshMixin:
    """Keep the stored condition of every subject an edit bears on true, before and after the edit.

    save_model covers the change form and a revert from history; save_related the quotes edited inline.
    """

    def save_model(self, request, obj, form, change):
        before = [stored] if obj.pk and (stored := type(obj).objects.filter(pk=obj.pk).first()) else []
        super().save_model(request, obj, form, change)
        conditions_refresh_for(records=[*before, obj])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        conditions_refresh_for(records=[form.instance])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        conditions_refresh_for(records=[obj])

    def delete_queryset(self, request, queryset):
        records = list(queryset)
        super().delete_queryset(request, queryset)
        conditions_refresh_for(records=records)


# Monuments and their names and images


class AlternateNameInline(TextFieldsMixin, admin.TabularInline):
    model = AlternateName
    form = VersionedForm
    fields = ("name", "language", "note", "version")
    extra = 1


def image_thumbnail(image):
    """Return a small preview of a monument image, or a dash before one is uploaded."""
    if image is None or not image.image:
        return "—"
    preview = image.thumbnail or image.image
    return format_html('<img src="{}" alt="{}" height="80" loading="lazy">', preview.url, image.alt_text)


class MonumentImageInline(admin.TabularInline):
    model = MonumentImage
    form = VersionedForm
    fields = ("thumbnail", "image", "caption", "alt_text", "credit", "taken", "position", "version")
    readonly_fields = ("thumbnail",)
    extra = 0

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)


@admin.register(Monument)
class MonumentAdmin(ConditionRefreshMixin, TranslationAdmin, RegisterAdmin):
    list_display = ("name", "kind", "part_of", "condition_baseline", "wikidata", "updated")
    list_filter = ("kind", "sensitive", "condition_baseline", ("part_of", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("part_of",)
    # Alternate names too: a reader searches for Tadmur, تدمر or a reporter's "Roman amphitheatre".
    search_fields = ("name", "slug", "names__name", "wikidata", "unesco_ref", "description_en", "description_ar")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("part_of",)
    readonly_fields = ("created", "updated")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "part_of", "condition_baseline")}),
        (_("Built"), {"fields": ("built", ("built_earliest_year", "built_latest_year"))}),
        (
            _("Place and identifiers"),
            {
                "fields": (
                    ("latitude", "longitude"),
                    "sensitive",
                    "extent",
                    ("wikidata", "unesco_ref"),
                    "place_source",
                )
            },
        ),
        (_("Description"), {"fields": ("description",)}),
        RECORD_FIELDSET,
    )
    inlines = (AlternateNameInline, MonumentImageInline)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="register_monument_import"), *super().get_urls()]

    def import_view(self, request):
        """Import uploaded places files (CSV or GeoJSON), and show what became of each and every bad row."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        results = []
        form = PlacesImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            dry_run = form.cleaned_data["dry_run"]
            results = [
                places_import_upload(upload=upload, dry_run=dry_run, user=request.user)
                for upload in form.cleaned_data["files"]
            ]
            counts = Counter(result.status for result in results)
            summary = _("%(files)s: %(imported)s imported, %(unchanged)s unchanged, %(failed)s failed.") % {
                "files": ngettext("%(count)s file", "%(count)s files", len(results)) % {"count": len(results)},
                "imported": counts[PlacesStatus.IMPORTED],
                "unchanged": counts[PlacesStatus.UNCHANGED],
                "failed": counts[PlacesStatus.FAILED],
            }
            if dry_run:
                summary = _("%(summary)s A dry run: nothing was written.") % {"summary": summary}
            self.message_user(request, summary, messages.ERROR if counts[PlacesStatus.FAILED] else messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import places"),
            "form": form,
            "results": results,
            "errors_shown": PLACES_ERRORS_SHOWN,
        }
        return TemplateResponse(request, "admin/register/monument/import.html", context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not MonumentImage:
            return super().save_formset(request, form, formset, change)
        # Photographs go through the service that strips their metadata and makes thumbnails.
        for image in formset.save(commit=False):
            monument_image_save(image=image)
        for image in formset.deleted_objects:
            image.delete()
        formset.save_m2m()
        return None


@admin.register(AlternateName)
class AlternateNameAdmin(RegisterAdmin):
    list_display = ("display_name", "language", "monument", "note")
    list_filter = ("language",)
    list_select_related = ("monument",)
    search_fields = ("name", "note", "monument__name")
    autocomplete_fields = ("monument",)

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj):
        # <bdi> keeps an Arabic name from reordering the text around it.
        return format_html('<bdi lang="{}">{}</bdi>', obj.language, obj.name)


@admin.register(MonumentImage)
class MonumentImageAdmin(RegisterAdmin):
    list_display = ("thumbnail", "caption", "monument", "credit", "taken", "position")
    list_display_links = ("thumbnail", "caption")
    list_select_related = ("monument",)
    search_fields = ("caption", "alt_text", "credit", "monument__name")
    autocomplete_fields = ("monument",)

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    def save_model(self, request, obj, form, change):
        monument_image_save(image=obj)


@admin.register(Artefact)
class ArtefactAdmin(ConditionRefreshMixin, TranslationAdmin, RegisterAdmin):
    list_display = ("name", "origin", "current_holder", "condition_baseline", "updated")
    list_filter = ("condition_baseline", ("origin", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("origin",)
    search_fields = (
        "name",
        "slug",
        "description_en",
        "description_ar",
        "current_holder",
        "origin__name",
        "origin__names__name",
    )
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("origin",)
    readonly_fields = ("created", "updated")


# Sources and articles


@admin.register(Source)
class SourceAdmin(RegisterAdmin):
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("name", "short_name", "slug", "country")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyInline(admin.TabularInline):
    """What the importer found in an article: shown to curators, changed only by importing."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def mention_named(mention: Mention) -> str:
    """Return what a mention names; for an ambiguous one, the monuments it may be."""
    if mention.status != MentionStatus.AMBIGUOUS:
        return str(mention.subject)
    candidates = [
        _("%(monument)s, at %(site)s") % {"monument": monument, "site": monument.part_of}
        if monument.part_of_id
        else str(monument)
        for monument in mention.candidates.all()
    ]
    if len(candidates) == 1:
        # The article also gives the name to a part of a place the register does not hold.
        return _("Ambiguous: %(candidate)s, or a place the register does not hold.") % {"candidate": candidates[0]}
    return _("Ambiguous: %(candidates)s.") % {"candidates": get_text_list(candidates, _("or"))}


def mention_subject(mention: Mention) -> str:
    """Return what a mention names, with a link to resolve it when it is ambiguous."""
    if mention.status != MentionStatus.AMBIGUOUS:
        return mention_named(mention)
    return format_html(
        '{} <a href="{}">{}</a>',
        mention_named(mention),
        reverse("admin:register_mention_change", args=[mention.pk]),
        _("Resolve"),
    )


def mentions_with_candidates(queryset):
    """Return the mentions with what each names, and each ambiguous one's candidates with their sites."""
    candidates = Prefetch(
        "candidates", queryset=Monument.objects.select_related("part_of").order_by("part_of__name", "name")
    )
    return queryset.select_related("monument", "artefact").prefetch_related(candidates)


class MentionInline(ReadOnlyInline):
    model = Mention
    fields = ("text", "subject", "position")
    readonly_fields = fields
    verbose_name_plural = _("monuments and artefacts the article names")

    def get_queryset(self, request):
        return mentions_with_candidates(super().get_queryset(request))

    @admin.display(description=_("monument or artefact"))
    def subject(self, obj):
        return mention_subject(obj)


class SuggestionInline(ReadOnlyInline):
    model = Suggestion
    fields = ("review", "subject", "kind", "asserted", "attribution", "status")
    readonly_fields = fields
    verbose_name_plural = _("suggested evidence")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("monument", "artefact")

    @admin.display(description=_("quote"))
    def review(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:register_suggestion_review", args=[obj.pk]),
            Truncator(obj.quote).chars(90),
        )

    @admin.display(description=_("monument or artefact"))
    def subject(self, obj):
        return obj.subject


def body_with_mentions(article: Article) -> str:
    """Return the article's body as HTML with each name it was found to contain marked."""
    body, parts, reached = article.body, [], 0
    for mention in mentions_with_candidates(article.mentions.order_by("position")):
        if mention.position < reached:
            continue
        end = mention.position + len(mention.text)
        parts.append(body[reached : mention.position])
        parts.append(format_html('<mark title="{}">{}</mark>', mention_named(mention), body[mention.position : end]))
        reached = end
    parts.append(body[reached:])
    # Plain text parts are escaped by format_html_join; the marks are already safe HTML.
    marked = format_html_join("", "{}", ((part,) for part in parts))
    return format_html('<div dir="auto" style="white-space: pre-wrap; max-width: 60em">{}</div>', marked)


def received_file_link(pk: int | None) -> str:
    """Return a link to download a received file, named with its format, size and SHA-256; a dash for none."""
    received = ReceivedFile.objects.without_content().filter(pk=pk).first() if pk else None
    if received is None:
        return "—"
    return format_html(
        '<a href="{}" download>{}</a> ({} bytes, SHA-256 <code>{}</code>)',
        reverse("register:received-file", args=[received.sha256]),
        received.get_format_display(),
        f"{received.size:,}",
        received.sha256,
    )


@admin.register(ReceivedFile)
class ReceivedFileAdmin(admin.ModelAdmin):
    """Files kept as received: listed and downloaded here, never added, changed or deleted (the database refuses)."""

    list_display = ("name", "format", "size", "sha256", "received")
    list_filter = ("format",)
    search_fields = ("sha256", "name")
    fields = ("name", "format", "size", "sha256", "received", "download")
    readonly_fields = fields
    date_hierarchy = "received"

    def get_queryset(self, request):
        return super().get_queryset(request).without_content()

    @admin.display(description=_("download"))
    def download(self, obj):
        return received_file_link(obj.pk)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(RegisterAdmin):
    form = ArticleAdminForm
    verbatim_fields = ("raw_text", "body")
    list_display = ("__str__", "publisher", "carried_by", "published", "language", "needs_review", "guesses")
    list_filter = (
        "needs_review",
        "publisher_guessed",
        "carried_by_guessed",
        "language",
        ("publisher", admin.RelatedOnlyFieldListFilter),
    )
    actions = ("confirm_guesses",)
    list_select_related = ("publisher", "carried_by")
    search_fields = (
        "title",
        "byline",
        "dateline",
        "url",
        "sha256",
        "body",
        "publisher__name",
        "publisher__short_name",
        "carried_by__name",
    )
    date_hierarchy = "published"
    autocomplete_fields = ("publisher", "carried_by")
    readonly_fields = (
        "sha256",
        "created",
        "updated",
        "marked_body",
        "format",
        "original_file",
        "pages",
        "archive_file",
        "captured",
        "payload_digest",
        "warc_record_id",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    ("publisher", "publisher_guessed"),
                    ("carried_by", "carried_by_guessed"),
                    "byline",
                    "dateline",
                    "published",
                    "url",
                    "language",
                )
            },
        ),
        (_("Kind of document"), {"fields": ("kind", "imagery_provider", ("imagery_before", "imagery_after"))}),
        (_("Text"), {"fields": ("raw_text", "body", "sha256", "source_file", "encoding")}),
        (
            _("As received"),
            {
                "fields": (
                    ("format", "pages"),
                    "original_file",
                    "archive_file",
                    "captured",
                    "payload_digest",
                    "warc_record_id",
                ),
                "classes": ("collapse",),
            },
        ),
        (_("Review"), {"fields": ("needs_review", "review_note")}),
        (_("What the importer found"), {"fields": ("marked_body",), "classes": ("collapse",)}),
        RECORD_FIELDSET,
    )
    inlines = (MentionInline, SuggestionInline)

    @admin.display(description=_("guessed, not confirmed"))
    def guesses(self, obj):
        names = {"publisher": _("publisher"), "carried_by": _("outlet")}
        return get_text_list([names[field] for field in obj.guessed_fields], _("and")) or "—"

    @admin.action(description=_("Confirm the guessed publisher and outlet"), permissions=["change"])
    def confirm_guesses(self, request, queryset):
        confirmed = article_guesses_confirm(articles=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "The guessed publisher and outlet of %(count)s article are confirmed: the public now sees them.",
                "The guessed publishers and outlets of %(count)s articles are confirmed: the public now sees them.",
                confirmed,
            )
            % {"count": confirmed},
            messages.SUCCESS,
        )

    @admin.display(description=_("body, names marked"))
    def marked_body(self, obj):
        return body_with_mentions(obj) if obj.pk and obj.body else "—"

    @admin.display(description=_("original file"))
    def original_file(self, obj):
        return received_file_link(obj.original_id)

    @admin.display(description=_("web archive"))
    def archive_file(self, obj):
        return received_file_link(obj.archive_id)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="register_article_import"), *super().get_urls()]

    def import_view(self, request):
        """Import uploaded files as articles, and show what became of each."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        results = []
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            gazetteer = gazetteer_current()
            # The files share one budget, so the request answers within a worker's timeout however many there are.
            with time_budget(settings.ARTICLE_IMPORT_SECONDS):
                results = [
                    article_import_upload(upload=upload, gazetteer=gazetteer) for upload in form.cleaned_data["files"]
                ]
            counts = Counter(result.status for result in results)
            summary = _("%(files)s: %(created)s created, %(duplicate)s duplicate, %(failed)s failed.") % {
                "files": ngettext("%(count)s file", "%(count)s files", len(results)) % {"count": len(results)},
                "created": counts[ImportStatus.CREATED],
                "duplicate": counts[ImportStatus.DUPLICATE],
                "failed": counts[ImportStatus.FAILED],
            }
            self.message_user(request, summary, messages.ERROR if counts[ImportStatus.FAILED] else messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import articles"),
            "form": form,
            "results": results,
        }
        return TemplateResponse(request, "admin/register/article/import.html", context)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # The raw text is kept exactly as imported, and a document's (even a scan's, still empty) with its file;
        # only the cleaned body is edited.
        if obj is not None and (obj.raw_text or obj.original_id):
            return ("raw_text", *readonly)
        return readonly


# Incidents, restorations, assessments and the evidence for them

EVIDENCE_FIELDS = (
    "article",
    "quote",
    "position",
    "stance",
    "cited_source",
    "cited_person",
    "asserted",
    "note",
    "version",
)


class EvidenceInline(TextFieldsMixin, admin.StackedInline):
    model = Evidence
    form = VersionedForm
    formset = EvidenceInlineFormSet
    autocomplete_fields = ("article", "cited_source")
    verbatim_fields = ("quote",)
    fields = EVIDENCE_FIELDS
    extra = 0

    def get_queryset(self, request):
        # Each form's heading is the evidence's __str__, which names the publisher.
        return super().get_queryset(request).select_related("article__publisher")


class IncidentEvidenceInline(EvidenceInline):
    fk_name = "incident"


class RestorationEvidenceInline(EvidenceInline):
    fk_name = "restoration"


class AssessmentEvidenceInline(EvidenceInline):
    fk_name = "assessment"


PUBLICATION_FIELDS = ("state", "published", "withdrawn", "withdrawal_reason")


class EventAdmin(ConditionRefreshMixin, TranslationAdmin, RegisterAdmin):
    """Shared by incidents, restorations and assessments: a subject, dated windows, quotes, and their publication.

    A record is a draft until the publish action finds it complete; changing a published record in substance asks
    for a correction note, which its page shows; the withdraw action asks for the reason the page will give.
    """

    form = EventAdminForm
    list_select_related = ("monument", "artefact")
    autocomplete_fields = ("monument", "artefact")
    actions = ("publish_selected", "withdraw_selected")

    def get_list_display(self, request):
        return (*super().get_list_display(request), "state")

    def get_list_filter(self, request):
        return ("state", *super().get_list_filter(request))

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *PUBLICATION_FIELDS)

    def get_fieldsets(self, request, obj=None):
        publication = (_("Publication"), {"fields": (*PUBLICATION_FIELDS, CORRECTION_NOTE)})
        return (*super().get_fieldsets(request, obj), publication)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = form.substantive_changes()
        if any(getattr(formset, "deleted_objects", None) for formset in formsets):
            changed.append("evidence")
        note = form.cleaned_data.get(CORRECTION_NOTE, "").strip()
        if note and needs_correction_note(form.instance):
            correction_record(form.instance, note=note, changed=changed, by=request.user)

    @admin.action(description=_("Publish the selected records"), permissions=["change"])
    def publish_selected(self, request, queryset):
        published = 0
        for event in queryset:
            try:
                publish(event, by=request.user)
            except PublicationRefused as refusal:
                self.message_user(
                    request,
                    format_html(
                        _("{record} was not published: {reasons}"),
                        record=event,
                        reasons=" ".join(str(reason) for reason in refusal.messages),
                    ),
                    messages.ERROR,
                )
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%(count)d record published.", "%(count)d records published.", published)
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Withdraw the selected records"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        form = WithdrawalForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for event in queryset:
                try:
                    withdraw(event, reason=form.cleaned_data["reason"], by=request.user)
                except PublicationRefused as refusal:
                    refused = _("{record} was not withdrawn: {reasons}")
                    reasons = " ".join(str(reason) for reason in refusal.messages)
                    self.message_user(request, format_html(refused, record=event, reasons=reasons), messages.ERROR)
                else:
                    self.message_user(
                        request, format_html(_("{record} was withdrawn."), record=event), messages.SUCCESS
                    )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Withdraw records"),
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/register/withdraw.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(evidence_count=Count("evidence", distinct=True))

    @admin.display(description=_("subject"), ordering="monument__name")
    def subject(self, obj):
        return obj.subject

    @admin.display(description=_("evidence"), ordering="evidence_count")
    def evidence_count(self, obj):
        return obj.evidence_count


@admin.register(Incident)
class IncidentAdmin(EventAdmin):
    list_display = ("subject", "kind", "grade", "occurred", "strength", "evidence_count")
    list_filter = ("kind", "grade", "strength", "certainty")
    search_fields = (
        *("slug", "monument__name", "monument__names__name", "artefact__name"),
        *("summary_en", "summary_ar", "perpetrator"),
    )
    date_hierarchy = "occurred_earliest"
    readonly_fields = (
        "occurred_earliest",
        "occurred_latest",
        "reported_earliest",
        "reported_latest",
        "created",
        "updated",
    )
    fieldsets = (
        (None, {"fields": ("slug", ("monument", "artefact"), "kind", "grade")}),
        (
            _("When"),
            {
                "fields": (
                    "occurred",
                    ("occurred_earliest", "occurred_latest"),
                    "reported",
                    ("reported_earliest", "reported_latest"),
                )
            },
        ),
        (_("Account"), {"fields": ("perpetrator", "summary", "strength", "certainty")}),
        RECORD_FIELDSET,
    )
    inlines = (IncidentEvidenceInline,)


@admin.register(Restoration)
class RestorationAdmin(EventAdmin):
    list_display = ("subject", "kind", "institution", "country", "finished", "returned", "evidence_count")
    list_filter = ("kind", "condition_after", ("institution", admin.RelatedOnlyFieldListFilter), "country")
    list_select_related = ("monument", "artefact", "institution")
    search_fields = (
        "slug",
        "monument__name",
        "monument__names__name",
        "artefact__name",
        "summary_en",
        "summary_ar",
        "institution__name",
        "institution__short_name",
        "place",
        "country",
    )
    date_hierarchy = "finished_earliest"
    autocomplete_fields = ("monument", "artefact", "institution")
    readonly_fields = (
        "started_earliest",
        "started_latest",
        "finished_earliest",
        "finished_latest",
        "returned_earliest",
        "returned_latest",
        "created",
        "updated",
    )
    fieldsets = (
        (None, {"fields": ("slug", ("monument", "artefact"), "kind", "institution", ("place", "country"))}),
        (
            _("When"),
            {
                "fields": (
                    "started",
                    ("started_earliest", "started_latest"),
                    "finished",
                    ("finished_earliest", "finished_latest"),
                    "returned",
                    ("returned_earliest", "returned_latest"),
                )
            },
        ),
        (_("Outcome"), {"fields": ("summary", "condition_after")}),
        RECORD_FIELDSET,
    )
    inlines = (RestorationEvidenceInline,)


@admin.register(Assessment)
class AssessmentAdmin(EventAdmin):
    list_display = ("subject", "condition", "extent", "trend", "priority", "method", "assessed", "evidence_count")
    list_filter = ("condition", "extent", "trend", "priority", "method")
    search_fields = (
        *("slug", "monument__name", "monument__names__name", "artefact__name"),
        *("summary_en", "summary_ar", "threats_en", "threats_ar"),
    )
    date_hierarchy = "assessed_earliest"
    readonly_fields = ("assessed_earliest", "assessed_latest", "created", "updated")
    fieldsets = (
        (None, {"fields": ("slug", ("monument", "artefact"), "method")}),
        (_("When"), {"fields": ("assessed", ("assessed_earliest", "assessed_latest"))}),
        (_("State"), {"fields": ("condition", "extent", "trend", "threats", "priority", "summary")}),
        RECORD_FIELDSET,
    )
    inlines = (AssessmentEvidenceInline,)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """The public record of corrections: made from a record's change form with its note, never edited afterwards."""

    list_display = ("made", "event", "note", "made_by")
    list_select_related = ("incident", "restoration", "assessment", "made_by")
    date_hierarchy = "made"
    search_fields = ("note", "incident__slug", "restoration__slug", "assessment__slug")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("record"))
    def event(self, obj):
        return obj.event


@admin.register(Evidence)
class EvidenceAdmin(ConditionRefreshMixin, RegisterAdmin):
    list_display = ("short_quote", "attribution", "article", "event", "stance")
    list_filter = (
        "stance",
        ("article__publisher", admin.RelatedOnlyFieldListFilter),
        ("cited_source", admin.RelatedOnlyFieldListFilter),
    )
    # attribution reads the article's publisher and outlet and the cited source;
    # an event's name reads its monument or artefact.
    list_select_related = (
        "article__publisher",
        "article__carried_by",
        "cited_source",
        "incident",
        "restoration",
        "assessment",
        "incident__monument",
        "incident__artefact",
        "restoration__monument",
        "restoration__artefact",
        "assessment__monument",
        "assessment__artefact",
    )
    search_fields = (
        "quote",
        "cited_person",
        "note",
        "cited_source__name",
        "article__title",
        "article__publisher__name",
        "incident__slug",
        "restoration__slug",
        "assessment__slug",
    )
    autocomplete_fields = ("article", "incident", "restoration", "assessment", "cited_source")
    verbatim_fields = ("quote",)
    readonly_fields = ("asserted_earliest", "asserted_latest", "created", "updated")
    fieldsets = (
        (None, {"fields": ("article", ("incident", "restoration", "assessment"), "quote", "position", "stance")}),
        (_("Attribution"), {"fields": ("cited_source", "cited_person")}),
        (_("Date it asserts"), {"fields": ("asserted", ("asserted_earliest", "asserted_latest"))}),
        (_("Curation"), {"fields": ("note",)}),
        RECORD_FIELDSET,
    )

    @admin.display(description=_("quote"), ordering="quote")
    def get_deleted_objects(self, objs, request):
        # A quote of a record the public has seen is removed on the record's own page, which asks the correction
        # note the public reads; here it would go without one, so it is protected as a dependant would be.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        corrected = [evidence for evidence in objs if evidence.event and needs_correction_note(evidence.event)]
        explained = [
            format_html(_("{evidence}: remove it on its record's page, with a correction note"), evidence=evidence)
            for evidence in corrected
        ]
        return deleted, counts, perms_needed, [*protected, *explained]

    def short_quote(self, obj):
        # A report known only by reference has no quote; its note says what it gives.
        return Truncator(obj.quote or obj.note).chars(80)

    @admin.display(description=_("attribution"))
    def attribution(self, obj):
        return obj.attribution

    @admin.display(description=_("incident, restoration or assessment"))
    def event(self, obj):
        return obj.event


# What the importer finds: mentions of monuments, and suggested evidence for a curator to decide on.
# Neither keeps history; a suggestion's decision is recorded on it (who, when, which evidence).


@admin.register(Mention)
class MentionAdmin(TextFieldsMixin, admin.ModelAdmin):
    list_display = ("text", "subject", "status", "article", "position")
    # "Ambiguous" is the queue of names for a curator to resolve.
    list_filter = ("status",)
    list_select_related = ("article", "monument", "artefact")
    search_fields = ("text", "monument__name", "monument__names__name", "artefact__name", "article__title")
    autocomplete_fields = ("article", "monument", "artefact")
    # Only the importer makes a name ambiguous, and only resolving (below) settles it.
    readonly_fields = ("status", "candidates", "resolved_by", "resolved_at")

    def get_queryset(self, request):
        return mentions_with_candidates(super().get_queryset(request))

    @admin.display(description=_("monument or artefact"))
    def subject(self, obj):
        return mention_subject(obj)

    @admin.display(description=_("in its article"))
    def in_context(self, obj):
        body, end = obj.article.body, obj.position + len(obj.text)
        return format_html(
            '<div dir="auto" style="white-space: pre-wrap; max-width: 60em">…{}<mark>{}</mark>{}…</div>',
            body[max(0, obj.position - CONTEXT_CHARACTERS) : obj.position],
            body[obj.position : end],
            body[end : end + CONTEXT_CHARACTERS],
        )

    def _resolving(self, obj) -> bool:
        return obj is not None and obj.status == MentionStatus.AMBIGUOUS

    def get_fields(self, request, obj=None):
        return ("article", "in_context", "monument") if self._resolving(obj) else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ("article", "in_context") if self._resolving(obj) else super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if self._resolving(obj):
            kwargs["form"] = MentionResolveForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if isinstance(form, MentionResolveForm):
            # The service records who resolved it and suggests evidence from its sentence.
            mention_resolve(mention=obj, monument=form.cleaned_data["monument"], user=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Suggestion)
class SuggestionAdmin(TextFieldsMixin, admin.ModelAdmin):
    list_display = ("short_quote", "review", "subject", "kind", "trigger", "article", "status", "reviewed_by")
    # The review queue: what waits, about which monument, from which article, of which kind.
    list_filter = (
        "status",
        "kind",
        ("monument", admin.RelatedOnlyFieldListFilter),
        ("artefact", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("article", "monument", "artefact", "reviewed_by")
    search_fields = (
        "quote",
        "subject_text",
        "trigger",
        "attribution",
        "monument__name",
        "monument__names__name",
        "artefact__name",
        "article__title",
    )
    autocomplete_fields = ("article", "monument", "artefact", "cited_source")
    verbatim_fields = ("quote",)
    # A decision is made only by the accept and reject actions, which record who made it.
    readonly_fields = (
        "status",
        "evidence",
        "reviewed_by",
        "reviewed_at",
        "asserted_earliest",
        "asserted_latest",
        "created",
    )
    actions = ("accept_as_new_events", "reject")

    @admin.display(description=_("quote"), ordering="quote")
    def short_quote(self, obj):
        return Truncator(obj.quote).chars(80)

    @admin.display(description=_("monument or artefact"))
    def subject(self, obj):
        return obj.subject

    @admin.display(description=_("review"))
    def review(self, obj):
        if obj.status != SuggestionStatus.PENDING:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:register_suggestion_review", args=[obj.pk]), _("review")
        )

    def get_urls(self):
        view = self.admin_site.admin_view(suggestion_review)
        review = path("<int:pk>/review/", view, {"model_admin": self}, name="register_suggestion_review")
        return [review, *super().get_urls()]

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        for suggestion in queryset.filter(status=SuggestionStatus.PENDING):
            try:
                decide(suggestion=suggestion, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{suggestion}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=_("Accept as evidence for a new incident, restoration or assessment"), permissions=["change"]
    )
    def accept_as_new_events(self, request, queryset):
        self._decide(request, queryset, suggestion_accept, _("%(count)s suggestions accepted as evidence."))

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, suggestion_reject, _("%(count)s suggestions rejected."))
