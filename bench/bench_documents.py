"""Benchmark importing each format the importer reads: documents per second, reading alone and stored.

Run: ``DEBUG=1 .venv/bin/python bench/bench_documents.py`` (options: ``--help``). It needs the development
requirements (fpdf2 makes the PDFs, as in the tests).

It migrates a throwaway SQLite database under /tmp (or ``--database-url``), loads the Palmyra fixture so the
documents name real monuments, makes ``--count`` distinct files of each kind with the tests' builders
(tests/document_files.py: a cluttered news page, a three-page assessment PDF, a two-page scan, a WARC and a
WACZ each holding that page and that PDF; and seed 000 as plain text), and prints for each kind:

- read: the pure step alone (decoding, or trafilatura, pypdf, warcio), no database;
- import: ``article_import`` as ``import_articles`` and the admin call it: read, fingerprint, store the
  file's bytes, the article, its mentions and suggestions, one transaction per file.

Rates are documents per second; a web archive holds two documents, so its files per second are half that.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus(count: int) -> dict[str, list[tuple[str, bytes, int]]]:
    """Return ``count`` distinct files of each kind: (name, bytes, documents it holds), no two the same bytes."""
    from tests import document_files as files

    story = (ROOT / "seeds" / "000_510c1c6efbd3d72d.txt").read_bytes()
    made: dict[str, list[tuple[str, bytes, int]]] = {}

    def page(tail: str) -> bytes:
        return files.news_page(title=f"IS destroys Palmyra's Tetrapylon ({tail})", story=(*files.STORY, tail))

    def pdf(tail: str) -> bytes:
        return files.pdf((*files.ASSESSMENT_PAGES[:2], f"{files.ASSESSMENT_PAGES[2]} {tail}"))

    def archive(tail: str) -> bytes:
        return files.warc(
            [
                (f"{files.PAGE_URL}?{tail}", "text/html; charset=utf-8", page(tail), files.PAGE_CAPTURED),
                (f"{files.PDF_URL}?{tail}", "application/pdf", pdf(tail), files.PDF_CAPTURED),
            ]
        )

    for number in range(count):
        made.setdefault("text", []).append((f"r{number}.txt", story + f"\nText {number}.\n".encode(), 1))
        made.setdefault("html", []).append((f"p{number}.html", page(f"Page {number}."), 1))
        made.setdefault("pdf", []).append((f"a{number}.pdf", pdf(f"PDF {number}."), 1))
        made.setdefault("scan", []).append((f"s{number}.pdf", files.scanned_pdf(2, shade=number), 1))
        made.setdefault("warc", []).append((f"c{number}.warc.gz", archive(f"WARC {number}."), 2))
        made.setdefault("wacz", []).append((f"c{number}.wacz", files.wacz(archive(f"WACZ {number}.")), 2))
    return made


def read_only(kind: str, data: bytes) -> None:
    """Run the pure step for a file of ``kind``: what the import does before it touches the database."""
    from register.ingest.decoding import decode
    from register.ingest.documents import document_from_page, document_from_pdf
    from register.ingest.html import read_page
    from register.ingest.pdf import read_pdf
    from register.ingest.report import read_report
    from register.ingest.web_archive import read_wacz, read_warc

    if kind == "text":
        read_report(decode(data).text)
    elif kind == "html":
        document_from_page(read_page(data))
    elif kind in ("pdf", "scan"):
        document_from_pdf(read_pdf(data))
    else:
        archive = (read_warc if kind == "warc" else read_wacz)(data)
        for capture in archive.captures:
            read_only("html" if capture.format == "html" else "pdf", capture.payload)


def rate(documents: int, seconds: float) -> str:
    return f"{documents / seconds:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=60, help="Files of each kind (default 60).")
    parser.add_argument("--rounds", type=int, default=3, help="Times the reading is repeated; the best counts.")
    parser.add_argument("--database-url", default="", help="A PostgreSQL database to use instead of SQLite.")
    options = parser.parse_args()

    database = None if options.database_url else Path(tempfile.mkdtemp(prefix="bench-documents-")) / "register.sqlite3"
    os.environ["DATABASE_URL"] = options.database_url or f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from register.services.articles import article_import, gazetteer_current

    call_command("migrate", verbosity=0)
    call_command("loaddata", "palmyra", verbosity=0)
    gazetteer = gazetteer_current()
    made = corpus(options.count)

    print(f"{options.count} files of each kind; documents per second (a web archive holds 2 documents)")
    print(f"{'kind':<6} {'read':>10} {'import':>10}  stored")
    for kind, items in made.items():
        documents = sum(held for _name, _data, held in items)
        timings = []
        # One pass first, unmeasured: the first call of each library compiles its patterns and loads its tables.
        for _round in range(options.rounds + 1):
            started = time.perf_counter()
            for _name, data, _held in items:
                read_only(kind, data)
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        results = [article_import(data=data, name=name, gazetteer=gazetteer, seconds=60) for name, data, _ in items]
        imported = time.perf_counter() - started
        statuses = {str(result.status) for result in results}
        stored = sum(len(result.documents) or 1 for result in results if result.status == "created")
        outcome = ", ".join(sorted(statuses))
        print(
            f"{kind:<6} {rate(documents, min(timings[1:])):>10} {rate(documents, imported):>10}  {stored} ({outcome})"
        )
        if statuses != {"created"}:
            failed = next(result for result in results if result.status != "created")
            print(f"       first not created: {failed.file}: {failed.status} {failed.error}")
    print(f"reading: best of {options.rounds}; spread {statistics.pstdev(timings[1:]):.3f} s on the last kind")


if __name__ == "__main__":
    main()
