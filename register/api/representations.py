"""What the API answers for each record type, field by field: the one place a response field is defined.

Each representation below is read by the views as rows (register.api.records) and documented by the serializer
made from it, which curators' writes also go through (register.api.serializers holds what writes add).
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from register import visibility
from register.api.records import (
    Column,
    Computed,
    Either,
    Fixed,
    Label,
    Link,
    Many,
    One,
    Part,
    Representation,
    Seen,
    Translated,
    lookup,
)
from register.api.serializers import ArticleWrites, CleanModelSerializer, slug_field
from register.geojson import geometry
from register.models import (
    AlternateName,
    Artefact,
    Article,
    Assessment,
    Evidence,
    Incident,
    Monument,
    Restoration,
    Source,
)
from register.models.events import attribution_text
from register.models.places import is_right_to_left
from register.models.sources import citation_text, page_at, publisher_text
from register.models.vocabularies import DocumentFormat, DocumentKind

API_URL_HELP = "The record's address in this API."
PAGE_URL_HELP = "The record's public page; null where the register has none."


@extend_schema_field(OpenApiTypes.URI)
class AddressField(serializers.CharField):
    """An absolute address, documented as a URI."""


def api_url(view_name: str, key: str = "slug") -> Link:
    return Link(f"api:{view_name}", key, field=AddressField(read_only=True, help_text=API_URL_HELP))


def page_url(view_name: str, key: str = "slug", **kwargs) -> Link:
    field = AddressField(read_only=True, allow_null=True, help_text=PAGE_URL_HELP)
    return Link(f"register:{view_name}", key, field=field, **kwargs)


def file_url(key: str, help_text: str) -> Link:
    """Return the address of a received file, by its SHA-256 at ``key``; null where there is none."""
    field = AddressField(read_only=True, allow_null=True, help_text=f"{help_text} Null where there is none.")
    return Link("register:received-file", key, field=field)


def labelled(name: str, part=None, *, path: str = "") -> list:
    """Return a vocabulary's code, as ``part`` shows it (else as stored), and after it ``<name>_label``: its words.

    The code is the same in every language; the label is in the response's language (``lang``, Accept-Language).
    """
    label = Label(
        path or name,
        help_text=f"`{name}` in words, in the response's language (its Content-Language); null where `{name}` "
        "is empty. The code itself is the same in every language.",
    )
    return [name if part is None else (name, part), (f"{name}_label", label)]


def translated(field: str, what: str) -> list:
    """Return a curator's text ``field`` in the response's language, and ``<field>_language``: which it is in.

    A text not yet translated is given in the other language, and ``<field>_language`` then differs from the
    response's Content-Language.
    """
    text = Translated(
        field,
        help_text=f"{what}, in the response's language (`lang`, else Accept-Language); where it has not been "
        f"translated yet, in the other language, which `{field}_language` names. Written in the request's language.",
    )
    language = Translated(
        field,
        language=True,
        help_text=f"The language `{field}` is in: the response's (its Content-Language), or the other where "
        "the text has not been translated yet; null where there is no text.",
    )
    return [(field, text), (f"{field}_language", language)]


SENSITIVE_HELP = "Where the place is sensitive, rounded to one decimal (about 11 km) unless you may change monuments."


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "type": {"type": "string", "description": "Polygon or MultiPolygon."},
            "coordinates": {"type": "array", "items": {"type": "array"}},
        },
    }
)
class ExtentField(serializers.JSONField):
    """A GeoJSON geometry object (RFC 7946), documented as one."""


def located(name: str, field: serializers.Field) -> Seen:
    """Return the part showing a monument's ``name`` (latitude, longitude or extent) as its reader may see it.

    register.visibility decides: a sensitive place shows the public rounded coordinates and no extent.
    """

    def make(reading, latitude, longitude, extent, sensitive):
        seen = visibility.location_seen(
            latitude=latitude,
            longitude=longitude,
            extent=extent,
            sensitive=sensitive,
            exact=reading.sees_exact_locations,
        )
        return geometry(seen.extent) if name == "extent" else getattr(seen, name)

    return Seen(["latitude", "longitude", "extent", "sensitive"], make, field=field)


def no_page() -> Fixed:
    """The page a record type does not have (yet): null, documented as the other records' pages are."""
    return Fixed(None, field=AddressField(read_only=True, allow_null=True, help_text=PAGE_URL_HELP))


