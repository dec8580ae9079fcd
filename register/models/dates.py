"""Uncertain dates: EDTF strings with the earliest and latest day they allow."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException


def edtf_window(value: str) -> tuple[dt.date, dt.date]:
    """Return the earliest and latest day an EDTF string allows.

    Strict bounds are used: "2015-08-23~" spans that day alone rather than the
    edtf package's default fuzz of a year either side, which would make every
    approximate date overlap almost any filter.
    """
    try:
        parsed = parse_edtf(value)
    except EDTFParseException:
        raise ValidationError(
            _("%(value)s is not an EDTF date (examples: 2017-01, 2015-08-23~, 2016-12-26/2017-01-10)."),
            code="invalid_edtf",
            params={"value": value},
        ) from None
    try:
        earliest = struct_time_to_date(parsed.lower_strict())
        latest = struct_time_to_date(parsed.upper_strict())
    except (OverflowError, ValueError, TypeError):
        raise ValidationError(
            _("%(value)s has no bounded window of days."), code="unbounded_edtf", params={"value": value}
        ) from None
    return earliest, latest


def validate_edtf(value: str) -> None:
    if value:
        edtf_window(value)


class EDTFField(models.CharField):
    """An EDTF date string; its day window lives in two sibling DateFields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("validators", [validate_edtf])
        super().__init__(*args, **kwargs)


class EDTFWindowsMixin(models.Model):
    """Keep each EDTF field's earliest/latest day in step with its text.

    Subclasses list their EDTF field names in ``edtf_fields``; each name ``x``
    has ``x_earliest`` and ``x_latest`` DateFields beside it.
    """

    edtf_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def fill_edtf_windows(self) -> None:
        for name in self.edtf_fields:
            value = getattr(self, name)
            earliest, latest = edtf_window(value) if value else (None, None)
            setattr(self, f"{name}_earliest", earliest)
            setattr(self, f"{name}_latest", latest)

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        # Only derive from values that passed validation above.
        self.fill_edtf_windows()

    def save(self, *args, **kwargs):
        self.fill_edtf_windows()
        super().save(*args, **kwargs)


def edtf_window_constraints(model_name: str, field: str, *, required: bool) -> list[models.CheckConstraint]:
    """Return the constraints that keep a field's window present and ordered."""
    earliest, latest = f"{field}_earliest", f"{field}_latest"
    present = Q(**{f"{earliest}__isnull": False, f"{latest}__isnull": False})
    if required:
        presence = present & ~Q(**{field: ""})
    else:
        absent = Q(**{field: "", f"{earliest}__isnull": True, f"{latest}__isnull": True})
        presence = (present & ~Q(**{field: ""})) | absent
    return [
        models.CheckConstraint(condition=presence, name=f"{model_name}_{field}_window_present"),
        models.CheckConstraint(
            condition=Q(**{f"{earliest}__isnull": True}) | Q(**{f"{earliest}__lte": models.F(latest)}),
            name=f"{model_name}_{field}_window_ordered",
        ),
    ]
