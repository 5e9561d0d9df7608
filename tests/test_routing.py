"""bot.routing.router: one decision, for every entry point, of whether a text is an
action (and which, with whose permission, and who sees the reply) or a question.

Slack's users.info is played by a small stand-in; everything else is the real code on a
real store with the demo survey."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from slack_sdk import WebClient

from bot.deps import Deps, StorePerThread
from bot.routing.actions import KNOWN_ACTIONS, read_action
from bot.routing.router import (
    ActionReply,
    Asker,
    OpenImportForm,
    Surface,
    route,
)
from bot.settings import Settings
from bot.slack.permissions import Refusal
from insights import record_miss
from insights.answers.query import ACTIONS
from insights.digests import subscriptions as subs
from insights.ingest.demo_loader import load_demo

TEAM = "TROUTE"
ADMIN = "UADMIN"
NOBODY = "UNOBODY"


class Users:
    """Stands in for WebClient.users_info: nobody is a workspace admin; ``broken`` fails
    the way a bug would (not as Slack's refusal, which permissions already handle)."""

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken

    def users_info(self, *, user: str) -> dict[str, Any]:
        if self.broken:
            raise RuntimeError("boom")
        return {"ok": True, "user": {"id": user, "tz": "Europe/Berlin"}}


CLIENT = cast(WebClient, Users())


@pytest.fixture
def deps(tmp_path: Path) -> Deps:
    settings = Settings(_env_file=None, admin_user_ids=[ADMIN])  # type: ignore[call-arg]
    made = Deps(settings, StorePerThread(tmp_path / "route.db"))
    load_demo(made.store(), TEAM, actor="cli:test")
    return made


def asked(
    deps: Deps, text: str, surface: Surface, user: str = ADMIN, client: WebClient = CLIENT
) -> ActionReply | OpenImportForm | None:
    return route(deps, client, Asker(TEAM, user, "CROOM", surface), text)


def reply(deps: Deps, text: str, surface: Surface, user: str = ADMIN) -> ActionReply:
    routed = asked(deps, text, surface, user)
    assert isinstance(routed, ActionReply), routed
    return routed


def test_every_action_of_the_language_has_a_route() -> None:
    assert KNOWN_ACTIONS == ACTIONS


def test_an_action_is_read_from_its_word_on() -> None:
    assert read_action("Forget: wave 2022") == ("forget", "forget wave 2022")
    assert read_action("/empathy  subscribe weekly monday 09:00") == (
        "subscribe",
        "subscribe weekly monday 09:00",
    )
    assert read_action("misses?") == ("misses", "misses")
    assert read_action("gap by role") is None


@pytest.mark.parametrize(
    "text",
    ["", "gap", "gap wave 2022", "forgetful", "auditors by role", "who can import?"],
)
def test_questions_are_left_to_be_answered(deps: Deps, text: str) -> None:
    assert asked(deps, text, "channel") is None


@pytest.mark.parametrize("surface", ["command", "channel", "dm"])
def test_forget_is_an_action_everywhere_never_a_gap_question(deps: Deps, surface: Surface) -> None:
    confirmation = reply(deps, "forget wave 2022", surface)
    assert "Forget wave '2022'" in confirmation.message.text
    assert confirmation.private is (surface != "dm")
    refused = reply(deps, "forget wave 2022", surface, NOBODY)
    assert isinstance(refused.message, Refusal)
    assert refused.private is (surface != "dm")


def test_admin_listings_are_for_the_asker_alone_in_a_channel(deps: Deps) -> None:
    record_miss(deps.store(), TEAM, "how many think we track it", "not understood")
    misses = reply(deps, "misses", "channel")
    assert "how many think we track it" in misses.message.text and misses.private
    audit = reply(deps, "audit", "channel")
    assert not isinstance(audit.message, Refusal)
    assert "imported empathy-in-action/2022" in audit.message.text and audit.private
    assert not reply(deps, "misses", "dm").private
    for text in ("misses", "audit"):
        refused = reply(deps, text, "channel", NOBODY)
        assert isinstance(refused.message, Refusal) and refused.private


def test_a_subscription_is_for_the_channel_it_is_asked_in(deps: Deps) -> None:
    done = reply(deps, "subscribe weekly monday 09:00", "channel")
    assert "Subscribed this channel" in done.message.text
    assert not done.private  # the channel's own digest: said in the thread
    assert subs.channel_subscription(deps.store(), TEAM, "CROOM") is not None
    refused = reply(deps, "unsubscribe", "channel", NOBODY)
    assert isinstance(refused.message, Refusal) and refused.private
    assert subs.channel_subscription(deps.store(), TEAM, "CROOM") is not None


def test_import_opens_the_form_only_from_the_slash_command(deps: Deps) -> None:
    assert isinstance(asked(deps, "import", "command"), OpenImportForm)
    in_channel = reply(deps, "import", "channel")
    assert "in a direct message" in in_channel.message.text and in_channel.private
    assert "`/empathy import`" in in_channel.message.text
    in_dm = reply(deps, "Import", "dm")
    assert "send me its export here" in in_dm.message.text
    for surface in ("command", "channel", "dm"):
        assert isinstance(reply(deps, "import", surface, NOBODY).message, Refusal)


@pytest.mark.parametrize("text", ["/empathy audit", "audit?", "AUDIT", "audit please"])
def test_the_action_word_is_read_as_typed(deps: Deps, text: str) -> None:
    said = reply(deps, text, "dm").message
    assert said.text.startswith("Audit log, newest first:") and not isinstance(said, Refusal)


def test_a_forget_with_the_prefix_and_punctuation_still_reads_the_wave(deps: Deps) -> None:
    said = reply(deps, "/empathy forget: wave 2021-pilot", "dm").message.text
    assert "Forget wave '2021-pilot'" in said


def test_a_failure_inside_an_action_is_an_apology_not_an_exception(deps: Deps) -> None:
    routed = asked(deps, "audit", "channel", NOBODY, cast(WebClient, Users(broken=True)))
    assert isinstance(routed, ActionReply)
    assert "something went wrong on our side" in routed.message.text
    assert "boom" not in routed.message.text