def citation_name(short_name: str | None, name: str | None) -> str | None:
    """Return how a source is named in a citation (its short name, else its name), or None for no source."""
    return short_name or name


def children(model, owner: str, *ordering: str):
    """Return how the nested records of ``model`` whose ``owner`` is on a page are read, in ``ordering``."""

    def rows_for(owner_ids: list, columns: list[str]) -> QuerySet:
        return model.objects.filter(**{f"{owner}__in": owner_ids}).order_by(*ordering).values(*columns)

    return rows_for


def mentioned(article_ids: list, columns: list[str]) -> QuerySet:
    return Monument.objects.mentioned_in_articles(article_ids).values(*columns).order_by("article_id", "name", "id")


# Summaries nested in other records.

SOURCE_SUMMARY = Representation(
    Source,
    "SourceSummary",
    description="A source as named in another record.",
    fields=["id", "slug", "name", "short_name", *labelled("kind"), ("api_url", api_url("source-detail"))],
)

MONUMENT_SUMMARY = Representation(
    Monument,
    "MonumentSummary",
    description="A monument as named in another record.",
    fields=[
        "id",
        "slug",
        "name",
        *labelled("kind"),
        ("api_url", api_url("monument-detail")),
        ("page_url", page_url("monument-detail")),
    ],
)


def subject_type() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=["monument", "artefact"], read_only=True, help_text="Monument or artefact.")


MONUMENT_SUBJECT = Representation(
    Monument,
    "Subject",
    description="What an incident or restoration is about: a monument or an artefact.",
    fields=[
        ("type", Fixed("monument", field=subject_type())),
        "id",
        "slug",
        "name",
        ("api_url", api_url("monument-detail")),
        ("page_url", page_url("monument-detail")),
    ],
)
ARTEFACT_SUBJECT = Representation(
    Artefact,
    "ArtefactSubject",
    description="An artefact as the subject of an event.",
    fields=[
        ("type", Fixed("artefact", field=subject_type())),
        "id",
        "slug",
        "name",
        ("api_url", api_url("artefact-detail")),
        ("page_url", no_page()),
    ],
)


def citation_of(
    reading,
    publisher_short,
    publisher,
    carried_short,
    carried,
    title,
    published,
    kind,
    publisher_guessed,
    carried_by_guessed,
    page_starts=(),
    position=None,
):
    """Return the one-line citation from an article's columns, naming a quote's page where the document has pages.

    The importer's unconfirmed guesses are shown as the reader may see them (register.visibility.sees_guesses).
    """
    return citation_text(
        publisher=citation_name(publisher_short, publisher),
        carried_by=citation_name(carried_short, carried),
        title=title,
        published=published,
        kind=kind,
        page=page_at(page_starts, position),
        publisher_guessed=publisher_guessed,
        carried_by_guessed=carried_by_guessed,
        sees_guesses=reading.sees_guesses,
    )


CITED_COLUMNS = ["publisher__short_name", "publisher__name", "carried_by__short_name", "carried_by__name", "title"]
CITED_COLUMNS += ["published", "kind", "publisher_guessed", "carried_by_guessed"]


class UnlessGuessed(Part):
    """A part shown as null where the column ``flag`` marks it an unconfirmed guess the reader may not see."""

    def __init__(self, flag: str, part: Part):
        self.flag, self.part = flag, part

    def columns(self, prefix):
        return [lookup(prefix, self.flag), *self.part.columns(prefix)]

    def make_presenter(self, prefix):
        flag, present = lookup(prefix, self.flag), self.part.presenter(prefix)
        return lambda row, reading: None if row[flag] and not reading.sees_guesses else present(row, reading)

    def schema_field(self, model, name):
        return self.part.schema_field(model, name)


