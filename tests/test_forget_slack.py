"""bot.routing.forget and bot.views.admin: `/empathy forget wave …` and its buttons, as functions
(no web process): who may, what the confirmation says and carries, what a click does."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from support import TEAM

from bot.routing.forget import confirm_forget, handle, parse_forget
from bot.settings import Settings
from bot.views import admin as ui
from insights import QueryError, Store
from insights.answers.catalog import load_catalog
from insights.answers.render import Message
from insights.ingest.demo_loader import load_demo
from insights.store import audit
from insights.store.waves import WaveToForget


class Users:
    """Stands in for WebClient.users_info: UOWNER is a workspace owner, others are not."""

    def users_info(self, *, user: str) -> dict[str, Any]:
        return {"ok": True, "user": {"id": user, "is_owner": user == "UOWNER"}}


CLIENT = cast(WebClient, Users())
SETTINGS = Settings(_env_file=None, admin_user_ids=["UADMIN"])  # type: ignore[call-arg]


@pytest.fixture
def demo(store: Store) -> Store:
    load_demo(store, TEAM, actor="cli:test")
    return store


def assert_valid(message: Message) -> None:
    assert message.text.strip() and message.blocks
    for raw in message.blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()


def delete_button(message: Message) -> dict[str, Any]:
    for block in message.blocks:
        for element in block.get("elements") or []:
            if element.get("action_id") == ui.FORGET_ACTION_ID:
                return dict(element)
    raise AssertionError(f"no Delete button in {message.blocks}")


def waves(store: Store) -> list[str]:
    return [w.label for w in load_catalog(store, TEAM).waves]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wave 2021-pilot", (None, "2021-pilot")),
        ("wave 2021-pilot survey empathy-in-action", ("empathy-in-action", "2021-pilot")),
        ("survey empathy-in-action wave 2022", ("empathy-in-action", "2022")),
        ('wave "spring 2024" survey "my survey"', ("my survey", "spring 2024")),
        ("wave “spring 2024”", (None, "spring 2024")),
        ("WAVE spring 2024", (None, "spring 2024")),
    ],
)
def test_parsing_forget(text: str, expected: tuple[str | None, str]) -> None:
    assert parse_forget(text) == expected


@pytest.mark.parametrize("text", ["", "2022", "wave", "wave 2022 survey", 'wave "2022'])
def test_parsing_mistakes_say_how_to_ask(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_forget(text)
    assert "/empathy forget wave LABEL" in str(caught.value.suggestion)


def test_the_confirmation_says_what_goes_and_deletes_nothing(demo: Store) -> None:
    message = handle(SETTINGS, demo, CLIENT, TEAM, "UADMIN", "forget wave 2021-pilot")
    assert_valid(message)
    assert "2021-pilot" in message.text and "empathy-in-action" in message.text
    assert "120 respondents" in message.text and "cannot be undone" in message.text
    button = delete_button(message)
    assert button["style"] == "danger"
    assert button["confirm"]["style"] == "danger"
    assert button["confirm"]["confirm"]["text"] == "Delete"
    target = ui.read_forget_value(button["value"])
    assert target is not None
    assert (target.team_id, target.survey, target.wave) == (TEAM, "empathy-in-action", "2021-pilot")
    [cancel] = [
        e
        for b in message.blocks
        for e in b.get("elements") or []
        if e.get("action_id") == ui.FORGET_CANCEL_ACTION_ID
    ]
    assert "style" not in cancel
    assert waves(demo) == ["2021-pilot", "2022"]


def test_an_unknown_wave_is_explained(demo: Store) -> None:
    message = handle(SETTINGS, demo, CLIENT, TEAM, "UADMIN", "forget wave 2019")
    assert_valid(message)
    assert "has no wave '2019'" in message.text and "Waves: 2021-pilot, 2022." in message.text
    usage = handle(SETTINGS, demo, CLIENT, TEAM, "UOWNER", "forget 2019")
    assert "/empathy forget wave LABEL" in usage.text


def test_non_admins_are_refused_before_anything_is_read(demo: Store) -> None:
    for text in ("forget wave 2021-pilot", "forget nonsense", "audit"):
        message = handle(SETTINGS, demo, CLIENT, TEAM, "UBOB", text)
        assert_valid(message)
        assert message.text.startswith("Only the bot's admins and workspace admins can"), text
        assert ":lock:" in message.blocks[0]["text"]["text"]


def test_delete_forgets_the_wave_it_carries(demo: Store) -> None:
    value = delete_button(handle(SETTINGS, demo, CLIENT, TEAM, "UADMIN", "forget wave 2021-pilot"))[
        "value"
    ]
    message, replaces = confirm_forget(SETTINGS, demo, CLIENT, TEAM, "UOWNER", value)
    assert replaces
    assert_valid(message)
    assert "Forgot wave '2021-pilot'" in message.text and "120 respondents" in message.text
    assert waves(demo) == ["2022"]
    entry, *imports = audit.read(demo, TEAM)
    assert [imported.action for imported in imports] == ["import", "import"]  # the demo's
    assert (entry.actor, entry.action, entry.target) == (
        "UOWNER",
        "forget",
        "empathy-in-action/2021-pilot",
    )
    again, replaces = confirm_forget(SETTINGS, demo, CLIENT, TEAM, "UADMIN", value)
    assert replaces and "has no wave '2021-pilot': nothing was deleted." in again.text


def test_delete_rechecks_the_clicker_and_the_workspace(demo: Store) -> None:
    value = delete_button(handle(SETTINGS, demo, CLIENT, TEAM, "UADMIN", "forget wave 2022"))[
        "value"
    ]
    refused, replaces = confirm_forget(SETTINGS, demo, CLIENT, TEAM, "UBOB", value)
    assert not replaces and refused.text.startswith("Only the bot's admins")
    foreign, replaces = confirm_forget(SETTINGS, demo, CLIENT, "T-OTHER", "UADMIN", value)
    assert not replaces and "not for this workspace" in foreign.text
    forged = json.dumps({"t": TEAM, "s": "empathy-in-action", "w": "2022"})  # no wave id
    for bad in ("", "nonsense", "[1]", forged):
        message, _ = confirm_forget(SETTINGS, demo, CLIENT, TEAM, "UADMIN", bad)
        assert "nothing was deleted" in message.text, bad
    assert waves(demo) == ["2021-pilot", "2022"]
    assert [entry.action for entry in audit.read(demo, TEAM)] == ["import", "import"]


def test_the_last_wave_says_the_survey_goes_too(store: Store) -> None:
    load_demo(store, TEAM, actor="cli:test")
    confirm_forget(
        SETTINGS,
        store,
        CLIENT,
        TEAM,
        "UADMIN",
        delete_button(handle(SETTINGS, store, CLIENT, TEAM, "UADMIN", "forget wave 2021-pilot"))[
            "value"
        ],
    )
    message = handle(SETTINGS, store, CLIENT, TEAM, "UADMIN", "forget wave 2022")
    assert "the survey goes too" in message.blocks[0]["text"]["text"]


def test_names_too_long_for_a_button_get_no_button() -> None:
    wave = WaveToForget("s" * 1500, "w" * 600, 1, 10, "2026-01-01T00:00:00Z", False)
    message = ui.forget_confirmation(wave, TEAM)
    assert_valid(message)
    assert not any(b["type"] == "actions" for b in message.blocks)
    assert "empathy forget-wave" in str(message.blocks)


def test_cancel_replaces_the_confirmation() -> None:
    message = ui.forget_cancelled()
    assert_valid(message)
    assert message.text == "Cancelled: nothing was deleted."
