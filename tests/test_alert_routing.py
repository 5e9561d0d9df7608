"""Gap alerts typed as text (``bot.routing.alerts`` through ``bot.routing.router``): they
act on the channel they are typed in, for admins only, from ``/empathy``, a mention or a DM.

Slack's users.info is played by a small stand-in (nobody is a workspace admin; ADMIN is in
ADMIN_USER_IDS); everything else is the real code on a real store with the demo survey."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from slack_sdk import WebClient

from bot.deps import Deps, StorePerThread
from bot.routing.actions import read_action
from bot.routing.router import ActionReply, Asker, Surface, route
from bot.settings import Settings
from bot.slack.permissions import Refusal
from insights.digests import channel_alerts
from insights.ingest.demo_loader import load_demo
from insights.store import read_audit

TEAM = "TALERT"
ADMIN = "UADMIN"
NOBODY = "UNOBODY"
ROOM = "CROOM"


class Users:
    def users_info(self, *, user: str) -> dict[str, Any]:
        return {"ok": True, "user": {"id": user, "tz": "Europe/Berlin"}}


CLIENT = cast(WebClient, Users())


@pytest.fixture
def deps(tmp_path: Path) -> Deps:
    # No ADMIN_USER_IDS restriction on digests would still leave alerts to admins.
    settings = Settings(_env_file=None, admin_user_ids=[ADMIN])  # type: ignore[call-arg]
    made = Deps(settings, StorePerThread(tmp_path / "alerts.db"))
    load_demo(made.store(), TEAM, actor="cli:test")
    return made


def reply(deps: Deps, text: str, surface: Surface = "channel", user: str = ADMIN) -> ActionReply:
    routed = route(deps, CLIENT, Asker(TEAM, user, ROOM, surface), text)
    assert isinstance(routed, ActionReply), routed
    return routed


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("alert when gap changes", ("alert", "alert when gap changes")),
        ("/empathy alert when gap changes", ("alert", "alert when gap changes")),
        ("alert me when the gap changes", ("alert", "alert me when the gap changes")),
        ("Please alert me when the gap changes!", ("alert", "alert me when the gap changes!")),
        ("stop alerts", ("alerts", "alerts off")),
        ("no more alerts", ("alerts", "alerts off")),
        ("please stop the gap alerts", ("alerts", "alerts off")),
        ("alerts off", ("alerts", "alerts off")),
        ("alerts", ("alerts", "alerts")),
    ],
)
def test_alert_phrasings_are_read_as_the_alert_action(text: str, read: tuple[str, str]) -> None:
    assert read_action(text) == read


@pytest.mark.parametrize(
    "text", ["stop", "no consultants", "no, by region", "gap by role", "stop the bleeding"]
)
def test_stop_and_no_alone_stay_questions(text: str) -> None:
    assert read_action(text) is None


def test_an_admin_turns_alerts_on_in_the_channel_it_is_typed_in(deps: Deps) -> None:
    done = reply(deps, "alert when gap changes")
    assert "Gap alerts on" in done.message.text
    assert not done.private  # about the channel: said in its thread
    found = channel_alerts(deps.store(), TEAM, ROOM)
    assert found is not None and (found.created_by, found.status) == (ADMIN, "active")
    assert channel_alerts(deps.store(), TEAM, "COTHER") is None
    again = reply(deps, "alert me when the gap changes")
    assert "already gets gap alerts" in again.message.text
    [entry] = [e for e in read_audit(deps.store(), TEAM, 50) if e.action == "subscribe-alerts"]
    assert (entry.actor, entry.target) == (ADMIN, ROOM)


@pytest.mark.parametrize("surface", ["command", "channel", "dm"])
def test_someone_else_is_refused_privately_and_nothing_changes(
    deps: Deps, surface: Surface
) -> None:
    refused = reply(deps, "alert when gap changes", surface, NOBODY)
    assert isinstance(refused.message, Refusal)
    assert "turn gap alerts on or off" in refused.message.text
    assert refused.private is (surface != "dm")
    assert channel_alerts(deps.store(), TEAM, ROOM) is None
    reply(deps, "alert when gap changes")
    assert isinstance(reply(deps, "stop alerts", surface, NOBODY).message, Refusal)
    assert channel_alerts(deps.store(), TEAM, ROOM) is not None


def test_stop_alerts_and_no_more_alerts_turn_them_off(deps: Deps) -> None:
    reply(deps, "alert when gap changes")
    off = reply(deps, "stop alerts")
    assert "Gap alerts off" in off.message.text and not off.private
    assert channel_alerts(deps.store(), TEAM, ROOM) is None
    assert "gets no gap alerts" in reply(deps, "no more alerts").message.text
    actions = [e.action for e in read_audit(deps.store(), TEAM, 50)]
    assert actions.count("unsubscribe-alerts") == 1  # nothing cancelled the second time


def test_the_subscriptions_reply_and_alerts_alone_say_whether_alerts_are_on(deps: Deps) -> None:
    before = reply(deps, "subscriptions", user=NOBODY).message.text
    assert "Gap alerts: off" in before
    reply(deps, "alert when gap changes")
    listing = reply(deps, "subscriptions", user=NOBODY).message.text
    assert "no digest subscription" in listing and "Gap alerts: on since" in listing
    reply(deps, "subscribe weekly monday 09:00")
    both = reply(deps, "subscriptions").message.text
    assert "Monday" in both and "Gap alerts: on since" in both
    status = reply(deps, "alerts", user=NOBODY)  # anyone may ask whether they are on
    assert "Gap alerts: on since" in status.message.text


def test_an_unknown_alert_request_is_a_friendly_usage(deps: Deps) -> None:
    said = reply(deps, "alert banana").message.text
    assert "banana" in said and "alert when gap changes" in said
    assert channel_alerts(deps.store(), TEAM, ROOM) is None
