"""Schemathesis over every operation of the API, anonymously and as a curator: no 5xx, and every answer documented.

PostgreSQL only (the CI's second leg). Each operation is a test of its own against the Palmyra register; each
request runs in a savepoint rolled back after it, so every case meets the same records whatever the ones before
it wrote or deleted, and a slug or id the fuzzer draws from the register's own names the record it means.
"""

import itertools
import json
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from rest_framework.authtoken.models import Token
from schemathesis import Config
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from heritage.wsgi import application
from register.api.etags import etag_for
from register.models import Artefact, Article, Assessment, Evidence, Incident, Monument, Restoration, Source

if connection.vendor != "postgresql":
    # Not even collected on SQLite: loading the schema and building every operation's cases is work thrown away.
    pytest.skip("the API fuzz runs on PostgreSQL only (set DATABASE_URL)", allow_module_level=True)

from tests.conftest import published

pytestmark = [pytest.mark.postgres, pytest.mark.fuzz]

# No server error, and every answer documented: its status, content type, headers and body. (The acceptance checks
# are left out on purpose: a well-formed slug that names no record answers 400 or 404, a form's empty field is null.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

SEED = 14
# Cases the fuzzing phase draws per operation and user (beyond the coverage phase's): the fewest that found every
# server error and schema break of issue 14 in the code before its fixes.
MAX_EXAMPLES = 60
# How often a generated slug, id or reference is swapped for one of a real record, so requests reach records.
REAL_VALUE_PROBABILITY = 0.8

PALMYRA = json.loads((Path(settings.BASE_DIR) / "fixtures" / "palmyra.json").read_text(encoding="utf-8"))
# Records the fixture below adds to Palmyra's: a draft incident (no quote yet), a report held only by reference, and
# two assessments, one quoted and one a draft.
DRAFT_INCIDENT = "citadel-shelled-draft"
ASSESSMENT = "roman-theatre-assessed-2017"
DRAFT_ASSESSMENT = "citadel-assessed-draft"


def slugs(model: str, *extra: str) -> list[str]:
    """Return the slugs of a model's records in the Palmyra fixture, and those ``extra``."""
    return [record["fields"]["slug"] for record in PALMYRA if record["model"] == f"register.{model}"] + list(extra)


def ids(model: str, *, extra: int) -> list[str]:
    """Return the ids the register gives a model's records: from 1, in the fixture's order (see ``palmyra``)."""
    count = sum(record["model"] == f"register.{model}" for record in PALMYRA) + extra
    return [str(number) for number in range(1, count + 1)]


ADDRESSES = {
    "monuments": slugs("monument"),
    "artefacts": slugs("artefact"),
    "incidents": slugs("incident", DRAFT_INCIDENT),
    "restorations": slugs("restoration"),
    "assessments": [ASSESSMENT, DRAFT_ASSESSMENT],
    "sources": slugs("source"),
    "articles": ids("article", extra=1),
    "evidence": ids("evidence", extra=2),
}
# Each record's address: the dictionary of its path parameter, its model, and the field the parameter names.
RECORDS = {
    "/api/v1/monuments/{slug}/": ("monuments", Monument, "slug"),
    "/api/v1/artefacts/{slug}/": ("artefacts", Artefact, "slug"),
    "/api/v1/incidents/{slug}/": ("incidents", Incident, "slug"),
    "/api/v1/restorations/{slug}/": ("restorations", Restoration, "slug"),
    "/api/v1/assessments/{slug}/": ("assessments", Assessment, "slug"),
    "/api/v1/sources/{slug}/": ("sources", Source, "slug"),
    "/api/v1/articles/{id}/": ("articles", Article, "id"),
    "/api/v1/evidence/{id}/": ("evidence", Evidence, "id"),
}
# The query parameters and body fields that name other records, by the dictionary of those records' addresses.
REFERENCES = {
    "monuments": ["monument", "within", "mentions", "part_of", "origin"],
    "artefacts": ["artefact"],
    "incidents": ["incident"],
    "restorations": ["restoration"],
    "assessments": ["assessment"],
    "sources": ["source", "publisher", "carried_by", "cited_source", "institution"],
}
# Uncertain dates as the register stores them (EDTF), so an event's body passes its dates and reaches the rest.
EDTF_DATES = ["2017-01", "2015-08-23~", "2016-12-26/2017-01-10", "2017-03-01", "2015"]
EDTF_FIELDS = ["occurred", "reported", "started", "finished", "returned", "asserted", "assessed"]
# Days around Palmyra's events, for the date filters: both ends of a range drawn from here overlap the register,
# and come in either order.
DAYS = ["2015-05-20", "2016-03-27", "2016-12-11", "2017-01-20", "2017-03-02"]
DAY_FILTERS = ["occurred", "reported", "published", "finished", "assessed"]
# Strings with NUL, which PostgreSQL cannot store, as a few cases' values of every string parameter: never a 500.
NUL_STRINGS = ["\x00", "Tadmur\x00", "a\x00b"]
NUL_PROBABILITY = 0.05
WRITES_TO_A_RECORD = ("PUT", "PATCH", "DELETE")


