"""``app_home_opened``: the Home tab published afresh each time it is opened."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.slack.home import publish_home

logger = logging.getLogger(__name__)


def open_home(deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """``app_home_opened`` on the Home tab publishes it afresh (the Messages tab is a DM)."""
    event = body.get("event") or {}
    user = event.get("user")
    if event.get("tab") != "home" or not isinstance(user, str):
        logger.debug("Not publishing Home: app_home_opened on tab %s by %s", event.get("tab"), user)
        return
    team_id = deps.team_for(context)
    publish_home(client, deps.store(), team_id, user, min_group_size=deps.settings.min_group_size)


def register(app: App, deps: Deps) -> None:
    def home_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        open_home(deps, body, context, client)

    app.event("app_home_opened")(ack=acknowledge, lazy=[home_lazily])