def unconfirmed(prefix: str = "") -> Seen:
    """Return which of publisher and carried_by are the importer's guesses no curator has confirmed, as seen."""

    def make(reading, publisher_guessed, carried_by_guessed):
        # The public is shown no guessed outlet at all, so only a curator is told one is there.
        return [
            name
            for name, guessed in (("publisher", publisher_guessed), ("carried_by", carried_by_guessed))
            if guessed and (name == "publisher" or reading.sees_guesses)
        ]

    field = serializers.ListField(
        child=serializers.ChoiceField(choices=["publisher", "carried_by"]),
        read_only=True,
        help_text=(
            "Which of the publisher and the outlet the importer guessed (from page furniture or metadata) and no "
            "curator has confirmed. The public is shown no guessed outlet (carried_by is null), and a guessed "
            "publisher marked as not confirmed in the citation; curators see both guesses, listed here."
        ),
    )
    return Seen([lookup(prefix, "publisher_guessed"), lookup(prefix, "carried_by_guessed")], make, field=field)


def document_page(values: tuple) -> tuple:
    """Return what a quote's citation depends on: its document, and the page it stands on there."""
    article, page_starts, position = values
    return article, page_at(page_starts, position)


def article_column(name: str, field: serializers.Field) -> Column:
    """Return a column of a quote's article, documented by ``field``."""
    return Column(f"article__{name}", field=field)


def page_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(read_only=True, allow_null=True, help_text=help_text)


def quote_page() -> Computed:
    """Return the page (from 1) a quote stands on in its document; null where the document has no pages."""
    return Computed(
        ["article__page_starts", "position"],
        page_at,
        field=page_field("The page of the document the quote stands on (from 1); null where it has no pages."),
    )


# A quote's citation: its article's, and the page the quote stands on in a paged document (a PDF).
CITATION = Representation(
    Evidence,
    "Citation",
    description="The document a quote comes from, as a reader cites it: with the quote's page where it has pages.",
    fields=[
        ("id", article_column("id", serializers.IntegerField(read_only=True, help_text="The article's id."))),
        ("title", article_column("title", serializers.CharField(read_only=True))),
        ("publisher", One("article__publisher", SOURCE_SUMMARY)),
        (
            "carried_by",
            UnlessGuessed("article__carried_by_guessed", One("article__carried_by", SOURCE_SUMMARY, nullable=True)),
        ),
        ("unconfirmed", unconfirmed("article")),
        ("published", article_column("published", serializers.DateField(read_only=True, allow_null=True))),
        ("url", article_column("url", serializers.CharField(read_only=True))),
        ("sha256", article_column("sha256", serializers.CharField(read_only=True, allow_null=True))),
        *labelled(
            "kind",
            article_column(
                "kind",
                serializers.ChoiceField(
                    choices=DocumentKind.choices, read_only=True, help_text="What kind of document it is."
                ),
            ),
            path="article__kind",
        ),
        *labelled(
            "format",
            article_column(
                "format",
                serializers.ChoiceField(
                    choices=DocumentFormat.choices, read_only=True, help_text="How the document was received."
                ),
            ),
            path="article__format",
        ),
        ("page", quote_page()),
        (
            "text",
            Seen(
                [f"article__{column}" for column in CITED_COLUMNS] + ["article__page_starts", "position"],
                citation_of,
                field=serializers.CharField(
                    read_only=True, help_text="The citation on one line, ending with the quote's page where it has one."
                ),
            ),
        ),
        ("api_url", api_url("article-detail", "article")),
        ("page_url", page_url("article-detail", "article")),
    ],
)


def name_text() -> serializers.CharField:
    return serializers.CharField(read_only=True, allow_null=True)


PUBLISHER_NAMES = ["article__publisher__short_name", "article__publisher__name"]
CARRIER_NAMES = ["article__carried_by__short_name", "article__carried_by__name"]
GUESSED = ["article__publisher_guessed", "article__carried_by_guessed"]


