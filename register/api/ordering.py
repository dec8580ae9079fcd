"""Ordering by one field, strictly: an unknown field answers 400 naming the parameter."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """Order by one of the view's ``ordering_fields``, ``-`` for descending, ties broken by id.

    One field at a time, because keyset pagination (see pagination.py) pages
    on that field and the id; the field must never be null.
    """

    def get_ordering(self, request, queryset, view):
        default = tuple(getattr(view, "ordering", None) or ("id",))
        value = request.query_params.get(self.ordering_param)
        if value is None:
            field = default[0]
        else:
            allowed = self.allowed_fields(view)
            # An empty value is no field either: the schema's choices do not include it.
            if value.lstrip("-") not in allowed:
                message = _("Order by one of %(fields)s, with - for descending.") % {"fields": ", ".join(allowed)}
                raise ValidationError({self.ordering_param: [message]})
            field = value
        tie_break = "-id" if field.startswith("-") else "id"
        return (field,) if field.lstrip("-") == "id" else (field, tie_break)

    @staticmethod
    def allowed_fields(view) -> list[str]:
        return list(getattr(view, "ordering_fields", None) or ["id"])

    def get_schema_operation_parameters(self, view):
        choices = [prefix + field for field in self.allowed_fields(view) for prefix in ("", "-")]
        default = (getattr(view, "ordering", None) or ("id",))[0]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Order by one field, - for descending (default {default}); ties are broken by id.",
                "schema": {"type": "string", "enum": choices},
            }
        ]
