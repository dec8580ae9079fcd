"""Reading records out through a plan made once per serializer class, not DRF's per-field machinery.

DRF turns a record into JSON field by field: for each one it walks the source
path with exception handling, wraps related keys, checks for None and calls
the field; each ``api_url`` and ``page_url`` is a ``reverse()``; and every
request first builds the serializer's nested fields again from the model.
For a page of a hundred incidents with their quotes and citations that is
most of the request's time. ``plan_for`` looks at a serializer's fields once
per process and keeps one function per field that does only what that field
needs: most are a plain attribute read; links are an address reversed once,
with the record's key and the request's origin put in. The output is exactly
what DRF's own ``to_representation`` gives (the tests compare both on every
kind of record); a field the plan does not know is read the DRF way, and a
serializer with such a field gets a plan of its own per response instead.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import ISO_8601, relations, serializers
from rest_framework.settings import api_settings

# A key that every route of the register accepts (slugs and ids), and that no route's own path holds.
PLACEHOLDER = "9081726354453627"
URL_SAFE_KEY = re.compile(r"[-a-zA-Z0-9_]+")
# Prefetch(source, to_attr=PREFETCHED + source) puts a nested list where the plan reads it first.
PREFETCHED = "prefetched_"

# Fields whose representation of a stored value is the value itself (str, int or bool from the database).
AS_STORED = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField, serializers.BooleanField)


def absolute_url(path: str, context: dict) -> str:
    """Return ``path`` made absolute from the request, or from a base URL (the bulk export has no request)."""
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    return context.get("base_url", "").rstrip("/") + path


@dataclass(slots=True)
class Reading:
    """What one response's records are read with: its serializer context and the origin links start with."""

    context: dict
    origin: str
    # The time zone DRF writes date-times in (the current one), looked up once per response, not per value.
    timezone: tzinfo | None

    @classmethod
    def for_context(cls, context: dict) -> "Reading":
        request = context.get("request")
        # build_absolute_uri of an absolute ASCII path is the scheme and host before it; ours are ASCII.
        origin = request.build_absolute_uri("/")[:-1] if request is not None else context.get("base_url", "")
        zone = timezone.get_current_timezone() if settings.USE_TZ else None
        return cls(context=context, origin=origin.rstrip("/"), timezone=zone)


Reader = Callable[[object, Reading], object]


def link_maker(view_name: str, *, by_keyword: str | None = None) -> Callable[[object, Reading], str]:
    """Return a function giving the absolute address of ``view_name`` for a key, from one ``reverse()``.

    A key a route might not accept is reversed the slow way, so it fails as ``reverse`` fails.
    """

    def path_for(key) -> str:
        return reverse(view_name, kwargs={by_keyword: key}) if by_keyword else reverse(view_name, args=[key])

    prefix, _placeholder, suffix = path_for(PLACEHOLDER).rpartition(PLACEHOLDER)

    def link(key, reading: Reading) -> str:
        text = str(key)
        if URL_SAFE_KEY.fullmatch(text):
            return f"{reading.origin}{prefix}{text}{suffix}"
        return absolute_url(path_for(key), reading.context)

    return link


# The public page of each record that has one, as (route, attribute giving its key).
PAGE_ROUTES = {
    "monument": ("register:monument-detail", "slug"),
    "incident": ("register:incident-detail", "slug"),
    "restoration": ("register:restoration-detail", "slug"),
    "article": ("register:article-detail", "pk"),
}


def page_link(model) -> Reader | None:
    """Return a reader giving a record's public page address, or None where the plan cannot make one."""
    name = model._meta.model_name
    if name in PAGE_ROUTES:
        route, key = PAGE_ROUTES[name]
        link, read_key = link_maker(route), attrgetter(key)
        return lambda record, reading: link(read_key(record), reading)
    if name == "evidence":
        article = link_maker(PAGE_ROUTES["article"][0])
        return lambda record, reading: f"{article(record.article_id, reading)}#evidence-{record.pk}"
    return None


@dataclass
class Plan:
    """The readers of one serializer's fields; ``shared`` if none of them holds on to a response's serializer."""

    readers: list[tuple[str, Reader]]
    shared: bool = True

    def __call__(self, record, reading: Reading) -> dict:
        return {name: read(record, reading) for name, read in self.readers}


def _nullable(read: Callable, convert: Callable) -> Reader:
    def reader(record, reading):
        value = read(record)
        return None if value is None else convert(value)

    return reader


def _isoformat(value) -> str:
    return value.isoformat()


def _writes_isoformat(drf_field: serializers.Field) -> bool:
    """Whether DRF writes this date field as ``date.isoformat()`` (its default ISO 8601 output)."""
    if type(drf_field) is not serializers.DateField:
        return False
    output = getattr(drf_field, "format", serializers.empty)
    if output is serializers.empty:
        output = api_settings.DATE_FORMAT
    return isinstance(output, str) and output.lower() == ISO_8601


def _writes_iso_datetime(drf_field: serializers.Field) -> bool:
    """Whether DRF writes this date-time as ISO 8601 in the current time zone, UTC as ``Z``."""
    if type(drf_field) is not serializers.DateTimeField or getattr(drf_field, "timezone", None) is not None:
        return False
    output = getattr(drf_field, "format", serializers.empty)
    if output is serializers.empty:
        output = api_settings.DATETIME_FORMAT
    return isinstance(output, str) and output.lower() == ISO_8601


