"""bot.slack.permissions: who is an admin, who may manage digests, import survey data, forget a
wave and read the audit log; and the one refusal they all get."""

from __future__ import annotations

from typing import Any, cast

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.imports import uploads
from bot.settings import Settings
from bot.slack.permissions import (
    is_admin,
    may_delete,
    may_import,
    may_manage_subscriptions,
    may_view_audit,
    refusal,
)


class Users:
    """Stands in for WebClient.users_info; records who was looked up."""

    def __init__(self, **profiles: dict[str, Any]) -> None:
        self.profiles = profiles
        self.asked: list[str] = []

    def users_info(self, *, user: str) -> dict[str, Any]:
        self.asked.append(user)
        if user not in self.profiles:
            raise SlackApiError("user_not_found", {"ok": False, "error": "user_not_found"})
        return {"ok": True, "user": {"id": user, **self.profiles[user]}}


def client(users: Users) -> WebClient:
    return cast(WebClient, users)


def settings(*admins: str) -> Settings:
    return Settings(_env_file=None, admin_user_ids=list(admins))  # type: ignore[call-arg]


def test_listed_users_are_admins_without_asking_slack() -> None:
    users = Users()
    assert is_admin(settings("UADMIN"), client(users), "UADMIN")
    assert users.asked == []


def test_workspace_admins_and_owners_are_admins() -> None:
    users = Users(
        UWS={"is_admin": True},
        UOWN={"is_owner": True},
        UPRIM={"is_primary_owner": True},
        UBOB={"is_admin": False, "is_owner": False},
    )
    for user in ("UWS", "UOWN", "UPRIM"):
        assert is_admin(settings("UADMIN"), client(users), user), user
    assert not is_admin(settings("UADMIN"), client(users), "UBOB")


def test_when_slack_cannot_say_the_answer_is_no() -> None:
    assert not is_admin(settings(), client(Users()), "UGHOST")
    assert not is_admin(settings(), client(Users()), "")


def test_subscriptions_are_open_to_everyone_until_admins_are_listed() -> None:
    users = Users(UBOB={})
    assert may_manage_subscriptions(settings(), client(users), "UBOB")
    assert users.asked == []  # no list: nobody needs looking up
    assert not may_manage_subscriptions(settings("UADMIN"), client(users), "UBOB")
    assert may_manage_subscriptions(settings("UADMIN"), client(users), "UADMIN")


def test_imports_always_need_an_admin() -> None:
    users = Users(UBOB={}, UWS={"is_admin": True})
    assert not may_import(settings(), client(users), "UBOB")
    assert may_import(settings(), client(users), "UWS")
    assert may_import(settings("UADMIN"), client(users), "UADMIN")


def test_restricted_subscriptions_need_an_admin_even_with_no_list() -> None:
    users = Users(UBOB={}, UWS={"is_admin": True})
    restricted = settings().model_copy(update={"restrict_subscriptions": True})
    assert not may_manage_subscriptions(restricted, client(users), "UBOB")
    assert may_manage_subscriptions(restricted, client(users), "UWS")
    listed = settings("UADMIN").model_copy(update={"restrict_subscriptions": True})
    assert may_manage_subscriptions(listed, client(users), "UADMIN")
    assert not may_manage_subscriptions(listed, client(users), "UBOB")


def test_restrict_subscriptions_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESTRICT_SUBSCRIPTIONS", "true")
    assert Settings(_env_file=None).restrict_subscriptions  # type: ignore[call-arg]
    monkeypatch.delenv("RESTRICT_SUBSCRIPTIONS")
    assert not Settings(_env_file=None).restrict_subscriptions  # type: ignore[call-arg]


def test_deleting_and_reading_the_audit_log_always_need_an_admin() -> None:
    users = Users(UBOB={}, UOWN={"is_owner": True})
    for check in (may_delete, may_view_audit):
        assert not check(settings(), client(users), "UBOB"), check.__name__
        assert not check(settings(), client(users), ""), check.__name__
        assert check(settings(), client(users), "UOWN"), check.__name__
        assert check(settings("UADMIN"), client(users), "UADMIN"), check.__name__


def test_one_refusal_for_every_admin_action() -> None:
    message = refusal("forget survey waves", "Ask one of them to delete it.")
    assert message.text == (
        "Only the bot's admins and workspace admins can forget survey waves."
        " Ask one of them to delete it."
    )
    assert message.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":lock: {message.text}"}}
    ]
    assert uploads.refusal().text.startswith(
        "Only the bot's admins and workspace admins can import"
    )
    assert "&lt;b&gt;" in refusal("<b>", "").blocks[0]["text"]["text"]  # escaped for mrkdwn
