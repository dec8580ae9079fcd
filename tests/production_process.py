"""Run a script in a fresh Python process configured as `make serve` runs Django (DEBUG off)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "register.example.org"


def run_in_production(script: str, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    """Run ``script`` with DEBUG off, a real secret key and host, and ``variables`` set over the environment."""
    chosen_here = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "LOG_LEVEL", "SERVE_MEDIA", "MEDIA_ROOT", *variables}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **{key: value for key, value in os.environ.items() if key not in chosen_here},
            "DJANGO_SETTINGS_MODULE": "heritage.settings",
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            **variables,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
