"""``empathy console``: ask questions as in Slack, without Slack.

Each line goes through the very same Bolt app and listeners as Slack traffic: it is turned
into the signed request Slack would send (a slash command or an ``app_mention`` event) and
dispatched to the app, whose Web API and response_url calls go to a loopback server in this
process. The answer that server receives is printed as text, as Slack would show it (its
mrkdwn escapes undone) and with any control character from the data made visible.
"""

from __future__ import annotations

import itertools
import json
import secrets
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl, urlencode

from pydantic import SecretStr
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.settings import Settings
from bot.views.answers import is_error_message
from insights.answers import CHART_WORDS, tokenize
from insights.safe_text import printable, unescape_mrkdwn

BOT_USER_ID = "UEMPATHYBOT"
CONSOLE_USER_ID = "UCONSOLE"
CONSOLE_CHANNEL_ID = "CCONSOLE"
ANSWER_TIMEOUT_SECONDS = 60.0
BANNER = (
    "Empathy Gap console. Type what you would type in Slack, for example:\n"
    "  /empathy gap by role\n"
    "  @empathy what's the gap for consultants?\n"
    "  and by region?\n"
    "`/empathy help` lists everything you can ask. Ctrl-D (or `quit`) leaves.\n"
)


class _Capture:
    """What the app sent to 'Slack', by key: ``respond/<n>`` or ``thread/<ts>``."""

    def __init__(self) -> None:
        self._received: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()

    def put(self, key: str, payload: dict[str, Any]) -> None:
        with self._changed:
            self._received[key] = payload
            self._changed.notify_all()

    def take(self, key: str, timeout: float) -> dict[str, Any] | None:
        return self.take_first((key,), timeout)[1]

    def take_first(
        self, keys: tuple[str, ...], timeout: float
    ) -> tuple[str | None, dict[str, Any] | None]:
        """The first of ``keys`` to arrive, and what arrived (``(None, None)`` on timeout)."""
        with self._changed:
            self._changed.wait_for(lambda: any(k in self._received for k in keys), timeout)
            for key in keys:
                if key in self._received:
                    return key, self._received.pop(key)
        return None, None


