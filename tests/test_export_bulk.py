"""The bulk download: `manage.py export_bulk` writes the whole register; /api/v1/bulk/latest.zip serves it."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from register.models import AlternateName, Restoration, Source
from register.services.bulk_export import bulk_export, latest_export
from tests.conftest import published

pytestmark = pytest.mark.django_db

TABLES = ["monuments", "artefacts", "incidents", "restorations", "assessments", "articles", "sources", "evidence"]


@pytest.fixture
def exports(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    return settings.EXPORTS_ROOT


@pytest.fixture
def register(site, tetrapylon, incident, make_evidence, make_incident):
    AlternateName.objects.create(monument=site, name="تدمر", language="ar")
    make_evidence(incident, cited_source=Source.objects.create(name="SOHR", slug="sohr", kind="monitor"))
    make_incident(slug="unevidenced", occurred="2016")  # no quote: not public, not exported
    make_evidence(
        Restoration.objects.create(
            slug="rebuilt", monument=tetrapylon, kind="reconstruction", finished="2019", summary="R.", **published()
        )
    )


def read(path) -> dict[str, object]:
    """Return every file of the archive parsed back: JSON Lines as lists, CSV as lists of rows."""
    parsed = {}
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            if name.endswith(".jsonl"):
                parsed[name] = [json.loads(line) for line in text.splitlines()]
            elif name.endswith(".csv"):
                parsed[name] = list(csv.DictReader(io.StringIO(text)))
            else:
                parsed[name] = text
    return parsed


def test_the_command_writes_every_record_type_as_json_lines_and_csv_with_a_readme(register, exports, capsys):
    call_command("export_bulk", "--base-url", "https://register.example.org")
    [archive] = exports.iterdir()
    assert archive.name == f"heritage-register-{dt.date.today().isoformat()}.zip"
    assert "2 monuments" in capsys.readouterr().out
    files = read(archive)
    assert set(files) == {"README.txt"} | {f"{table}.{ext}" for table in TABLES for ext in ("jsonl", "csv")}
    for table in TABLES:
        assert len(files[f"{table}.jsonl"]) == len(files[f"{table}.csv"]), table
        assert [row["id"] for row in files[f"{table}.jsonl"]] == [int(row["id"]) for row in files[f"{table}.csv"]]


def test_a_json_line_is_exactly_what_the_api_answers_for_the_record(register, exports):
    files = read(bulk_export(base_url="http://testserver").path)
    [incident] = files["incidents.jsonl"]
    assert incident == APIClient().get("/api/v1/incidents/tetrapylon-destroyed/").json()
    monuments = {row["slug"]: row for row in files["monuments.jsonl"]}
    assert monuments["tetrapylon"]["condition"] == "destroyed"
    assert monuments["palmyra"]["alternate_names"][0]["name"] == "تدمر"


def test_only_what_the_public_sees_is_exported(register, exports):
    files = read(bulk_export().path)
    assert [row["slug"] for row in files["incidents.jsonl"]] == ["tetrapylon-destroyed"]
    # Without a base URL, addresses are paths on the site.
    assert files["incidents.jsonl"][0]["api_url"] == "/api/v1/incidents/tetrapylon-destroyed/"


def test_the_csv_files_are_flat_one_row_per_record(register, exports):
    files = read(bulk_export().path)
    [evidence] = [row for row in files["evidence.csv"] if row["incident"] == "tetrapylon-destroyed"]
    assert evidence["citation.publisher.short_name"] == "AFP"
    assert evidence["attribution.text"] == "AFP, citing SOHR"
    by_slug = {row["slug"]: row for row in files["monuments.csv"]}
    assert by_slug["palmyra"]["alternate_names"] == "تدمر [ar]"


def test_the_readme_describes_the_fields_the_licence_the_citation_and_the_date(register, exports):
    readme = read(bulk_export(today=dt.date(2026, 3, 1), base_url="https://register.example.org").path)["README.txt"]
    assert "Generated on 2026-03-01." in readme
    assert "CC BY 4.0" in readme
    assert (
        "Heritage Damage Register. Bulk download of 2026-03-01. https://register.example.org/api/v1/bulk/latest.zip"
        in readme
    )
    assert "    occurred_earliest: " in readme
    assert "    sha256: SHA-256 of raw_text as UTF-8" in readme


def test_the_download_answers_json_404_until_an_archive_exists(exports, db):
    response = APIClient().get("/api/v1/bulk/latest.zip")
    assert response.status_code == 404
    assert "export_bulk" in response.json()["detail"]


def test_the_download_serves_the_newest_archive(register, exports):
    bulk_export(today=dt.date(2026, 1, 1))
    newest = bulk_export(today=dt.date(2026, 2, 1)).path
    assert latest_export() == newest
    response = APIClient().get("/api/v1/bulk/latest.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert 'filename="heritage-register-2026-02-01.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "README.txt" in archive.namelist()


def test_a_second_export_on_the_same_day_replaces_the_first_and_leaves_no_partial_file(register, exports):
    bulk_export()
    bulk_export()
    assert [path.name for path in exports.iterdir()] == [f"heritage-register-{dt.date.today().isoformat()}.zip"]
