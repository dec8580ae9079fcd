"""The API's records read as plain rows, each response field defined once: as a part of a ``Representation``.

A representation lists a record type's fields in response order. Each part says which columns it reads
(lookups for ``QuerySet.values()``), how it presents them, and which serializer field documents it: the
schema, the browsable API and writes use serializers made from the same parts (``Representation.serializer``),
so what the API answers and what it documents cannot drift apart. A list or a detail is one query for its
records and one for each nested list (an event's quotes, a monument's names, an article's mentions), whatever
the size of the page.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from operator import itemgetter
from urllib.parse import quote

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from rest_framework import serializers

from register.translation import LANGUAGE_CODES, column, language_order

# A key no route of the register holds in its own path, standing for the record's key while a route is reversed.
PLACEHOLDER = "9081726354453627"
# The characters quote() leaves as they are in a key.
URL_SAFE = re.compile(r"[-A-Za-z0-9_.~]+")


def lookup(prefix: str, name: str) -> str:
    """Return the lookup of ``name`` on the record ``prefix`` leads to ("" for the record itself)."""
    return f"{prefix}__{name}" if prefix else name


class Reading:
    """What presenting one response needs beyond its rows: the site's address, who reads, texts already translated.

    ``sees_exact_locations`` is whether the reader sees sensitive places exactly (register.visibility decides
    who does); without it, a reading shows what the public sees. ``language`` is the response's (else the active
    one): translated texts are looked for in it first, then in the other.
    """

    def __init__(
        self,
        *,
        request=None,
        base_url: str = "",
        sees_exact_locations: bool = False,
        language: str | None = None,
        sees_guesses: bool = False,
    ):
        self.request = request
        # Whether the reader sees an article's unconfirmed guesses (register.visibility.sees_guesses).
        self.sees_guesses = sees_guesses
        self.languages = language_order(language or get_language())
        self.base_url = base_url.rstrip("/")
        self.sees_exact_locations = sees_exact_locations
        self.zone = timezone.get_current_timezone()
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


def present_moment(value, zone=None):
    """Return a date-time as DRF's DateTimeField writes one: ISO 8601 in the current time zone, UTC as Z.

    ``zone`` is the current time zone, looked up once per response by ``Reading``. tests/test_api_records.py holds
    the result equal to DRF's own for every kind of value.
    """
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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
    """One field of a representation; subclasses say what it reads, shows and documents.

    ``presenter(prefix)`` returns the function that shows the field from a row, made once per prefix: the keys it
    reads are worked out then, not for every row of every page.
    """

    def columns(self, prefix: str) -> list[str]:
        return []

    def make_presenter(self, prefix: str) -> Callable:
        raise NotImplementedError

    def presenter(self, prefix: str) -> Callable:
        made = self.presenters.get(prefix)
        if made is None:
            made = self.presenters[prefix] = self.make_presenter(prefix)
        return made

    @cached_property
    def presenters(self) -> dict:
        return {}

    def schema_field(self, model, name: str) -> serializers.Field | None:
        """Return the serializer field documenting (and, if writable, writing) this part; None: the model's own."""
        return None


class Column(Part):
    """A column of the record or of one it leads to, shown as stored (dates and date-times in ISO 8601)."""

    def __init__(self, path: str = "", *, field: serializers.Field | None = None):
        self.path, self.field = path, field

    def bind(self, model, name: str) -> "Column":
        self.path = self.path or name
        self.model = model
        return self

    def columns(self, prefix):
        return [lookup(prefix, self.path)]

    def make_presenter(self, prefix):
        key, convert = lookup(prefix, self.path), presenter_for(self.model, self.path)
        if convert is present_as_stored:
            return lambda row, reading: row[key]
        if convert is present_moment:
            return lambda row, reading: present_moment(row[key], reading.zone)
        return lambda row, reading: convert(row[key])

    def schema_field(self, model, name):
        return self.field


class Fixed(Part):
    """The same value for every record: a subject's type, or the page a record type does not have."""

    def __init__(self, value, *, field: serializers.Field):
        self.value, self.field = value, field

    def make_presenter(self, prefix):
        value = self.value
        return lambda row, reading: value

    def schema_field(self, model, name):
        return self.field


