"""Reading records out through a plan made once per serializer class, not DRF's per-field machinery.

DRF turns a record into JSON field by field: for each one it walks the source
path with exception handling, wraps related keys, checks for None and calls
the field; each ``api_url`` and ``page_url`` is a ``reverse()``; and every
request first builds the serializer's nested fields again from the model.
For a page of a hundred incidents with their quotes and citations that is
most of the request's time. ``plan_for`` looks at a serializer's fields once
per process and keeps for each field an expression that does only what that
field needs: most are a plain attribute read; links are an address reversed
once, with the record's key and the request's origin put in. The output is exactly
what DRF's own ``to_representation`` gives (the tests compare both on every
kind of record); a field the plan does not know is read the DRF way, and a
serializer with such a field gets a plan of its own per response instead.

A plan is one generated function per serializer: a dict display of those
expressions (see ``_compile`` for why).
"""

import datetime as dt
import decimal
import keyword
import linecache
import re
import string
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from operator import attrgetter
from types import CodeType

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor, ForwardOneToOneDescriptor
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

# The zone DRF writes date-times in where TIME_ZONE is UTC (ZoneInfo keeps one object per key).
UTC_ZONE = zoneinfo.ZoneInfo("UTC")

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
    # What readers work out once per response, not per record (each under keys of its own).
    remembered: dict = field(default_factory=dict)

    @classmethod
    def for_context(cls, context: dict) -> "Reading":
        request = context.get("request")
        # build_absolute_uri of an absolute ASCII path is the scheme and host before it; ours are ASCII.
        origin = request.build_absolute_uri("/")[:-1] if request is not None else context.get("base_url", "")
        zone = timezone.get_current_timezone() if settings.USE_TZ else None
        return cls(context=context, origin=origin.rstrip("/"), timezone=zone)


Reader = Callable[[object, Reading], object]


@dataclass(frozen=True)
class Expression:
    """A field's value as one Python expression, written into its plan's function (see ``_compile``).

    The expression reads ``record``, ``reading``, and the response's ``origin`` and ``zone`` (``Reading``'s
    origin and timezone). ``$name`` stands for ``values[name]``, or for a variable the expression assigns
    itself with ``:=``; each field's names are made its own, so expressions never share a variable.
    """

    code: str
    values: dict[str, object] = field(default_factory=dict)

    @classmethod
    def call(cls, read: Reader) -> "Expression":
        """A reader function, called as it is: for fields that make their own and DRF's fallback."""
        return cls("$read(record, reading)", {"read": read})


def key_attribute(model, name: str) -> str:
    """The attribute ``name`` reads: ``pk`` is a property giving the primary key's, read straight here."""
    return model._meta.pk.attname if name == "pk" else name


def record_attribute(*names: str) -> Expression:
    """``record.a.b``: the read attrgetter("a.b") makes, written out where the names allow it."""
    if all(name.isidentifier() and not keyword.iskeyword(name) for name in names):
        return Expression(".".join(["record", *names]))
    return Expression("$get(record)", {"get": attrgetter(".".join(names))})


def related_attribute(model, name: str) -> Expression:
    """``record.name`` for a forward relation: the related record the instance holds, read without a call.

    Django's descriptor returns a related record the instance holds (in ``_state.fields_cache``) as it is,
    through two calls, and a page reads hundreds. What the instance does not hold is left to the descriptor:
    a record not loaded yet, and a None where the relation is required (it raises).
    """
    descriptor = model.__dict__.get(name) if model is not None else None
    if type(descriptor) not in (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor):
        return record_attribute(name)
    relation = descriptor.field
    unheld = "$unheld" if relation.null else "None"
    return Expression(
        f"$held if ($held := record._state.fields_cache.get({relation.cache_name!r}, {unheld})) is not {unheld}"
        f" else record.{name}",
        {"unheld": object()} if relation.null else {},
    )


def _unless_none(source: Expression, converted: str, **values) -> Expression:
    """``source``, converted by ``converted`` (an expression of ``$value``) unless it is None."""
    return Expression(f"None if ($value := ({source.code})) is None else {converted}", {**source.values, **values})


