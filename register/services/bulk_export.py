"""The bulk download: the whole register in one ZIP, as JSON Lines and CSV, with a README on how to cite it.

Each record is written by the API's own representation, so a line of
``incidents.jsonl`` is exactly what ``/api/v1/incidents/<slug>/`` answers.
Records are read in id order a chunk at a time, so memory stays flat however
large the register grows.
"""

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from rest_framework.utils.encoders import JSONEncoder

from register import visibility
from register.api import representations
from register.api.records import Reading, Representation
from register.api.renderers import csv_columns, csv_fields, csv_row
from register.api.serializers import CleanModelSerializer
from register.models import Artefact, Article, Assessment, Evidence, Incident, Monument, Restoration, Source

ARCHIVE_PATTERN = re.compile(r"^heritage-register-(\d{4}-\d{2}-\d{2})\.zip$")
CHUNK = 1000
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Table:
    name: str
    representation: Representation
    model: type
    description: str

    def records(self) -> QuerySet:
        return visibility.public(self.model.objects.all())

    def serializer(self, context: dict):
        return self.representation.serializer(CleanModelSerializer)(context=context)


TABLES = [
    Table(
        "monuments",
        representations.MONUMENT,
        Monument,
        "Sites and their parts: names in every language, WGS84 coordinates and extents, the condition now.",
    ),
    Table("artefacts", representations.ARTEFACT, Artefact, "Movable objects and who holds them."),
    Table(
        "incidents",
        representations.INCIDENT,
        Incident,
        "Damage: EDTF dates with their earliest and latest day, grade, reported perpetrator, every quote.",
    ),
    Table("restorations", representations.RESTORATION, Restoration, "Conservation, restoration and returns."),
    Table(
        "assessments",
        representations.ASSESSMENT,
        Assessment,
        "Dated statements of a place's state: EAMENA condition, damage extent, trend, threats, priority, method.",
    ),
    Table(
        "articles",
        representations.ARTICLE,
        Article,
        "Reports as received: raw text, cleaned body and the SHA-256 of the raw text as UTF-8.",
    ),
    Table("sources", representations.SOURCE, Source, "Agencies, outlets, monitors and institutes."),
    Table(
        "evidence",
        representations.EVIDENCE,
        Evidence,
        "Quotes: verbatim passages at their position in an article's body, with the attribution chain.",
    ),
]


def _chunks(table: Table, reading: Reading):
    """Yield lists of records in id order, CHUNK at a time, each chunk a query and one per nested list."""
    last = 0
    while True:
        chunk = table.representation.read(table.records().filter(pk__gt=last).order_by("pk")[:CHUNK], reading)
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["id"]


COMMON_COLUMNS = {
    "id": "The record's stable id.",
    "created": "When the record was added (UTC).",
    "updated": "When the record last changed (UTC).",
}


def _describe(column: str, field) -> str:
    text = COMMON_COLUMNS.get(column) or str(field.help_text or field.label or "")
    return text.rstrip(".") + "." if text else ""


def _readme(today: dt.date, counts: dict[str, int], base_url: str, context: dict) -> str:
    citation = (
        f"Heritage Damage Register. Bulk download of {today.isoformat()}. "
        f"{base_url.rstrip('/') + '/api/v1/bulk/latest.zip' if base_url else '/api/v1/bulk/latest.zip'}. "
        f"Licensed CC BY 4.0."
    )
    lines = [
        "Heritage Damage Register: bulk download",
        "=======================================",
        "",
        f"Generated on {today.isoformat()}.",
        "",
        "How to cite",
        "-----------",
        citation,
        "",
        "Licence",
        "-------",
        f"The data is licensed {LICENCE}.",
        "Quoted passages remain the words of the articles' publishers, cited with every quote.",
        "",
        "Files",
        "-----",
        "Every record type comes twice: <name>.jsonl (JSON Lines, one record per line, exactly as the API",
        "answers /api/v1/<name>/<id or slug>/) and <name>.csv (UTF-8, one row per record, nested records as",
        "dotted columns, lists joined with ' | '). Dates are ISO 8601; EDTF strings keep uncertainty",
        "(2017-01, 2015-08-23~, 2016-12-26/2017-01-10) beside their earliest and latest day.",
        "Only incidents, restorations and assessments that at least one quote supports are included, as on the",
        "site, and only the evidence for them.",
        "A monument's extent is a GeoJSON geometry in monuments.jsonl and WKT in monuments.csv. A sensitive place",
        "(sensitive: true) has its coordinates rounded to one decimal (about 11 km) and no extent, as on the site.",
        "",
    ]
    for table in TABLES:
        lines += [f"{table.name} ({counts[table.name]} records): {table.description}"]
        lines += [
            f"    {column}: {_describe(column, field)}".rstrip(": ")
            for column, field in csv_fields(table.serializer(context))
        ]
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class BulkExport:
    path: Path
    counts: dict[str, int]


def bulk_export(*, directory: Path | None = None, today: dt.date | None = None, base_url: str = "") -> BulkExport:
    """Write the register to ``heritage-register-<date>.zip`` in ``directory``; return where, and how many records.

    The archive is written beside its final name and moved into place, so a
    download never sees half an archive.
    """
    directory = Path(directory or settings.EXPORTS_ROOT)
    today = today or dt.date.today()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"heritage-register-{today.isoformat()}.zip"
    context = {"request": None, "base_url": base_url}
    counts = {}
    handle, partial = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".zip")
    os.close(handle)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in TABLES:
                counts[table.name] = _write_table(archive, table, context)
            archive.writestr(_entry("README.txt"), _readme(today, counts, base_url, context))
        # Readable by the web server's user as well as the one that ran the command.
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return BulkExport(target, counts)


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def _write_table(archive: zipfile.ZipFile, table: Table, context: dict) -> int:
    """Write one record type as JSON Lines and CSV in one pass over the database; return the record count."""
    count = 0
    header = csv_columns(table.serializer(context))
    # A ZIP takes one entry at a time, so the CSV waits in a temporary file while the JSON Lines stream in.
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as csv_text:
        writer = csv.DictWriter(csv_text, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        with archive.open(_entry(f"{table.name}.jsonl"), "w", force_zip64=True) as jsonl_file:
            jsonl = io.TextIOWrapper(jsonl_file, encoding="utf-8", newline="\n")
            # The download is public: sensitive places as the public sees them (register.visibility).
            for chunk in _chunks(table, Reading(base_url=context["base_url"], sees_exact_locations=False)):
                for record in chunk:
                    jsonl.write(json.dumps(record, cls=JSONEncoder, ensure_ascii=False) + "\n")
                    writer.writerow(csv_row(record))
                    count += 1
            jsonl.flush()
            jsonl.detach()
        csv_text.seek(0)
        with archive.open(_entry(f"{table.name}.csv"), "w", force_zip64=True) as csv_file:
            shutil.copyfileobj(csv_text, io.TextIOWrapper(csv_file, encoding="utf-8", newline="", write_through=True))
    return count


def latest_export(directory: Path | None = None) -> Path | None:
    """Return the newest archive ``bulk_export`` wrote, or None when there is none."""
    directory = Path(directory or settings.EXPORTS_ROOT)
    if not directory.is_dir():
        return None
    archives = sorted(path for path in directory.iterdir() if ARCHIVE_PATTERN.match(path.name))
    return archives[-1] if archives else None
