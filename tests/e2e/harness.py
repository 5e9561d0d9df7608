"""End-to-end harness: the fake Slack (tests/fake_slack.py) on loopback, the real web process
started the way the Procfile starts it, and a client that signs requests the way Slack does.

conftest.py registers the fixtures defined here; tests import helpers from here as
``harness``, a name no other suite uses (every suite has a conftest.py).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import html
import http.client
import itertools
import json
import os
import re
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fake_slack import WAIT_SECONDS, Call, FakeSlack, _Reply

from benchmarks import procfile
from insights import Store
from insights.ingest.demo_loader import load_demo

REPO = Path(__file__).resolve().parents[2]
BOT_TOKEN = "xoxb-1111-2222-e2eSecretBotToken"
SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef"
BOT_USER_ID = "UBOTE2E"
TEAM_ID = "TE2E"


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
    """Sends requests to the web process the way Slack does: signed, form or JSON.

    Requests come from workspace ``team_id`` (default :data:`TEAM_ID`). With
    ``enterprise_id`` they also name an Enterprise Grid org, as Slack then does, and
    ``org_wide`` says the app reached the workspace through an org-wide install.
    """

    def __init__(
        self,
        base_url: str,
        fake: FakeSlack,
        *,
        team_id: str = TEAM_ID,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        self.host, port = base_url.removeprefix("http://").split(":")
        self.port = int(port)
        self.fake = fake
        self.team_id = team_id
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide
        self._ids = itertools.count(1)

    def as_team(
        self, team_id: str, *, enterprise_id: str | None = None, org_wide: bool = False
    ) -> SlackClient:
        """The same web process, reached from another workspace."""
        return SlackClient(
            f"http://{self.host}:{self.port}",
            self.fake,
            team_id=team_id,
            enterprise_id=enterprise_id,
            org_wide=org_wide,
        )

    def _org_fields(self) -> dict[str, Any]:
        """What Slack adds to a payload from a workspace of an Enterprise Grid org."""
        if self.enterprise_id is None:
            return {}
        return {"enterprise_id": self.enterprise_id, "is_enterprise_install": self.org_wide}

    def _team(self) -> dict[str, Any]:
        team: dict[str, Any] = {"id": self.team_id, "domain": "e2e"}
        if self.enterprise_id is not None:
            team["enterprise_id"] = self.enterprise_id
        return team

    def _interactive_org_fields(self) -> dict[str, Any]:
        if self.enterprise_id is None:
            return {}
        return {
            "enterprise": {"id": self.enterprise_id, "name": "Org"},
            "is_enterprise_install": self.org_wide,
        }

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

    def command_form(
        self,
        text: str,
        key: str,
        user: str = "UALICE",
        trigger_id: str = "1.2.3",
        channel: str = "CGENERAL",
    ) -> bytes:
        org = {
            k: str(v).lower() if isinstance(v, bool) else v for k, v in self._org_fields().items()
        }
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                **org,
                "team_domain": "e2e",
                "channel_id": channel,
                "channel_name": "general" if channel == "CGENERAL" else channel.lower(),
                "user_id": user,
                "user_name": "alice",
                "command": "/empathy",
                "text": text,
                "api_app_id": "AE2E",
                "response_url": self.fake.response_url(key),
                "trigger_id": trigger_id,
            }
        ).encode()

    def command(
        self,
        text: str,
        key: str | None = None,
        *,
        user: str = "UALICE",
        trigger_id: str = "1.2.3",
        channel: str = "CGENERAL",
        **kwargs: Any,
    ) -> tuple[Response, str]:
        """POST ``/empathy text``; returns the ack and the response_url key to wait on."""
        key = key or self.unique("cmd")
        form = self.command_form(text, key, user, trigger_id, channel)
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
            "team_id": self.team_id,
            "api_app_id": "AE2E",
            "type": "event_callback",
            "event_id": event_id or self.unique("Ev"),
            "event_time": int(time.time()),
            "event": event,
        }
        if self.enterprise_id is not None:
            envelope["enterprise_id"] = self.enterprise_id
            envelope["authorizations"] = [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.org_wide else self.team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": self.org_wide,
                }
            ]
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
        event = mention_event(text, channel=channel, ts=ts, thread_ts=thread_ts)
        return self.event(event, event_id=event_id, retry=retry)

    def click_share(self, value: str, key: str) -> Response:
        return self.click("share_in_channel", "empathy_share", value, key)

    def click(
        self,
        action_id: str,
        block_id: str,
        value: str,
        key: str,
        *,
        user: str = "UALICE",
        channel: str = "CGENERAL",
        trigger_id: str = "1.2.3",
        message: dict[str, Any] | None = None,
        action_type: str = "button",
    ) -> Response:
        """A signed ``block_actions`` payload for a button click, as Slack sends it.

        Without ``message`` the button was under an ephemeral answer in CGENERAL (Slack
        sends no message then); with it, under that posted message (its ``ts``, and
        ``thread_ts`` when it is a reply in a thread). ``action_type`` is the clicked
        element's type (``feedback_buttons``: ``value`` is the button clicked's).
        """
        container: dict[str, Any] = {"type": "message", "is_ephemeral": message is None}
        if message is not None:
            container |= {"message_ts": message["ts"], "channel_id": channel}
        payload = {
            "type": "block_actions",
            "team": self._team(),
            **self._interactive_org_fields(),
            "user": {"id": user, "team_id": self.team_id},
            "api_app_id": "AE2E",
            "token": "legacy-verification-token",
            "trigger_id": trigger_id,
            "container": container,
            "channel": {"id": channel, "name": "general" if channel == "CGENERAL" else channel},
            **({"message": {"type": "message", **message}} if message is not None else {}),
            "response_url": self.fake.response_url(key),
            "actions": [
                {
                    "type": action_type,
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "action_ts": "1700000000.000100",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def share_file(
        self,
        files: list[dict[str, Any]],
        *,
        channel: str,
        ts: str,
        user: str = "UADMIN",
        thread_ts: str | None = None,
        event_id: str | None = None,
    ) -> Response:
        """A ``message`` event of subtype ``file_share`` in a DM with the bot."""
        event: dict[str, Any] = {
            "type": "message",
            "subtype": "file_share",
            "channel_type": "im",
            "channel": channel,
            "user": user,
            "text": "",
            "files": files,
            "upload": True,
            "display_as_bot": False,
            "ts": ts,
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, event_id=event_id)

    def submit_view(
        self,
        callback_id: str,
        values: dict[str, dict[str, dict[str, Any]]],
        *,
        user: str = "UADMIN",
        private_metadata: str = "",
    ) -> Response:
        """A signed ``view_submission``; ``values`` is ``view.state.values`` as Slack sends it."""
        payload = {
            "type": "view_submission",
            "team": self._team(),
            **self._interactive_org_fields(),
            "user": {"id": user, "team_id": self.team_id},
            "api_app_id": "AE2E",
            "token": "legacy-verification-token",
            "trigger_id": "4.5.6",
            "view": {
                "id": "VSUBMITTED",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
                "team_id": self.team_id,
            },
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


def slack_file(name: str, url: str, size: int, filetype: str = "csv") -> dict[str, Any]:
    """A file object as a ``file_share`` event or a ``file_input`` carries it."""
    file_id = url.rsplit("/", 2)[-2] if "/files/" in url else "FEXTERNAL"
    return {
        "id": file_id,
        "name": name,
        "title": name,
        "mimetype": "text/csv" if filetype == "csv" else "application/octet-stream",
        "filetype": filetype,
        "size": size,
        "mode": "hosted",
        "url_private": url,
        "url_private_download": url,
    }


def elements(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{button text: button} of an answer's actions block."""
    return {
        element["text"]["text"]: element
        for block in payload.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
    }