def fuzz_config() -> Config:
    """Return the run's configuration: a fixed seed, and real records' addresses and dates mixed in.

    Reads get the coverage phase (each parameter's boundaries and breakages in turn) as well as the fuzzing phase;
    writes get the fuzzing phase only, their bodies drawn at random, valid and broken, which finds the same
    faults in a fraction of the coverage phase's hundreds of body variations per write.
    """

    def binding(name: str) -> dict:
        return {"dictionary": name, "probability": REAL_VALUE_PROBABILITY}

    references = {
        f"{location}.{field}": binding(name)
        for name, fields in REFERENCES.items()
        for field in fields
        for location in ("query", "body")
    }
    # Evidence names its article by id: a number in the query, an integer in the body.
    references["query.article"] = references["body.article"] = binding("article-numbers")
    references.update({f"body.{field}": binding("edtf") for field in EDTF_FIELDS})
    references.update({f"query.{field}_{end}": binding("days") for field in DAY_FILTERS for end in ("after", "before")})
    dictionaries = {name: {"values": values} for name, values in ADDRESSES.items()}
    dictionaries["article-numbers"] = {"values": [int(number) for number in ADDRESSES["articles"]]}
    dictionaries["edtf"] = {"values": EDTF_DATES}
    dictionaries["days"] = {"values": DAYS}
    dictionaries["nul"] = {"values": NUL_STRINGS}
    operations = [
        {"include-path": path, "parameters": {f"path.{field}": binding(name)}}
        for path, (name, _model, field) in RECORDS.items()
    ]
    operations.append({"include-method": ["POST", *WRITES_TO_A_RECORD], "phases": {"coverage": {"enabled": False}}})
    return Config.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["all"],
            "generation": {
                "mode": "all",
                "deterministic": True,
                "database": "none",
                "max-examples": MAX_EXAMPLES,
                "dictionaries": {"string": {"dictionary": "nul", "probability": NUL_PROBABILITY}},
            },
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True}},
            "dictionaries": dictionaries,
            "parameters": references,
            "operations": operations,
        }
    )


# The next real address each record's path takes in the coverage phase, in turn.
TURNS = {path: itertools.cycle(ADDRESSES[name]) for path, (name, _model, _field) in RECORDS.items()}


def at_real_records(context, case):
    """Give a coverage case that varies anything but the record's address the address of a real record.

    The coverage phase varies one part of a request at a time and fills the others with one generated value;
    for a record's path that value names no record, so every variation of its format would stop at 404.
    """
    if case.meta is None or case.meta.phase.name != "coverage" or case.operation.path not in RECORDS:
        return case
    path = case.meta.components.get("path")
    if path is None or path.mode.is_negative or case.meta.phase.data.parameter_location == "path":
        return case
    _name, _model, field = RECORDS[case.operation.path]
    case.path_parameters[field] = next(TURNS[case.operation.path])
    return case


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=fuzz_config())
schema.hook("map_case")(at_real_records)