class Link:
    """The absolute address of ``view_name`` for a key, from one ``reverse()`` made when the plan is.

    A key a route might not accept is reversed the slow way, so it fails as ``reverse`` fails.
    """

    def __init__(self, view_name: str, *, by_keyword: str | None = None):
        self.view_name, self.by_keyword = view_name, by_keyword
        self.prefix, _placeholder, self.suffix = self.path_for(PLACEHOLDER).rpartition(PLACEHOLDER)

    def path_for(self, key) -> str:
        if self.by_keyword:
            return reverse(self.view_name, kwargs={self.by_keyword: key})
        return reverse(self.view_name, args=[key])

    def __call__(self, key, reading: Reading) -> str:
        text = str(key)
        if URL_SAFE_KEY.fullmatch(text):
            return f"{reading.origin}{self.prefix}{text}{self.suffix}"
        return absolute_url(self.path_for(key), reading.context)

    def to(self, key: Expression) -> Expression:
        """The link for the key ``key`` reads, as an expression: what ``__call__`` returns, without the call.

        An int's text is always URL-safe and a str is its own text, so only a str needs the pattern; other
        keys take the call.
        """
        return Expression(
            f'f"{{origin}}{{$prefix}}{{$key}}{{$suffix}}" if type($key := {key.code}) is int'
            " or (type($key) is str and $url_safe($key)) else $link($key, reading)",
            {
                **key.values,
                "prefix": self.prefix,
                "suffix": self.suffix,
                "url_safe": URL_SAFE_KEY.fullmatch,
                "link": self,
            },
        )


def link_maker(view_name: str, *, by_keyword: str | None = None) -> Link:
    """Return a function giving the absolute address of ``view_name`` for a key (a ``Link``)."""
    return Link(view_name, by_keyword=by_keyword)


# The public page of each record that has one, as (route, attribute giving its key).
PAGE_ROUTES = {
    "monument": ("register:monument-detail", "slug"),
    "incident": ("register:incident-detail", "slug"),
    "restoration": ("register:restoration-detail", "slug"),
    "article": ("register:article-detail", "pk"),
}


def page_link(model) -> Expression | None:
    """Return an expression giving a record's public page address, or None where the plan cannot make one."""
    name = model._meta.model_name
    if name in PAGE_ROUTES:
        route, key = PAGE_ROUTES[name]
        return Link(route).to(record_attribute(key_attribute(model, key)))
    if name == "evidence":
        article = Link(PAGE_ROUTES["article"][0]).to(record_attribute("article_id"))
        return Expression(f"({article.code}) + f'#evidence-{{record.{model._meta.pk.attname}}}'", article.values)
    return None


@dataclass
class Plan:
    """One serializer's fields as expressions, and the function reading a record with them all.

    ``shared`` if none of them holds on to a response's serializer.
    """

    expressions: list[tuple[str, Expression]]
    shared: bool = True
    read: Reader | None = None

    def __call__(self, record, reading: Reading) -> dict:
        return self.read(record, reading)


_compiled: dict[str, CodeType] = {}


def _compile(name: str, result: str, values: dict[str, object]) -> Reader:
    """Return ``def name(record, reading): return result``, with ``values`` as its globals.

    Why generated code: a page of a hundred incidents reads thousands of fields, and most are one attribute.
    A function per field (called from a comprehension) spent more time on the calls than on the reads; one
    dict display does the reads inline, in the fields' order, as DRF's ``to_representation`` would.
    The source is kept in ``linecache``, so a traceback shows the field's line.
    """
    source = f"def {name}(record, reading):\n    origin, zone = reading.origin, reading.timezone\n    return {result}\n"
    code = _compiled.get(source)
    if code is None:
        filename = f"<reading plan {len(_compiled)}: {name}>"
        code = _compiled[source] = compile(source, filename, "exec")
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace = dict(values)
    exec(code, namespace)  # noqa: S102 - the source is made above from field names and this module's expressions.
    return namespace[name]


