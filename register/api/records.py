"""The API's records read as plain rows, each response field defined once: as a part of a ``Representation``.

A representation lists a record type's fields in response order. Each part says which columns it reads
(lookups for ``QuerySet.values()``), how it presents them, and which serializer field documents it: the
schema, the browsable API and writes use serializers made from the same parts (``Representation.serializer``),
so what the API answers and what it documents cannot drift apart. A list or a detail is one query for its
records and one for each nested list (an event's quotes, a monument's names, an article's mentions), whatever
the size of the page.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from urllib.parse import quote

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers

# A key no route of the register holds in its own path, standing for the record's key while a route is reversed.
PLACEHOLDER = "9081726354453627"


def lookup(prefix: str, name: str) -> str:
    """Return the lookup of ``name`` on the record ``prefix`` leads to ("" for the record itself)."""
    return f"{prefix}__{name}" if prefix else name


class Reading:
    """What presenting one response needs beyond its rows: the site's address, who reads, texts already translated.

    ``sees_exact_locations`` is whether the reader sees sensitive places exactly (register.visibility decides
    who does); without it, a reading shows what the public sees.
    """

    def __init__(self, *, request=None, base_url: str = "", sees_exact_locations: bool = False):
        self.request = request
        self.base_url = base_url.rstrip("/")
        self.sees_exact_locations = sees_exact_locations
        self.addresses: dict[str, str] = {}
        self.remembered: dict = {}
        self.children: dict = {}

    def absolute(self, path: str) -> str:
        """Return ``path`` made absolute as the request (or, without one, the base URL) addresses the site."""
        found = self.addresses.get(path)
        if found is None:
            found = self.request.build_absolute_uri(path) if self.request is not None else self.base_url + path
            self.addresses[path] = found
        return found


def present_as_stored(value):
    return value


# DRF's own date-time field, which keeps no state of a value: reads and writes write date-times alike.
MOMENT = serializers.DateTimeField()


def present_moment(value):
    """Return a date-time as DRF writes one (ISO 8601, UTC as Z)."""
    return None if value is None else MOMENT.to_representation(value)


def present_date(value):
    return None if value is None else value.isoformat()


def presenter_for(model, path: str) -> Callable:
    """Return how the column at ``path`` (a lookup from ``model``) is shown in JSON."""
    field = None
    for name in path.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model or model
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return present_moment
    if internal == "DateField":
        return present_date
    return present_as_stored


class Part:
    """One field of a representation; subclasses say what it reads, shows and documents."""

    def columns(self, prefix: str) -> list[str]:
        return []

    def present(self, row: dict, reading: Reading, prefix: str):
        raise NotImplementedError

    def schema_field(self, model, name: str) -> serializers.Field | None:
        """Return the serializer field documenting (and, if writable, writing) this part; None: the model's own."""
        return None


class Column(Part):
    """A column of the record or of one it leads to, shown as stored (dates and date-times in ISO 8601)."""

    def __init__(self, path: str = "", *, field: serializers.Field | None = None):
        self.path, self.field = path, field
        self.presenters: dict = {}

    def bind(self, model, name: str) -> "Column":
        self.path = self.path or name
        self.model = model
        return self

    def columns(self, prefix):
        return [lookup(prefix, self.path)]

    def present(self, row, reading, prefix):
        return self.presenter(row[lookup(prefix, self.path)])

    @cached_property
    def presenter(self):
        return presenter_for(self.model, self.path)

    def schema_field(self, model, name):
        return self.field


class Fixed(Part):
    """The same value for every record: a subject's type, or the page a record type does not have."""

    def __init__(self, value, *, field: serializers.Field):
        self.value, self.field = value, field

    def present(self, row, reading, prefix):
        return self.value

    def schema_field(self, model, name):
        return self.field


class Computed(Part):
    """A value made in Python from columns, where the database cannot make it: translated sentences, a length."""

    def __init__(self, paths: Iterable[str], make: Callable, *, field: serializers.Field):
        self.paths, self.make, self.field = tuple(paths), make, field

    def columns(self, prefix):
        return [lookup(prefix, path) for path in self.paths]

    def present(self, row, reading, prefix):
        return self.make(*(row[lookup(prefix, path)] for path in self.paths))

    def schema_field(self, model, name):
        return self.field


class Seen(Computed):
    """A value made from columns as the reader may see it: ``make`` takes the reading before the columns' values."""

    def present(self, row, reading, prefix):
        return self.make(reading, *(row[lookup(prefix, path)] for path in self.paths))


class Link(Part):
    """An absolute address: a route reversed once with a placeholder, the record's key put in its place."""

    def __init__(self, view_name: str, key: str, *, fragment: str = "", field: serializers.Field):
        self.view_name, self.key, self.fragment, self.field = view_name, key, fragment, field

    @cached_property
    def route(self) -> tuple[str, str]:
        before, after = reverse(self.view_name, args=[PLACEHOLDER]).split(PLACEHOLDER)
        return before, after

    def columns(self, prefix):
        return [lookup(prefix, self.key)]

    def present(self, row, reading, prefix):
        key = row[lookup(prefix, self.key)]
        if key is None:
            return None
        before, after = self.route
        # Keys are slugs and ids, which quote() leaves as they are; anything else is escaped as reverse() would.
        address = f"{reading.absolute(before)}{quote(str(key), safe='-_.~')}{after}"
        return f"{address}#{self.fragment % row[lookup(prefix, 'id')]}" if self.fragment else address

    def schema_field(self, model, name):
        return self.field


