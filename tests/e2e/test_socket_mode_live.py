"""``empathy socket`` on its live path: the real process, started as a developer starts it,
connected to a fake Socket Mode server (tests/fake_socket_mode.py) that apps.connections.open
on the fake Slack (tests/fake_slack.py) points it to. Envelopes go in over the WebSocket;
acknowledgements come back over it, and answers arrive at the fake Web API and response_urls.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_slack import RESPOND, WAIT_SECONDS, FakeSlack, Scripted, server_error
from fake_socket_mode import FakeSocketMode
from harness import BOT_TOKEN, BOT_USER_ID, TEAM_ID, app_env, demo_database, mention_event

APP_TOKEN = "xapp-1-e2e-socket-token"
ACK_SECONDS = 3.0  # Slack's deadline for acknowledging an envelope
STOP_SECONDS = 10.0  # how long a terminated process may take before it is killed
# apps.connections.open answers scripted: the first connection, and a few reconnections.
CONNECTION_URLS = 3


@dataclass
class SocketProcess:
    """A running ``empathy socket``, the fakes it talks to, and its log."""

    process: subprocess.Popen[bytes]
    log: Path
    server: FakeSocketMode
    fake: FakeSlack

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    @contextmanager
    def log_on_failure(self) -> Iterator[None]:
        """Failed assertions (and waits) inside say what the process logged last."""
        try:
            yield
        except AssertionError as error:
            heading = "--- the last lines empathy socket logged ---"
            raise AssertionError(f"{error}\n{heading}\n{self.log_tail()}") from None

    def wait_for_log(self, text: str, timeout: float = WAIT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log_text():
            assert self.process.poll() is None, f"empathy socket exited ({self.process.returncode})"
            assert time.monotonic() < deadline, f"{text!r} never appeared in the log"
            time.sleep(0.05)


def socket_env(fake: FakeSlack, database: Path) -> dict[str, str]:
    """The environment a developer would set, pointed at the fakes."""
    return {**app_env(fake, database), "SLACK_APP_TOKEN": APP_TOKEN}


def start_socket(directory: Path, fake: FakeSlack, server: FakeSocketMode) -> SocketProcess:
    """Start ``empathy socket`` on the demo database and wait for its WebSocket to open."""
    database = demo_database(directory)
    log = directory / "socket.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "empathy"), "socket"],
            cwd=directory,  # no stray .env of the repository's
            env=socket_env(fake, database),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    started = SocketProcess(process, log, server, fake)
    deadline = time.monotonic() + WAIT_SECONDS
    while not server.connections:
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise AssertionError(f"empathy socket never connected:\n{started.log_tail()}")
        time.sleep(0.05)
    return started


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate (SIGTERM, what a supervisor sends), then kill if it lingers."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def socket_slack() -> Iterator[FakeSlack]:
    """A fake Slack of this module's own, like the session's ``fake_slack``: its
    apps.connections.open calls must not show up in test_socket_mode.py's, nor its unused
    scripted answers outlive this module."""
    fake = FakeSlack(
        BOT_TOKEN,
        default_user={"tz": "Europe/Berlin"},
        identity={"team": "E2E", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "BE2E"},
    )
    yield fake
    fake.close()


@contextmanager
def running_socket(directory: Path, fake: FakeSlack) -> Iterator[SocketProcess]:
    """``empathy socket`` connected to a fake Socket Mode server of its own; stopped after."""
    server = FakeSocketMode()
    try:
        # The fake Slack accepts only the bot token: the app-level token's call is scripted.
        url = Scripted(200, {"ok": True, "url": server.url()})
        fake.unscript("apps.connections.open")  # an earlier process's server is not this one's
        fake.script("apps.connections.open", *([url] * CONNECTION_URLS))
        started = start_socket(directory, fake, server)
        try:
            yield started
        finally:
            stop(started.process)
    finally:
        server.close()


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, socket_slack: FakeSlack
) -> Iterator[SocketProcess]:
    with running_socket(tmp_path_factory.mktemp("socket"), socket_slack) as started:
        yield started


def slash_command(text: str, response_url: str, channel: str = "CGENERAL") -> dict[str, Any]:
    """The payload of a ``slash_commands`` envelope: the fields Slack would post over HTTP."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "e2e",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": "UALICE",
        "user_name": "alice",
        "command": "/empathy",
        "text": text,
        "api_app_id": "AE2E",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def mention(text: str, *, channel: str, ts: str, event_id: str) -> dict[str, Any]:
    """The payload of an ``events_api`` envelope: an ``app_mention`` event callback."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "AE2E",
        "event": mention_event(text, channel=channel, ts=ts),
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def test_it_connects_where_apps_connections_open_said_and_gets_hello(
    live: SocketProcess,
) -> None:
    with live.log_on_failure():
        [opened] = live.fake.api("apps.connections.open")
        assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
        connection = live.server.wait_for_connection()
        assert connection.path == "/link/?ticket=e2e-ticket"
        # slack_sdk logs every message it reads, at DEBUG.
        live.wait_for_log('"type": "hello"')
        # It pings right after the handshake; the pong keeps it from finding the link stale.
        assert live.server.wait_for_pings(connection) >= 1


def test_a_slash_command_is_acked_over_the_socket_and_answered_at_its_response_url(
    live: SocketProcess,
) -> None:
    with live.log_on_failure():
        key = f"socket-cmd-{time.monotonic_ns()}"
        envelope_id = live.server.send(
            "slash_commands",
            slash_command("gap by role", live.fake.response_url(key)),
            accepts_response_payload=True,
        )
        ack = live.server.wait_for_ack(envelope_id)
        assert ack.message == {"envelope_id": envelope_id}  # empty: the answer comes later
        assert ack.seconds < ACK_SECONDS, f"acknowledged after {ack.seconds:.2f} s"
        answer = live.fake.responded(key)
        assert answer["response_type"] == "ephemeral"
        assert "Empathy gap by role" in answer["text"]
        assert "In-house (n = 150)" in answer["text"]


def test_a_mention_is_acked_and_answered_in_its_thread(live: SocketProcess) -> None:
    with live.log_on_failure():
        channel, ts = f"CSOCKET{time.monotonic_ns()}", "1700900100.000100"
        envelope_id = live.server.send(
            "events_api",
            mention("what's the gap?", channel=channel, ts=ts, event_id=f"Ev{channel}"),
            retry_attempt=0,
            retry_reason="",
        )
        ack = live.server.wait_for_ack(envelope_id)
        assert ack.message == {"envelope_id": envelope_id}
        assert ack.seconds < ACK_SECONDS, f"acknowledged after {ack.seconds:.2f} s"
        [reply] = live.fake.posted_in(channel, ts)
        assert "91%" in reply.payload["text"]
        assert reply.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


def test_an_envelope_over_64_kib_is_read_whole(live: SocketProcess) -> None:
    """A frame with a 64-bit length (a mention with a long message's rich-text blocks)."""
    with live.log_on_failure():
        channel, ts = f"CLARGE{time.monotonic_ns()}", "1700900200.000100"
        payload = mention("gap role=in-house", channel=channel, ts=ts, event_id=f"Ev{channel}")
        payload["event"]["blocks"] = [
            {"type": "rich_text", "block_id": f"b{n}", "elements": [{"text": "x" * 1000}]}
            for n in range(70)
        ]
        envelope_id = live.server.send("events_api", payload, retry_attempt=0)
        assert live.server.wait_for_ack(envelope_id).seconds < ACK_SECONDS
        [reply] = live.fake.posted_in(channel, ts)
        assert "72%" in reply.payload["text"]


def test_sigterm_lets_answers_in_progress_finish_then_exits_cleanly(
    tmp_path: Path, socket_slack: FakeSlack
) -> None:
    """A supervisor stops the process with SIGTERM. An acknowledged envelope's answer is
    not sent again by Slack, so one still on its way (here: retrying after a 503 from the
    response_url) must get there before the process exits."""
    with running_socket(tmp_path, socket_slack) as own, own.log_on_failure():
        key = f"socket-stop-{time.monotonic_ns()}"
        socket_slack.script(RESPOND, server_error(503))
        envelope_id = own.server.send(
            "slash_commands",
            slash_command("gap", socket_slack.response_url(key)),
            accepts_response_payload=True,
        )
        own.server.wait_for_ack(envelope_id)
        socket_slack.wait_for(lambda c: c.path == f"/respond/{key}")  # the 503: now retrying
        own.process.terminate()
        assert own.process.wait(timeout=STOP_SECONDS) == 0
        calls = socket_slack.matching(lambda c: c.path == f"/respond/{key}")
        assert [call.status for call in calls] == [503, 200]
        assert "Traceback" not in own.log_text()
