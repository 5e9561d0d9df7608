"""Digest fixtures: a scriptable fake Slack Web API on loopback, a demo database, settings,
and a way to run ``empathy digests …`` as the CLI runs it.

Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from click.testing import CliRunner, Result

from bot.digest_cli import digests
from bot.settings import Settings
from insights import Store
from insights import subscriptions as subs
from insights.demo_loader import load_demo
from insights.schedule import parse_weekly

BOT_TOKEN = "xoxb-test"
TEAM = "local"
CHANNEL = "CCXTEAM"


@dataclass
class Call:
    method: str
    payload: dict[str, Any]


@dataclass
class Scripted:
    """A canned reply: HTTP ``status``, JSON ``body`` and extra ``headers``."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """Records every Web API call; replies come from per-method scripts, then defaults."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.scripts: dict[str, list[Scripted]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.post_delay = 0.0
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, method: str, *replies: Scripted) -> None:
        """Answer the next calls of ``method`` with ``replies``, in order."""
        with self._lock:
            self.scripts.setdefault(method, []).extend(replies)

    def posts(self, channel: str | None = None) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == "chat.postMessage"
                and (channel is None or c.payload.get("channel") == channel)
            ]

    def delivered(self, channel: str | None = None) -> int:
        """How many posts Slack accepted (the ones answered ok with a ts)."""
        with self._lock:
            return sum(
                1
                for c in self.calls
                if c.method == "chat.postMessage"
                and c.payload.get("_accepted")
                and (channel is None or c.payload.get("channel") == channel)
            )

    def _reply(self, method: str, payload: dict[str, Any], auth: str | None) -> Scripted:
        with self._lock:
            queued = self.scripts.get(method)
            scripted = queued.pop(0) if queued else None
        if auth != f"Bearer {BOT_TOKEN}":
            return Scripted(body={"ok": False, "error": "invalid_auth"})
        if scripted is not None:
            return scripted
        if method == "chat.postMessage":
            if self.post_delay:
                time.sleep(self.post_delay)  # widens the window two racing workers share
            payload["_accepted"] = True
            ts = f"1700000000.{next(self._ts):06d}"
            return Scripted(body={"ok": True, "channel": payload.get("channel"), "ts": ts})
        if method == "users.info":
            user = {"id": payload.get("user"), **self.users.get(str(payload.get("user")), {})}
            return Scripted(body={"ok": True, "user": user})
        return Scripted(body={"ok": False, "error": "unknown_method"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                payload = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
                method = self.path.split("?", 1)[0].removeprefix("/api/")
                call = Call(method, payload)
                with fake._lock:
                    fake.calls.append(call)
                reply = fake._reply(method, payload, self.headers.get("Authorization"))
                body = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo survey, built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "empathy.db"
    store = Store.open(path)
    load_demo(store, TEAM)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "empathy.db"
    path.write_bytes(demo_template.read_bytes())
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path)
    yield opened
    opened.close()


@pytest.fixture
def settings(db_path: Path, fake_slack: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=db_path,
        slack_bot_token=BOT_TOKEN,  # type: ignore[arg-type]
        slack_api_url=fake_slack.api_url,
        default_team_id=TEAM,
        admin_user_ids=[],
        default_timezone="UTC",
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def subscribe_channel(store: Store) -> Any:
    """Subscribe a channel directly in the store: (spec, created_at, channel, filters)."""

    def make(
        spec: str = "weekly monday 09:00 Europe/Berlin",
        created: str = "2026-03-28T00:00:00Z",
        channel: str = CHANNEL,
        query: str = "gap",
    ) -> subs.Subscription:
        schedule, _ = parse_weekly(spec, "UTC")
        return subs.subscribe(store, TEAM, channel, schedule, query, "UADMIN", utc(created))

    return make


@dataclass
class DigestsCli:
    """Runs ``empathy digests ARGS`` in-process, configured through the environment."""

    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str) -> Result:
        runner = CliRunner()
        previous = Path.cwd()
        os.chdir(self.cwd)  # no stray .env from the repository
        try:
            return runner.invoke(digests, list(args), env=self.env, catch_exceptions=False)
        finally:
            os.chdir(previous)

    def process(self, *args: str) -> subprocess.Popen[str]:
        """The same command in a separate OS process (its own database connection)."""
        code = "from bot.digest_cli import digests; digests(prog_name='empathy digests')"
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@pytest.fixture
def cli(tmp_path: Path, db_path: Path, fake_slack: FakeSlack) -> DigestsCli:
    env = {
        "DATABASE_PATH": str(db_path),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "DEFAULT_TEAM_ID": TEAM,
        "ADMIN_USER_IDS": "",
        "DEFAULT_TIMEZONE": "UTC",
    }
    return DigestsCli(env, tmp_path)


@pytest.fixture
def client(fake_slack: FakeSlack) -> Any:
    from slack_sdk import WebClient

    return WebClient(base_url=fake_slack.api_url, token=BOT_TOKEN)