def _datetime_reader(column: Callable, drf_field: serializers.DateTimeField) -> Reader:
    """DRF's DateTimeField.to_representation for aware values, with the zone the response looked up once."""

    def reader(record, reading):
        value = column(record)
        if not value:
            return None
        if not timezone.is_aware(value):
            # Stored naive (USE_TZ was off when written): DRF's own rules, errors included.
            return drf_field.to_representation(value)
        value = value.astimezone(reading.timezone) if reading.timezone is not None else value.astimezone(dt.UTC)
        text = value.replace(tzinfo=None).isoformat() if reading.timezone is None else value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return reader


def _column(serializer: serializers.Serializer, drf_field: serializers.Field) -> Callable | None:
    """Return a plain attribute read for a field whose source is a column or property of the model, else None."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or len(drf_field.source_attrs) != 1:
        return None
    name = drf_field.source_attrs[0]
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        # A method is called by DRF, so the plan leaves it to DRF; a property, or a value the queryset
        # annotates (which the class does not have), reads like a column.
        on_class = getattr(model, name, None)
        if on_class is not None and not isinstance(on_class, property | cached_property):
            return None
    return attrgetter(name)


def _drf_reader(drf_field: serializers.Field, plan: Plan) -> Reader:
    """Read one field exactly as DRF's Serializer.to_representation does, with the response's own field."""
    plan.shared = False

    def reader(record, reading):
        attribute = drf_field.get_attribute(record)
        check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
        return None if check is None else drf_field.to_representation(attribute)

    return reader


def _reader(serializer: serializers.Serializer, drf_field: serializers.Field, plan: Plan) -> Reader:  # noqa: PLR0911
    planned_reader = getattr(drf_field, "planned_reader", None)
    if planned_reader is not None:
        # Fields that make their own reader: links to a record, subjects, attributions.
        return planned_reader(serializer)
    if isinstance(drf_field, serializers.ListSerializer) and len(drf_field.source_attrs) == 1:
        name = drf_field.source_attrs[0]
        child, source = _nested(drf_field.child, plan), attrgetter(name)

        def many(record, reading):
            # Prefetched rows are read as they are: manager.all() would clone a queryset per record. A queryset
            # that prefetched them to a list (to_attr) spares Django a queryset per record too.
            prefetched = record.__dict__.get(f"{PREFETCHED}{name}")
            if prefetched is None:
                prefetched = getattr(record, "_prefetched_objects_cache", {}).get(name)
            if prefetched is None:
                related = source(record)
                prefetched = related.all() if hasattr(related, "all") else related
            return [child(item, reading) for item in prefetched]

        return many
    if isinstance(drf_field, serializers.ModelSerializer):
        child = _nested(drf_field, plan)
        if drf_field.source == "*":
            return child
        source = attrgetter(".".join(drf_field.source_attrs))

        def one(record, reading):
            related = source(record)
            return None if related is None else child(related, reading)

        return one
    if isinstance(drf_field, relations.SlugRelatedField) and len(drf_field.source_attrs) == 1:
        return _nullable(attrgetter(drf_field.source_attrs[0]), attrgetter(drf_field.slug_field))
    if isinstance(drf_field, relations.PrimaryKeyRelatedField) and len(drf_field.source_attrs) == 1:
        # DRF reads the key column without loading the related record; so does this.
        key = attrgetter(f"{drf_field.source_attrs[0]}_id")
        return lambda record, reading: key(record)
    column = _column(serializer, drf_field)
    if column is None:
        return _drf_reader(drf_field, plan)
    if isinstance(drf_field, AS_STORED) and not isinstance(drf_field, serializers.MultipleChoiceField):
        return lambda record, reading: column(record)
    if _writes_isoformat(drf_field):
        return _nullable(column, _isoformat)
    if _writes_iso_datetime(drf_field):
        return _datetime_reader(column, drf_field)
    return _nullable(column, drf_field.to_representation)


def _nested(serializer: serializers.Serializer, plan: Plan) -> Plan:
    child = build_plan(serializer)
    plan.shared = plan.shared and child.shared
    return child


def build_plan(serializer: serializers.Serializer) -> Plan:
    """Return the plan reading records as ``serializer.to_representation`` would."""
    plan = Plan(readers=[])
    plan.readers = [
        (name, _reader(serializer, drf_field, plan))
        for name, drf_field in serializer.fields.items()
        if not drf_field.write_only
    ]
    return plan


_shared_plans: dict[tuple, Plan] = {}


def plan_for(serializer: serializers.Serializer) -> Plan:
    """Return the plan for a serializer: one per class and URL configuration, or its own where it must be."""
    key = (type(serializer), get_urlconf(), get_script_prefix())
    plan = _shared_plans.get(key)
    if plan is None:
        plan = build_plan(serializer)
        if plan.shared:
            _shared_plans[key] = plan
    return plan


class PlannedReadMixin:
    """Serializers whose records are read out through a plan instead of field by field."""

    def to_representation(self, instance):
        reading = self.__dict__.get("_reading")
        if reading is None:
            self._plan = plan_for(self)
            reading = self._reading = Reading.for_context(self.context)
        return self._plan(instance, reading)

    def drf_representation(self, instance):
        """DRF's own, field by field: what the plan must equal (the tests compare them)."""
        return super().to_representation(instance)
