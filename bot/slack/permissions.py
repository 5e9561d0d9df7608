"""Who may do what: THE one place the bot decides whether a Slack user is an admin.

* :func:`is_admin`: listed in ADMIN_USER_IDS, or a Slack workspace admin or owner;
* :func:`may_manage_subscriptions`: digests are open to everyone until ADMIN_USER_IDS
  names someone, then admins only; with RESTRICT_SUBSCRIPTIONS, admins only always;
* :func:`may_manage_alerts`: a gap alert posts in the channel unasked: admins only;
* :func:`may_import`: survey imports replace what everyone sees, so always admins only;
* :func:`may_delete`: forgetting a wave deletes responses for everyone: admins only;
* :func:`may_view_audit`: the audit log names people: admins only;
* :func:`may_view_misses`: what people asked and did not get answered: admins only;
* :func:`may_run_pulses`: starting and closing a pulse DMs people and adds a wave: admins only.

If Slack cannot tell us who someone is, the answer is no. Whoever is refused gets
:func:`refusal`, the one way the bot says so: a :class:`Refusal`, which an edge shows only
to the person refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.views.answers import escape_mrkdwn
from insights.answers import Message

logger = logging.getLogger(__name__)


def is_admin(settings: Settings, client: WebClient, user_id: str) -> bool:
    """``user_id`` is in ADMIN_USER_IDS or a workspace admin, owner or primary owner."""
    if not user_id:
        return False
    if user_id in settings.admin_user_ids:
        return True
    user = user_info(client, user_id)
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def may_manage_subscriptions(settings: Settings, client: WebClient, user_id: str) -> bool:
    """Everyone may while ADMIN_USER_IDS is empty (a small team's default); then admins only.
    RESTRICT_SUBSCRIPTIONS makes it admins only even with no list set."""
    if not settings.admin_user_ids and not settings.restrict_subscriptions:
        return True
    return is_admin(settings, client, user_id)


def may_manage_alerts(settings: Settings, client: WebClient, user_id: str) -> bool:
    """An alert posts in the channel whenever a wave moves a gap, unasked by anyone there:
    turning it on or off is for admins only, even with no list set."""
    return is_admin(settings, client, user_id)


def may_import(settings: Settings, client: WebClient, user_id: str) -> bool:
    """An import changes every answer in the workspace: admins only, even with no list set."""
    return is_admin(settings, client, user_id)


def may_delete(settings: Settings, client: WebClient, user_id: str) -> bool:
    """Forgetting a wave deletes responses for everyone: admins only, even with no list set."""
    return is_admin(settings, client, user_id)


def may_view_audit(settings: Settings, client: WebClient, user_id: str) -> bool:
    """The audit log says who did what: admins only."""
    return is_admin(settings, client, user_id)


def may_view_misses(settings: Settings, client: WebClient, user_id: str) -> bool:
    """Questions the bot could not answer show what the workspace asks about: admins only,
    as the audit log."""
    return is_admin(settings, client, user_id)


def may_run_pulses(settings: Settings, client: WebClient, user_id: str) -> bool:
    """A pulse DMs a whole channel and its closing adds a wave everyone sees: admins only,
    even with no list set (its status, counts only, is everyone's)."""
    return is_admin(settings, client, user_id)


@dataclass(frozen=True)
class Refusal(Message):
    """A reply saying someone may not do something: it concerns only them, so in a channel
    it is shown to them alone."""


def refusal(action: str, next_step: str) -> Refusal:
    """The friendly lock message for someone who may not ``action`` ("import survey data"),
    with ``next_step`` ("Ask one of them to upload the file.")."""
    text = f"Only the bot's admins and workspace admins can {action}. {next_step}"
    section = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f":lock: {escape_mrkdwn(text)}"},
    }
    return Refusal(text=text, blocks=[section])


def user_info(client: WebClient, user_id: str) -> dict[str, Any]:
    """Slack's ``users.info`` profile of ``user_id``; empty when Slack cannot say."""
    try:
        response = client.users_info(user=user_id)
    except SlackApiError as error:
        logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return {}
    user = response.get("user")
    return dict(user) if isinstance(user, dict) else {}
