"""bot.permissions: who is an admin, who may manage digests, who may import survey data."""

from __future__ import annotations

from typing import Any, cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.permissions import is_admin, may_import, may_manage_subscriptions
from bot.settings import Settings


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