class One(Part):
    """A record this one leads to, nested: its own representation, or null where the relation is empty."""

    def __init__(self, path: str, representation: "Representation", *, nullable: bool = False, field=None):
        self.path, self.representation, self.nullable, self.field = path, representation, nullable, field

    def columns(self, prefix):
        inner = lookup(prefix, self.path)
        found = self.representation.columns(inner)
        return [lookup(inner, "id"), *found] if self.nullable else found

    def present(self, row, reading, prefix):
        inner = lookup(prefix, self.path)
        if self.nullable and row[lookup(inner, "id")] is None:
            return None
        return self.representation.present(row, reading, inner)

    def schema_field(self, model, name):
        if self.field is not None:
            return self.field
        return self.representation.serializer()(read_only=True, allow_null=self.nullable)


class Either(Part):
    """The first of several records this one leads to that is there: an event's monument or artefact."""

    def __init__(self, *choices: tuple[str, "Representation"], field: serializers.Field):
        self.choices, self.field = choices, field

    def columns(self, prefix):
        found = []
        for path, representation in self.choices:
            found += [lookup(lookup(prefix, path), "id"), *representation.columns(lookup(prefix, path))]
        return found

    def present(self, row, reading, prefix):
        for path, representation in self.choices:
            inner = lookup(prefix, path)
            if row[lookup(inner, "id")] is not None:
                return representation.present(row, reading, inner)
        return None

    def schema_field(self, model, name):
        return self.field


class Many(Part):
    """Records nested as a list, read for a whole page by one more query (``read_children``)."""

    def __init__(self, representation: "Representation", *, rows_for: Callable, owner: str, field=None):
        # rows_for(owner ids, columns) returns the nested records' rows of those columns, the owner's id at ``owner``.
        self.representation, self.rows_for, self.owner, self.field = representation, rows_for, owner, field

    def columns(self, prefix):
        if prefix:
            raise ValueError("A nested list is read for top-level records only.")
        return ["id"]

    def read_children(self, owner_ids: list, reading: Reading) -> None:
        listed = defaultdict(list)
        if owner_ids:
            columns = [self.owner, *self.representation.columns("")]
            for row in self.rows_for(owner_ids, list(dict.fromkeys(columns))):
                listed[row[self.owner]].append(self.representation.present(row, reading, ""))
        reading.children[self] = listed

    def present(self, row, reading, prefix):
        return reading.children[self].get(row["id"], [])

    def schema_field(self, model, name):
        if self.field is not None:
            return self.field
        return self.representation.serializer()(many=True, read_only=True)


class Representation:
    """A record type's fields in response order, each a ``Part``; names given without a part are model columns."""

    def __init__(self, model, name: str, fields: Iterable, *, description: str = "", extra_kwargs: dict | None = None):
        self.model, self.name, self.description = model, name, description
        self.parts: dict[str, Part] = {}
        for entry in fields:
            field_name, part = (entry, Column()) if isinstance(entry, str) else entry
            if isinstance(part, Column):
                part.bind(model, field_name)
            self.parts[field_name] = part
        self.extra_kwargs = extra_kwargs or {}

    def columns(self, prefix: str) -> list[str]:
        found = []
        for part in self.parts.values():
            found += part.columns(prefix)
        return found

    def present(self, row: dict, reading: Reading, prefix: str = "") -> dict:
        return {name: part.present(row, reading, prefix) for name, part in self.parts.items()}

    def read(self, queryset: QuerySet, reading: Reading, *, also: tuple[str, ...] = ()) -> list:
        """Return the records of ``queryset`` as this representation shows them, in its order.

        With ``also``, each record comes as a pair with a dict of those further columns (a version for the ETag).
        """
        rows = list(queryset.values(*dict.fromkeys([*self.columns(""), *also])))
        ids = [row["id"] for row in rows]
        for part in self.parts.values():
            if isinstance(part, Many):
                part.read_children(ids, reading)
        records = [self.present(row, reading) for row in rows]
        if also:
            return [(record, {name: row[name] for name in also}) for record, row in zip(records, rows, strict=True)]
        return records

    def serializer(self, base: type = serializers.ModelSerializer, **meta) -> type:
        """Return the serializer class documenting this representation, made once per base."""
        made = self.serializers.get(base)
        if made is None:
            declared = {}
            for name, part in self.parts.items():
                field = part.schema_field(self.model, name)
                if field is not None:
                    declared[name] = field
            extra = {name: kwargs for name, kwargs in self.extra_kwargs.items() if name not in declared}
            meta_class = type("Meta", (), {"model": self.model, "fields": list(self.parts), "extra_kwargs": extra})
            for key, value in meta.items():
                setattr(meta_class, key, value)
            attributes = {**declared, "Meta": meta_class, "__doc__": self.description}
            made = type(f"{self.name}Serializer", (base,), attributes)
            self.serializers[base] = made
        return made

    @cached_property
    def serializers(self) -> dict:
        return {}
