"""Digests with OAuth installs: each subscription is posted with its own workspace's bot token
from the installation store (refreshed first when due); a workspace without an installation
gets its subscription paused, never a crash, and the others are still sent."""

from __future__ import annotations

import base64
import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_slack import Call, FakeSlack, _Reply, server_error
from slack_sdk.oauth.installation_store import Installation
from support import TINY_CODEBOOK, rows_csv

from bot.settings import Settings
from bot.slack.digest_sender import tick
from bot.slack.oauth import InstallationStore
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.schedule import parse_weekly
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file

CLIENT_ID, CLIENT_SECRET = "9999.digests", "digest-client-secret"
SLOT = subs.parse_iso("2026-03-30T07:00:00Z")  # Monday 09:00 in Berlin


class Workspaces(FakeSlack):
    """A fake Slack accepting one bot token per workspace, and refreshing rotating ones."""

    def __init__(self) -> None:
        super().__init__("xoxb-unused")
        self.team_of: dict[str, str] = {}  # valid bot token -> team
        self.refresh: dict[str, str] = {}  # valid (single-use) refresh token -> team
        self._serial = itertools.count(1)

    def issue(self, team: str) -> str:
        token = f"xoxb-{team}-{next(self._serial)}"
        self.team_of[token] = team
        return token

    def refresh_token(self, team: str) -> str:
        token = f"xoxe-1-{team}-{next(self._serial)}"
        self.refresh[token] = team
        return token

    def team(self, call: Call) -> str | None:
        return self.team_of.get(call.headers.get("Authorization", "").removeprefix("Bearer "))

    def _api(self, call: Call) -> _Reply:
        if call.method == "oauth.v2.access":
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            team = self.refresh.pop(str(call.payload.get("refresh_token")), None)
            if call.headers.get("Authorization") != f"Basic {basic}" or team is None:
                return _Reply.json({"ok": False, "error": "invalid_refresh_token"})
            reply = {
                "ok": True,
                "token_type": "bot",
                "access_token": self.issue(team),
                "refresh_token": self.refresh_token(team),
                "expires_in": 43200,
            }
            return _Reply.json(reply)
        if self.team(call) is None:
            return _Reply.json({"ok": False, "error": "invalid_auth"})
        handler = self.handlers.get(call.method)
        assert handler is not None, call.method
        return _Reply.json(handler(call.payload))


@pytest.fixture
def workspaces() -> Iterator[Workspaces]:
    fake = Workspaces()
    yield fake
    fake.close()


@pytest.fixture
def oauth(db_path: Path, workspaces: Workspaces) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=db_path,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,  # type: ignore[arg-type]
        slack_api_url=workspaces.api_url,
        slack_bot_token="xoxb-ignored-in-oauth-mode",  # type: ignore[arg-type]
    )


def installed(db_path: Path, team: str, token: str, **extra: Any) -> None:
    InstallationStore(db_path, CLIENT_ID).save(
        Installation(
            app_id="ADIGEST",
            team_id=team,
            bot_token=token,
            bot_id=f"B{team}",
            bot_user_id=f"U{team}",
            bot_scopes="chat:write",
            user_id="UINSTALLER",
            **extra,
        )
    )


def subscribe(store: Store, team: str, channel: str) -> subs.Subscription:
    schedule, _ = parse_weekly("weekly monday 09:00 Europe/Berlin", "UTC")
    since = subs.parse_iso("2026-03-28T00:00:00Z")
    return subs.subscribe(store, team, channel, schedule, "gap", "UADMIN", since)


def load_pulse(store: Store, tmp_path: Path, team: str) -> None:
    rows = [
        (f"r{i}", "ab"[i % 2], "x", "Agree", "Agree" if i < 8 else "Disagree", "Yes")
        for i in range(40)
    ]
    csv = tmp_path / "pulse.csv"
    csv.write_text(rows_csv(rows))
    codebook = parse_codebook(TINY_CODEBOOK, name="tiny.toml")
    import_file(
        store, csv, codebook, team_id=team, survey="pulse", wave="2026-Q1", actor="cli:test"
    )


def test_each_workspace_gets_its_own_digest_with_its_own_token(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path, tmp_path: Path
) -> None:
    load_pulse(store, tmp_path, "TPULSE")
    demo, pulse = workspaces.issue("local"), workspaces.issue("TPULSE")
    installed(db_path, "local", demo)
    installed(db_path, "TPULSE", pulse)
    subscribe(store, "local", "CDEMO")
    subscribe(store, "TPULSE", "CPULSE")

    records = tick(oauth, SLOT, sleep=lambda _: None)
    assert sorted((r.channel_id, r.status) for r in records) == [
        ("CDEMO", "sent"),
        ("CPULSE", "sent"),
    ]
    [to_demo] = workspaces.posts("CDEMO")
    [to_pulse] = workspaces.posts("CPULSE")
    assert workspaces.team(to_demo) == "local" and workspaces.team(to_pulse) == "TPULSE"
    assert "91%" in to_demo.payload["text"] and "Tiny survey" not in to_demo.payload["text"]
    assert "100%" in to_pulse.payload["text"] and "91%" not in to_pulse.payload["text"]