def buttons(payload: dict[str, Any]) -> dict[str, str]:
    """{button text: the query it carries}."""
    return {text: element["value"] for text, element in elements(payload).items()}


def action_ids(payload: dict[str, Any]) -> dict[str, str]:
    return {text: element["action_id"] for text, element in elements(payload).items()}


@dataclass
class WebProcess:
    url: str
    database: Path
    log: Path
    process: subprocess.Popen[bytes]
    # The extra settings it started with (None: a default setting removed).
    env: dict[str, str | None] = field(default_factory=dict)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def demo_database(directory: Path) -> Path:
    path = directory / "empathy.db"
    store = Store.open(path)
    load_demo(store, "local", actor="cli:test")
    store.close()
    return path


# A small pulse survey the import tests upload (five respondents in three teams, one
# paired theme), and its codebook without and with the team segment.
PULSE_CSV = b"""id,team,value_personal,value_organization
1,north,Agree,Agree
2,north,Agree,Disagree
3,south,Disagree,Disagree
4,south,Agree,Agree
5,east,Agree,Disagree
"""
PULSE_CODEBOOK = b"""
[survey]
name = "pulse"
respondent_id = "id"

[scales.agree]
labels = ["Disagree", "Agree"]
positive = ["Agree"]

[[questions]]
column = "value_personal"
theme = "business value"
perspective = "personal"
scale = "agree"

[[questions]]
column = "value_organization"
theme = "business value"
perspective = "organization"
scale = "agree"
"""
PULSE_CODEBOOK_BY_TEAM = (
    PULSE_CODEBOOK
    + b"""
[[segments]]
column = "team"
"""
)