def attribution_of(
    reading,
    publisher_short,
    publisher,
    carried_short,
    carried,
    cited_source,
    cited_person,
    publisher_guessed,
    carried_by_guessed,
):
    """Return the attribution chain from a quote's columns, the importer's guesses shown as the reader may see them."""
    return attribution_text(
        publisher=citation_name(publisher_short, publisher),
        carried_by=citation_name(carried_short, carried),
        cited_source=cited_source,
        cited_person=cited_person,
        publisher_guessed=publisher_guessed,
        carried_by_guessed=carried_by_guessed,
        sees_guesses=reading.sees_guesses,
    )


ATTRIBUTION = Representation(
    Evidence,
    "Attribution",
    description="Who says it: the publisher, the outlet that carried it, and whom the article cites.",
    fields=[
        (
            "publisher",
            Computed(
                [*PUBLISHER_NAMES, "article__publisher_guessed"],
                lambda short, name, guessed: publisher_text(citation_name(short, name), guessed=guessed),
                field=serializers.CharField(
                    read_only=True, help_text='Marked where the importer guessed it: "AFP (publisher not confirmed)".'
                ),
            ),
        ),
        (
            "carried_by",
            UnlessGuessed("article__carried_by_guessed", Computed(CARRIER_NAMES, citation_name, field=name_text())),
        ),
        ("cited_source", Column("cited_source__name", field=name_text())),
        ("cited_person", Column(field=serializers.CharField(read_only=True))),
        (
            "text",
            Seen(
                [*PUBLISHER_NAMES, *CARRIER_NAMES, "cited_source__name", "cited_person", *GUESSED],
                attribution_of,
                field=serializers.CharField(
                    read_only=True, help_text='For example: "AFP (via Pulse), citing Rami Abdel Rahman".'
                ),
            ),
        ),
    ],
)


def evidence_fields(*, with_events: bool) -> list:
    events = [
        ("incident", Column("incident__slug", field=slug_field(Incident))),
        ("restoration", Column("restoration__slug", field=slug_field(Restoration))),
        ("assessment", Column("assessment__slug", field=slug_field(Assessment))),
    ]
    return [
        "id",
        ("api_url", api_url("evidence-detail", "id")),
        ("page_url", page_url("article-detail", "article", fragment="evidence-%s")),
        "quote",
        "position",
        (
            "end",
            Computed(
                ["position", "quote"],
                lambda position, quote: None if position is None else position + len(quote),
                field=serializers.IntegerField(
                    read_only=True, allow_null=True, help_text="Where the quote ends in the body, in characters."
                ),
            ),
        ),
        ("page", quote_page()),
        (
            "is_quote",
            Computed(
                ["position"],
                lambda position: position is not None,
                field=serializers.BooleanField(
                    read_only=True,
                    help_text="False for a report the register holds only by reference: its note says what it reports.",
                ),
            ),
        ),
        "note",
        *labelled("stance"),
        ("article", Column(field=serializers.PrimaryKeyRelatedField(queryset=Article.objects.all()))),
        # The same for every quote at one page of one document, and for every quote citing the same people.
        ("citation", One("", CITATION, same_for=(["article", "article__page_starts", "position"], document_page))),
        ("attribution", One("", ATTRIBUTION, same_for=(["article", "cited_source", "cited_person"], tuple))),
        ("cited_source", Column("cited_source__slug", field=slug_field(Source))),
        "cited_person",
        *(events if with_events else []),
        "asserted",
        "asserted_earliest",
        "asserted_latest",
        "created",
        "updated",
    ]


EVIDENCE = Representation(
    Evidence,
    "Evidence",
    evidence_fields(with_events=True),
    description="A verbatim passage at its position in an article, for one incident, restoration or assessment.",
)
# A quote as nested in its incident, restoration or assessment, which it need not name again.
EVENT_EVIDENCE = Representation(
    Evidence,
    "EventEvidence",
    evidence_fields(with_events=False),
    description="A quote as nested in the incident, restoration or assessment it is evidence for.",
)

