"""Filters and pages of the public pages' lists, on the same QuerySet methods the API and admin use.

A malformed value (a date that is not a date, an unknown monument) becomes a
form error shown on the page, never a server error; a page number that is not
one of the list's pages answers 400 with the reason on the page.

A list has at most MAX_PAGES pages of PAGE_SIZE rows, and counts its rows only
that far: however large the register, a page reads at most that many rows and
its count stops there too. The API's keyset pages and the bulk download have
every record.
"""

import datetime as dt
from collections.abc import Callable

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Model, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, DateFilter, Filter, FilterSet

from register.models import AlternateName, Artefact, Article, Assessment, Incident, Monument, Restoration, Source
from register.models.vocabularies import (
    AssessmentMethod,
    Condition,
    DamageGrade,
    IncidentKind,
    MonumentKind,
    RestorationKind,
    SourceKind,
)

PAGE_SIZE = 50
MAX_PAGES = 20


class BoundedPaginator(Paginator):
    """A Paginator whose COUNT reads no further than the end of its last page, ``max_pages`` in."""

    def __init__(self, object_list, per_page, *, max_pages: int):
        self.max_pages = max_pages
        super().__init__(
            object_list,
            per_page,
            error_messages={
                "invalid_page": _("A page number is a whole number."),
                "min_page": _("Pages are numbered from 1."),
                "no_results": _("There is no page with that number."),
            },
        )

    @cached_property
    def _counted(self) -> int:
        limit = self.per_page * self.max_pages
        # COUNT over a LIMITed subquery of ids alone (no ordering, no annotations): the database stops after
        # limit + 1 matching rows and computes nothing the count does not need.
        return self.object_list.order_by().values("pk")[: limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.per_page * self.max_pages)

    @cached_property
    def has_more(self) -> bool:
        """Whether rows match beyond the last page."""
        return self._counted > self.count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        # The rows skipped to reach a page are walked as ids alone; joins and annotations are made for the page's.
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def list_page(request, queryset):
    """Return (the page the ``page`` parameter asks for, None), or (None, why there is no such page).

    No ``page`` parameter is the first page, which an empty list has too.
    """
    paginator = BoundedPaginator(queryset, PAGE_SIZE, max_pages=MAX_PAGES)
    try:
        return paginator.page(request.GET.get("page", 1)), None
    except InvalidPage as error:
        return None, str(error)


# A name matches another exactly when they differ only in case and spacing.
def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


# At most this many records are read to resolve a typed name, and named in the error when it fits several.
NAMED_CANDIDATES = 10


def monuments_named(text: str) -> list[Monument]:
    """Return the monument whose address (slug) or name is ``text``, or the monuments it could mean.

    Any name counts, in any language and script: the monument's own and its alternate names (misnomers a report
    used included). A name matching some monuments exactly means those; one matching none exactly means those whose
    names it is part of (full-text, as the monuments list searches), the likeliest first.
    """
    found = Monument.objects.select_related("part_of")
    by_slug = found.filter(slug=text).first()
    if by_slug is not None:
        return [by_slug]
    candidates = list(found.best_matching(text, first=NAMED_CANDIDATES)[:NAMED_CANDIDATES])
    key = name_key(text)
    alternates = AlternateName.objects.filter(monument__in=candidates).values_list("monument_id", "name")
    exact = {monument.pk for monument in candidates if name_key(monument.name) == key}
    exact |= {monument_id for monument_id, name in alternates if name_key(name) == key}
    return [monument for monument in candidates if monument.pk in exact] or candidates


def named_among(queryset, text: str, *, names: tuple[str, ...]) -> list:
    """Return the record of ``queryset`` whose slug or one of ``names`` is ``text``, or those it could mean."""
    by_slug = queryset.filter(slug=text).first()
    if by_slug is not None:
        return [by_slug]
    exact = Q()
    partial = Q()
    for name in names:
        exact |= Q(**{f"{name}__iexact": text})
        partial |= Q(**{f"{name}__icontains": text})
    return list(queryset.filter(exact)[:NAMED_CANDIDATES]) or list(queryset.filter(partial)[:NAMED_CANDIDATES])