def mention_event(
    text: str, *, channel: str, ts: str, thread_ts: str | None = None
) -> dict[str, Any]:
    """An ``app_mention`` event by UALICE, as Slack sends it inside an event callback."""
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
    return event


def event_callback(
    event: dict[str, Any],
    *,
    team_id: str,
    authorized: tuple[str, str],
    event_id: str,
    enterprise_id: str | None = None,
) -> dict[str, Any]:
    """An Events API envelope naming workspace ``team_id`` for ``event``, delivered to the
    installation ``authorized`` (its workspace and bot user), as Slack sends it."""
    envelope: dict[str, Any] = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": "AE2E",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": authorized[0], "user_id": authorized[1], "is_bot": True}],
        "event": event,
    }
    if enterprise_id is not None:
        envelope["enterprise_id"] = enterprise_id
    return envelope


def app_env(fake: FakeSlack, database: Path) -> dict[str, str]:
    """The environment of an app process in a test: the bot token, ``fake`` as Slack's API,
    ``database``, and debug logs."""
    return procfile.app_env(
        api_url=fake.api_url, database=database, bot_token=BOT_TOKEN, log_level="DEBUG"
    )


def start_web(
    directory: Path,
    fake: FakeSlack,
    database: Path,
    extra_env: Mapping[str, str | None] | None = None,
) -> WebProcess:
    """Start the Procfile's web process (uvicorn, from bot.entrypoints.server) and wait for
    /healthz.

    ``extra_env`` adds settings (e.g. ADMIN_USER_IDS) on top of the test defaults; a value
    of None removes that setting (e.g. ``{"SLACK_BOT_TOKEN": None}``).
    """
    env = app_env(fake, database)
    env.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, WEB_CONCURRENCY="2")
    for key, value in (extra_env or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    log = directory / "web.log"
    url, process = procfile.start_web(directory, env, log)
    return WebProcess(url, database, log, process, dict(extra_env or {}))


def stop_web(web: WebProcess) -> None:
    """Stop the process group we started (the shell, uvicorn's supervisor and its workers)."""
    procfile.stop(web.process, timeout=15)


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(
        BOT_TOKEN,
        default_user={"tz": "Europe/Berlin"},
        identity={
            "url": "https://e2e.slack.invalid/",
            "team": "E2E",
            "team_id": TEAM_ID,
            "user": "empathy",
            "user_id": BOT_USER_ID,
            "bot_id": "BE2E",
        },
    )
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


def restart_web(web: WebProcess, fake: FakeSlack) -> WebProcess:
    """Stop ``web`` and start a new process on the same database with the same settings."""
    stop_web(web)
    return start_web(web.log.parent, fake, web.database, web.env)


@dataclass
class WebControl:
    """Start, restart and stop web processes of one's own from a test."""

    fake: FakeSlack
    directory: Path
    started: list[WebProcess] = field(default_factory=list)

    def start_demo(
        self, extra_env: Mapping[str, str | None] | None = None
    ) -> tuple[WebProcess, SlackClient]:
        """A web process on the demo survey, with ``extra_env`` as in :func:`start_web`."""
        web = start_web(self.directory, self.fake, demo_database(self.directory), extra_env)
        self.started.append(web)
        return web, SlackClient(web.url, self.fake)

    def restart(self, web: WebProcess) -> tuple[WebProcess, SlackClient]:
        self.started.remove(web)
        again = restart_web(web, self.fake)
        self.started.append(again)
        return again, SlackClient(again.url, self.fake)


@pytest.fixture
def web_control(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[WebControl]:
    control = WebControl(fake_slack, tmp_path)
    yield control
    for web in control.started:
        stop_web(web)


ADMIN = "UADMIN"
# Imports are tested with a 1 MB upload limit, so "too large" needs only a small file.
IMPORT_ENV = {"ADMIN_USER_IDS": ADMIN, "MAX_UPLOAD_MB": "1"}


@dataclass
class ImportWeb:
    """A web process on an empty database where ADMIN may import, and its Slack client."""

    web: WebProcess
    slack: SlackClient

    def restart(self, fake: FakeSlack) -> None:
        self.web = restart_web(self.web, fake)
        self.slack = SlackClient(self.web.url, fake)

    def store(self) -> Store:
        return Store.open(self.web.database)


@pytest.fixture(scope="module")
def import_web(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack
) -> Iterator[ImportWeb]:
    """One per test module: imports change the data every answer is computed from."""
    directory = tmp_path_factory.mktemp("import-web")
    database = directory / "empathy.db"
    Store.open(database).close()
    web = start_web(directory, fake_slack, database, IMPORT_ENV)
    started = ImportWeb(web, SlackClient(web.url, fake_slack))
    yield started
    stop_web(started.web)


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


@dataclass(frozen=True)
class Upload:
    """A file shared in a DM: the conversation it starts and where the file was served."""

    channel: str
    ts: str
    url: str


_TS = itertools.count(1)


def unique_ts() -> str:
    return f"{1700100000 + next(_TS)}.{os.getpid() % 1_000_000:06d}"


@dataclass
class Uploads:
    """Drives an :class:`ImportWeb` the way Slack and an admin would, and reads the replies."""

    fake: FakeSlack
    site: ImportWeb

    @property
    def slack(self) -> SlackClient:
        return self.site.slack

    def share(
        self,
        name: str,
        content: bytes,
        *,
        user: str = ADMIN,
        channel: str | None = None,
        thread_ts: str | None = None,
        ts: str | None = None,
        size: int | None = None,
        url: str | None = None,
        event_id: str | None = None,
        declare_length: bool = True,
        filetype: str = "csv",
    ) -> Upload:
        """Serve ``content`` on the fake file host and share it with the bot in a DM."""
        served = url or self.fake.serve_file(name, content, declare_length=declare_length)
        channel = channel or self.slack.unique("D")
        ts = ts or unique_ts()
        file = slack_file(name, served, len(content) if size is None else size, filetype)
        ack = self.slack.share_file(
            [file], channel=channel, ts=ts, user=user, thread_ts=thread_ts, event_id=event_id
        )
        assert ack.status == 200, ack.body
        return Upload(channel, thread_ts or ts, served)

    def replies(self, upload: Upload, count: int = 1) -> list[Call]:
        """The bot's messages in the upload's thread (waiting for ``count`` of them)."""
        return self.fake.posted_in(upload.channel, upload.ts, count)

    def reply(self, upload: Upload) -> dict[str, Any]:
        return self.replies(upload)[0].payload

    def click_import(self, upload: Upload, pending_id: str, *, user: str = ADMIN) -> dict[str, Any]:
        """Click Import; returns the modal the bot opened with the click's trigger_id."""
        trigger = self.slack.unique("trig")
        key = self.slack.unique("imp")
        ack = self.slack.click(
            "import_confirm",
            "empathy_import",
            pending_id,
            key,
            user=user,
            channel=upload.channel,
            trigger_id=trigger,
        )
        assert ack.status == 200, ack.body
        [opened] = self.fake.wait_for(
            lambda c: c.path == "/api/views.open" and c.payload.get("trigger_id") == trigger
        )
        view = opened.payload["view"]
        return json.loads(view) if isinstance(view, str) else dict(view)

    def submit_import(
        self, pending_id: str, survey: str, wave: str, *, user: str = ADMIN
    ) -> Response:
        values = {
            "import_survey": {"value": {"type": "plain_text_input", "value": survey}},
            "import_wave": {"value": {"type": "plain_text_input", "value": wave}},
        }
        return self.slack.submit_view(
            "import_confirm_modal", values, user=user, private_metadata=pending_id
        )

    @staticmethod
    def pending_id(payload: dict[str, Any]) -> str:
        """The pending import id the Import button of a mapping message carries."""
        for block in payload.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("action_id") == "import_confirm":
                    return str(element["value"])
        raise AssertionError(f"no Import button in {payload}")

    def count(self, sql: str, *params: object) -> int:
        store = self.site.store()
        try:
            return int(store.db.execute(sql, list(params)).fetchone()[0])
        finally:
            store.close()

    def count_becomes(self, expected: int, sql: str, *params: object) -> bool:
        """Whether ``count(sql)`` reaches ``expected`` soon: for writes made after a post."""
        deadline = time.monotonic() + WAIT_SECONDS
        while self.count(sql, *params) != expected:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True


@pytest.fixture
def uploads(import_web: ImportWeb, fake_slack: FakeSlack) -> Uploads:
    return Uploads(fake_slack, import_web)


# -- many workspaces: OAuth installs ---------------------------------------------------------

CLIENT_ID = "1111.2222e2e"
CLIENT_SECRET = "e2e-client-secret-5a4b3c2d1e"
APP_ID = "AE2E"
# A web process installed through OAuth: no SLACK_BOT_TOKEN at all.
OAUTH_ENV: dict[str, str | None] = {
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "SLACK_BOT_TOKEN": None,
}


@dataclass
class Workspace:
    """A workspace (or, with ``org_wide``, an Enterprise Grid org) that may install the app."""

    team_id: str
    name: str
    enterprise_id: str | None = None
    org_wide: bool = False
    expires_in: int | None = None  # seconds the next issued token lives; None: no rotation
    # org-wide: the workspaces of the org the app is approved for (auth.teams.list)
    teams: tuple[str, ...] = ()
    tokens: list[str] = field(default_factory=list)  # every bot token issued, oldest first
    valid: set[str] = field(default_factory=set)  # those Slack still accepts
    refresh_token: str | None = None  # the one refresh token that works (single use)

    @property
    def token(self) -> str:
        """The newest bot token issued."""
        return self.tokens[-1]

    @property
    def bot_user_id(self) -> str:
        return f"UBOT{self.team_id}"

    def identity(self) -> dict[str, Any]:
        """auth.test for this workspace's bot token."""
        return {
            "url": f"https://{self.name.lower()}.slack.invalid/",
            "team": self.name,
            "team_id": self.enterprise_id if self.org_wide else self.team_id,
            "user": "empathy",
            "user_id": self.bot_user_id,
            "bot_id": f"B{self.team_id}",
            "enterprise_id": self.enterprise_id,
            "is_enterprise_install": self.org_wide,
        }


class SlackWithWorkspaces(FakeSlack):
    """The fake Slack of a distributed app: ``oauth.v2.access`` (the code exchange and token
    refreshes, client credentials in Basic auth as slack_sdk sends them) and one bot token per
    installed workspace; a Web API call is answered as the workspace its token belongs to."""

    def __init__(self) -> None:
        super().__init__("xoxb-no-single-workspace-token", default_user={"tz": "Europe/Berlin"})
        self.workspaces: dict[str, Workspace] = {}
        self._codes: dict[str, Workspace] = {}
        self._serial = itertools.count(1)

    def add(
        self,
        team_id: str,
        name: str,
        *,
        enterprise_id: str | None = None,
        org_wide: bool = False,
        expires_in: int | None = None,
        teams: tuple[str, ...] = (),
    ) -> Workspace:
        """A workspace that may install the app; with ``org_wide``, an org whose install
        serves ``teams`` (``team_id`` when empty)."""
        workspace = Workspace(
            team_id, name, enterprise_id, org_wide, expires_in, teams or (team_id,)
        )
        self.workspaces[team_id] = workspace
        return workspace

    def grant(self, workspace: Workspace) -> str:
        """An installer approved the app in ``workspace``: the one-time code Slack sends back."""
        code = f"code-{workspace.team_id}-{next(self._serial)}"
        with self._changed:
            self._codes[code] = workspace
        return code

    def revoke(self, workspace: Workspace) -> None:
        """The workspace uninstalled the app: none of its tokens work any more."""
        with self._changed:
            workspace.valid.clear()
            workspace.refresh_token = None

    def owner(self, call: Call) -> Workspace | None:
        """The workspace whose bot token (valid or not) made ``call``."""
        token = (_header_of(call, "Authorization") or "").removeprefix("Bearer ")
        return next((w for w in self.workspaces.values() if token in w.tokens), None)

    def by(self, workspace: Workspace, method: str | None = None) -> list[Call]:
        """The Web API calls made with one of ``workspace``'s tokens (of ``method``)."""
        return self.matching(
            lambda c: (
                c.path.startswith("/api/")
                and self.owner(c) is workspace
                and (method is None or c.method == method)
            )
        )

    def refreshes(self) -> list[Call]:
        return self.matching(
            lambda c: (
                c.method == "oauth.v2.access" and c.payload.get("grant_type") == "refresh_token"
            )
        )

    def _issue(self, workspace: Workspace) -> dict[str, Any]:
        serial = next(self._serial)
        token = f"xoxb-{workspace.team_id}-{serial}-e2eWorkspaceToken"
        workspace.tokens.append(token)
        workspace.valid.add(token)
        reply: dict[str, Any] = {
            "ok": True,
            "app_id": APP_ID,
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,app_mentions:read,chat:write,im:history,im:write,files:read,"
            "files:write,users:read",
            "bot_user_id": workspace.bot_user_id,
            "team": None
            if workspace.org_wide
            else {"id": workspace.team_id, "name": workspace.name},
            "enterprise": None
            if workspace.enterprise_id is None
            else {"id": workspace.enterprise_id, "name": f"{workspace.name} org"},
            "is_enterprise_install": workspace.org_wide,
            "authed_user": {"id": f"UINSTALLER{workspace.team_id}"},
        }
        if workspace.expires_in is not None:
            workspace.refresh_token = f"xoxe-1-{workspace.team_id}-{serial}-e2eRefresh"
            reply |= {"refresh_token": workspace.refresh_token, "expires_in": workspace.expires_in}
        return reply

    def _oauth(self, call: Call) -> dict[str, Any]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if _header_of(call, "Authorization") != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        with self._changed:
            if call.payload.get("grant_type") == "refresh_token":
                given = call.payload.get("refresh_token")
                found = next(
                    (w for w in self.workspaces.values() if given and w.refresh_token == given),
                    None,
                )
                if found is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                found.refresh_token = None  # used up
                return self._issue(found)
            workspace = self._codes.pop(str(call.payload.get("code")), None)
            if workspace is None:
                return {"ok": False, "error": "invalid_code"}
            return self._issue(workspace)

    def _api(self, call: Call) -> _Reply:
        if call.method == "oauth.v2.access":
            return _Reply.json(self._oauth(call))
        workspace = self.owner(call)
        token = (_header_of(call, "Authorization") or "").removeprefix("Bearer ")
        if workspace is None or token not in workspace.valid:
            return _Reply.json({"ok": False, "error": "invalid_auth"})
        if call.method == "auth.test":
            return _Reply.json({"ok": True, **workspace.identity()})
        if call.method == "auth.teams.list":
            teams = [{"id": team, "name": team.title()} for team in workspace.teams]
            return _Reply.json({"ok": True, "teams": teams, "response_metadata": {}})
        handler = self.handlers.get(call.method)
        if handler is None:
            return _Reply.json({"ok": False, "error": "unknown_method"})
        return _Reply.json(handler(call.payload))


def _header_of(call: Call, name: str) -> str | None:
    return next((v for k, v in call.headers.items() if k.lower() == name.lower()), None)


@dataclass
class Page:
    """What a browser got: status, headers (lower-case names) and the page."""

    status: int
    headers: dict[str, list[str]]
    body: str

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def browse(web: WebProcess, path: str, cookie: str | None = None) -> Page:
    """GET ``path`` as a browser would (no redirects followed)."""
    host, port = web.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT_SECONDS)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        reply = connection.getresponse()
        headers: dict[str, list[str]] = {}
        for name, value in reply.getheaders():
            headers.setdefault(name.lower(), []).append(value)
        return Page(reply.status, headers, reply.read().decode("utf-8", "replace"))
    finally:
        connection.close()


@dataclass
class InstallStart:
    """The install page's "Add to Slack" link, and the state cookie it set."""

    page: Page
    authorize_url: str
    state: str
    cookie: str  # "name=value", as the browser sends it back


def start_install(web: WebProcess) -> InstallStart:
    page = browse(web, "/slack/install")
    assert page.status == 200, page
    [url] = re.findall(r'href="([^"]*oauth/v2/authorize[^"]*)"', page.body)
    url = html.unescape(url)
    [state] = parse_qs(urlsplit(url).query)["state"]
    set_cookie = page.header("Set-Cookie") or ""
    return InstallStart(page, url, state, set_cookie.split(";")[0])


def finish_install(web: WebProcess, start: InstallStart, code: str) -> Page:
    """Slack sends the installer back with ``code`` and the link's ``state``."""
    query = urlencode({"code": code, "state": start.state})
    return browse(web, f"/slack/oauth_redirect?{query}", cookie=start.cookie)


def install(web: WebProcess, fake: SlackWithWorkspaces, workspace: Workspace) -> Page:
    """The whole install of the app in ``workspace``, as an admin clicks through it."""
    page = finish_install(web, start_install(web), fake.grant(workspace))
    assert page.status == 200, page.body
    return page


def installed_tokens(database: Path) -> dict[str, str | None]:
    """The bot token stored per workspace (team id, or enterprise id for an org-wide install)."""
    with contextlib.closing(sqlite3.connect(database)) as conn:
        rows = conn.execute(
            "SELECT team_id, enterprise_id, bot_token FROM slack_installations ORDER BY id"
        ).fetchall()
    return {team or enterprise: token for team, enterprise, token in rows}


@pytest.fixture(scope="module")
def workspaces_fake() -> Iterator[SlackWithWorkspaces]:
    """A fake Slack where workspaces install the app through OAuth (one per test module)."""
    fake = SlackWithWorkspaces()
    yield fake
    fake.close()