ALTERNATE_NAME = Representation(
    AlternateName,
    "AlternateName",
    description="Another name or spelling of a monument, with its BCP 47 language tag.",
    fields=[
        "name",
        "language",
        "note",
        ("right_to_left", Computed(["language"], is_right_to_left, field=serializers.BooleanField(read_only=True))),
    ],
)

MONUMENT = Representation(
    Monument,
    "Monument",
    description="A site, or a building, tomb or object fixed in one: its names, place, and condition now.",
    fields=[
        "id",
        ("api_url", api_url("monument-detail")),
        ("page_url", page_url("monument-detail")),
        "slug",
        "name",
        *labelled("kind"),
        ("part_of", Column("part_of__slug", field=slug_field(Monument))),
        (
            "alternate_names",
            Many(
                ALTERNATE_NAME,
                rows_for=children(AlternateName, "monument", "monument", "language", "name", "id"),
                owner="monument",
                field=ALTERNATE_NAME.serializer()(
                    many=True, read_only=True, help_text="Other names and spellings, with BCP 47 language tags."
                ),
            ),
        ),
        (
            "latitude",
            located(
                "latitude",
                serializers.DecimalField(
                    max_digits=9,
                    decimal_places=7,
                    coerce_to_string=False,
                    allow_null=True,
                    required=False,
                    help_text=f"WGS84 degrees. {SENSITIVE_HELP}",
                ),
            ),
        ),
        (
            "longitude",
            located(
                "longitude",
                serializers.DecimalField(
                    max_digits=10,
                    decimal_places=7,
                    coerce_to_string=False,
                    allow_null=True,
                    required=False,
                    help_text=f"WGS84 degrees. {SENSITIVE_HELP}",
                ),
            ),
        ),
        (
            "extent",
            located(
                "extent",
                ExtentField(
                    allow_null=True,
                    required=False,
                    help_text="The place's outline, a GeoJSON Polygon or MultiPolygon in WGS84 ([longitude, "
                    "latitude]); null where none is recorded, and for a sensitive place unless you may change "
                    "monuments. CSV gives it as WKT.",
                ),
            ),
        ),
        "sensitive",
        "built",
        "built_earliest_year",
        "built_latest_year",
        *translated("description", "What the monument is, as the register's curators describe it"),
        "wikidata",
        "unesco_ref",
        *labelled("condition_baseline"),
        # Stored, and kept equal to condition_now by register.services.condition; so are the counts.
        *labelled(
            "condition",
            Column(
                field=serializers.ChoiceField(
                    choices=Monument._meta.get_field("condition").choices,
                    read_only=True,
                    help_text="Condition after every evidenced event (EAMENA).",
                )
            ),
        ),
        (
            "incident_count",
            Column(field=serializers.IntegerField(read_only=True, help_text="Evidenced incidents of this monument.")),
        ),
        (
            "evidence_count",
            Column(
                field=serializers.IntegerField(
                    read_only=True, help_text="Quotes about this monument's incidents, restorations and assessments."
                )
            ),
        ),
        "created",
        "updated",
    ],
)

ARTEFACT = Representation(
    Artefact,
    "Artefact",
    description="A movable object: where it came from and who holds it now.",
    fields=[
        "id",
        ("api_url", api_url("artefact-detail")),
        ("page_url", no_page()),
        "slug",
        "name",
        *translated("description", "What the object is, as the register's curators describe it"),
        "made",
        ("origin", Column("origin__slug", field=slug_field(Monument))),
        "current_holder",
        "wikidata",
        *labelled("condition_baseline"),
        "created",
        "updated",
    ],
)

SOURCE = Representation(
    Source,
    "Source",
    description="An agency, outlet, monitor, state body or institute that publishes or is quoted.",
    fields=[
        "id",
        ("api_url", api_url("source-detail")),
        ("page_url", no_page()),
        "slug",
        "name",
        "short_name",
        *labelled("kind"),
        "country",
        "url",
        "description",
        "updated",
    ],
)


