"""Benchmark the register at several sizes on PostgreSQL, each figure beside a raw baseline from the same run.

For each size a database ``heritage_bench_<label>`` is generated with
``generate_register`` (reused when it already holds that many monuments), then
a child process measures it in-process, calling the project's WSGI application
as gunicorn calls it (no network, no server: the figures are the application's
own cost as served). Each case runs ``--repeat`` times after a warm-up; the
table gives the median and p95 time, the SQL queries of one request
(CaptureQueriesContext), and the same for a baseline: the rows the request
shows, read with one raw SQL query and dumped with the standard json module.
The table is printed and written to docs/PERFORMANCE.md with the machine and
database it ran on.

    make bench                                      # 1,000 and 250,000 monuments
    .venv/bin/python bench/bench_register.py --sizes 1000,50000 --repeat 20
"""

import argparse
import base64
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlencode
from wsgiref.util import setup_testing_defaults

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SEED = 1


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


# Parent: generate the databases, run a child per size, write the table.


def admin_connection():
    import psycopg

    return psycopg.connect(f"{PG}/postgres", autocommit=True)


def monuments_in(database: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(f"{PG}/{database}") as connection:
            return connection.execute("SELECT count(*) FROM register_monument").fetchone()[0]
    except psycopg.Error:
        return None


def prepare(size: int) -> str:
    """Return the URL of a database holding a generated register of ``size`` monuments."""
    database = f"heritage_bench_{label(size)}"
    url = f"{PG}/{database}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    if monuments_in(database) == size:
        print(f"Reusing {database} ({size} monuments), migrated to the code's schema.", flush=True)
        subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
        subprocess.run(["psql", url, "-qc", "ANALYZE"], check=True)
        return url
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "generate_register", "--monuments", str(size), "--seed", str(SEED)], check=True, env=env, cwd=ROOT
    )
    print(f"Generated {database} in {time.perf_counter() - started:.0f} s.", flush=True)
    subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    return url


def machine() -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres") as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {version} on the same machine (loopback)"
    )


def table(results: list[dict]) -> str:
    lines = [
        "| size | case | median ms | p95 ms | queries | baseline median ms | baseline p95 ms | ratio (median) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row['size']:,} | {row['case']} | {row['median']:.1f} | {row['p95']:.1f} | {row['queries']} "
            f"| {row['base_median']:.1f} | {row['base_p95']:.1f} | {row['median'] / row['base_median']:.2f}x |"
        )
    return "\n".join(lines)


def write_report(results: list[dict], repeat: int, path: Path) -> None:
    report = f"""# Performance

Measured by `make bench` (`bench/bench_register.py`) on {dt.date.today():%Y-%m-%d}.

- Machine: {machine()}.
- Data: `generate_register --seed {SEED}` (a mean of 4 incidents per monument, each with a quote;
  20 quotes per article; one monument in 20 restored), one PostgreSQL database per size, `VACUUM ANALYZE`d.
- Method: in-process, each request a call of the WSGI application as gunicorn makes it, as served (`DEBUG`
  off; no network, no server, no cache), {repeat} requests per case after a warm-up; median and 95th
  percentile wall time; SQL queries of one request (counted with the query log on for that one request only).
- Baseline, measured in the same run, each baseline query timed in turn with its request: the rows the
  request shows (every column it shows), read with one raw SQL query on the same connection and dumped with
  `json.dumps`. The ratio is the request's median over the baseline's.

{table(results)}
"""
    path.write_text(report, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,250000", help="Monument counts, comma-separated.")
    parser.add_argument("--repeat", type=int, default=60, help="Requests per case (after a warm-up).")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure, args.repeat)
    results = []
    for size in (int(value) for value in args.sizes.split(",")):
        url = prepare(size)
        # Measured as served: DEBUG off (no query log), without the TLS redirect an in-process request cannot follow.
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-not-a-secret",
            "ALLOWED_HOSTS": "localhost",
            "SECURE_SSL_REDIRECT": "false",
            "API_ANON_RATE": "1000000/second",
        }
        # Pages load their static files through the manifest, as served (`make serve` collects them too).
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            check=True,
            env=env,
            cwd=ROOT,
        )
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(size), "--repeat", str(args.repeat)],
            check=False,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(child.stderr)
        child.check_returncode()
        results += json.loads(child.stdout)
    print(table(results))
    write_report(results, args.repeat, args.output)
    print(f"Written to {args.output}.")