def described_monument(monument: Monument) -> str:
    if monument.part_of is not None:
        return gettext("%(name)s, part of %(site)s (address: %(slug)s)") % {
            "name": monument.name,
            "site": monument.part_of.name,
            "slug": monument.slug,
        }
    return gettext("%(name)s (address: %(slug)s)") % {"name": monument.name, "slug": monument.slug}


def described_record(record) -> str:
    return gettext("%(name)s (address: %(slug)s)") % {"name": record, "slug": record.slug}


class NamedRecordField(forms.CharField):
    """A record typed by any of its names, in any language, or by its address: the one it names, or why not."""

    def __init__(self, *, find: Callable[[str], list], describe: Callable[[Model], str], not_found: str, **kwargs):
        # not_found is a whole sentence per kind of record, with %(name)s: a translation agrees with its noun.
        self.find, self.describe, self.not_found = find, describe, not_found
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        found = self.find(text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(self.not_found % {"name": text}, code="invalid_choice")
        message = gettext("“%(name)s” could mean several: %(choices)s. Type the whole name or the address.")
        choices = "; ".join(self.describe(record) for record in found)
        raise forms.ValidationError(message % {"name": text, "choices": choices}, code="ambiguous")


def named_widget(placeholder: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "spellcheck": "false", "dir": "auto"})


class NamedFilter(Filter):
    """A filter on a record typed by name or address; ``method`` applies it, as a QuerySet method of the list."""

    field_class = NamedRecordField


def MonumentNamed(**kwargs) -> NamedFilter:  # noqa: N802 - builds a filter, as a class would
    """Return the filter on a monument typed by name or address; a site includes its parts."""
    kwargs.setdefault("method", lambda queryset, name, value: queryset.for_monument(value) if value else queryset)
    kwargs.setdefault("label", _("Monument (a site includes its parts)"))
    return NamedFilter(
        find=monuments_named,
        describe=described_monument,
        not_found=_("No monument is called “%(name)s”: check the spelling, or try another of its names."),
        help_text=_("Any of its names, in any language, or its address as in /monuments/palmyra/."),
        widget=named_widget("Palmyra"),
        **kwargs,
    )


def ArtefactNamed(**kwargs) -> NamedFilter:  # noqa: N802 - builds a filter, as a class would
    """Return the filter on an artefact typed by name or address."""
    kwargs.setdefault("method", lambda queryset, name, value: queryset.for_subject(value) if value else queryset)
    return NamedFilter(
        find=lambda text: named_among(Artefact.objects.all(), text, names=("name",)),
        describe=described_record,
        not_found=_("No artefact is called “%(name)s”: check the spelling, or try another of its names."),
        label=_("Artefact"),
        help_text=_("Its name or part of it, or its address."),
        widget=named_widget(""),
        **kwargs,
    )


def SourceNamed(**kwargs) -> NamedFilter:  # noqa: N802 - builds a filter, as a class would
    """Return the filter on a source typed by its name, short name (AFP) or address."""
    return NamedFilter(
        find=lambda text: named_among(Source.objects.all(), text, names=("short_name", "name")),
        describe=described_record,
        not_found=_("No source is called “%(name)s”: check the spelling, or try another of its names."),
        help_text=_("Its name, short name (AFP) or address."),
        widget=named_widget("AFP"),
        **kwargs,
    )


def api_query(filters: FilterSet) -> list[tuple[str, str]]:
    """Return the filters a valid list page was asked for as the API's parameters: records by their slugs.

    Each page's filters are named as the API's are, so the same list can be fetched as CSV or JSON.
    """
    pairs = []
    for name, value in filters.form.cleaned_data.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item in (None, ""):
                continue
            if isinstance(item, Model):
                item = item.slug
            elif isinstance(item, dt.date):
                item = item.isoformat()
            pairs.append((name, str(item)))
    return pairs


