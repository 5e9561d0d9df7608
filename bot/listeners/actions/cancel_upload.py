"""An upload's Cancel: the pending upload forgotten, its message replaced."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.imports import uploads
from bot.listeners.actions.clicks import clicked
from bot.views.imports import CANCEL_ACTION_ID


def cancel_import(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Cancel: forget the upload; the mapping message (and its buttons) is replaced."""
    team_id, user_id, pending_id = clicked(deps, body, context)
    message = uploads.cancel(deps.settings, deps.store(), client, team_id, user_id, pending_id)
    respond(text=message.text, blocks=message.blocks, replace_original=True)


def register(app: App, deps: Deps) -> None:
    @app.action(CANCEL_ACTION_ID)
    def on_cancel(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        cancel_import(deps, body, context, client, respond)
