"""Benchmark article import against a large gazetteer, and show what the name count costs.

Run: ``DEBUG=1 .venv/bin/python bench/bench_import.py`` (options: ``--help``).

It migrates a throwaway SQLite database under /tmp, fills it with generated
monuments and alternate names (100,000 names, then 200,000), generates reports
that name some of them, and prints articles per second for:

1. decoding and fingerprinting alone (the floor: no matching, no database);
2. the naive alternative, one ``str.find`` per name, on a sample (it grows with the names);
3. the matcher alone, then with the suggester (one automaton: flat whatever the names);
4. the full import, database writes included, as ``import_articles`` runs it;
5. the check an import given no matcher makes that the names have not changed (one query, flat).

``--single-line`` measures something else instead: the time to import one-line files
of 1, 5 and 10 MB into the Palmyra register (``fixtures/palmyra.json``), through
``article_import`` as the command and the admin call it, with and without the
per-file budget (``ARTICLE_IMPORT_SECONDS``). Two kinds of line: the story of
``seeds/000`` run together and repeated (prose: many short sentences), and one
sentence of clauses naming a monument and a trigger word each, with no full stop.

Steps 1 to 3 run on every article (10,000 by default). The full import writes an
article, its history row, its mentions and suggestions in one transaction per
file, which this 2-core machine does at tens of articles a second; so it runs
on the first ``--stored`` articles (2,000 by default) to keep the benchmark
within a few minutes. ``--stored 10000`` measures all of them (about 6 minutes
on PostgreSQL, more on SQLite).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = (
    "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to za"
)
HEADS = ["Temple of", "Tower of", "Tomb of", "Gate of", "Citadel of", "Theatre of", "Arch of", "Bath of", "Well of"]
EVENTS = [
    "Last month, IS destroyed the {name}, a monitor said.",
    "Satellite images showed damage to the {name} on Wednesday.",
    "The {name} was looted in December, state news agency SANA reported.",
    "Two busts from the {name} were restored and brought back in May 2015.",
    "Militants blew up the {name} last week, the source told AFP.",
]
FILLER = [
    "Government forces backed by air strikes advanced on the town after days of fighting in the desert.",
    "The city changed hands twice in a year, and the front line moved with every offensive.",
    '"The army\'s entry to the city will begin very soon," the military source told Reuters.',
    "Residents who fled the fighting said they had not been able to return to their homes.",
]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(2, 4))).capitalize()


def names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    found = []
    while len(found) < count:
        name = f"{rng.choice(HEADS)} {word(rng)} {word(rng)}"
        if name not in taken:
            taken.add(name)
            found.append(name)
    return found


def gazetteer_fill(rng: random.Random, count: int, taken: set[str], start: int) -> list[str]:
    """Add ``count`` names: a quarter as monuments of one site, the rest as their alternate names."""
    from register.models import AlternateName, Monument

    new = names(rng, count, taken)
    site, _ = Monument.objects.get_or_create(slug="bench-site", defaults={"name": "Benchsite", "kind": "site"})
    monument_names, alternates = new[: count // 4], new[count // 4 :]
    Monument.objects.bulk_create(
        Monument(name=name, slug=f"bench-{start + index}", kind="other", part_of=site)
        for index, name in enumerate(monument_names)
    )
    monuments = list(
        Monument.objects.filter(slug__startswith="bench-", pk__gt=site.pk).order_by("-pk")[: len(monument_names)]
    )
    AlternateName.objects.bulk_create(
        (
            AlternateName(monument=monuments[index % len(monuments)], name=name, language="en")
            for index, name in enumerate(alternates)
        ),
        batch_size=5000,
    )
    return new


def article(rng: random.Random, number: int, pool: list[str]) -> bytes:
    lines = [f"date 2017-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} Generated report {number}", ""]
    lines.append("DAMASCUS (AFP) - " + rng.choice(FILLER))
    for _ in range(6):
        lines += ["", rng.choice(EVENTS).format(name=rng.choice(pool))]
        lines += ["", " ".join(rng.sample(FILLER, 2))]
    lines += ["", "The ancient city, pictured in 2016 play", "", "The ancient city, pictured in 2016", "", "(AFP/File)"]
    lines += ["", "Pulse News Agency International By AFP", "", f"Report number {number} of the benchmark."]
    return "\n".join(lines).encode("utf-8")


def single_line_files() -> None:
    """Print the time to import one-line files of 1, 5 and 10 MB, whole and within the per-file budget."""
    from django.conf import settings
    from django.core.management import call_command

    from register.models import Article
    from register.services.articles import article_import, gazetteer_current

    call_command("loaddata", "palmyra", verbosity=0)
    story = (ROOT / "seeds" / "000_510c1c6efbd3d72d.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    kinds = {
        "prose": " ".join(story.split()) + " ",
        "one sentence": "IS destroyed the Tetrapylon and a monitor said the Roman theatre was damaged last month, ",
    }
    print(f"budget per file: ARTICLE_IMPORT_SECONDS = {settings.ARTICLE_IMPORT_SECONDS}")
    for kind, unit in kinds.items():
        for megabytes in (1, 5, 10):
            size = megabytes * 2**20
            line = (unit * (size // len(unit.encode()) + 1)).encode()[:size]
            for seconds, label in ((3600.0, "whole"), (None, "budget")):
                started = time.perf_counter()
                # A number makes each import a new text, so none is a duplicate of the one before.
                data = line[:-8] + f"{megabytes:04d}{seconds or 0:04.0f}".encode()[:8]
                result = article_import(
                    data=data, name=f"{kind}-{megabytes}MB.txt", gazetteer=gazetteer_current(), seconds=seconds
                )
                elapsed = time.perf_counter() - started
                article = result.article
                stored = (
                    f"{article.mentions.count():,} mentions, {result.suggestions:,} suggestions"
                    if article
                    else (result.error or "")[:60]
                )
                print(f"{kind:>12} {megabytes:>3} MB {label:>6}: {result.status:<9} {elapsed:7.1f} s  {stored}")
            Article.objects.filter(source_file__endswith="MB.txt").delete()


def best_of(passes: int, work) -> float:
    """Return the fastest of a few timed passes: other load on the machine only ever adds time."""
    timings = []
    for _ in range(passes):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10,.1f} articles/s  ({count:,} in {seconds:.1f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles per run (default 10,000)")
    parser.add_argument(
        "--stored", type=int, default=2_000, help="articles the full import stores per run (default 2,000)"
    )
    parser.add_argument(
        "--database-url",
        help="an empty database to fill and throw away (default: a new SQLite file under /tmp)",
    )
    parser.add_argument("--names", type=int, default=100_000, help="gazetteer size before doubling (default 100,000)")
    parser.add_argument("--naive-sample", type=int, default=20, help="articles the str.find baseline scans")
    parser.add_argument(
        "--single-line", action="store_true", help="only time one-line files of 1, 5 and 10 MB (see above)"
    )
    options = parser.parse_args()

    database = None if options.database_url else Path(tempfile.mkdtemp(prefix="bench-ingest-")) / "register.sqlite3"
    os.environ["DATABASE_URL"] = options.database_url or f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # DEBUG keeps a log of every query; the benchmark measures the import, not the log.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if options.single_line:
        single_line_files()
        if database:
            database.unlink()
        return

    from register.ingest.decoding import decode
    from register.ingest.report import read_report
    from register.ingest.suggestions import suggest
    from register.models import Article, Mention, Suggestion, fingerprint
    from register.services.articles import ImportStatus, article_import, gazetteer_build, gazetteer_version

    rng = random.Random(20170302)
    taken: set[str] = set()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")

    pool = gazetteer_fill(rng, options.names, taken, 0)
    texts = [article(rng, number, pool) for number in range(options.articles)]
    print(f"generated {len(texts):,} articles, {sum(map(len, texts)) / len(texts) / 1024:.1f} KB each on average")

    started = time.perf_counter()
    for data in texts:
        fingerprint(decode(data).text)
    print(f"\n1. decode + fingerprint only:           {rate(len(texts), time.perf_counter() - started)}")

    bodies = [read_report(decode(data).text).body for data in texts]
    results = {}
    for label, extra in ((f"{options.names:,}", 0), (f"{2 * options.names:,}", options.names)):
        if extra:
            pool = pool + gazetteer_fill(rng, extra, taken, options.names)
        started = time.perf_counter()
        gazetteer = gazetteer_build()
        built = time.perf_counter() - started
        print(f"\n--- {label} names: automaton of {gazetteer.key_count:,} keys built in {built:.1f} s")

        sample = bodies[: options.naive_sample]
        lowered = [name.lower() for name in pool]

        def naive(sample=sample, lowered=lowered):
            for body in sample:
                text = body.lower()
                [name for name in lowered if text.find(name) >= 0]

        print(f"2. naive str.find per name (sample):   {rate(len(sample), best_of(3, naive))}")
        elapsed = best_of(3, lambda gazetteer=gazetteer: [gazetteer.find(body) for body in bodies])
        print(f"3a. matcher alone, no database:        {rate(len(bodies), elapsed)}")
        found = [gazetteer.find(body) for body in bodies]
        started = time.perf_counter()
        for body, matches in zip(bodies, found, strict=True):
            suggest(body, matches, published=None)
        print(f"3b. + suggester (sentences, kinds):    {rate(len(bodies), time.perf_counter() - started)}")

        stored = texts[: options.stored]
        if extra:
            # Fresh texts, so the second run stores as much as the first.
            stored = [article(rng, options.articles + number, pool) for number in range(len(stored))]
        started = time.perf_counter()
        statuses = [
            article_import(data=data, name=f"bench-{n}.txt", gazetteer=gazetteer).status
            for n, data in enumerate(stored)
        ]
        elapsed = time.perf_counter() - started
        assert statuses.count(ImportStatus.CREATED) == len(stored), "every generated article should be new"
        print(f"4. full import (database writes):      {rate(len(stored), elapsed)}")
        checks = 200
        checking = best_of(3, lambda checks=checks: [gazetteer_version() for _ in range(checks)])
        print(f"5. names' version check, per import:   {checking / checks * 1000:10.2f} ms")
        results[label] = len(stored) / elapsed

    first, second = results.values()
    print(
        f"\nfull import with the names doubled: {second / first:.2f}× the rate "
        f"({Article.objects.count():,} articles, {Mention.objects.count():,} mentions, "
        f"{Suggestion.objects.count():,} suggestions stored)"
    )
    if database:
        database.unlink()


if __name__ == "__main__":
    main()
