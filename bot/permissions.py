"""Who may do what: THE one place the bot decides whether a Slack user is an admin.

* :func:`is_admin`: listed in ADMIN_USER_IDS, or a Slack workspace admin or owner;
* :func:`may_manage_subscriptions`: digests are open to everyone until ADMIN_USER_IDS
  names someone, then admins only;
* :func:`may_import`: survey imports replace what everyone sees, so always admins only.

If Slack cannot tell us who someone is, the answer is no.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings

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
    """Everyone may while ADMIN_USER_IDS is empty (a small team's default); then admins only."""
    if not settings.admin_user_ids:
        return True
    return is_admin(settings, client, user_id)


def may_import(settings: Settings, client: WebClient, user_id: str) -> bool:
    """An import changes every answer in the workspace: admins only, even with no list set."""
    return is_admin(settings, client, user_id)


def user_info(client: WebClient, user_id: str) -> dict[str, Any]:
    """Slack's ``users.info`` profile of ``user_id``; empty when Slack cannot say."""
    try:
        response = client.users_info(user=user_id)
    except SlackApiError as error:
        logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return {}
    user = response.get("user")
    return dict(user) if isinstance(user, dict) else {}
