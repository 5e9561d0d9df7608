"""End to end: the Procfile's web process under a burst of signed slash commands.

A small fake of Slack's Web API and response_urls listens on loopback; the real web
process (uvicorn, started with the Procfile's own command line) is pointed at it. A burst
sends N signed ``/empathy`` commands at once and records, for each, how long the ack took
and when the answer arrived at its response_url. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import multiprocessing
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from benchmarks import procfile

BOT_TOKEN = "xoxb-0000-0000-benchmarkToken"
SIGNING_SECRET = "benchmark-signing-secret-0123456789"
TEAM_ID = "TBENCH"
WAIT_SECONDS = 120.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # a burst must not overflow the listen backlog (1 s SYN retry)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    arrivals: Queue[tuple[str, float, str]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        arrived = time.monotonic()  # CLOCK_MONOTONIC: comparable across processes
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        path = self.path.split("?", 1)[0]
        if path.startswith("/respond/"):
            payload = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
            text = str(payload.get("text", ""))[:120]
            self.arrivals.put((path.removeprefix("/respond/"), arrived, text))
            self._send(b"ok", "text/plain")
            return
        reply: dict[str, Any] = {"ok": True}
        if path.endswith("/auth.test"):
            reply.update(team_id=TEAM_ID, user_id="UBENCH", bot_id="BBENCH")
        self._send(json.dumps(reply).encode(), "application/json")

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(ports: Queue[int], arrivals: Queue[tuple[str, float, str]]) -> None:
    """The fake's own process, so its work does not slow the client measuring the bot."""
    handler = type("Handler", (_Handler,), {"arrivals": arrivals})
    server = _Server(("127.0.0.1", 0), handler)
    ports.put(int(server.server_address[1]))
    server.serve_forever()


class FakeSlack:
    """Slack's Web API and response_urls on loopback, in a separate process; records when
    each response_url was answered, and the start of the answer's text."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        ports: Queue[int] = context.Queue()
        self._arrivals: Queue[tuple[str, float, str]] = context.Queue()
        self._process = context.Process(target=_serve, args=(ports, self._arrivals), daemon=True)
        self._process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=60)}"
        self.answers: dict[str, tuple[float, str]] = {}
        self._arrived = threading.Condition()
        self._collector = threading.Thread(target=self._collect, daemon=True)
        self._collector.start()

    def _collect(self) -> None:
        while True:
            try:
                key, arrived, text = self._arrivals.get()
            except (EOFError, OSError):
                return
            with self._arrived:
                self.answers[key] = (arrived, text)
                self._arrived.notify_all()

    def close(self) -> None:
        self._process.terminate()
        self._process.join(timeout=10)

    def wait(self, keys: list[str]) -> bool:
        with self._arrived:
            return self._arrived.wait_for(
                lambda: all(key in self.answers for key in keys), timeout=WAIT_SECONDS
            )


@contextmanager
def web_process(
    database: Path, fake: FakeSlack, directory: Path, workers: int
) -> Iterator[tuple[str, Path]]:
    """The Procfile's web command, serving ``database``; yields its URL and log file."""
    env = procfile.app_env(
        api_url=f"{fake.url}/api/", database=database, bot_token=BOT_TOKEN, log_level="WARNING"
    )
    env.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, WEB_CONCURRENCY=str(workers))
    log = directory / "web.log"
    try:
        url, process = procfile.start_web(directory, env, log)
    except RuntimeError as error:
        raise SystemExit(str(error)) from None
    try:
        yield url, log
    finally:
        procfile.stop(process)


def _signed_command(text: str, response_url: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "bench",
            "channel_id": "CBENCH",
            "channel_name": "bench",
            "user_id": "UALICE",
            "user_name": "alice",
            "command": "/empathy",
            "text": text,
            "api_app_id": "ABENCH",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    ).encode()
    stamp = str(int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + body
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    return body, headers


@dataclass
class Burst:
    acks: list[float]  # seconds from sending to the HTTP 200
    answers: list[float]  # seconds from sending to the answer at the response_url
    errors: list[str]


def burst(url: str, fake: FakeSlack, text: str, concurrency: int, tag: str) -> Burst:
    """``concurrency`` signed ``/empathy text`` requests released at the same instant."""
    host, port = url.removeprefix("http://").split(":")
    keys = [f"{tag}-{i}" for i in range(concurrency)]
    started: dict[str, float] = {}
    acks: dict[str, float] = {}
    errors: list[str] = []
    gate = threading.Barrier(concurrency)

    def send(key: str) -> None:
        body, headers = _signed_command(text, f"{fake.url}/respond/{key}")
        connection = http.client.HTTPConnection(host, int(port), timeout=WAIT_SECONDS)
        gate.wait()
        started[key] = time.monotonic()
        try:
            connection.request("POST", "/slack/events", body=body, headers=headers)
            reply = connection.getresponse()
            reply.read()
            acks[key] = time.monotonic() - started[key]
            if reply.status != 200:
                errors.append(f"HTTP {reply.status}")
        except OSError as error:
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not fake.wait([key for key in keys if key in acks]):
        errors.append("some answers never reached their response_url")
    answers = []
    for key in keys:
        if key not in fake.answers:
            continue
        arrived, text = fake.answers[key]
        answers.append(arrived - started[key])
        if "Empathy gap" not in text:
            errors.append(f"not an answer: {text[:80]!r}")
    return Burst(list(acks.values()), answers, errors)
