"""Load test: the production configuration under 32 concurrent clients, on loopback only.

Serves the register with gunicorn and whitenoise (DEBUG off, the production
security settings, PostgreSQL), loads the Palmyra data, and drives wrk at the
public pages and the API for a bounded time. Prints requests per second, p50
and p99 latency and the count of non-2xx answers, writes them to
docs/LOAD.md, and exits 1 when any request failed.

    .venv/bin/python bench/load_test.py            # 32 clients, 60 s
    .venv/bin/python bench/load_test.py --seconds 10 --clients 8

Needs wrk (Debian package `wrk`) and a PostgreSQL server; it creates and drops
its own database. Traffic goes to 127.0.0.1 only.
"""

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = Path(__file__).with_name("load_urls.lua")
REPORT = ROOT / "docs" / "LOAD.md"
HOST = "127.0.0.1"


def run(*args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def wait_until_serving(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # As wrk does: say TLS was terminated in front, or the app redirects to https.
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 (loopback URL built above)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds} s")


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> dict:
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    statuses = dict(re.findall(r"^status (\d+): (\d+)$", output, re.MULTILINE))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "requests": requests,
        "statuses": {code: int(count) for code, count in statuses.items()},
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="heritage_load")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    server_url = f"postgres://postgres@{HOST}:5432"
    env = {
        **os.environ,
        "DATABASE_URL": f"{server_url}/{arguments.database}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        # wrk speaks plain HTTP on loopback; it stands for the TLS proxy and says so in a header.
        "TRUST_X_FORWARDED_PROTO": "true",
        # The anonymous throttle would answer 429 to a load test by design.
        "API_ANON_RATE": "1000000/minute",
        "STATIC_ROOT": "/tmp/heritage-load-static",
    }
    admin_env = {**env, "DATABASE_URL": f"{server_url}/postgres"}
    run(
        PYTHON,
        "-c",
        f"""
import psycopg
with psycopg.connect("{server_url}/postgres", autocommit=True) as c:
    c.execute('DROP DATABASE IF EXISTS "{arguments.database}"')
    c.execute('CREATE DATABASE "{arguments.database}"')
""",
        env=admin_env,
    )
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(PYTHON, "manage.py", "loaddata", "palmyra", "-v0", env=env)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)

    base = f"http://{HOST}:{arguments.port}"
    server = subprocess.Popen(
        [
            GUNICORN,
            "heritage.wsgi",
            "--bind",
            f"{HOST}:{arguments.port}",
            "--workers",
            str(arguments.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_serving(f"{base}/monuments/")
        result = subprocess.run(
            [
                "wrk",
                "--threads",
                "2",
                "--connections",
                str(arguments.clients),
                "--duration",
                f"{arguments.seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "--script",
                str(LUA),
                base,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=arguments.seconds + 60,
        )
        if result.returncode != 0:
            raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(result.stdout)
    figures = parse_wrk(result.stdout)
    failed = sum(n for code, n in figures["statuses"].items() if not code.startswith("2")) + figures["socket_errors"]
    # Other work on the machine during the run shows here; the figures are only as clean as this.
    machine = f"{platform.node()} ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
    line = (
        f"| {dt.date.today()} | {machine} | {arguments.clients} | {arguments.seconds} s | {figures['requests']} "
        f"| {figures['rps']:.1f} | {figures['p50']:.1f} | {figures['p99']:.1f} | {failed} |"
    )
    print(line)
    REPORT.parent.mkdir(exist_ok=True)
    if not REPORT.exists():
        REPORT.write_text(
            "# Load test\n\n`bench/load_test.py`: gunicorn "
            f"({arguments.workers} workers) + whitenoise, DEBUG off with the production security settings, "
            "PostgreSQL, the Palmyra data; wrk on loopback cycling through the public pages and the API "
            "(see `bench/load_urls.lua`).\n\n"
            "| date | machine | clients | duration | requests | req/s | p50 ms | p99 ms | failed |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
        )
    with REPORT.open("a") as report:
        report.write(line + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
