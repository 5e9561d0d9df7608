"""Publishing the App Home tab (``views.publish``) when someone opens it.

The view is :mod:`bot.views.home`'s; this module only publishes it. Opening a tab must
never break anything else, so every failure is logged and swallowed.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.views.home import home_view
from insights import Store

logger = logging.getLogger(__name__)


def publish_home(
    client: WebClient, store: Store, team_id: str, user_id: str, *, min_group_size: int
) -> bool:
    """Publish ``user_id``'s Home tab for workspace ``team_id``; True when Slack took it."""
    try:
        view = home_view(store, team_id, min_group_size=min_group_size)
    except Exception:  # a bug here must not take the event handler down with it
        logger.exception("Could not build the Home tab for %s", user_id)
        return False
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        logger.warning(
            "Slack refused the Home tab for %s: %s", user_id, error.response.get("error")
        )
        return False
    except OSError as error:  # connection refused, timeout: Slack is unreachable just now
        logger.warning("Could not reach Slack to publish the Home tab for %s: %s", user_id, error)
        return False
    return True
