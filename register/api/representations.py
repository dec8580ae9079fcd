"""What the API answers for each record type, field by field: the one place a response field is defined.

Each representation below is read by the views as rows (register.api.records) and documented by the serializer
made from it, which curators' writes also go through (register.api.serializers holds what writes add).
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from register import visibility
from register.api.records import Column, Computed, Either, Fixed, Link, Many, One, Representation, Seen
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
from register.models.sources import citation_text, page_at
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
    fields=["id", "slug", "name", "short_name", "kind", ("api_url", api_url("source-detail"))],
)

MONUMENT_SUMMARY = Representation(
    Monument,
    "MonumentSummary",
    description="A monument as named in another record.",
    fields=[
        "id",
        "slug",
        "name",
        "kind",
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
    publisher_short, publisher, carried_short, carried, title, published, kind, page_starts=(), position=None
):
    """Return the one-line citation from an article's columns, naming a quote's page where the document has pages."""
    return citation_text(
        publisher=citation_name(publisher_short, publisher),
        carried_by=citation_name(carried_short, carried),
        title=title,
        published=published,
        kind=kind,
        page=page_at(page_starts, position),
    )


CITED_COLUMNS = ["publisher__short_name", "publisher__name", "carried_by__short_name", "carried_by__name", "title"]
CITED_COLUMNS += ["published", "kind"]


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
        ("carried_by", One("article__carried_by", SOURCE_SUMMARY, nullable=True)),
        ("published", article_column("published", serializers.DateField(read_only=True, allow_null=True))),
        ("url", article_column("url", serializers.CharField(read_only=True))),
        ("sha256", article_column("sha256", serializers.CharField(read_only=True, allow_null=True))),
        (
            "kind",
            article_column(
                "kind",
                serializers.ChoiceField(
                    choices=DocumentKind.choices, read_only=True, help_text="What kind of document it is."
                ),
            ),
        ),
        (
            "format",
            article_column(
                "format",
                serializers.ChoiceField(
                    choices=DocumentFormat.choices, read_only=True, help_text="How the document was received."
                ),
            ),
        ),
        ("page", quote_page()),
        (
            "text",
            Computed(
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
ATTRIBUTION = Representation(
    Evidence,
    "Attribution",
    description="Who says it: the publisher, the outlet that carried it, and whom the article cites.",
    fields=[
        ("publisher", Computed(PUBLISHER_NAMES, citation_name, field=serializers.CharField(read_only=True))),
        ("carried_by", Computed(CARRIER_NAMES, citation_name, field=name_text())),
        ("cited_source", Column("cited_source__name", field=name_text())),
        ("cited_person", Column(field=serializers.CharField(read_only=True))),
        (
            "text",
            Computed(
                [*PUBLISHER_NAMES, *CARRIER_NAMES, "cited_source__name", "cited_person"],
                lambda publisher_short, publisher, carried_short, carried, cited_source, cited_person: attribution_text(
                    publisher=citation_name(publisher_short, publisher),
                    carried_by=citation_name(carried_short, carried),
                    cited_source=cited_source,
                    cited_person=cited_person,
                ),
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
        "stance",
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
        "kind",
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
        "description",
        "wikidata",
        "unesco_ref",
        "condition_baseline",
        # Stored, and kept equal to condition_now by register.services.condition; so are the counts.
        (
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
        "description",
        "made",
        ("origin", Column("origin__slug", field=slug_field(Monument))),
        "current_holder",
        "wikidata",
        "condition_baseline",
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
        "kind",
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
        "kind",
        "grade",
        "occurred",
        "occurred_earliest",
        "occurred_latest",
        "reported",
        "reported_earliest",
        "reported_latest",
        "perpetrator",
        "summary",
        "strength",
        "certainty",
        ("evidence", event_evidence("incident")),
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
        "kind",
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
        "summary",
        "condition_after",
        ("evidence", event_evidence("restoration")),
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
        "condition",
        "extent",
        "trend",
        "threats",
        "priority",
        "method",
        "summary",
        ("evidence", event_evidence("assessment")),
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
        ("carried_by", Column("carried_by__slug", field=slug_field(Source))),
        "byline",
        "dateline",
        "published",
        "url",
        "language",
        (
            "citation",
            Computed(
                CITED_COLUMNS,
                citation_of,
                field=serializers.CharField(read_only=True, help_text="The citation on one line."),
            ),
        ),
        "kind",
        (
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
