"""An upload's Import: the confirm modal (survey and wave), or why the import cannot go ahead.
Not lazy: ``views.open`` must use the click's trigger_id within Slack's 3 seconds."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.imports import uploads
from bot.listeners.actions.clicks import clicked, tell
from bot.views.imports import IMPORT_ACTION_ID
from insights.answers import Message

logger = logging.getLogger(__name__)


def open_import(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Import: the confirm modal (survey and wave), or why the import cannot go ahead."""
    team_id, user_id, pending_id = clicked(deps, body, context)
    view = uploads.confirm_view(deps.settings, deps.store(), client, team_id, user_id, pending_id)
    if isinstance(view, Message):
        tell(respond, view)
        return
    try:
        client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
    except SlackApiError as error:
        logger.warning("views.open failed: %s", error.response.get("error"))
        text = "Slack would not open the form; click Import again."
        tell(respond, Message(text=text, blocks=[]))


def register(app: App, deps: Deps) -> None:
    @app.action(IMPORT_ACTION_ID)
    def on_import(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        open_import(deps, body, context, client, respond)
