"""One FilterSet per list. Each filter calls a QuerySet method the pages and admin share.

A value a filter cannot read answers 400 with the parameter's name
(django-filter's DRF backend raises the form's errors).
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from register import visibility
from register.models import Artefact, Article, Assessment, Evidence, Incident, Monument, Restoration, Source
from register.models.vocabularies import (
    AssessmentMethod,
    Condition,
    DamageExtent,
    DamageGrade,
    EvidenceStrength,
    IncidentKind,
    MonumentKind,
    Priority,
    PublicationState,
    RestorationKind,
    SourceKind,
    Stance,
    Trend,
)


class FilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend, which leaves a list as it is when its request names none of the filters.

    A FilterSet with no values filters nothing (each filter passes an empty value through; a test holds every
    FilterSet here to that), so an unfiltered page, a cursor's next page included, need not build one and its form.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not names_a_filter(request.query_params, filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


def names_a_filter(params, base_filters) -> bool:
    """Whether any parameter is a filter's, or one of its parts (a widget's ``<name>_<suffix>``)."""
    return any(key == name or key.startswith(f"{name}_") for key in params for name in base_filters)


class SchemaDescribed:
    """A filter whose parameter the schema gives as ``parameter_schema``, described by its help text.

    drf-spectacular takes a filter class's schema override as the whole parameter, description included, so the
    help text of each filter is added to its own copy of the schema.
    """

    parameter_schema: dict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        described = {**self.parameter_schema, "description": str(self.extra.get("help_text", ""))}
        extend_schema_field(described)(self)


# A day, optionally with a time of day and an offset: what the filter's field reads (a day alone is its midnight).
ISO_DATE_TIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"
)


class UpdatedAfterFilter(SchemaDescribed, filters.IsoDateTimeFilter):
    """Records changed at or after an ISO 8601 date and time.

    On or after, not strictly after: a record saved in the same instant as a harvest's last one is fetched twice
    rather than never.
    """

    parameter_schema = {"type": "string", "format": "date-time", "pattern": ISO_DATE_TIME_PATTERN}

    def __init__(self, **kwargs):
        super().__init__(field_name="updated", lookup_expr="gte", **kwargs)


class FilterSet(filters.FilterSet):
    """The base of the register's FilterSets (django-filter's own), each of which checks its form with FilterForm.

    Every list takes ``updated_after``, so a harvester asks only for what changed since its last visit.
    """

    updated_after = UpdatedAfterFilter(
        help_text="An ISO 8601 date and time, such as 2024-05-01T12:00:00Z (UTC where no offset is given; write + "
        "as %2B): records changed at or after it. With `?ordering=updated`, a harvester fetches only what changed "
        "since its last visit. A value that is no date and time answers 400."
    )


class FreeTextField(forms.CharField):
    """Free text: the one kind of parameter that may be given empty, meaning no condition."""


class FilterForm(forms.Form):
    """The form of every FilterSet here: beyond each parameter's own checks, two that span parameters.

    A parameter given empty (``?within=``) is a 400 naming it, as the schema forbids it, unless it is free text;
    and a date range given backwards (``occurred_after`` later than ``occurred_before``) is a 400 naming both ends,
    not a query for an impossible window.
    """

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if name not in self.errors and not isinstance(field, FreeTextField) and self.given_empty(name, field):
                self.add_error(name, _("%(name)s is empty: give it a value, or leave it out.") % {"name": name})
        for after in [name for name in self.fields if name.endswith("_after")]:
            before = f"{after.removesuffix('_after')}_before"
            start, end = cleaned.get(after), cleaned.get(before)
            if start is not None and end is not None and start > end:
                message = _("%(after)s (%(start)s) is later than %(before)s (%(end)s): give the earlier day first.")
                message %= {"after": after, "start": start, "before": before, "end": end}
                self.add_error(after, message)
                self.add_error(before, message)
        return cleaned

    def given_empty(self, name: str, field: forms.Field) -> bool:
        """Whether the request names the parameter with nothing in it (not merely leaves it out)."""
        key = self.add_prefix(name)
        if key not in self.data:
            return False
        value = field.widget.value_from_datadict(self.data, self.files, key)
        values = value if isinstance(value, list | tuple) else [value]
        return all(item in field.empty_values for item in values)


class ChoicesFilter(filters.MultipleChoiceFilter):
    """Any of several values of one column. No join, so no DISTINCT: django-filter's default would sort every
    matching row of every column before the page could be cut."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class SlugFilter(SchemaDescribed, filters.ModelChoiceFilter):
    """A record named by its slug; an unknown slug is a 400 naming the parameter."""

    parameter_schema = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}