class _OwnNames(dict):
    """``$name`` of field ``index`` stands for ``name_index``."""

    def __init__(self, index: int):
        super().__init__()
        self.index = index

    def __missing__(self, name: str) -> str:
        return f"{name}_{self.index}"


def fields_reader(name: str, expressions: list[tuple[str, Expression]]) -> Reader:
    """Return a function of (record, reading) giving a dict of these keys and expressions, in this order."""
    entries, values = [], {}
    for index, (key, expression) in enumerate(expressions):
        names = _OwnNames(index)
        entries.append(f"        {key!r}: {string.Template(expression.code).substitute(names)},\n")
        values.update({names[value_name]: value for value_name, value in expression.values.items()})
    return _compile(name, "{\n" + "".join(entries) + "    }", values)


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


def _datetime_writer(drf_field: serializers.DateTimeField) -> Callable[[object, tzinfo | None], str]:
    """DRF's DateTimeField.to_representation for aware values, in the zone the response looked up once."""

    def write(value, zone):
        if type(value) is not dt.datetime or value.utcoffset() is None:
            # Stored naive (USE_TZ was off when written), or not a date-time: DRF's own rules, errors included.
            return drf_field.to_representation(value)
        try:
            if zone is None:
                return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return drf_field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def _writes_decimal_number(drf_field: serializers.Field) -> bool:
    """Whether DRF writes this decimal as the quantized Decimal itself (not a string, not normalized)."""
    return (
        type(drf_field) is serializers.DecimalField
        and drf_field.decimal_places is not None
        and not getattr(drf_field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not drf_field.normalize_output
    )


def _decimal_writer(drf_field: serializers.DecimalField) -> Callable[[object, Reading], decimal.Decimal]:
    """DRF's DecimalField.to_representation of a Decimal, with the quantum it computes per value made once."""
    # Only the quantum's exponent counts, and .1 ** places is exact in any context.
    quantum = decimal.Decimal(".1") ** drf_field.decimal_places
    max_digits, rounding = drf_field.max_digits, drf_field.rounding

    def write(value, reading):
        if type(value) is not decimal.Decimal:
            return drf_field.to_representation(value)
        # DRF copies the current context per value; a response is read in one context, so one copy per
        # response gives the same (as the time zone is looked up once).
        context = reading.remembered.get(write)
        if context is None:
            context = reading.remembered[write] = decimal.getcontext().copy()
            if max_digits is not None:
                context.prec = max_digits
        return value.quantize(quantum, rounding=rounding, context=context)

    return write


def _model(serializer: serializers.Serializer):
    return getattr(getattr(serializer, "Meta", None), "model", None)


def _column(serializer: serializers.Serializer, drf_field: serializers.Field) -> str | None:
    """Return the attribute a field reads if its source is a column or property of the model, else None."""
    model = _model(serializer)
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
    return name


def _drf_reader(drf_field: serializers.Field, plan: Plan) -> Reader:
    """Read one field exactly as DRF's Serializer.to_representation does, with the response's own field."""
    plan.shared = False

    def reader(record, reading):
        attribute = drf_field.get_attribute(record)
        check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
        return None if check is None else drf_field.to_representation(attribute)

    return reader


def _related_items(name: str, child: Reader) -> Expression:
    """A nested list: its prefetched rows read as they are, else the related manager's.

    manager.all() would clone a queryset per record; a queryset that prefetched them to a list (to_attr) spares
    Django a queryset per record too, and the expression reads that list without a call.
    """
    source = attrgetter(name)

    def items(record):
        prefetched = getattr(record, "_prefetched_objects_cache", {}).get(name)
        if prefetched is None:
            related = source(record)
            prefetched = related.all() if hasattr(related, "all") else related
        return prefetched

    return Expression(
        "[$child(item, reading) for item in $listed]"
        f" if ($listed := record.__dict__.get({PREFETCHED + name!r})) is not None"
        " else [$child(item, reading) for item in $items(record)]",
        {"child": child, "items": items},
    )


def _reader(serializer: serializers.Serializer, drf_field: serializers.Field, plan: Plan) -> Expression:  # noqa: PLR0911
    planned_reader = getattr(drf_field, "planned_reader", None)
    if planned_reader is not None:
        # Fields that make their own reader: links to a record, subjects, attributions.
        read = planned_reader(serializer)
        return read if isinstance(read, Expression) else Expression.call(read)
    if isinstance(drf_field, serializers.ListSerializer) and len(drf_field.source_attrs) == 1:
        return _related_items(drf_field.source_attrs[0], _nested(drf_field.child, plan))
    if isinstance(drf_field, serializers.ModelSerializer):
        child = _nested(drf_field, plan)
        if drf_field.source == "*":
            return Expression("$child(record, reading)", {"child": child})
        source = (
            related_attribute(_model(serializer), drf_field.source_attrs[0])
            if len(drf_field.source_attrs) == 1
            else record_attribute(*drf_field.source_attrs)
        )
        return _unless_none(source, "$child($value, reading)", child=child)
    if isinstance(drf_field, relations.SlugRelatedField) and len(drf_field.source_attrs) == 1:
        source, slug = related_attribute(_model(serializer), drf_field.source_attrs[0]), drf_field.slug_field
        if slug.isidentifier() and not keyword.iskeyword(slug):
            return _unless_none(source, f"$value.{slug}")
        return _unless_none(source, "$slug($value)", slug=attrgetter(slug))
    if isinstance(drf_field, relations.PrimaryKeyRelatedField) and len(drf_field.source_attrs) == 1:
        # DRF reads the key column without loading the related record; so does this.
        return record_attribute(f"{drf_field.source_attrs[0]}_id")
    column = _column(serializer, drf_field)
    if column is None:
        return Expression.call(_drf_reader(drf_field, plan))
    if isinstance(drf_field, AS_STORED) and not isinstance(drf_field, serializers.MultipleChoiceField):
        return record_attribute(column)
    if _writes_isoformat(drf_field):
        return _unless_none(record_attribute(column), "$value.isoformat()")
    if _writes_iso_datetime(drf_field):
        # DRF writes any false value as None. A value stored in UTC and written in UTC keeps its wall time:
        # its own isoformat with +00:00 written as Z, made from its date and time here, in the expression,
        # because formatting an offset costs more than the rest of an isoformat (a page has hundreds).
        source = record_attribute(column)
        return Expression(
            f"""(
            f"{{$value.date().isoformat()}}T{{$value.time().isoformat()}}Z"
            if type($value) is $datetime and $value.tzinfo is $utc and zone is $utc_zone
            else $write($value, zone)
        ) if ($value := {source.code}) else None""",
            {
                **source.values,
                "write": _datetime_writer(drf_field),
                "datetime": dt.datetime,
                "utc": dt.UTC,
                "utc_zone": UTC_ZONE,
            },
        )
    if _writes_decimal_number(drf_field):
        return _unless_none(record_attribute(column), "$write($value, reading)", write=_decimal_writer(drf_field))
    return _unless_none(record_attribute(column), "$convert($value)", convert=drf_field.to_representation)


def _nested(serializer: serializers.Serializer, plan: Plan) -> Reader:
    child = build_plan(serializer)
    plan.shared = plan.shared and child.shared
    return child.read


def build_plan(serializer: serializers.Serializer) -> Plan:
    """Return the plan reading records as ``serializer.to_representation`` would."""
    plan = Plan(expressions=[])
    plan.expressions = [
        (name, _reader(serializer, drf_field, plan))
        for name, drf_field in serializer.fields.items()
        if not drf_field.write_only
    ]
    plan.read = fields_reader(f"read_{type(serializer).__name__}", plan.expressions)
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
            self._read = plan_for(self).read
            reading = self._reading = Reading.for_context(self.context)
        return self._read(instance, reading)

    def drf_representation(self, instance):
        """DRF's own, field by field: what the plan must equal (the tests compare them)."""
        return super().to_representation(instance)
