"""The importer survives anything: each file imports or fails alone, with its reason, in bounded time and memory."""

import datetime as dt
import json
import logging
import os
import time
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from register.ingest.budget import OverBudget, checkpoint, time_budget
from register.ingest.decoding import MAX_BYTES
from register.ingest.report import read_report
from register.models import Article, Mention, Monument, Suggestion
from register.services.articles import (
    ImportStatus,
    article_import,
    article_import_file,
    files_to_import,
    gazetteer_current,
)

pytestmark = pytest.mark.django_db

GOOD = b"date 2017-03-02 Shelling in Palmyra\n\nShelling damaged the Tetrapylon on Wednesday, a monitor said.\n"
ALSO_GOOD = b"date 2017-03-03 Looting\n\nLooters stripped the Roman Theatre last week, a monitor said.\n"
# Year 1's first day is a Monday: "last month" and "Wednesday" fall before the calendar Python counts in.
YEAR_ONE = b"date 0001-01-01 Palmyra\n\nLast month IS destroyed the Tetrapylon, and on Wednesday the Roman Theatre.\n"


def run(*paths) -> tuple[list[dict], str, int]:
    """Run the command on ``paths``; return its JSON lines, its summary and its exit status."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), "--format", "json", stdout=out, stderr=err)
        status, summary = 0, err.getvalue().strip()
    except CommandError as error:
        status, summary = error.returncode, str(error)
    return [json.loads(line) for line in out.getvalue().splitlines()], summary, status


def outcomes(lines: list[dict]) -> list[tuple[str, str]]:
    return [(Path(line["file"]).name, line["status"]) for line in lines]


# Defect 3: a header date in year 1 with a relative date in the text stopped the batch.


def test_a_year_one_report_between_two_good_ones_imports_flagged_and_the_batch_goes_on(palmyra_names, tmp_path):
    for name, data in (("a.txt", GOOD), ("b.txt", YEAR_ONE), ("c.txt", ALSO_GOOD)):
        (tmp_path / name).write_bytes(data)
    lines, summary, status = run(tmp_path)
    assert outcomes(lines) == [("a.txt", "created"), ("b.txt", "created"), ("c.txt", "created")]
    assert (summary, status) == ("3 files: 3 created, 0 duplicate, 0 failed.", 0)
    year_one = Article.objects.get(source_file=str(tmp_path / "b.txt"))
    assert year_one.published == dt.date(1, 1, 1)
    assert year_one.needs_review
    assert "before 1900" in year_one.review_note
    # The relative dates could not be resolved, so the suggestions carry none rather than a wrong one.
    assert set(year_one.suggestions.values_list("asserted", flat=True)) == {""}


def test_the_admin_upload_of_a_year_one_report_between_two_good_ones_reports_all_three(curator_client, palmyra_names):
    files = [
        SimpleUploadedFile(name, data) for name, data in (("a.txt", GOOD), ("b.txt", YEAR_ONE), ("c.txt", ALSO_GOOD))
    ]
    response = curator_client.post(reverse("admin:register_article_import"), {"files": files})
    assert response.status_code == 200
    assert [(r.file, r.status) for r in response.context["results"]] == [
        ("a.txt", "created"),
        ("b.txt", "created"),
        ("c.txt", "created"),
    ]
    assert Article.objects.count() == 3


# Any error in one file is that file's failed line, logged with its traceback; the rest import.


@pytest.mark.django_db(transaction=True)
def test_a_file_the_database_refuses_is_reported_and_logged_and_the_next_file_imports(palmyra_names, tmp_path, caplog):
    # The command builds its matcher once; a monument deleted during the run is still in it, and the mention of
    # it breaks a foreign key when that file's transaction commits.
    gazetteer = gazetteer_current()
    Monument.objects.get(slug="citadel").delete()
    refused = tmp_path / "citadel.txt"
    refused.write_bytes(b"date 2017-03-02 Palmyra's citadel\n\nShelling damaged the citadel on Wednesday.\n")
    good = tmp_path / "good.txt"
    good.write_bytes(GOOD)
    with caplog.at_level(logging.ERROR, logger="register.services.articles"):
        results = [article_import_file(path=path, gazetteer=gazetteer) for path in (refused, good)]
    assert [result.status for result in results] == [ImportStatus.FAILED, ImportStatus.CREATED]
    assert "IntegrityError" in results[0].error
    assert not Article.objects.filter(source_file=str(refused)).exists()
    assert not Mention.objects.filter(text="citadel").exists()
    [record] = [record for record in caplog.records if record.exc_info]
    assert str(refused) in record.getMessage()


def test_a_file_that_outruns_its_time_budget_fails_saying_so_and_stores_nothing(palmyra_names):
    result = article_import(data=GOOD, name="slow.txt", seconds=0)
    assert result.status == ImportStatus.FAILED
    assert "took longer than" in result.error
    assert not Article.objects.exists()
    assert not Suggestion.objects.exists()


def test_the_command_gives_each_file_the_seconds_it_is_told(palmyra_names, tmp_path):
    (tmp_path / "a.txt").write_bytes(GOOD)
    (tmp_path / "b.txt").write_bytes(ALSO_GOOD)
    lines, summary, status = run(tmp_path, "--seconds", "1e-9")
    assert [line["status"] for line in lines] == ["failed", "failed"]
    assert all("took longer than" in line["error"] for line in lines)
    assert status == 1
    assert not Article.objects.exists()


@pytest.mark.parametrize("seconds", ["0", "-1", "nan"])
def test_the_command_refuses_a_number_of_seconds_that_is_not_positive(db, seconds):
    with pytest.raises(CommandError, match="--seconds must be a positive number"):
        call_command("import_articles", "seeds", "--seconds", seconds)


def test_a_budget_inside_a_spent_one_is_spent_too():
    with time_budget(0.000001):
        time.sleep(0.001)
        with time_budget(60), pytest.raises(OverBudget) as spent:
            checkpoint()
    assert spent.value.seconds == 0.000001
    with time_budget(60):
        checkpoint()  # not spent, so nothing is raised


def test_an_admin_upload_that_runs_out_of_time_reports_each_file_it_could_not_finish(
    curator_client, palmyra_names, settings
):
    settings.ARTICLE_IMPORT_SECONDS = 0.000001
    files = [SimpleUploadedFile("a.txt", GOOD), SimpleUploadedFile("b.txt", ALSO_GOOD)]
    response = curator_client.post(reverse("admin:register_article_import"), {"files": files})
    assert response.status_code == 200
    assert [(r.file, r.status) for r in response.context["results"]] == [("a.txt", "failed"), ("b.txt", "failed")]
    assert "took longer than" in response.content.decode()
    assert not Article.objects.exists()


# Defect 4: a file name with bytes that are not UTF-8 stopped the run.


def test_a_file_name_that_is_not_utf8_is_reported_escaped_and_the_file_imports(palmyra_names, tmp_path):
    odd = tmp_path / os.fsdecode(b"caf\xe9.txt")
    odd.write_bytes(GOOD)
    (tmp_path / "plain.txt").write_bytes(ALSO_GOOD)
    lines, summary, status = run(tmp_path)
    shown = f"{tmp_path}{os.sep}caf\\xe9.txt"
    assert [(line["file"], line["status"]) for line in lines] == [
        (shown, "created"),
        (str(tmp_path / "plain.txt"), "created"),
    ]
    assert status == 0
    assert Article.objects.filter(source_file=shown).exists()


def test_a_file_name_that_is_not_utf8_shows_escaped_in_the_text_output(palmyra_names, tmp_path):
    odd = tmp_path / os.fsdecode(b"\xff\xfe.txt")
    odd.write_bytes(GOOD)
    out = StringIO()
    call_command("import_articles", str(odd), stdout=out)
    assert out.getvalue().startswith(f"created    {tmp_path}{os.sep}\\xff\\xfe.txt → article ")


# Defect 5: a file far over the limit was read whole before it was refused.


def test_a_file_over_the_limit_is_refused_without_being_read(db, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(10 * MAX_BYTES)  # sparse: no disk used, but reading it would allocate all of it
    tracemalloc.start()
    try:
        result = article_import_file(path=huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == ImportStatus.FAILED
    assert result.error == f"{10 * MAX_BYTES:,} bytes: larger than the 20 MB a report may be"
    assert peak < MAX_BYTES // 4


def test_an_upload_over_the_limit_is_refused_and_the_others_import(curator_client, palmyra_names):
    files = [
        SimpleUploadedFile("a.txt", GOOD),
        SimpleUploadedFile("big.txt", b"x" * (MAX_BYTES + 1)),
        SimpleUploadedFile("c.txt", ALSO_GOOD),
    ]
    response = curator_client.post(reverse("admin:register_article_import"), {"files": files})
    assert [(r.file, r.status, r.error) for r in response.context["results"]] == [
        ("a.txt", "created", None),
        ("big.txt", "failed", f"{MAX_BYTES + 1:,} bytes: larger than the 20 MB a report may be"),
        ("c.txt", "created", None),
    ]


# Defect 14: links, loops, directories named like files and special files in a directory.


def test_a_directorys_links_loops_and_non_files_are_each_reported_and_its_files_import(palmyra_names, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_bytes(b"date 2017-03-02 Secret\n\nNot for the register: the Tetrapylon was destroyed.\n")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a-good.txt").write_bytes(GOOD)
    (folder / "b-link.txt").symlink_to(secret)
    (folder / "c-dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "d-loop.txt").symlink_to(folder / "e-loop.txt")
    (folder / "e-loop.txt").symlink_to(folder / "d-loop.txt")
    (folder / "f-directory.txt").mkdir()
    os.mkfifo(folder / "g-pipe.txt")
    (folder / "h-good.txt").write_bytes(ALSO_GOOD)
    (folder / "notes.md").write_bytes(GOOD)

    lines, summary, status = run(folder)
    assert [(Path(line["file"]).name, line["status"], line["error"]) for line in lines] == [
        ("a-good.txt", "created", None),
        ("b-link.txt", "failed", "a symbolic link: links in a directory are not followed"),
        ("c-dangling.txt", "failed", "a symbolic link to nothing (dangling, or a loop): not followed"),
        ("d-loop.txt", "failed", "a symbolic link to nothing (dangling, or a loop): not followed"),
        ("e-loop.txt", "failed", "a symbolic link to nothing (dangling, or a loop): not followed"),
        ("f-directory.txt", "failed", "a directory, not a file"),
        ("g-pipe.txt", "failed", "not a regular file (a device, pipe or socket)"),
        ("h-good.txt", "created", None),
    ]
    assert (summary, status) == ("8 files: 2 created, 0 duplicate, 6 failed.", 1)
    assert not Article.objects.filter(body__contains="Not for the register").exists()


def test_a_link_named_on_the_command_line_is_followed(palmyra_names, tmp_path):
    target = tmp_path / "report.txt"
    target.write_bytes(GOOD)
    link = tmp_path / "latest.txt"
    link.symlink_to(target)
    assert article_import_file(path=link).status == ImportStatus.CREATED


def test_a_directory_listing_names_what_it_holds_and_whether_it_was_named(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    listed = files_to_import([tmp_path, "other.txt"])
    assert [(item.path, item.in_directory) for item in listed] == [
        (tmp_path / "a.txt", True),
        (tmp_path / "b.txt", True),
        (Path("other.txt"), False),
    ]


def test_an_unreadable_directory_is_reported_not_skipped(db, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every directory")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        lines, _, status = run(locked)
    finally:
        locked.chmod(0o700)
    assert [(line["status"], line["error"]) for line in lines] == [("failed", "cannot list: Permission denied")]
    assert status == 1


@pytest.mark.parametrize("date", ["2999-01-01", "9999-12-31", "1899-12-31", "0001-01-01"])
def test_an_implausible_header_date_is_stored_flagged_for_review(palmyra_names, date):
    result = article_import(data=f"date {date} A report\n\nThe Tetrapylon was shelled.\n".encode(), name="x.txt")
    article = result.article
    assert article.published == dt.date.fromisoformat(date)
    assert article.needs_review
    assert f"The header's date {date} is" in article.review_note


def test_a_header_date_from_1900_to_tomorrow_is_plausible():
    for published in (dt.date(1900, 1, 1), dt.date.today(), dt.date.today() + dt.timedelta(days=1)):
        report = read_report(f"date {published.isoformat()} Title\n\nDAMASCUS (AFP) - Something happened.")
        assert report.review_notes == ()


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\x07", "U+0007"),
        ("\x85", "U+0085"),
    ],
)
def test_bidirectional_overrides_and_control_characters_are_flagged_by_name(palmyra_names, character, named):
    data = f"date 2017-03-02 A report\n\nDAMASCUS (AFP) - The Tetrapylon{character} was shelled.\n".encode()
    article = article_import(data=data, name="x.txt").article
    assert article.needs_review
    assert named in article.review_note
    assert article.raw_text == data.decode()


def test_marks_arabic_needs_are_not_flagged():
    # Right-to-left and zero-width (non-)joiner marks are how Arabic and Persian text is written.
    report = read_report("date 2017-03-02 Title\n\nDAMASCUS (AFP) - تدمر\u200f \u200cمي\u200dن.")
    assert report.review_notes == ()


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_a_zero_width_character_inside_a_name_does_not_hide_it(palmyra_names, invisible):
    data = (
        f"date 2017-03-02 A report from Palmyra\n\n"
        f"DAMASCUS (AFP) - IS destr{invisible}oyed the Tetra{invisible}pylon.\n"
    )
    result = article_import(data=data.encode(), name="x.txt")
    article = result.article
    assert article.raw_text == data
    assert invisible in article.body
    [mention] = article.mentions.all()
    assert (mention.monument.slug, mention.text) == ("tetrapylon", f"Tetra{invisible}pylon")
    assert article.body[mention.position : mention.position + len(mention.text)] == mention.text
    [suggestion] = article.suggestions.all()
    assert (suggestion.monument.slug, suggestion.kind) == ("tetrapylon", "destroyed")
    assert article.body[suggestion.position : suggestion.position + len(suggestion.quote)] == suggestion.quote
    suggestion.full_clean()


def test_a_sentence_too_long_to_quote_gives_no_suggestion_and_is_flagged(palmyra_names):
    sentence = "IS destroyed the Tetrapylon" + ", and then more" * 200 + "."
    data = (
        f"date 2017-03-02 A report from Palmyra\n\nDAMASCUS (AFP) - {sentence}\n\nShelling damaged the Roman Theatre.\n"
    )
    article = article_import(data=data.encode(), name="x.txt").article
    assert list(article.suggestions.values_list("monument__slug", flat=True)) == ["roman-theatre"]
    assert {m.monument.slug for m in article.mentions.all()} == {"tetrapylon", "roman-theatre"}
    assert article.needs_review
    assert "1 sentence is longer than 2,000 characters" in article.review_note