def _slug_choice(queryset, help_text: str, **kwargs):
    # The schema can say what a slug looks like, not which exist: the description says what an unknown one gets.
    help_text = f"{help_text} An unknown slug answers 400."
    return SlugFilter(queryset=queryset, to_field_name="slug", help_text=help_text, **kwargs)


BBOX_PATTERN = r"^\s*-?[0-9.]+\s*(,\s*-?[0-9.]+\s*){3}$"


class BBoxField(forms.CharField):
    """``min_lon,min_lat,max_lon,max_lat`` in WGS84 degrees, as in RFC 7946's bbox."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            numbers = [float(part) for part in value.split(",")]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or any(number != number for number in numbers):
            raise ValidationError("Four numbers: min_lon,min_lat,max_lon,max_lat.", code="invalid")
        min_lon, min_lat, max_lon, max_lat = numbers
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise ValidationError("Longitudes must lie between -180 and 180.", code="invalid")
        if not (-90 <= min_lat <= max_lat <= 90):
            raise ValidationError("Latitudes must lie between -90 and 90, the minimum first.", code="invalid")
        return tuple(numbers)


class BBoxFilter(SchemaDescribed, filters.Filter):
    field_class = BBoxField
    parameter_schema = {"type": "string", "pattern": BBOX_PATTERN, "example": "38.25,34.54,38.29,34.56"}

    def filter(self, queryset, value):
        if not value:
            return queryset
        # Matched by the coordinates the requester sees, so no box finds a sensitive place more exactly.
        user = getattr(self.parent.request, "user", None)
        min_lon, min_lat, max_lon, max_lat = value
        return visibility.in_public_bbox(
            queryset, user=user, min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat
        )


class IdFilter(SchemaDescribed, filters.NumberFilter):
    """A record's id: a whole number the database can hold, else a 400 naming the parameter."""

    field_class = forms.IntegerField
    parameter_schema = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class FreeTextFilter(filters.CharFilter):
    """Free text, which may be given empty (no condition)."""

    field_class = FreeTextField


class TextFilter(FreeTextFilter):
    """Free text, passed to the QuerySet's own matching method."""

    def __init__(self, method_name: str, **kwargs):
        self.queryset_method = method_name
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        return getattr(queryset, self.queryset_method)(value) if value else queryset


