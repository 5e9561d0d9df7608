"""Slow, silent or oversized clients cannot stop the web process.

The attack of issue 13: connections that announce a large body and then send it a byte at a
time, or never finish their headers, or send nothing at all. No signature is needed to open
one, so while they are held every signed command and every health check must still be
answered, and the process must end each of them after its timeout.
"""

from __future__ import annotations

import http.client
import select
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fake_slack import WAIT_SECONDS

if TYPE_CHECKING:
    from harness import FakeSlack, WebControl, WebProcess

BODY_TIMEOUT = 10  # HTTP_BODY_TIMEOUT_SECONDS of the process under attack
HEAD_TIMEOUT = 10  # HTTP_HEADER_TIMEOUT_SECONDS
TIMEOUTS = {
    "HTTP_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
    "HTTP_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT),
}
# The attack stops by itself after this long, so that a server which never ends a slow
# connection fails the test instead of hanging it.
GIVE_UP = 60.0
SLACK_ACK_LIMIT = 3.0  # Slack shows the user an error after this many seconds


@dataclass
class Held:
    """One attacking connection: what it is doing, what the server sent back, and when the
    server closed it (``None`` while it is open)."""

    kind: str  # "body": dribbles a body; "head": dribbles its headers; "silent": sends nothing
    sock: socket.socket
    opened: float
    reply: bytes = b""
    ended: float | None = None

    def drip(self) -> None:
        """One more byte (of the body, or of a header line that never ends)."""
        if self.kind != "silent":
            self.sock.send(b"a")

    def read(self) -> None:
        """What the server sent; an empty read or a reset means it closed the connection."""
        try:
            data = self.sock.recv(4096)
        except (ConnectionResetError, BlockingIOError):
            data = b""
        if data:
            self.reply += data
        else:
            self.ended = time.monotonic()


@dataclass
class SlowAttack:
    """Slowloris from a thread of its own: ``bodies`` connections that announce a 900 kB
    body and send one byte of it a second, ``heads`` that send their headers a byte a
    second, and ``silent`` ones that send nothing after connecting."""

    url: str
    bodies: int
    heads: int
    silent: int
    held: list[Held] = field(default_factory=list)
    _thread: threading.Thread | None = None

    def __enter__(self) -> SlowAttack:
        host, port = self.url.removeprefix("http://").split(":")
        address = (host, int(port))
        for kind, count in (("body", self.bodies), ("head", self.heads), ("silent", self.silent)):
            for _ in range(count):
                sock = socket.create_connection(address, timeout=10)
                sock.sendall(self._opening(kind, host))
                sock.setblocking(False)
                self.held.append(Held(kind, sock, time.monotonic()))
        self._thread = threading.Thread(target=self._dribble, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.join()

    @staticmethod
    def _opening(kind: str, host: str) -> bytes:
        if kind == "body":
            return (
                "POST /slack/events HTTP/1.1\r\n"
                f"Host: {host}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 900000\r\n\r\n"
            ).encode()
        if kind == "head":
            return f"POST /slack/events HTTP/1.1\r\nHost: {host}\r\nX-Padding: ".encode()
        return b""

    def open(self) -> list[Held]:
        return [held for held in self.held if held.ended is None]

    def _dribble(self) -> None:
        give_up = time.monotonic() + GIVE_UP
        next_drip = time.monotonic() + 1
        while self.open() and time.monotonic() < give_up:
            wait = max(0.0, next_drip - time.monotonic())
            readable, _, _ = select.select([h.sock for h in self.open()], [], [], wait)
            for held in self.open():
                if held.sock in readable:
                    held.read()
            if time.monotonic() >= next_drip:
                next_drip += 1
                for held in self.open():
                    try:
                        held.drip()
                    except OSError:  # closed by the server: keep what it sent first
                        held.read()
        for held in self.held:
            held.sock.close()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=GIVE_UP + 10)


def healthz(web: WebProcess) -> int:
    with urllib.request.urlopen(f"{web.url}/healthz", timeout=WAIT_SECONDS) as reply:
        return int(reply.status)


def test_fifty_slow_clients_stop_neither_commands_nor_health_checks(
    web_control: WebControl, fake_slack: FakeSlack
) -> None:
    web, slack = web_control.start_demo(TIMEOUTS)
    with SlowAttack(web.url, bodies=40, heads=6, silent=4) as attack:
        time.sleep(1.5)  # every slow connection is open and has dripped
        keys = [slack.unique("slow") for _ in range(5)]
        with ThreadPoolExecutor(max_workers=len(keys)) as pool:
            acks = list(pool.map(lambda key: slack.command("gap", key)[0], keys))
        health = healthz(web)
        still_held = len(attack.open())

    assert [ack.status for ack in acks] == [200] * len(keys)
    assert max(ack.seconds for ack in acks) < SLACK_ACK_LIMIT
    assert health == 200
    assert still_held == len(attack.held), "the commands were answered only once clients left"
    for key in keys:
        assert "91%" in fake_slack.responded(key)["text"]

    for held in attack.held:
        assert held.ended is not None, f"a {held.kind} connection was never closed"
        if held.kind == "body":
            assert held.reply.startswith(b"HTTP/1.1 408 "), held.reply
            assert held.ended - held.opened >= BODY_TIMEOUT - 1  # the timeout, not sooner
        else:
            assert held.ended - held.opened >= HEAD_TIMEOUT - 1
    assert healthz(web) == 200


def raw_post(web: WebProcess, headers: dict[str, str], chunks: list[bytes]) -> int:
    """POST /slack/events with ``headers``, sending ``chunks``; the status, or 0 if the
    connection was closed without one."""
    host, port = web.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT_SECONDS)
    try:
        connection.putrequest("POST", "/slack/events")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for chunk in chunks:
            try:
                connection.send(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # refused before the rest was sent
        return connection.getresponse().status
    except (ConnectionResetError, http.client.RemoteDisconnected):
        return 0
    finally:
        connection.close()


def test_a_body_announced_over_a_megabyte_is_refused_before_it_is_sent(web: WebProcess) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": str(5_000_000)}
    assert raw_post(web, headers, []) == 413


def test_a_chunked_body_over_a_megabyte_is_refused(web: WebProcess) -> None:
    chunk = b"a" * 65_536
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    assert raw_post(web, headers, [framed] * 40 + [b"0\r\n\r\n"]) == 413