class SearchForm(forms.Form):
    """The search page's one parameter: text to match, which a NUL (no database can search for one) makes invalid."""

    q = forms.CharField(required=False)


class MonumentPageFilter(FilterSet):
    q = CharFilter(label=_("Name, in any language"), method="filter_name")
    kind = ChoiceFilter(label=_("Kind"), choices=MonumentKind.choices, empty_label=_("any kind"))
    # The stored condition, kept equal to condition_now by register.services.condition.
    condition = ChoiceFilter(label=_("Condition now"), choices=Condition.choices, empty_label=_("any condition"))

    class Meta:
        model = Monument
        fields = ["q", "kind", "condition"]

    def filter_name(self, queryset, name, value):
        return queryset.matching_name(value)


class OccurredWindowForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("occurred_after"), cleaned.get("occurred_before")
        if after and before and after > before:
            raise forms.ValidationError(_("“Occurred after” must not be later than “occurred before”."))
        return cleaned


class IncidentPageFilter(FilterSet):
    monument = MonumentNamed()
    artefact = ArtefactNamed()
    kind = ChoiceFilter(label=_("What happened"), choices=IncidentKind.choices, empty_label=_("anything"))
    grade = ChoiceFilter(label=_("Damage grade"), choices=DamageGrade.choices, empty_label=_("any grade"))
    occurred_after = DateFilter(
        label=_("Occurred on or after"),
        method="filter_after",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("YYYY-MM-DD; an incident counts when its uncertain window overlaps the range."),
    )
    occurred_before = DateFilter(
        label=_("Occurred on or before"), method="filter_before", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Incident
        fields = ["monument", "artefact", "kind", "grade", "occurred_after", "occurred_before"]
        form = OccurredWindowForm

    def filter_after(self, queryset, name, value):
        return queryset.overlapping(value, None)

    def filter_before(self, queryset, name, value):
        return queryset.overlapping(None, value)


class RestorationPageFilter(FilterSet):
    monument = MonumentNamed()
    artefact = ArtefactNamed()
    kind = ChoiceFilter(label=_("Kind of work"), choices=RestorationKind.choices, empty_label=_("any kind"))

    class Meta:
        model = Restoration
        fields = ["monument", "artefact", "kind"]


class AssessmentPageFilter(FilterSet):
    monument = MonumentNamed()
    artefact = ArtefactNamed()
    condition = ChoiceFilter(label=_("Condition found"), choices=Condition.choices, empty_label=_("any condition"))
    method = ChoiceFilter(label=_("Method"), choices=AssessmentMethod.choices, empty_label=_("any method"))

    class Meta:
        model = Assessment
        fields = ["monument", "artefact", "condition", "method"]


class ArtefactPageFilter(FilterSet):
    q = CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    # The monument itself, not its parts, as the API's ``origin`` takes it: the list links to the same list there.
    origin = MonumentNamed(label=_("Comes from"), method=lambda queryset, name, value: queryset.filter(origin=value))

    class Meta:
        model = Artefact
        fields = ["q", "origin"]


class ArticlePageFilter(FilterSet):
    q = CharFilter(label=_("Words in the title or text"), method="filter_text")
    publisher = SourceNamed(label=_("Publisher"), field_name="publisher")
    mentions = MonumentNamed(
        label=_("Monument it names or is quoted about"),
        method=lambda queryset, name, value: queryset.mentioning(value),
    )

    class Meta:
        model = Article
        fields = ["q", "publisher", "mentions"]

    def filter_text(self, queryset, name, value):
        return queryset.matching_text(value)


class SourcePageFilter(FilterSet):
    q = CharFilter(label=_("Name"), method="filter_name")
    kind = ChoiceFilter(label=_("Kind"), choices=SourceKind.choices, empty_label=_("any kind"))

    class Meta:
        model = Source
        fields = ["q", "kind"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