class MonumentFilter(FilterSet):
    kind = ChoicesFilter(choices=MonumentKind.choices, help_text="Kind; repeat for any of several.")
    within = _slug_choice(Monument.objects.all(), "A site's slug: the site and its parts.", method="filter_within")
    bbox = BBoxFilter(
        help_text="min_lon,min_lat,max_lon,max_lat (WGS84); a west edge east of the east edge crosses the "
        "antimeridian. A sensitive place is inside when its coordinates as you see them are: rounded, unless you may "
        "change monuments."
    )
    q = TextFilter("matching_name", help_text="Any name in any language, Arabic included.")
    condition = ChoicesFilter(
        choices=Condition.choices,
        method="filter_condition",
        help_text="Condition now; repeat for any of several.",
    )

    class Meta:
        model = Monument
        form = FilterForm
        fields = ["kind", "within", "bbox", "q", "condition"]

    def filter_within(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def filter_condition(self, queryset, name, value):
        # The stored condition, kept equal to condition_now by register.services.condition: an indexed WHERE.
        return queryset.filter(condition__in=value) if value else queryset


class ArtefactFilter(FilterSet):
    origin = _slug_choice(Monument.objects.all(), "The slug of the monument or museum the object comes from.")
    q = FreeTextFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Artefact
        form = FilterForm
        fields = ["origin", "q"]


class EventFilter(FilterSet):
    """Filters incidents, restorations and assessments share."""

    monument = _slug_choice(
        Monument.objects.all(),
        "A monument's slug; a site includes its parts and artefacts from them.",
        method="filter_monument",
    )
    artefact = _slug_choice(Artefact.objects.all(), "An artefact's slug.")
    source = _slug_choice(
        Source.objects.all(),
        "A source's slug: events with a quote it published, carried or is cited for.",
        method="filter_source",
    )
    state = ChoicesFilter(
        choices=PublicationState.choices,
        help_text="Where records stand: `published`, `withdrawn` (its page stays, with the reason), or, for "
        "curators, `draft`. Repeat it for several. Without it the public gets published records, and with "
        "`updated_after` withdrawn ones too, so a mirror can take them down; curators get every state.",
    )

    def filter_monument(self, queryset, name, value):
        return queryset.for_monument(value) if value else queryset

    def filter_source(self, queryset, name, value):
        return queryset.cited_from(value) if value else queryset

    def filter_window(self, queryset, name, value):
        # Both ends in one call when both are given, so the window is one condition an index can answer whole
        # (a range overlap on PostgreSQL); the "before" filter then has nothing left to do.
        prefix, _sep, side = name.rpartition("_")
        other = self.form.cleaned_data.get(f"{prefix}_after")
        if side == "before" and other is not None:
            return queryset
        start, end = (value, self.form.cleaned_data.get(f"{prefix}_before")) if side == "after" else (None, value)
        if prefix == "reported":
            return queryset.reported_overlapping(start, end)
        return queryset.overlapping(start, end)


class IncidentFilter(EventFilter):
    kind = ChoicesFilter(choices=IncidentKind.choices, help_text="What happened; repeatable.")
    grade = ChoicesFilter(choices=DamageGrade.choices, help_text="UNITAR-UNOSAT grade; repeatable.")
    strength = ChoicesFilter(choices=EvidenceStrength.choices, help_text="Strength of the evidence; repeatable.")
    perpetrator = FreeTextFilter(lookup_expr="icontains", help_text="Part of the reported perpetrator.")
    occurred_after = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: incidents that may have happened on or after this day."
    )
    occurred_before = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: incidents that may have happened on or before this day."
    )
    reported_after = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: first reported on or after this day (windows overlap)."
    )
    reported_before = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: first reported on or before this day (windows overlap)."
    )
    q = TextFilter("matching_text", help_text="Summary, reported perpetrator, or any name of the monument or artefact.")

    class Meta:
        model = Incident
        form = FilterForm
        fields = [
            "monument",
            "artefact",
            "kind",
            "grade",
            "strength",
            "perpetrator",
            "occurred_after",
            "occurred_before",
            "reported_after",
            "reported_before",
            "source",
            "q",
        ]


class RestorationFilter(EventFilter):
    kind = ChoicesFilter(choices=RestorationKind.choices, help_text="Kind of work; repeatable.")
    institution = _slug_choice(Source.objects.all(), "The slug of the institution that did the work.")
    finished_after = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: work that may have finished on or after this day."
    )
    finished_before = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: work that may have finished on or before this day."
    )

    class Meta:
        model = Restoration
        form = FilterForm
        fields = ["monument", "artefact", "kind", "institution", "finished_after", "finished_before", "source"]