def _handler(capture: _Capture, team_id: str, charts: Path) -> type[BaseHTTPRequestHandler]:
    names: dict[str, str] = {}  # file id → file name, between the upload's first two steps

    class LoopbackSlack(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the console prints answers, not access logs."""

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            if self.path.startswith("/upload/"):
                self._reply(self._save(self.path.removeprefix("/upload/"), data))
                return
            raw = data.decode("utf-8", "replace")
            self._reply(self._api(self._payload(raw)))

        @staticmethod
        def _payload(raw: str) -> dict[str, Any]:
            if not raw.startswith("{"):
                return dict(parse_qsl(raw))  # files_upload_v2 sends forms
            try:
                parsed = json.loads(raw)
            except json.JSONDecodeError:
                return {}
            return parsed if isinstance(parsed, dict) else {}

        def _api(self, payload: dict[str, Any]) -> dict[str, Any]:
            reply: dict[str, Any] = {"ok": True}
            if self.path.startswith("/respond/"):
                capture.put(self.path.strip("/"), payload)
            elif self.path == "/api/auth.test":
                reply.update(user_id=BOT_USER_ID, bot_id="BEMPATHY", team_id=team_id)
            elif self.path == "/api/chat.postMessage":
                thread = payload.get("thread_ts") or ""
                capture.put(f"thread/{thread}", payload)
                reply.update(channel=payload.get("channel"), ts=f"{time.time():.6f}")
            elif self.path == "/api/chat.postEphemeral":  # an admin reply, for the asker only
                capture.put(f"thread/{payload.get('thread_ts') or ''}", payload)
                reply.update(message_ts=f"{time.time():.6f}")
            elif self.path == "/api/files.getUploadURLExternal":
                file_id = f"F{len(names) + 1}"
                names[file_id] = Path(str(payload.get("filename") or "chart.png")).name
                upload_url = f"http://{self.headers.get('Host')}/upload/{file_id}"
                reply.update(file_id=file_id, upload_url=upload_url)
            elif self.path == "/api/files.completeUploadExternal":
                files = json.loads(str(payload.get("files") or "[]"))
                reply.update(files=files)
                for item in files:
                    capture.put("chart", {"path": str(charts / names.get(item["id"], ""))})
            return reply

        def _save(self, file_id: str, data: bytes) -> dict[str, Any]:
            charts.mkdir(parents=True, exist_ok=True)
            (charts / names.get(file_id, f"{file_id}.png")).write_bytes(data)
            return {"ok": True}

        def _reply(self, reply: dict[str, Any]) -> None:
            body = json.dumps(reply).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return LoopbackSlack


class ConsoleSession:
    """One conversation: slash commands, and mentions that share one thread."""

    def __init__(self, settings: Settings) -> None:
        self.capture = _Capture()
        # Charts land in a folder of their own; the console prints where.
        self.charts = Path(tempfile.mkdtemp(prefix="empathy-charts-"))
        self.server = ThreadingHTTPServer(
            ("127.0.0.1", 0), _handler(self.capture, settings.default_team_id, self.charts)
        )
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._serving = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._serving.start()
        secret = secrets.token_hex(16)
        self.verifier = SignatureVerifier(secret)
        self.settings = settings.model_copy(
            update={
                "slack_api_url": f"{self.base}/api/",
                "slack_bot_token": SecretStr("xoxb-console"),
                "slack_signing_secret": SecretStr(secret),
                # The console is one local workspace, even where .env configures OAuth.
                "slack_client_id": None,
                "slack_client_secret": None,
            }
        )
        self.app: App = create_app(self.settings)
        self.team_id = settings.default_team_id
        self.thread_ts: str | None = None
        self.last_key = ""
        self.last_answered = False
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _dispatch(self, body: str, content_type: str) -> int:
        timestamp = str(int(time.time()))
        signature = self.verifier.generate_signature(timestamp=timestamp, body=body) or ""
        request = BoltRequest(
            body=body,
            headers={
                "content-type": content_type,
                "x-slack-request-timestamp": timestamp,
                "x-slack-signature": signature,
            },
        )
        return self.app.dispatch(request).status

    def command(self, text: str) -> str:
        """Run ``/empathy text`` and return the answer's text."""
        key = f"respond/{next(self._ids)}"
        form = {
            "token": "console",
            "team_id": self.team_id,
            "channel_id": CONSOLE_CHANNEL_ID,
            "user_id": CONSOLE_USER_ID,
            "command": "/empathy",
            "text": text,
            "response_url": f"{self.base}/{key}",
            "trigger_id": "console",
        }
        status = self._dispatch(urlencode(form), "application/x-www-form-urlencoded")
        return self._answer(status, key)

    def mention(self, text: str) -> str:
        """Mention the bot with ``text`` in this session's thread; return the answer's text."""
        ts = f"{time.time():.6f}"
        thread_ts = self.thread_ts or ts
        self.thread_ts = thread_ts
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": CONSOLE_USER_ID,
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts,
            "channel": CONSOLE_CHANNEL_ID,
            "event_ts": ts,
        }
        if thread_ts != ts:
            event["thread_ts"] = thread_ts
        body = {
            "token": "console",
            "team_id": self.team_id,
            "api_app_id": "AEMPATHY",
            "type": "event_callback",
            "event_id": f"EvConsole{secrets.token_hex(8)}",
            "event_time": int(time.time()),
            "event": event,
        }
        status = self._dispatch(json.dumps(body), "application/json")
        return self._answer(status, f"thread/{thread_ts}")

    def _answer(self, status: int, key: str) -> str:
        if status != 200:
            return f"(the app refused the request: HTTP {status})"
        self.last_key = key
        payload = self.capture.take(key, ANSWER_TIMEOUT_SECONDS)
        self.last_answered = payload is not None and not is_error_message(
            list(payload.get("blocks") or [])
        )
        if payload is None:
            return "(no answer arrived; see the log above)"
        return _shown(str(payload.get("text") or ""))

    def chart_saved(self, line: str) -> str | None:
        """Where the chart a line asked for was saved (Slack would show it in the channel)."""
        if not self.last_answered or not CHART_WORDS & {w.casefold() for w in tokenize(line)}:
            return None
        # The chart, or the reason there is none, posted where the answer went.
        key, got = self.capture.take_first(("chart", self.last_key), ANSWER_TIMEOUT_SECONDS)
        if got is None:
            return None
        return f"(chart saved to {got['path']})" if key == "chart" else _shown(str(got.get("text")))

    def handle(self, line: str) -> str | None:
        """The answer to one console line, ``None`` for a blank line."""
        line = line.strip()
        if not line:
            return None
        lowered = line.lower()
        if lowered == "/empathy" or lowered.startswith("/empathy "):
            return self.command(line[len("/empathy") :].strip())
        if lowered.startswith("@"):
            _, _, rest = line.partition(" ")
            return self.mention(rest.strip())
        return self.mention(line)


def _shown(text: str) -> str:
    """Slack's fallback text as a terminal should show it: what Slack would display, with
    control characters visible instead of obeyed."""
    return printable(unescape_mrkdwn(text))


def run_console(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Read questions from ``stdin`` until EOF or ``quit``; print answers; return 0."""
    session = ConsoleSession(settings)
    interactive = stdin.isatty()
    try:
        stdout.write(BANNER)
        while True:
            if interactive:
                stdout.write("empathy> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                if interactive:
                    stdout.write("\n")
                break
            if line.strip().lower() in ("quit", "exit", "/quit", "/exit"):
                break
            answer = session.handle(line)
            if answer is not None:
                stdout.write(answer.rstrip() + "\n\n")
                chart = session.chart_saved(line)
                if chart:
                    stdout.write(chart + "\n\n")
    except KeyboardInterrupt:
        stdout.write("\n")
    finally:
        stdout.flush()
        session.close()
    return 0
