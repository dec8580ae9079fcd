"""Filters of the public pages' lists, on the same QuerySet methods the API and admin use.

A malformed value (a date that is not a date, an unknown monument) becomes a
form error shown on the page, never a server error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, DateFilter, FilterSet, ModelChoiceFilter

from register.models import Incident, Monument
from register.models.vocabularies import Condition, DamageGrade, IncidentKind, MonumentKind


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
    monument = ModelChoiceFilter(
        label=_("Monument (a site includes its parts)"),
        queryset=Monument.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("any monument"),
        method="filter_monument",
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