class AssessmentFilter(EventFilter):
    condition = ChoicesFilter(choices=Condition.choices, help_text="Overall condition stated (EAMENA); repeatable.")
    extent = ChoicesFilter(choices=DamageExtent.choices, help_text="Damage extent; repeatable.")
    trend = ChoicesFilter(choices=Trend.choices, help_text="Trend of the condition; repeatable.")
    priority = ChoicesFilter(
        choices=Priority.choices, help_text="Priority for action, A (most urgent) to F; repeatable."
    )
    method = ChoicesFilter(
        choices=AssessmentMethod.choices, help_text="Field visit, satellite imagery or report; repeatable."
    )
    assessed_after = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: assessments that may have been made on or after this day."
    )
    assessed_before = filters.DateFilter(
        method="filter_window", help_text="YYYY-MM-DD: assessments that may have been made on or before this day."
    )

    class Meta:
        model = Assessment
        form = FilterForm
        fields = [
            "monument",
            "artefact",
            "condition",
            "extent",
            "trend",
            "priority",
            "method",
            "assessed_after",
            "assessed_before",
            "source",
        ]


class ArticleFilter(FilterSet):
    publisher = _slug_choice(Source.objects.all(), "The publisher's slug.")
    carried_by = _slug_choice(
        Source.objects.all(),
        "The slug of the outlet that carried it; an outlet the importer guessed counts for curators only.",
        method="filter_carried_by",
    )
    published_after = filters.DateFilter(method="filter_published", help_text="YYYY-MM-DD, inclusive.")
    published_before = filters.DateFilter(method="filter_published", help_text="YYYY-MM-DD, inclusive.")
    mentions = _slug_choice(
        Monument.objects.all(),
        "A monument's slug: articles that name it or are quoted about it (a site includes its parts).",
        method="filter_mentions",
    )
    q = TextFilter("matching_text", help_text="Part of the title or body.")

    class Meta:
        model = Article
        form = FilterForm
        fields = ["publisher", "carried_by", "published_after", "published_before", "mentions", "q"]

    def filter_published(self, queryset, name, value):
        if name.endswith("_after"):
            return queryset.published_between(value, None)
        return queryset.published_between(None, value)

    def filter_carried_by(self, queryset, name, value):
        # The public is not shown a guessed outlet, so it finds no article by one either.
        if visibility.sees_guesses(getattr(self.request, "user", None)):
            return queryset.filter(carried_by=value)
        return queryset.filter(carried_by=value, carried_by_guessed=False)

    def filter_mentions(self, queryset, name, value):
        return queryset.mentioning(value) if value else queryset


class SourceFilter(FilterSet):
    kind = ChoicesFilter(choices=SourceKind.choices, help_text="Kind of source; repeatable.")
    q = FreeTextFilter(method="filter_q", help_text="Part of the name or short name.")

    class Meta:
        model = Source
        form = FilterForm
        fields = ["kind", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value)) if value else queryset


def visible_to_requester(model):
    """Return a filter's choices for each request: the records of ``model`` its user may see."""

    def choices(request) -> QuerySet:
        return visibility.visible_to(getattr(request, "user", None), model.objects.all())

    return choices


class EvidenceFilter(FilterSet):
    article = IdFilter(field_name="article_id", help_text="The article's id.")
    # Offered and accepted only as far as the requester may see them: an unpublished slug is as unknown as any.
    incident = _slug_choice(visible_to_requester(Incident), "The incident's slug.")
    restoration = _slug_choice(visible_to_requester(Restoration), "The restoration's slug.")
    assessment = _slug_choice(visible_to_requester(Assessment), "The assessment's slug.")
    stance = ChoicesFilter(choices=Stance.choices, help_text="Supports, contradicts or gives context.")
    cited_source = _slug_choice(Source.objects.all(), "The slug of the source the article cites.")

    class Meta:
        model = Evidence
        form = FilterForm
        fields = ["article", "incident", "restoration", "assessment", "stance", "cited_source"]
