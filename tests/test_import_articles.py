"""manage.py import_articles: files and directories in, one line per file out, exit status 1 on any failure."""

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from register.models import Article, Evidence, Suggestion, fingerprint

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).parent / "data" / "ingest"
FIXTURE = ROOT / "fixtures" / "palmyra.json"


def run(*args) -> tuple[list[dict], str]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, args), "--format", "json", stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_the_seeds_directory_imports_both_seeds_as_json_lines(palmyra_names):
    lines, err = run(SEEDS)
    assert [(line["file"], line["status"], line["error"]) for line in lines] == [
        (str(SEEDS / "000_510c1c6efbd3d72d.txt"), "created", None),
        (str(SEEDS / "001_e46c036f3a77ff87.txt"), "created", None),
    ]
    assert set(lines[0]) == {"file", "status", "format", "sha256", "article", "pages", "mentions", "error"}
    assert (lines[0]["format"], lines[0]["pages"]) == ("text", None)
    assert lines[0]["mentions"] == ["palmyra", "citadel", "funerary-towers", "roman-theatre", "tetrapylon"]
    assert lines[1]["article"] == Article.objects.get(sha256=lines[1]["sha256"]).pk
    assert err.strip() == "2 files: 2 created, 0 duplicate, 0 failed."


def test_a_second_run_reports_duplicates(palmyra_names, tmp_path):
    run(SEEDS)
    renamed = tmp_path / "another-name.txt"
    shutil.copy(SEEDS / "000_510c1c6efbd3d72d.txt", renamed)
    lines, _ = run(SEEDS, renamed)
    assert [line["status"] for line in lines] == ["duplicate", "duplicate", "duplicate"]
    assert Article.objects.count() == 2


def test_bad_files_are_reported_and_the_others_still_import(db, tmp_path):
    out, err = StringIO(), StringIO()
    files = [DATA / "empty.txt", DATA / "binary.txt", tmp_path / "missing.txt", DATA / "crlf.txt"]
    with pytest.raises(CommandError, match="4 files: 1 created, 0 duplicate, 3 failed.") as error:
        call_command("import_articles", *map(str, files), "--format", "json", stdout=out, stderr=err)
    assert error.value.returncode == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["status"], line["error"]) for line in lines] == [
        ("failed", "empty file"),
        ("failed", "binary file: it contains NUL bytes"),
        ("failed", "cannot read: No such file or directory"),
        ("created", None),
    ]
    assert lines[0]["file"] == str(DATA / "empty.txt")
    assert Article.objects.count() == 1


def test_text_output_names_each_file_and_ends_with_a_summary(palmyra_names):
    out = StringIO()
    call_command("import_articles", str(SEEDS / "001_e46c036f3a77ff87.txt"), stdout=out)
    first, summary = out.getvalue().splitlines()
    assert first.startswith("created    ")
    assert "names palmyra, monumental-arch, tetrapylon, roman-theatre; 3 new suggestions" in first
    assert "needs review: No date line" in first
    assert summary == "1 file: 1 created, 0 duplicate, 0 failed."


@pytest.mark.skipif(not FIXTURE.exists(), reason="fixtures/palmyra.json is not there yet")
def test_after_loading_the_palmyra_fixture_both_seeds_are_duplicates(db):
    call_command("loaddata", "palmyra", verbosity=0)
    for seed in SEEDS.glob("*.txt"):
        assert Article.objects.filter(sha256=fingerprint(seed.read_text(encoding="utf-8"))).exists()
    evidence = Evidence.objects.count()
    lines, _ = run(SEEDS)
    assert [line["status"] for line in lines] == ["duplicate", "duplicate"]
    assert "tetrapylon" in lines[0]["mentions"]
    # Every sentence the importer would suggest is already a curator's evidence in the fixture.
    assert not Suggestion.objects.exists()
    assert Evidence.objects.count() == evidence


def test_the_exit_status_is_one_when_a_file_fails(tmp_path):
    database = tmp_path / "register.sqlite3"
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    result = manage("import_articles", str(DATA / "empty.txt"), str(DATA / "crlf.txt"))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == f"failed     {DATA / 'empty.txt'}: empty file"
    assert result.stdout.splitlines()[1].startswith(f"created    {DATA / 'crlf.txt'} → article 1")
    assert "2 files: 1 created, 0 duplicate, 1 failed." in result.stderr


def test_the_exit_status_is_zero_when_no_file_failed(db):
    out = StringIO()
    call_command("import_articles", str(DATA / "crlf.txt"), str(DATA / "crlf.txt"), stdout=out)
    assert out.getvalue().splitlines()[-1] == "2 files: 1 created, 1 duplicate, 0 failed."


class Terminal(StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_is_drawn_on_a_terminal_only(db, capsys):
    files = [str(DATA / "crlf.txt"), str(DATA / "only-furniture.txt")]
    call_command("import_articles", *files, stdout=StringIO())
    assert "file/s" not in capsys.readouterr().err
    terminal = Terminal()
    call_command("import_articles", *files, stdout=terminal)
    assert "file/s" in capsys.readouterr().err
    assert terminal.getvalue().splitlines()[-1] == "2 files: 0 created, 2 duplicate, 0 failed."
