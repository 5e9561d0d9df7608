"""End-to-end fixtures: a fake Slack Web API on loopback, the real web process started the way
the Procfile starts it, and a client that signs requests the way Slack does.

Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from insights import Store
from insights.demo_loader import load_demo

REPO = Path(__file__).resolve().parents[2]
BOT_TOKEN = "xoxb-1111-2222-e2eSecretBotToken"
SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef"
BOT_USER_ID = "UBOTE2E"
TEAM_ID = "TE2E"
# Generous upper bound for a reply to land; tests wait for an event, they do not time it.
WAIT_SECONDS = 30.0


@dataclass
class Call:
    """One request the app made to 'Slack'."""

    path: str
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """A threaded loopback HTTP server standing in for Slack's Web API and response_urls."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api_url = f"{self.url}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def response_url(self, key: str) -> str:
        return f"{self.url}/respond/{key}"

    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def matching(self, predicate: Callable[[Call], bool]) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if predicate(call)]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1) -> list[Call]:
        """The first ``count`` calls matching ``predicate``, waiting for them to arrive."""
        with self._changed:
            arrived = self._changed.wait_for(
                lambda: len([c for c in self.calls if predicate(c)]) >= count,
                timeout=WAIT_SECONDS,
            )
            found = [call for call in self.calls if predicate(call)]
        assert arrived, f"expected {count} matching call(s), got {len(found)}: {found}"
        return found

    def responded(self, key: str) -> dict[str, Any]:
        """The payload posted to the response_url ``key`` (waiting for it)."""
        return self.wait_for(lambda c: c.path == f"/respond/{key}")[0].payload

    def posted_in(self, channel: str, thread_ts: str | None, count: int = 1) -> list[Call]:
        return self.wait_for(
            lambda c: (
                c.path == "/api/chat.postMessage"
                and c.payload.get("channel") == channel
                and c.payload.get("thread_ts") == thread_ts
            ),
            count,
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                payload = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
                path = self.path.split("?", 1)[0]
                fake.record(Call(path, payload, dict(self.headers.items())))
                if path.startswith("/respond/"):
                    self._send(200, b"ok", "text/plain")
                    return
                method = path.removeprefix("/api/")
                reply: dict[str, Any] = {"ok": True}
                if self.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
                    reply = {"ok": False, "error": "invalid_auth"}
                elif method == "auth.test":
                    reply.update(
                        url="https://e2e.slack.invalid/",
                        team="E2E",
                        team_id=TEAM_ID,
                        user="empathy",
                        user_id=BOT_USER_ID,
                        bot_id="BE2E",
                    )
                elif method == "chat.postMessage":
                    reply.update(
                        channel=payload.get("channel"), ts=f"1700000000.{next(fake._ts):06d}"
                    )
                elif method == "users.info":
                    reply["user"] = {"id": payload.get("user"), "tz": "Europe/Berlin"}
                else:
                    reply = {"ok": False, "error": "unknown_method"}
                self._send(200, json.dumps(reply).encode(), "application/json")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 request signature."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Response:
    status: int
    body: str
    seconds: float


class SlackClient:
    """Sends requests to the web process the way Slack does: signed, form or JSON."""

    def __init__(self, base_url: str, fake: FakeSlack) -> None:
        self.host, port = base_url.removeprefix("http://").split(":")
        self.port = int(port)
        self.fake = fake
        self._ids = itertools.count(1)

    @staticmethod
    def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
        return sign(body, timestamp, secret)

    def unique(self, prefix: str) -> str:
        return f"{prefix}{os.getpid()}x{next(self._ids)}x{time.monotonic_ns()}"

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        signed: bool = True,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> Response:
        stamp = int(time.time()) if timestamp is None else timestamp
        sent = {"Content-Type": content_type, **(headers or {})}
        if signed:
            sent["X-Slack-Request-Timestamp"] = str(stamp)
            sent["X-Slack-Signature"] = signature or sign(body, stamp)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=WAIT_SECONDS)
        started = time.monotonic()
        try:
            connection.request("POST", path, body=body, headers=sent)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", "replace")
        finally:
            connection.close()
        return Response(reply.status, text, time.monotonic() - started)

    def command_form(self, text: str, key: str, user: str = "UALICE") -> bytes:
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "team_domain": "e2e",
                "channel_id": "CGENERAL",
                "channel_name": "general",
                "user_id": user,
                "user_name": "alice",
                "command": "/empathy",
                "text": text,
                "api_app_id": "AE2E",
                "response_url": self.fake.response_url(key),
                "trigger_id": "1.2.3",
            }
        ).encode()

    def command(self, text: str, key: str | None = None, **kwargs: Any) -> tuple[Response, str]:
        """POST ``/empathy text``; returns the ack and the response_url key to wait on."""
        key = key or self.unique("cmd")
        form = self.command_form(text, key)
        return self.post(form, "application/x-www-form-urlencoded", **kwargs), key

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> Response:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "AE2E",
            "type": "event_callback",
            "event_id": event_id or self.unique("Ev"),
            "event_time": int(time.time()),
            "event": event,
        }
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(envelope).encode(), "application/json", headers=headers)

    def mention(
        self,
        text: str,
        *,
        channel: str,
        ts: str,
        thread_ts: str | None = None,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> Response:
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": "UALICE",
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, event_id=event_id, retry=retry)

    def click_share(self, value: str, key: str) -> Response:
        return self.click("share_in_channel", "empathy_share", value, key)

    def click(self, action_id: str, block_id: str, value: str, key: str) -> Response:
        """A signed ``block_actions`` payload for a button click, as Slack sends it."""
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID, "domain": "e2e"},
            "user": {"id": "UALICE", "team_id": TEAM_ID},
            "api_app_id": "AE2E",
            "token": "legacy-verification-token",
            "trigger_id": "1.2.3",
            "container": {"type": "message", "is_ephemeral": True},
            "channel": {"id": "CGENERAL", "name": "general"},
            "response_url": self.fake.response_url(key),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": "1700000000.000100",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def procfile_command(process: str = "web") -> str:
    for line in (REPO / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"no {process}: line in the Procfile")


