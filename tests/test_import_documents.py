"""Web pages, PDFs and web archives imported as articles: bodies, metadata, pages, fingerprints, captures, refusals.

Every file is made at test time (tests/document_files.py) and imported as a curator imports it: through
``import_articles`` or the admin's upload, into the real database.
"""

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from register.ingest.decoding import MAX_BYTES
from register.ingest.suggestions import suggest_report
from register.models import Article, Evidence, Incident, ReceivedFile, Source, Suggestion
from register.models.vocabularies import DocumentKind, EvidenceStrength, IncidentKind, SourceKind
from register.services.articles import article_import, gazetteer_current, suggestion_accept
from tests import document_files as files
from tests.conftest import publish_as_curator, published
from tests.test_admin import unchanged_form_data
from tests.test_backup import wipe_register

pytestmark = pytest.mark.django_db


def run(*paths) -> tuple[list[dict], str, int]:
    """Run import_articles --format json on ``paths``: its lines, its summary and its exit status."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), "--format", "json", stdout=out, stderr=err)
        status, summary = 0, err.getvalue().strip()
    except CommandError as error:
        status, summary = error.returncode, str(error)
    return [json.loads(line) for line in out.getvalue().splitlines()], summary, status


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def sha256sum(path: Path) -> str:
    """Return what the sha256sum tool prints for the file, or hashlib's digest where the tool is missing."""
    tool = shutil.which("sha256sum")
    if tool is None:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout.split()[0]


@pytest.fixture
def curator_user(db):
    return get_user_model().objects.create_user(username="reviewer", password="x")


# Web pages.


def test_a_saved_web_page_imports_its_story_without_the_page_around_it(palmyra_names, tmp_path):
    data = files.news_page()
    path = write(tmp_path, "tetrapylon.html", data)

    [line], summary, status = run(path)

    assert (line["status"], line["format"], line["pages"], line["error"], status) == ("created", "html", None, None, 0)
    assert summary == "1 file: 1 created, 0 duplicate, 0 failed."
    article = Article.objects.get(pk=line["article"])
    assert article.body == "\n\n".join(files.STORY)
    for clutter in files.CLUTTER:
        assert clutter not in article.body, clutter
    assert article.title == "IS destroys Palmyra's Tetrapylon"
    assert article.published == dt.date(2017, 1, 20)
    assert article.url == "https://courier.example/2017/01/20/tetrapylon"
    assert article.byline == "Lina Haddad"
    assert article.language == "en-GB"
    assert article.dateline == "BEIRUT (AFP)"
    # The dateline names the agency; the site that printed its copy carried it.
    assert (article.publisher.slug, article.carried_by.name) == ("afp", "The Desert Courier")
    assert (article.format, article.kind, article.page_starts) == ("html", DocumentKind.NEWS_REPORT, [])
    assert article.raw_text == data.decode()
    assert line["mentions"] == ["tetrapylon", "palmyra", "roman-theatre"]
    assert set(Suggestion.objects.filter(article=article).values_list("monument__slug", "kind")) == {
        ("tetrapylon", "destroyed"),
        ("roman-theatre", "damaged"),
    }


def test_a_web_pages_fingerprint_is_the_sha256_of_its_bytes_and_its_bytes_are_kept(palmyra_names, tmp_path):
    # Windows line endings and all: the file is kept and fingerprinted exactly as received.
    data = files.news_page().replace(b"\n", b"\r\n")
    path = write(tmp_path, "page.HTM", data)

    [line], _summary, _status = run(path)

    article = Article.objects.get(pk=line["article"])
    assert line["sha256"] == article.sha256 == hashlib.sha256(data).hexdigest() == sha256sum(path)
    assert bytes(article.original.content) == data
    assert (article.original.sha256, article.original.size, article.original.format) == (
        article.sha256,
        len(data),
        "html",
    )
    renamed = write(tmp_path, "same-page.html", data)
    [again], _summary, _status = run(renamed)
    assert (again["status"], again["article"]) == ("duplicate", article.pk)
    assert ReceivedFile.objects.count() == 1


def test_a_page_declaring_windows_1256_is_decoded_as_it_declares(db):
    arabic = "دمر تنظيم الدولة التترابيل في تدمر."
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head>'
    page += f"<body><article><p>{arabic}</p><p>{arabic}</p></article></body></html>"
    data = page.encode("cp1256")

    result = article_import(data=data, name="arabic.html")

    assert (result.status, result.article.encoding) == ("created", "cp1256")
    assert arabic in result.article.body
    assert result.article.sha256 == hashlib.sha256(data).hexdigest()