def subject() -> Either:
    return Either(
        ("monument", MONUMENT_SUBJECT),
        ("artefact", ARTEFACT_SUBJECT),
        field=MONUMENT_SUBJECT.serializer()(read_only=True, help_text="What the event happened to."),
    )


def event_evidence(owner: str) -> Many:
    return Many(
        EVENT_EVIDENCE,
        rows_for=children(Evidence, owner, "article", "position", "id"),
        owner=owner,
        field=EVENT_EVIDENCE.serializer()(
            many=True, read_only=True, help_text="Every quote, with its article's citation and the attribution chain."
        ),
    )


EVENT_SUBJECTS = [
    ("monument", Column("monument__slug", field=slug_field(Monument))),
    ("artefact", Column("artefact__slug", field=slug_field(Artefact))),
]

# Where an event stands: the public sees published records, and a withdrawn one (with its reason) where it harvests
# what changed or asks for it, so a mirror can take it down; curators see drafts too.
PUBLICATION = [*labelled("state"), "published", "withdrawn", "withdrawal_reason"]

INCIDENT = Representation(
    Incident,
    "Incident",
    description="Damage to a monument or artefact: when, what, by whom as reported, and every quote behind it.",
    fields=[
        "id",
        ("api_url", api_url("incident-detail")),
        ("page_url", page_url("incident-detail")),
        "slug",
        ("subject", subject()),
        *EVENT_SUBJECTS,
        *labelled("kind"),
        *labelled("grade"),
        "occurred",
        "occurred_earliest",
        "occurred_latest",
        "reported",
        "reported_earliest",
        "reported_latest",
        "perpetrator",
        *translated("summary", "What happened, as the register's curators summarise the evidence"),
        *labelled("strength"),
        *labelled("certainty"),
        ("evidence", event_evidence("incident")),
        *PUBLICATION,
        "created",
        "updated",
    ],
    extra_kwargs={"perpetrator": {"help_text": "Who did it, as reported: not as established."}},
)

RESTORATION = Representation(
    Restoration,
    "Restoration",
    description="Conservation, restoration, reconstruction, a replica or a return, and every quote behind it.",
    fields=[
        "id",
        ("api_url", api_url("restoration-detail")),
        ("page_url", page_url("restoration-detail")),
        "slug",
        ("subject", subject()),
        *EVENT_SUBJECTS,
        *labelled("kind"),
        ("institution", Column("institution__slug", field=slug_field(Source))),
        "place",
        "country",
        "started",
        "started_earliest",
        "started_latest",
        "finished",
        "finished_earliest",
        "finished_latest",
        "returned",
        "returned_earliest",
        "returned_latest",
        *translated("summary", "What was done, as the register's curators summarise the evidence"),
        *labelled("condition_after"),
        ("evidence", event_evidence("restoration")),
        *PUBLICATION,
        "created",
        "updated",
    ],
)


ASSESSMENT = Representation(
    Assessment,
    "Assessment",
    description="A dated statement of a monument's or artefact's state, and every quote behind it.",
    fields=[
        "id",
        ("api_url", api_url("assessment-detail")),
        ("page_url", page_url("assessment-detail")),
        "slug",
        ("subject", subject()),
        *EVENT_SUBJECTS,
        "assessed",
        "assessed_earliest",
        "assessed_latest",
        *labelled("condition"),
        *labelled("extent"),
        *labelled("trend"),
        *translated("threats", "What threatens the place as the assessment names it, one threat a line"),
        *labelled("priority"),
        *labelled("method"),
        *translated("summary", "What the assessment found, as the register's curators summarise it"),
        ("evidence", event_evidence("assessment")),
        *PUBLICATION,
        "created",
        "updated",
    ],
)