@dataclass
class WebProcess:
    url: str
    database: Path
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def demo_database(directory: Path) -> Path:
    path = directory / "empathy.db"
    store = Store.open(path)
    load_demo(store, "local")
    store.close()
    return path


def start_web(directory: Path, fake: FakeSlack, database: Path) -> WebProcess:
    """Start the Procfile's web process (a real gunicorn) and wait for /healthz."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SLACK_") and key not in ("DATABASE_PATH", "PORT")
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PORT=str(port),
        DATABASE_PATH=str(database),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DEFAULT_TEAM_ID="local",
        LOG_LEVEL="DEBUG",
        WEB_CONCURRENCY="2",
    )
    log = directory / "web.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["bash", "-c", procfile_command("web")],
            cwd=directory,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    web = WebProcess(f"http://127.0.0.1:{port}", database, log, process)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the web process exited:\n{web.log_text()}")
        try:
            with urllib.request.urlopen(f"{web.url}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return web
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    stop_web(web)
    raise AssertionError(f"/healthz never answered:\n{web.log_text()}")


def stop_web(web: WebProcess) -> None:
    """Stop the process group we started (the shell, gunicorn's master and its workers)."""
    os.killpg(web.process.pid, signal.SIGTERM)
    try:
        web.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(web.process.pid, signal.SIGKILL)
        web.process.wait()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack) -> Iterator[WebProcess]:
    directory = tmp_path_factory.mktemp("web")
    process = start_web(directory, fake_slack, demo_database(directory))
    yield process
    stop_web(process)


@pytest.fixture
def slack(web: WebProcess, fake_slack: FakeSlack) -> SlackClient:
    return SlackClient(web.url, fake_slack)


WebFactory = Callable[[Callable[[Path], None]], tuple[WebProcess, SlackClient]]


@pytest.fixture(scope="module")
def start_another_web(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack
) -> Iterator[WebFactory]:
    """Start a separate web process whose demo database ``prepare`` may change first."""
    started: list[WebProcess] = []

    def start(prepare: Callable[[Path], None]) -> tuple[WebProcess, SlackClient]:
        directory = tmp_path_factory.mktemp("other-web")
        database = demo_database(directory)
        prepare(database)
        process = start_web(directory, fake_slack, database)
        started.append(process)
        return process, SlackClient(process.url, fake_slack)

    yield start
    for process in started:
        stop_web(process)