class Computed(Part):
    """A value made in Python from columns, where the database cannot make it: translated sentences, a length."""

    def __init__(self, paths: Iterable[str], make: Callable, *, field: serializers.Field, remember: bool = False):
        # remember: made once per response for each set of values, where making it costs more than looking it up
        # (a sentence translated anew for each of a page's quotes from the same few outlets).
        self.paths, self.make, self.field, self.remember = tuple(paths), make, field, remember

    def columns(self, prefix):
        return [lookup(prefix, path) for path in self.paths]

    def make_presenter(self, prefix):
        keys, make = [lookup(prefix, path) for path in self.paths], self.make
        if not self.remember:
            if len(keys) == 1:
                (key,) = keys
                return lambda row, reading: make(row[key])
            values = itemgetter(*keys)
            return lambda row, reading: make(*values(row))

        def present(row, reading):
            values = (make, *[row[key] for key in keys])
            found = reading.remembered.get(values)
            if found is None:
                found = reading.remembered[values] = make(*values[1:])
            return found

        return present

    def schema_field(self, model, name):
        return self.field


class Seen(Computed):
    """A value made from columns as the reader may see it: ``make`` takes the reading before the columns' values."""

    def make_presenter(self, prefix):
        keys, make = [lookup(prefix, path) for path in self.paths], self.make
        if len(keys) == 1:
            (key,) = keys
            return lambda row, reading: make(reading, row[key])
        values = itemgetter(*keys)
        return lambda row, reading: make(reading, *values(row))


class Translated(Part):
    """A curator's text in the response's language, else in the other (register.translation): one column each.

    With ``language=True`` the part shows instead which language that text is in (null where there is none), so a
    reader can tell a text not yet translated from a translation.
    """

    def __init__(self, field: str, *, help_text: str, language: bool = False):
        self.field, self.help_text, self.language = field, help_text, language

    def columns(self, prefix):
        return [lookup(prefix, column(self.field, code)) for code in LANGUAGE_CODES]

    def make_presenter(self, prefix):
        keys = {code: lookup(prefix, column(self.field, code)) for code in LANGUAGE_CODES}
        shows_language = self.language

        def present(row, reading):
            for code in reading.languages:
                text = row[keys[code]]
                if text:
                    return code if shows_language else text
            return None if shows_language else ""

        return present

    def schema_field(self, model, name):
        if self.language:
            return serializers.ChoiceField(
                choices=LANGUAGE_CODES, read_only=True, allow_null=True, help_text=self.help_text
            )
        # Written in the request's language (?lang= or Accept-Language): the text of the other stays as it is.
        required = not model._meta.get_field(self.field).blank
        return serializers.CharField(
            required=required,
            allow_blank=not required,
            help_text=self.help_text,
            style={"base_template": "textarea.html"},
        )


class Label(Part):
    """A vocabulary's code in words, in the response's language; null where the code is empty."""

    def __init__(self, path: str, *, help_text: str):
        self.path, self.help_text = path, help_text

    def bind(self, model, name: str) -> "Label":
        self.model = model
        return self

    def columns(self, prefix):
        return [lookup(prefix, self.path)]

    def make_presenter(self, prefix):
        key, part = lookup(prefix, self.path), self
        model = self.model
        for name in self.path.split("__")[:-1]:
            model = model._meta.get_field(name).related_model
        labels = dict(model._meta.get_field(self.path.split("__")[-1]).choices)

        def present(row, reading):
            code = row[key]
            if not code:
                return None
            # Translated once per response for each code: a page's rows share a few.
            found = reading.remembered.get((part, code))
            if found is None:
                found = reading.remembered[(part, code)] = str(labels.get(code, code))
            return found

        return present

    def schema_field(self, model, name):
        return serializers.CharField(read_only=True, allow_null=True, help_text=self.help_text)


class Link(Part):
    """An absolute address: a route reversed once with a placeholder, the record's key put in its place."""

    def __init__(self, view_name: str, key: str, *, fragment: str = "", field: serializers.Field):
        self.view_name, self.key, self.fragment, self.field = view_name, key, fragment, field

    @cached_property
    def routes(self) -> dict[str, tuple[str, str]]:
        # Reversed in each language: a public page's address starts with its language (/en/, /ar/).
        routes = {}
        for code in LANGUAGE_CODES:
            with override(code):
                before, after = reverse(self.view_name, args=[PLACEHOLDER]).split(PLACEHOLDER)
            routes[code] = (before, after)
        return routes

    def columns(self, prefix):
        return [lookup(prefix, self.key)]

    def make_presenter(self, prefix):
        key, id_key, fragment = lookup(prefix, self.key), lookup(prefix, "id"), self.fragment
        routes = self.routes

        def present(row, reading):
            value = row[key]
            if value is None:
                return None
            before, after = routes[reading.languages[0]]
            # Slugs and ids are left as quote() would leave them; anything else is escaped as reverse() would.
            if isinstance(value, int):
                value = str(value)
            elif not URL_SAFE.fullmatch(value):
                value = quote(value, safe="-_.~")
            address = f"{reading.absolute(before)}{value}{after}"
            return f"{address}#{fragment % row[id_key]}" if fragment else address

        return present

    def schema_field(self, model, name):
        return self.field


