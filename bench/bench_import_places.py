"""Benchmark the places import: rows per second for a large generated CSV, created, re-imported and updated.

Run: ``.venv/bin/python bench/bench_import_places.py`` (SQLite in a throwaway file under /tmp), or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_places_bench`` for PostgreSQL (the database is dropped
and created afresh). Options: ``--rows`` (100,000 by default), ``--help``.

It migrates an empty database, writes a CSV of generated places (one site for every hundred places, the rest
parts of a site in the same file; coordinates, a Wikidata id on every tenth, an Arabic and a French name each),
then times ``places_import_file`` as ``manage.py import_places`` runs it:

1. the first import, which creates every monument, its history and its names;
2. the same file again, which changes nothing;
3. the file with every description changed, which updates every monument and writes its history.

The figures go to docs/PERFORMANCE.md ("Importing places").
"""

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta ti"
KINDS = ["temple", "mosque", "church", "tomb", "theatre", "fortification", "souq", "bridge", "cemetery", "minaret"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(2, 4))).capitalize()


def write_places(path: Path, rows: int, *, description: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    columns = ["slug", "name", "kind", "part_of", "latitude", "longitude", "wikidata", "description"]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([*columns, "sensitive", "source", "name:ar", "name:fr"])
        site = ""
        for number in range(rows):
            is_site = number % 100 == 0
            slug = f"place-{number}"
            name = f"{word(rng)} {word(rng)} {number}"
            writer.writerow(
                [
                    slug,
                    name,
                    "site" if is_site else rng.choice(KINDS),
                    "" if is_site else site,
                    f"{rng.uniform(32, 37.5):.6f}",
                    f"{rng.uniform(35.5, 42.5):.6f}",
                    f"Q{1_000_000 + number}" if number % 10 == 0 else "",
                    f"{description} {number}",
                    "true" if number % 50 == 0 else "false",
                    "Generated for the benchmark.",
                    f"موقع {number}",
                    f"Lieu {number}",
                ]
            )
            if is_site:
                site = slug


def fresh_postgres(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database."""
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        connection.execute(f'CREATE DATABASE "{settings["NAME"]}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="Places in the generated CSV (default 100,000).")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-places-"))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        fresh_postgres(url)
    else:
        url = f"sqlite:///{workdir / 'register.sqlite3'}"
        os.environ["DATABASE_URL"] = url
    # DEBUG off, as in production: with it on Django keeps and formats every query it runs.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from register.models import AlternateName, Monument
    from register.services.places_import import places_import_file

    call_command("migrate", verbosity=0)
    places = workdir / "places.csv"
    write_places(places, args.rows, description="A generated place.")
    changed = workdir / "places-changed.csv"
    write_places(changed, args.rows, description="A generated place, described again.")
    size = places.stat().st_size / 2**20
    print(f"{connection.vendor}: {args.rows:,} rows, {size:.1f} MB of CSV")

    for label, path, expect in (
        ("first import (create)", places, "imported"),
        ("same file again (unchanged)", places, "unchanged"),
        ("every row changed (update)", changed, "imported"),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        result = places_import_file(path=path)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.status == expect, (label, result.status, result.errors[:3])
        # The importer's own CPU time beside the wall clock: on a shared machine the wall clock counts the waits.
        print(
            f"  {label:<30} {seconds:7.1f} s  {args.rows / seconds:9,.0f} rows/s  (Python CPU {cpu:6.1f} s; "
            f"created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,})"
        )
    print(
        f"  register: {Monument.objects.count():,} monuments, {AlternateName.objects.count():,} names, "
        f"{Monument.history.count():,} monument history rows"
    )


if __name__ == "__main__":
    main()
