"""The web process, started as the Procfile starts it, on a database it cannot use (one a
newer release migrated): its health check answers 503, says only that the database is
unavailable, and logs why."""

from __future__ import annotations

import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from harness import SIGNING_SECRET, app_env, demo_database

from benchmarks import procfile

if TYPE_CHECKING:
    from harness import FakeSlack

ANSWER_WITHIN_SECONDS = 60  # generous: the process starts on a shared 2-core machine


def from_a_newer_release(database: Path) -> None:
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'newer')")


def first_health_answer(url: str, process: subprocess.Popen[bytes]) -> tuple[int, str]:
    """The status and body of the first /healthz the process answers, whatever it is."""
    deadline = time.monotonic() + ANSWER_WITHIN_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the web process exited"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError("/healthz never answered")


def test_a_database_it_cannot_use_fails_the_health_check_with_503(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    database = demo_database(tmp_path)
    from_a_newer_release(database)
    env = app_env(fake_slack, database) | {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "PORT": str(procfile.free_port()),
    }
    log = tmp_path / "web.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            ["bash", "-c", procfile.procfile_command("web")],
            cwd=tmp_path,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        status, body = first_health_answer(f"http://127.0.0.1:{env['PORT']}", process)
    finally:
        procfile.stop(process)
    assert (status, body) == (503, "database unavailable")
    logged = log.read_text(errors="replace")
    assert "newer than this program knows" in logged
    assert "Health check: the database does not answer" in logged