@pytest.fixture
def palmyra(db):
    """Load the Palmyra register, numbered from 1, with a draft incident and a report held only by reference."""
    models = [Article, Evidence]
    with connection.cursor() as cursor:
        # Ids from 1 whatever earlier tests inserted and rolled back, so the fuzzer's ids name these records.
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    call_command("loaddata", "palmyra", verbosity=0)
    call_command("refresh_conditions", verbosity=0)
    draft = Incident.objects.create(
        slug=DRAFT_INCIDENT,
        monument=Monument.objects.get(slug="citadel"),
        kind="damaged",
        grade="possible",
        occurred="2016",
        summary="Shelled.",
        **published(),
    )
    reference = Article.objects.create(
        title="DGAM report", publisher=Source.objects.get(slug="dgam"), url="https://dgam.example/report"
    )
    Evidence.objects.create(article=reference, incident=draft, quote="", position=None, note="Reports it shelled.")
    theatre = Monument.objects.get(slug="roman-theatre")
    assessment = Assessment.objects.create(
        slug=ASSESSMENT, monument=theatre, assessed="2017-01", condition="very_bad", method="satellite_imagery",
        summary="The facade is damaged.", **published(),
    )  # fmt: skip
    seed = Article.objects.get(source_file="seeds/000_510c1c6efbd3d72d.txt")
    quote = "satellite images showed damage to the theatre's facade"
    Evidence.objects.create(article=seed, assessment=assessment, quote=quote, position=seed.body.index(quote))
    Assessment.objects.create(
        slug=DRAFT_ASSESSMENT, monument=Monument.objects.get(slug="citadel"), assessed="2017-03", condition="poor",
        method="field_visit", summary="Not yet quoted.", **published(),
    )  # fmt: skip
    call_command("refresh_conditions", verbosity=0)
    assert [str(pk) for pk in Article.objects.order_by("pk").values_list("pk", flat=True)] == ADDRESSES["articles"]
    assert [str(pk) for pk in Evidence.objects.order_by("pk").values_list("pk", flat=True)] == ADDRESSES["evidence"]


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep the test's database connection open across WSGI requests, as Django's own test client does.

    Django closes a connection at the end of each request when it is not in autocommit mode; inside a test's
    transaction that would close it under the test.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def curator_token(curator) -> dict[str, str]:
    """Return the headers of a curator's token."""
    return {"Authorization": f"Token {Token.objects.create(user=curator).key}"}


def with_current_etag(case) -> None:
    """Answer an If-Match the fuzzer made up with the record's current ETag, so the write itself is tried.

    A write the fuzzer sent without If-Match stays without it, so both answers are tried: the write and the refusal.
    """
    if case.method.upper() not in WRITES_TO_A_RECORD or not case.headers or "If-Match" not in case.headers:
        return
    name, model, field = RECORDS[case.operation.path]
    value = case.path_parameters.get(field)
    record = model.objects.filter(**{field: value}).first() if value in ADDRESSES[name] else None
    if record is not None:
        case.headers["If-Match"] = etag_for(record)


def call_and_validate(case, headers: dict[str, str]) -> None:
    """Send the case with these headers, in a savepoint rolled back after it, and check the answer."""
    with_current_etag(case)
    with transaction.atomic():
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            transaction.set_rollback(True)


@schema.parametrize()
def test_no_anonymous_request_makes_a_server_error_or_breaks_the_schema(case, palmyra, wsgi_in_test_transaction):
    """Every generated or broken request answers a documented status, content type, headers and body; no 5xx."""
    call_and_validate(case, {})


@schema.parametrize()
def test_no_curator_request_makes_a_server_error_or_breaks_the_schema(
    case, palmyra, curator_token, wsgi_in_test_transaction
):
    """The same as a curator with a token: writes reach the records, and curators see drafts."""
    call_and_validate(case, curator_token)