def test_a_workspace_without_an_installation_is_paused_and_the_others_are_sent(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path
) -> None:
    installed(db_path, "local", workspaces.issue("local"))
    orphan = subscribe(store, "TGONE", "CGONE")
    subscribe(store, "local", "CDEMO")

    records = tick(oauth, SLOT, sleep=lambda _: None)
    by_channel = {r.channel_id: r for r in records}
    assert by_channel["CDEMO"].status == "sent"
    assert by_channel["CGONE"].status == "failed"
    assert "not installed" in (by_channel["CGONE"].reason or "")
    paused = subs.require_channel_subscription(store, "TGONE", "CGONE")
    assert (
        paused.status == "paused" and paused.pause_reason == "app not installed in this workspace"
    )
    assert subs.run_status(store, orphan.id, "2026-W14") is None  # nothing claimed
    assert workspaces.posts("CGONE") == []
    assert tick(oauth, subs.parse_iso("2026-03-30T07:01:00Z"), sleep=lambda _: None) == []


def test_an_expiring_token_is_refreshed_and_saved_before_posting(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path
) -> None:
    old = workspaces.issue("local")
    installed(
        db_path,
        "local",
        old,
        bot_refresh_token=workspaces.refresh_token("local"),
        bot_token_expires_at=int(time.time()) + 60,  # due: within the 120-minute margin
    )
    subscribe(store, "local", "CDEMO")

    [record] = tick(oauth, SLOT, sleep=lambda _: None)
    assert record.status == "sent"
    [refresh] = workspaces.api("oauth.v2.access")
    assert refresh.payload["grant_type"] == "refresh_token"
    [post] = workspaces.posts("CDEMO")
    new = post.headers["Authorization"].removeprefix("Bearer ")
    assert new != old and workspaces.team(post) == "local"
    assert InstallationStore(db_path, CLIENT_ID).find_for_team("local").bot_token == new  # type: ignore[union-attr]


def test_a_refused_refresh_pauses_the_subscription(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path
) -> None:
    due = int(time.time()) + 60
    bad = workspaces.issue("local")
    installed(db_path, "local", bad, bot_refresh_token="xoxe-1-unknown", bot_token_expires_at=due)
    refused = subscribe(store, "local", "CDEMO")

    [record] = tick(oauth, SLOT, sleep=lambda _: None)
    assert record.status == "failed" and "invalid_refresh_token" in (record.reason or "")
    assert subs.require_channel_subscription(store, "local", "CDEMO").status == "paused"
    assert subs.run_status(store, refused.id, "2026-W14") is None
    assert workspaces.posts("CDEMO") == []


def test_a_refresh_while_slack_is_down_is_tried_again_next_tick(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path
) -> None:
    installed(
        db_path,
        "local",
        workspaces.issue("local"),
        bot_refresh_token=workspaces.refresh_token("local"),
        bot_token_expires_at=int(time.time()) + 60,
    )
    subscribe(store, "local", "CDEMO")
    # Three 503s exhaust the client's retries (two).
    workspaces.script("oauth.v2.access", *(server_error(503) for _ in range(3)))

    [record] = tick(oauth, SLOT, sleep=lambda _: None)
    assert record.status == "failed" and "next tick" in (record.reason or "")
    assert subs.require_channel_subscription(store, "local", "CDEMO").status == "active"

    [sent] = tick(oauth, subs.parse_iso("2026-03-30T07:01:00Z"), sleep=lambda _: None)
    assert sent.channel_id == "CDEMO" and sent.status == "sent"


def test_a_revoked_token_pauses_the_subscription(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path
) -> None:
    installed(db_path, "local", workspaces.issue("local"))
    subscribe(store, "local", "CDEMO")
    workspaces.fail("chat.postMessage", "token_revoked")
    [record] = tick(oauth, SLOT, sleep=lambda _: None)
    assert record.status == "failed" and "paused" in (record.reason or "")
    assert (
        subs.require_channel_subscription(store, "local", "CDEMO").pause_reason == "token_revoked"
    )


def test_a_workspace_clients_429_waits_once_through_the_ticks_sleep(
    oauth: Settings, workspaces: Workspaces, store: Store, db_path: Path
) -> None:
    """chat.postMessage's 429 is waited out once, by the clients' retry policy, through the
    tick's sleep (the stop event's wait under run_forever), never by a hidden time.sleep."""
    installed(db_path, "local", workspaces.issue("local"))
    subscribe(store, "local", "CDEMO")
    workspaces.rate_limit("chat.postMessage", retry_after=7)
    waits: list[float] = []
    started = time.monotonic()
    [record] = tick(oauth, SLOT, sleep=waits.append)
    assert record.status == "sent" and waits == [7.0]
    assert time.monotonic() - started < 5  # nobody really slept 7 s
    assert [c.status for c in workspaces.posts("CDEMO")] == [429, 200]