def test_the_raw_view_of_a_web_page_is_its_html_as_inert_plain_text(client, palmyra_names):
    article = article_import(data=files.news_page(), name="page.html").article

    response = client.get(reverse("register:article-raw", args=[article.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b'<script>document.title = "hijacked"' in response.content


def test_the_received_file_downloads_byte_for_byte_and_never_as_a_page(client, palmyra_names):
    data = files.news_page()
    article = article_import(data=data, name="page.html").article

    response = client.get(reverse("register:received-file", args=[article.sha256]))

    assert response.status_code == 200
    assert response.content == data
    assert hashlib.sha256(response.content).hexdigest() == article.sha256
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{article.sha256}.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("register:received-file", args=["0" * 64])).status_code == 404


def test_the_article_page_names_the_kind_and_links_the_file(client, palmyra_names):
    article = article_import(data=files.news_page(), name="page.html").article

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<dd class="kind">news report</dd>' in page
    assert '<dd class="format">web page (HTML)</dd>' in page
    assert "SHA-256 of the file as received" in page
    assert reverse("register:received-file", args=[article.sha256]) in page
    # The page's own script never reaches the register's page, not even escaped in the body.
    assert "hijacked" not in page


# PDFs.


def test_a_multi_page_pdf_keeps_every_page_and_where_each_starts(palmyra_names, tmp_path):
    data = files.pdf()
    path = write(tmp_path, "assessment.pdf", data)

    [line], _summary, status = run(path)

    assert (line["status"], line["format"], line["pages"], status) == ("created", "pdf", 3, 0)
    article = Article.objects.get(pk=line["article"])
    assert line["sha256"] == article.sha256 == hashlib.sha256(data).hexdigest() == sha256sum(path)
    assert len(article.page_starts) == article.pages == 3
    for number, start in enumerate(article.page_starts, start=1):
        page_text = " ".join(files.ASSESSMENT_PAGES[number - 1].split())
        following = article.page_starts[number] if number < 3 else len(article.body)
        assert " ".join(article.body[start:following].split()) == page_text
        assert article.page_of(start) == number
    assert article.raw_text.count("\f") == 2
    assert (article.title, article.published) == ("Damage assessment of Palmyra", dt.date(2015, 9, 3))
    assert article.publisher.slug == "unitar"
    assert bytes(article.original.content) == data


def test_a_satellite_assessment_is_read_as_one_with_its_provider_and_image_dates(palmyra_names):
    article = article_import(data=files.pdf(), name="assessment.pdf").article

    assert article.kind == DocumentKind.IMAGERY_ASSESSMENT
    assert article.imagery_provider == "WorldView-2"
    assert (article.imagery_before, article.imagery_after) == (dt.date(2015, 8, 27), dt.date(2015, 9, 2))
    assert "check the kind, provider and image dates" in article.review_note
    assert article.citation == (
        "UNITAR-UNOSAT, “Damage assessment of Palmyra”, satellite imagery assessment, 2015-09-03"
    )


def test_a_quote_from_a_pdf_cites_its_page_in_the_citation_the_api_and_the_pages(client, palmyra_names, curator_user):
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    suggestion = Suggestion.objects.get(article=article, monument__slug="tetrapylon")
    assert article.page_of(suggestion.position) == 2

    evidence = suggestion_accept(suggestion=suggestion, user=curator_user, date="2015-08")
    publish_as_curator(evidence.event)

    assert evidence.article.citation_at(evidence.position).endswith("2015-09-03, p. 2")
    api = APIClient().get(f"/api/v1/evidence/{evidence.pk}/").json()
    assert (api["page"], api["citation"]["page"], api["citation"]["kind"]) == (2, 2, "imagery_assessment")
    assert api["citation"]["text"].endswith(", p. 2")
    listed = APIClient().get(f"/api/v1/articles/{article.pk}/").json()
    assert (listed["format"], listed["pages"], listed["kind"]) == ("pdf", 3, "imagery_assessment")
    assert listed["page_starts"] == article.page_starts
    assert listed["original_url"].endswith(reverse("register:received-file", args=[article.sha256]))
    incident_page = client.get(evidence.incident.get_absolute_url()).content.decode()
    assert 'satellite imagery assessment, <bdi dir="ltr">2015-09-03</bdi>, p. 2</a>' in incident_page


def test_in_a_survey_or_assessment_a_sentence_stating_a_state_suggests_no_incident(palmyra_names):
    article = article_import(data=files.pdf(), name="assessment.pdf").article

    # "shows no visible damage" and "remains intact" state a condition: suggested as assessments, not incidents.
    suggested = set(Suggestion.objects.filter(article=article).values_list("monument__slug", "kind"))
    assert ("tetrapylon", "destroyed") in suggested
    events = {slug for slug, kind in suggested if kind != "assessment"}
    assert not events & {"roman-theatre", "monumental-arch"}
    assert {("roman-theatre", "assessment"), ("monumental-arch", "assessment")} <= suggested
    reading = gazetteer_current().read(article.body, context=article.title)
    found = suggest_report(article.body, reading.matches, published=article.published, states=True)
    assert [(item.quote, {subject.slug for subject in item.subjects}) for item in found.stated] == [
        ("The Roman Theatre shows no visible damage.", {"roman-theatre"}),
        ("The Monumental Arch remains intact.", {"monumental-arch"}),
    ]
    # A news report's same sentence is an event's, as before.
    assert suggest_report(article.body, reading.matches, published=article.published).stated == []


def test_a_pdf_without_a_text_layer_is_stored_for_ocr_with_no_suggestions(palmyra_names, tmp_path):
    data = files.scanned_pdf()
    path = write(tmp_path, "scan.pdf", data)

    [line], summary, status = run(path)

    assert (line["status"], line["format"], line["pages"], status) == ("created", "pdf", 2, 0)
    article = Article.objects.get(pk=line["article"])
    assert article.needs_review
    assert "No text layer: needs OCR." in article.review_note
    assert (article.body, article.raw_text) == ("", "")
    assert line["sha256"] == article.sha256 == sha256sum(path)
    assert bytes(article.original.content) == data
    assert not article.suggestions.exists()
    assert not article.is_reference_only


# Web archives.


def test_a_warc_with_a_page_and_a_pdf_becomes_two_documents_with_their_capture(palmyra_names, tmp_path):
    data = files.page_and_pdf_warc()
    path = write(tmp_path, "capture.warc.gz", data)

    [line], summary, status = run(path)

    assert (line["status"], line["format"], line["sha256"], status) == ("created", "warc", sha256sum(path), 0)
    assert line["sha256"] == hashlib.sha256(data).hexdigest()
    page, report = line["documents"]
    assert (page["url"], page["format"], page["captured"], page["status"]) == (
        files.PAGE_URL,
        "html",
        "2017-01-21T08:15:00+00:00",
        "created",
    )
    assert (report["url"], report["format"], report["pages"]) == (files.PDF_URL, "pdf", 3)
    assert page["payload_digest"].startswith("sha1:")
    for document, payload in ((page, files.news_page()), (report, files.pdf())):
        article = Article.objects.get(pk=document["article"])
        assert article.sha256 == document["sha256"] == hashlib.sha256(payload).hexdigest()
        assert article.archive.sha256 == line["sha256"]
        assert bytes(article.archive.content) == data
        assert bytes(article.original.content) == payload
        assert article.payload_digest == document["payload_digest"]
        assert article.warc_record_id.startswith("<urn:uuid:")
        assert article.url == document["url"]
    assert Article.objects.get(pk=page["article"]).captured == dt.datetime(2017, 1, 21, 8, 15, tzinfo=dt.UTC)
    # Every monument either document names, in order of first mention.
    assert line["mentions"] == ["tetrapylon", "palmyra", "roman-theatre", "monumental-arch"]

    [again], _summary, _status = run(path)
    assert [document["status"] for document in again["documents"]] == ["duplicate", "duplicate"]
    assert again["status"] == "duplicate"


def test_an_uncompressed_warc_imports_as_well(palmyra_names):
    result = article_import(data=files.page_and_pdf_warc(gzip=False), name="capture.warc")

    assert (result.status, result.format, len(result.documents)) == ("created", "warc", 2)


def test_a_wacz_imports_the_captures_of_its_warc_and_checks_its_datapackage(palmyra_names, tmp_path):
    data = files.wacz(files.page_and_pdf_warc())
    path = write(tmp_path, "capture.wacz", data)

    [line], _summary, status = run(path)

    assert (line["status"], line["format"], line["sha256"], status) == ("created", "wacz", sha256sum(path), 0)
    assert [document["format"] for document in line["documents"]] == ["html", "pdf"]
    article = Article.objects.get(pk=line["documents"][0]["article"])
    assert (article.archive.format, article.archive.sha256) == ("wacz", hashlib.sha256(data).hexdigest())
    # Only the outlet, taken from the page's site name, is left for a curator to confirm.
    assert (article.guessed_fields, article.review_note) == (
        ["carried_by"],
        "The outlet The Desert Courier was taken from the page's site name, not named in the text; confirm it or "
        "remove it.",
    )


def test_a_capture_that_no_longer_matches_its_recorded_digest_is_flagged(palmyra_names):
    warc = files.warc([(files.PAGE_URL, "text/html", files.news_page(), files.PAGE_CAPTURED)], gzip=False)
    tampered = warc.replace(b"destroyed the Tetrapylon", b"restored the Tetrapylon")

    result = article_import(data=tampered, name="tampered.warc")

    assert result.status == "created"
    assert "does not match the payload digest" in result.article.review_note


def test_a_wacz_whose_warc_does_not_match_its_datapackage_is_flagged(palmyra_names):
    data = files.wacz(files.page_and_pdf_warc(), recorded_sha256="0" * 64)

    result = article_import(data=data, name="capture.wacz")

    assert result.status == "created"
    assert "does not match the SHA-256 its datapackage.json records" in result.article.review_note


def test_a_social_media_post_captured_in_an_archive_is_read_as_one(palmyra_names):
    post = files.news_page(story=("The Tetrapylon in Palmyra was blown up today, a witness wrote.",))
    data = files.warc([("https://x.com/witness/status/1", "text/html", post, files.PAGE_CAPTURED)])

    result = article_import(data=data, name="post.warc.gz")

    assert result.article.kind == DocumentKind.SOCIAL_MEDIA_POST


# What is refused, and that the rest still imports.


def test_corrupt_and_unsupported_files_are_reported_by_name_and_the_others_import(palmyra_names, tmp_path):
    good_pdf = files.pdf()
    paths = [
        write(tmp_path, "good.html", files.news_page()),
        write(tmp_path, "corrupt.pdf", good_pdf[: len(good_pdf) // 3]),
        write(tmp_path, "not-a.pdf", b"<html>a page named as a PDF</html>"),
        write(tmp_path, "binary.html", b"\x00\x01\x02" * 100),
        write(tmp_path, "corrupt.warc.gz", b"\x1f\x8b\x08\x00garbage that is no gzip stream"),
        write(
            tmp_path,
            "images-only.warc",
            files.warc([("https://a.example/x.png", "image/png", b"PNG", "2017-01-01T00:00:00Z")]),
        ),
        write(tmp_path, "corrupt.wacz", b"PK\x03\x04 not a zip"),
        write(tmp_path, "report.docx", b"PK\x03\x04 a word document"),
        write(tmp_path, "photo.jpg", b"\xff\xd8\xff\xe0 a photograph"),
        write(tmp_path, "good.pdf", good_pdf),
    ]
    big = tmp_path / "huge.pdf"
    with big.open("wb") as file:
        file.truncate(MAX_BYTES + 1)
    paths.insert(-1, big)

    lines, summary, status = run(*paths)

    outcomes = [(Path(line["file"]).name, line["status"], line["error"]) for line in lines]
    assert outcomes[0] == ("good.html", "created", None)
    assert outcomes[-1] == ("good.pdf", "created", None)
    failed = {name: error for name, outcome, error in outcomes if outcome == "failed"}
    assert failed["corrupt.pdf"].startswith("a damaged PDF that cannot be read")
    assert failed["not-a.pdf"] == "not a PDF: the file does not start with %PDF-"
    assert failed["binary.html"] == "binary file: it contains NUL bytes"
    assert failed["corrupt.warc.gz"].startswith("not a readable web archive")
    assert failed["images-only.warc"] == "no web page or PDF in the archive: its 1 record is neither"
    assert failed["corrupt.wacz"] == "not a WACZ: the file is not a ZIP archive"
    assert failed["report.docx"].startswith("not a format the importer reads (.docx)")
    assert failed["photo.jpg"].startswith("not a format the importer reads (.jpg)")
    assert failed["huge.pdf"] == "20,971,521 bytes: larger than the 20 MB a report may be"
    assert len(failed) == 9
    assert (summary, status) == ("11 files: 2 created, 0 duplicate, 9 failed.", 1)
    # The refused files' lines still name their format and fingerprint where the bytes were read.
    by_name = {Path(line["file"]).name: line for line in lines}
    assert by_name["corrupt.pdf"]["format"] == "pdf"
    assert by_name["corrupt.pdf"]["sha256"] == sha256sum(paths[1])
    assert by_name["report.docx"]["format"] is None
    assert Article.objects.count() == 2
    assert ReceivedFile.objects.count() == 2


def test_a_directory_lists_the_documents_it_holds_and_skips_other_files(palmyra_names, tmp_path):
    write(tmp_path, "b.pdf", files.pdf())
    write(tmp_path, "a.html", files.news_page())
    write(tmp_path, "c.wacz", files.wacz(files.page_and_pdf_warc()))
    write(tmp_path, "notes.md", b"not a report")
    write(tmp_path, "photo.jpg", b"\xff\xd8")

    lines, summary, status = run(tmp_path)

    assert [(Path(line["file"]).name, line["status"]) for line in lines] == [
        ("a.html", "created"),
        ("b.pdf", "created"),
        # Its page and PDF are the two files above, captured: the same bytes, so the same documents.
        ("c.wacz", "duplicate"),
    ]
    assert status == 0
    # An archive whose captures are all held adds nothing, not even itself.
    assert set(ReceivedFile.objects.values_list("format", flat=True)) == {"html", "pdf"}


def test_the_admin_upload_takes_pages_pdfs_and_archives(curator_client, palmyra_names):
    uploads = [
        SimpleUploadedFile("page.html", files.news_page()),
        SimpleUploadedFile("scan.pdf", files.scanned_pdf()),
        SimpleUploadedFile("capture.wacz", files.wacz(files.page_and_pdf_warc())),
        SimpleUploadedFile("letter.docx", b"PK\x03\x04"),
    ]

    response = curator_client.post(reverse("admin:register_article_import"), {"files": uploads})

    assert response.status_code == 200
    statuses = [result.status for result in response.context["results"]]
    formats = [result.format for result in response.context["results"]]
    assert statuses == ["created", "created", "created", "failed"]
    assert formats == ["html", "pdf", "wacz", None]
    page = response.content.decode()
    assert "not a format the importer reads (.docx)" in page
    assert Article.objects.filter(format="pdf").count() == 2


# The database keeps what was received unchangeable.


def test_the_database_refuses_to_change_a_received_file_or_what_was_read_from_it(palmyra_names):
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    changes = [
        (ReceivedFile.objects.filter(pk=article.original_id), {"content": b"%PDF-1.4 forged"}),
        (ReceivedFile.objects.filter(pk=article.original_id), {"sha256": "0" * 64}),
        (Article.objects.filter(pk=article.pk), {"page_starts": [0]}),
        (Article.objects.filter(pk=article.pk), {"format": "html"}),
        (Article.objects.filter(pk=article.pk), {"sha256": "0" * 64}),
        (Article.objects.filter(pk=article.pk), {"raw_text": "forged"}),
    ]
    for queryset, change in changes:
        with pytest.raises(IntegrityError), transaction.atomic():
            queryset.update(**change)
    # What a curator decides stays editable: the kind, and the body quotes point into.
    Article.objects.filter(pk=article.pk).update(
        kind=DocumentKind.FIELD_SURVEY, imagery_provider="", imagery_before=None, imagery_after=None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        # Imagery is an imagery assessment's alone.
        Article.objects.filter(pk=article.pk).update(imagery_provider="WorldView-2")


def test_a_scans_empty_text_and_its_file_cannot_be_changed_either(palmyra_names):
    article = article_import(data=files.scanned_pdf(), name="scan.pdf").article

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(raw_text="typed in", sha256="1" * 64)


# Evidence strength across kinds of document.


def test_an_imagery_assessment_confirming_a_news_report_makes_the_incident_confirmed(palmyra_names, curator_user):
    news = article_import(data=files.news_page(), name="page.html").article
    report = Suggestion.objects.get(article=news, monument__slug="tetrapylon")
    incident = suggestion_accept(suggestion=report, user=curator_user, date="2017-01").incident
    assert incident.strength == EvidenceStrength.SINGLE

    assessment = article_import(data=files.pdf(), name="assessment.pdf").article
    confirming = Suggestion.objects.get(article=assessment, monument__slug="tetrapylon")
    suggestion_accept(suggestion=confirming, user=curator_user, incident=incident)

    incident.refresh_from_db()
    assert incident.strength == EvidenceStrength.CONFIRMED


def test_two_outlets_carrying_one_wire_stay_a_single_origin_and_a_second_agency_corroborates(
    palmyra_names, curator_user
):
    first = article_import(data=files.news_page(), name="courier.html").article
    incident = suggestion_accept(
        suggestion=Suggestion.objects.get(article=first, monument__slug="tetrapylon"), user=curator_user, date="2017-01"
    ).incident
    # The same AFP story on another site: another outlet, the same origin.
    carried = files.news_page(title="Palmyra: IS destroys the Tetrapylon").replace(b"Desert Courier", b"Oasis Times")
    second = article_import(data=carried, name="oasis.html").article
    suggestion_accept(
        suggestion=Suggestion.objects.get(article=second, monument__slug="tetrapylon"), user=curator_user,
        incident=incident,
    )  # fmt: skip
    incident.refresh_from_db()
    assert incident.strength == EvidenceStrength.SINGLE

    # Another agency's story, citing another source: an independent origin.
    reuters_story = (
        "BEIRUT (Reuters) - Islamic State destroyed the Tetrapylon in Palmyra last week, a Syrian military "
        "source told Reuters.",
    )
    third = article_import(data=files.news_page(title="Tetrapylon razed", story=reuters_story), name="r.html").article
    suggestion_accept(
        suggestion=Suggestion.objects.get(article=third, monument__slug="tetrapylon"), user=curator_user,
        incident=incident,
    )  # fmt: skip
    incident.refresh_from_db()
    assert incident.strength == EvidenceStrength.CORROBORATED


def test_a_curators_stronger_grading_is_never_lowered(palmyra_names, curator_user, tetrapylon):
    incident = Incident.objects.create(
        slug="t", monument=tetrapylon, kind=IncidentKind.DESTROYED, occurred="2017-01", summary="S.",
        strength=EvidenceStrength.CONFIRMED, **published(),
    )  # fmt: skip
    news = article_import(data=files.news_page(), name="page.html").article
    suggestion_accept(
        suggestion=Suggestion.objects.get(article=news, monument__slug="tetrapylon"), user=curator_user,
        incident=incident,
    )  # fmt: skip

    incident.refresh_from_db()
    assert incident.strength == EvidenceStrength.CONFIRMED


def test_an_official_body_cited_by_a_report_confirms_it(palmyra_names, curator_user, afp, article, make_incident):
    incident = make_incident()
    unesco = Source.objects.create(slug="unesco-x", name="UNESCO", kind=SourceKind.INTERGOVERNMENTAL)
    Evidence.objects.create(
        article=article, incident=incident, quote="IS destroyed", position=article.body.index("IS destroyed")
    )
    news = article_import(data=files.news_page(), name="page.html").article
    suggestion = Suggestion.objects.get(article=news, monument__slug="tetrapylon")
    Suggestion.objects.filter(pk=suggestion.pk).update(cited_source=unesco)
    suggestion_accept(suggestion=suggestion, user=curator_user, incident=incident)

    incident.refresh_from_db()
    assert incident.strength == EvidenceStrength.CONFIRMED


def test_a_backup_restores_every_received_file_byte_for_byte(palmyra_names, tmp_path):
    article_import(data=files.pdf(), name="assessment.pdf")
    article_import(data=files.wacz(files.page_and_pdf_warc()), name="capture.wacz")
    kept = {received.sha256: bytes(received.content) for received in ReceivedFile.objects.all()}
    documents = list(Article.objects.order_by("pk").values("sha256", "page_starts", "captured", "archive__sha256"))
    archive = tmp_path / "backup.zip"
    call_command("backup_export", str(archive), stdout=StringIO())

    wipe_register()
    call_command("backup_restore", str(archive), stdout=StringIO())

    assert {received.sha256: bytes(received.content) for received in ReceivedFile.objects.all()} == kept
    assert all(hashlib.sha256(content).hexdigest() == sha256 for sha256, content in kept.items())
    restored = list(Article.objects.order_by("pk").values("sha256", "page_starts", "captured", "archive__sha256"))
    assert restored == documents


def test_a_curator_can_set_a_documents_kind_in_the_admin_and_its_file_stays(curator_client, palmyra_names):
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    url = reverse("admin:register_article_change", args=[article.pk])
    form = curator_client.get(url)
    assert form.status_code == 200
    data = unchanged_form_data(form)
    assert "raw_text" not in data
    data.update(kind=DocumentKind.FIELD_SURVEY, imagery_provider="", imagery_before="", imagery_after="")

    response = curator_client.post(url, data)

    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert (stored.kind, stored.sha256, stored.page_starts) == ("field_survey", article.sha256, article.page_starts)
