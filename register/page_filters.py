"""Filters and pages of the public pages' lists, on the same QuerySet methods the API and admin use.

A malformed value (a date that is not a date, an unknown monument) becomes a
form error shown on the page, never a server error; a page number that is not
one of the list's pages answers 400 with the reason on the page.

A list has at most MAX_PAGES pages of PAGE_SIZE rows, and counts its rows only
that far: however large the register, a page reads at most that many rows and
its count stops there too. The API's keyset pages and the bulk download have
every record.
"""

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, DateFilter, FilterSet, ModelChoiceFilter

from register.models import Incident, Monument
from register.models.vocabularies import Condition, DamageGrade, IncidentKind, MonumentKind

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
    # Typed as the monument's address, not picked from a list: a list of every monument is megabytes at scale.
    monument = ModelChoiceFilter(
        label=_("Monument (a site includes its parts)"),
        queryset=Monument.objects.all(),
        to_field_name="slug",
        method="filter_monument",
        widget=forms.TextInput(attrs={"placeholder": "palmyra", "spellcheck": "false", "autocapitalize": "none"}),
        help_text=_("The monument's address, as in /monuments/palmyra/."),
        error_messages={"invalid_choice": _("No monument has the address “%(value)s”.")},
    )
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
        fields = ["monument", "kind", "grade", "occurred_after", "occurred_before"]
        form = OccurredWindowForm

    def filter_monument(self, queryset, name, value):
        return queryset.for_monument(value)

    def filter_after(self, queryset, name, value):
        return queryset.overlapping(value, None)

    def filter_before(self, queryset, name, value):
        return queryset.overlapping(None, value)