# Child: measure one database, print the rows as JSON.


def timed(run, baseline, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return (median, p95) in ms of ``run`` and of ``baseline``, timed in turn.

    Taking turns, not one series after the other, so a change in the machine's speed during the run (a shared
    machine's varies by tens of percent over minutes) weighs on both alike and the ratio stays fair.
    """
    for _ in range(3):
        run()
        baseline()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, series in ((run, times[0]), (baseline, times[1])):
            started = time.perf_counter()
            function()
            series.append((time.perf_counter() - started) * 1000)
    return tuple(
        (statistics.median(series), statistics.quantiles(series, n=20, method="inclusive")[18]) for series in times
    )


def measure(size: str, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from heritage.wsgi import application
    from register.models import Incident, Monument
    from register.services.articles import article_import

    def raw(sql: str, params=()):
        def run():
            # The request before it ended by marking the connection for a health check (CONN_HEALTH_CHECKS), a
            # round trip that each request pays as it starts: not the baseline's.
            connection.health_check_done = True
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                columns = [column.name for column in cursor.description]
                return json.dumps([dict(zip(columns, row, strict=True)) for row in cursor.fetchall()], default=str)

        return run

    def get(url: str, params=None):
        """Return a function that GETs ``url`` through the WSGI application as a server calls it.

        Not through the test Client: it adds test-only work to every request (receivers connected and
        disconnected to record templates and exceptions, context and resolver match kept on the response),
        and skips what a served request does to its database connection (close_old_connections as it starts
        and ends, so CONN_MAX_AGE and the health check apply). Both are a few tenths of a millisecond.
        """
        # PATH_INFO decoded to bytes and carried as latin-1, as servers pass it (PEP 3333).
        path = unquote_to_bytes(url).decode("latin-1")
        query = urlencode(params or {}, doseq=True)

        def run():
            environ = {
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "HTTP_HOST": "localhost",
                "SERVER_NAME": "localhost",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1",
            }
            setup_testing_defaults(environ)  # GET, port 80, http, an empty wsgi.input: the rest a server sets.
            statuses = []

            def start_response(status, headers, exc_info=None):
                statuses.append(status)

            response = application(environ, start_response)
            try:
                content = b"".join(response)
            finally:
                response.close()  # As a server does: it sends request_finished.
            status = int(statuses[-1].split()[0])
            assert status == 200, (url, status, content[:300])
            return content

        return run

    def cursor_for(field: str, value, pk: int) -> str:
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        token = json.dumps([field, value, pk, False], separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")

    deep_monument = Monument.objects.order_by("name", "id")[int(size) // 2]
    deep_incident = Incident.objects.order_by("occurred_earliest", "id")[Incident.objects.count() // 2]
    site = Monument.objects.sites().order_by("id")[len(Monument.objects.sites()[:10]) // 2]
    incident = Incident.objects.order_by("id")[Incident.objects.count() // 3]
    arabic = site.names.filter(language="ar").first().name
    word = site.name.split()[-1]

    # The baseline reads what the response shows: a monument's row, its site's slug, and its alternate names.
    monument_columns = (
        "m.id, m.slug, m.name, m.kind, m.latitude, m.longitude, m.built, m.built_earliest_year, "
        "m.built_latest_year, m.description, m.wikidata, m.unesco_ref, m.condition, m.condition_baseline, "
        "m.incident_count, m.evidence_count, m.created, m.updated, p.slug AS part_of, "
        "(SELECT json_agg(json_build_object('name', n.name, 'language', n.language, 'note', n.note) "
        "ORDER BY n.language, n.name) FROM register_alternatename n WHERE n.monument_id = m.id) AS names"
    )
    monument_from = "register_monument m LEFT JOIN register_monument p ON p.id = m.part_of_id"
    # An incident's row, its subject, and each quote with its article, the article's publisher and carrying
    # outlet, and the source it cites: every column the response shows, one row per quote.
    source_columns = (
        "{0}.id AS {0}_id, {0}.slug AS {0}_slug, {0}.name AS {0}_name, "
        "{0}.short_name AS {0}_short, {0}.kind AS {0}_kind"
    )
    incident_columns = (
        "i.id, i.slug, i.kind, i.grade, i.occurred, i.occurred_earliest, i.occurred_latest, i.reported, "
        "i.reported_earliest, i.reported_latest, i.summary, i.perpetrator, i.strength, i.certainty, i.created, "
        "i.updated, m.id AS monument_id, m.slug AS monument, m.name AS monument_name, t.id AS artefact_id, "
        "t.slug AS artefact, t.name AS artefact_name, e.id AS evidence, e.quote, e.position, e.note, e.stance, "
        "e.cited_person, e.asserted, e.asserted_earliest, e.asserted_latest, e.created AS evidence_created, "
        "e.updated AS evidence_updated, a.id AS article, a.title, a.published, a.url, a.sha256, "
        f"{source_columns.format('s')}, {source_columns.format('c')}, q.slug AS cited_source, q.name AS cited_name"
    )
    # The page of incidents first, then what it shows: with nine tables PostgreSQL keeps the join order written.
    incident_joins = (
        "LEFT JOIN register_monument m ON m.id = i.monument_id "
        "LEFT JOIN register_artefact t ON t.id = i.artefact_id "
        "JOIN register_evidence e ON e.incident_id = i.id "
        "JOIN register_article a ON a.id = e.article_id JOIN register_source s ON s.id = a.publisher_id "
        "LEFT JOIN register_source c ON c.id = a.carried_by_id LEFT JOIN register_source q ON q.id = e.cited_source_id"
    )

    def incident_page(where: str) -> str:
        page = f"SELECT * FROM register_incident {where} ORDER BY occurred_earliest, id LIMIT 100"
        return f"SELECT {incident_columns} FROM ({page}) i {incident_joins} ORDER BY i.occurred_earliest, i.id, e.id"

    import_counter = iter(range(10**6))

    def import_one():
        number = next(import_counter)
        text = (
            f"date 2017-03-0{number % 9 + 1} Bench report {number}\n\n"
            f"Shelling damaged the {site.name} last week, a monitor said, in report {number}.\n"
        )
        with transaction.atomic():
            result = article_import(data=text.encode(), name=f"bench-{number}.txt")
            assert result.article is not None
            transaction.set_rollback(True)

    def import_baseline():
        number = next(import_counter)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO register_article (title, publisher_id, byline, dateline, url, language, raw_text, body, "
                "sha256, source_file, encoding, needs_review, review_note, created, updated, version, format, kind, "
                "page_starts, payload_digest, warc_record_id, imagery_provider) "
                "SELECT %s, id, '', '', '', 'en', %s, %s, md5(%s) || md5(%s), '', 'utf-8', false, '', now(), now(), 1, "
                "'text', 'news_report', '[]', '', '', '' "
                "FROM register_source LIMIT 1 RETURNING id",
                ["Bench", f"raw {number}", f"body {number}", str(number), "x"],
            )
            json.dumps(cursor.fetchall())
            transaction.set_rollback(True)

    cases = [
        (
            "API monuments, first page",
            get("/api/v1/monuments/"),
            raw(f"SELECT {monument_columns} FROM {monument_from} ORDER BY m.name, m.id LIMIT 100"),
        ),
        (
            "API monuments, deep page",
            get("/api/v1/monuments/", {"cursor": cursor_for("name", deep_monument.name, deep_monument.pk)}),
            raw(
                f"SELECT {monument_columns} FROM {monument_from} WHERE (m.name, m.id) > (%s, %s) "
                "ORDER BY m.name, m.id LIMIT 100",
                [deep_monument.name, deep_monument.pk],
            ),
        ),
        (
            "API monuments, kind + condition",
            get("/api/v1/monuments/", {"kind": "temple", "condition": "destroyed"}),
            raw(
                f"SELECT {monument_columns} FROM {monument_from} WHERE m.kind = 'temple' AND m.condition = 'destroyed' "
                "ORDER BY m.name, m.id LIMIT 100"
            ),
        ),
        (
            "API monuments, q (Arabic)",
            get("/api/v1/monuments/", {"q": arabic}),
            # The search's own condition (every word a prefix, over the names' and descriptions' GIN indexes).
            raw(
                f"SELECT {monument_columns} FROM {monument_from} WHERE m.id IN (SELECT id FROM register_monument "
                "WHERE (setweight(to_tsvector('simple', COALESCE(name, '')), 'A') || "
                "setweight(to_tsvector('simple', COALESCE(description, '')), 'C')) @@ to_tsquery('simple', %s) "
                "UNION SELECT monument_id FROM register_alternatename "
                "WHERE setweight(to_tsvector('simple', COALESCE(name, '')), 'B') @@ to_tsquery('simple', %s)) "
                "ORDER BY m.name, m.id LIMIT 100",
                [f"'{arabic}':*", f"'{arabic}':*"],
            ),
        ),
        (
            "API incidents, first page",
            get("/api/v1/incidents/"),
            raw(incident_page("")),
        ),
        (
            "API incidents, deep page",
            get(
                "/api/v1/incidents/",
                {"cursor": cursor_for("occurred_earliest", deep_incident.occurred_earliest, deep_incident.pk)},
            ),
            raw(
                incident_page("WHERE (occurred_earliest, id) > (%s, %s)"),
                [deep_incident.occurred_earliest, deep_incident.pk],
            ),
        ),
        (
            "API incidents, date window + grade",
            get(
                "/api/v1/incidents/",
                {"occurred_after": "2015-06-01", "occurred_before": "2015-06-30", "grade": "destroyed"},
            ),
            raw(
                incident_page(
                    "WHERE occurred_latest >= '2015-06-01' AND occurred_earliest <= '2015-06-30' "
                    "AND grade = 'destroyed' "
                    # The same overlap as a range, so the baseline may use the GiST index the application uses.
                    "AND daterange(occurred_earliest, occurred_latest, '[]') "
                    "&& daterange('2015-06-01', '2015-06-30', '[]')"
                )
            ),
        ),
        (
            "API monument detail",
            get(f"/api/v1/monuments/{site.slug}/"),
            raw(f"SELECT {monument_columns} FROM {monument_from} WHERE m.slug = %s", [site.slug]),
        ),
        (
            "API incident detail",
            get(f"/api/v1/incidents/{incident.slug}/"),
            raw(
                f"SELECT {incident_columns} FROM register_incident i {incident_joins} WHERE i.slug = %s ORDER BY e.id",
                [incident.slug],
            ),
        ),
        (
            "Monument page (a site)",
            get(f"/monuments/{site.slug}/"),
            raw(
                f"SELECT {monument_columns} FROM {monument_from} WHERE m.id = %s OR m.part_of_id = %s",
                [site.pk, site.pk],
            ),
        ),
        (
            "Search page",
            get("/search/", {"q": word}),
            raw(
                f"SELECT {monument_columns} FROM {monument_from} WHERE m.name ILIKE %s ORDER BY m.name LIMIT 51",
                [f"%{word}%"],
            ),
        ),
        ("Article import", import_one, import_baseline),
    ]
    rows = []
    for name, run, baseline in cases:
        # Counted at once: each request clears the query log as it starts.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            run()
        queries = len(captured)
        with CaptureQueriesContext(connection) as captured_baseline:
            baseline()
        base_queries = len(captured_baseline)
        (median, p95), (base_median, base_p95) = timed(run, baseline, repeat)
        rows.append(
            {
                "size": int(size),
                "case": name,
                "median": median,
                "p95": p95,
                "queries": queries,
                "base_median": base_median,
                "base_p95": base_p95,
                "base_queries": base_queries,
            }
        )
        print(f"{size}: {name}: {median:.1f} ms (baseline {base_median:.1f} ms)", file=sys.stderr, flush=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