class One(Part):
    """A record this one leads to, nested: its own representation, or null where the relation is empty."""

    def __init__(
        self,
        path: str,
        representation: "Representation",
        *,
        nullable: bool = False,
        field=None,
        same_for: tuple[list[str], Callable] | None = None,
    ):
        # same_for: the columns, and how a key is made of their values, that decide the whole nested record; each
        # record is then made once per response and shared by every row that shows it (a page's quotes come from a
        # few documents).
        self.path, self.representation, self.nullable, self.field = path, representation, nullable, field
        self.same_for = same_for

    def columns(self, prefix):
        inner = lookup(prefix, self.path)
        found = self.representation.columns(inner)
        if self.same_for is not None:
            found += [lookup(prefix, path) for path in self.same_for[0]]
        return [lookup(inner, "id"), *found] if self.nullable else found

    def make_presenter(self, prefix):
        inner = lookup(prefix, self.path)
        present = self.representation.presenter(inner)
        if self.same_for is not None:
            present = self.remembering(present, prefix)
        if not self.nullable:
            return present
        id_key = lookup(inner, "id")
        return lambda row, reading: None if row[id_key] is None else present(row, reading)

    def remembering(self, present: Callable, prefix: str) -> Callable:
        paths, make_key = self.same_for
        keys = [lookup(prefix, path) for path in paths]
        # itemgetter of one key gives the value alone; make_key always takes a tuple.
        values = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))

        def present_once(row, reading):
            key = (self, make_key(values(row)))
            found = reading.remembered.get(key)
            if found is None:
                found = reading.remembered[key] = present(row, reading)
            return found

        return present_once

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

    def make_presenter(self, prefix):
        choices = [
            (lookup(lookup(prefix, path), "id"), representation.presenter(lookup(prefix, path)))
            for path, representation in self.choices
        ]

        def present(row, reading):
            for id_key, present_choice in choices:
                if row[id_key] is not None:
                    return present_choice(row, reading)
            return None

        return present

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
            present, owner = self.representation.presenter(""), self.owner
            for row in self.rows_for(owner_ids, list(dict.fromkeys(columns))):
                listed[row[owner]].append(present(row, reading))
        reading.children[self] = listed

    def make_presenter(self, prefix):
        return lambda row, reading: reading.children[self].get(row["id"], [])

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
            if isinstance(part, Column | Label):
                part.bind(model, field_name)
            self.parts[field_name] = part
        self.extra_kwargs = extra_kwargs or {}

    def columns(self, prefix: str) -> list[str]:
        found = []
        for part in self.parts.values():
            found += part.columns(prefix)
        return found

    def presenter(self, prefix: str) -> Callable:
        """Return the function that shows a record from a row (its columns under ``prefix``), made once per prefix."""
        made = self.presenters.get(prefix)
        if made is None:
            parts = [(name, part.presenter(prefix)) for name, part in self.parts.items()]

            def made(row, reading):
                return {name: present(row, reading) for name, present in parts}

            self.presenters[prefix] = made
        return made

    @cached_property
    def presenters(self) -> dict:
        return {}

    def read(self, queryset: QuerySet, reading: Reading, *, also: tuple[str, ...] = ()) -> list:
        """Return the records of ``queryset`` as this representation shows them, in its order.

        With ``also``, each record comes as a pair with a dict of those further columns (a version for the ETag).
        """
        rows = list(queryset.values(*dict.fromkeys([*self.columns(""), *also])))
        ids = [row["id"] for row in rows]
        for part in self.parts.values():
            if isinstance(part, Many):
                part.read_children(ids, reading)
        present = self.presenter("")
        records = [present(row, reading) for row in rows]
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