def article_fields(*, with_raw_text: bool) -> list:
    return [
        "id",
        ("api_url", api_url("article-detail", "id")),
        ("page_url", page_url("article-detail", "id")),
        "title",
        ("publisher", Column("publisher__slug", field=slug_field(Source, required=True, allow_null=False))),
        (
            "carried_by",
            UnlessGuessed(
                "carried_by_guessed", Column("carried_by__slug", field=slug_field(Source)).bind(Article, "carried_by")
            ),
        ),
        ("unconfirmed", unconfirmed()),
        "byline",
        "dateline",
        "published",
        "url",
        "language",
        (
            "citation",
            Seen(
                CITED_COLUMNS,
                citation_of,
                field=serializers.CharField(read_only=True, help_text="The citation on one line."),
            ),
        ),
        *labelled("kind"),
        *labelled(
            "format",
            Column(
                field=serializers.ChoiceField(
                    choices=DocumentFormat.choices,
                    read_only=True,
                    help_text="How the document was received: plain text, a web page or a PDF.",
                )
            ),
        ),
        (
            "pages",
            Computed(
                ["page_starts"],
                lambda page_starts: len(page_starts) or None,
                field=page_field("How many pages the document has; null where it has none (text, a web page)."),
            ),
        ),
        (
            "page_starts",
            Column(
                field=serializers.ListField(
                    child=serializers.IntegerField(),
                    read_only=True,
                    help_text="Where each page starts in the body, in characters: a quote's position gives its page.",
                )
            ),
        ),
        "imagery_provider",
        "imagery_before",
        "imagery_after",
        "sha256",
        ("original_url", file_url("original__sha256", "The file the document was read from, as received.")),
        (
            "archive_sha256",
            Column(
                "archive__sha256",
                field=serializers.CharField(
                    read_only=True,
                    allow_null=True,
                    help_text="SHA-256 of the web archive it was captured in, as received; null for no capture.",
                ),
            ),
        ),
        ("archive_url", file_url("archive__sha256", "The web archive it was captured in, as received.")),
        "captured",
        "payload_digest",
        "warc_record_id",
        *(["raw_text"] if with_raw_text else []),
        "body",
        (
            "mentions",
            Many(
                MONUMENT_SUMMARY,
                rows_for=mentioned,
                owner="article_id",
                field=MONUMENT_SUMMARY.serializer()(
                    many=True,
                    read_only=True,
                    help_text="Monuments the article names (as the importer found them) or is quoted about.",
                ),
            ),
        ),
        "created",
        "updated",
    ]


ARTICLE_TEXT_KWARGS = {
    "sha256": {"help_text": "SHA-256 of raw_text as UTF-8: recompute it to verify the stored text."},
    # Kept as sent, whitespace included: the fingerprint is of these exact characters, and quotes count them.
    "raw_text": {
        "help_text": "Exactly as received; empty for a reference-only article. Set once: a changed value answers 400.",
        "trim_whitespace": False,
    },
    "body": {"trim_whitespace": False},
}
ARTICLE = Representation(
    Article,
    "Article",
    article_fields(with_raw_text=True),
    description="A report as received: its metadata, raw text and fingerprint, cleaned body and mentions.",
    extra_kwargs=ARTICLE_TEXT_KWARGS,
)
# An article in a list: everything but the raw text, which its own address carries.
ARTICLE_SUMMARY = Representation(
    Article,
    "ArticleSummary",
    article_fields(with_raw_text=False),
    description="A report as a list shows it: everything but its raw text.",
    extra_kwargs=ARTICLE_TEXT_KWARGS,
)

# The serializers that document each record and take curators' writes.
SourceSerializer = SOURCE.serializer(CleanModelSerializer)
MonumentSerializer = MONUMENT.serializer(CleanModelSerializer)
ArtefactSerializer = ARTEFACT.serializer(CleanModelSerializer)
EvidenceSerializer = EVIDENCE.serializer(CleanModelSerializer)
IncidentSerializer = INCIDENT.serializer(CleanModelSerializer)
RestorationSerializer = RESTORATION.serializer(CleanModelSerializer)
AssessmentSerializer = ASSESSMENT.serializer(CleanModelSerializer)
ArticleSerializer = ARTICLE.serializer(ArticleWrites)
ArticleSummarySerializer = ARTICLE_SUMMARY.serializer(ArticleWrites)
