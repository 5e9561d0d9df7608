"""A forget confirmation's Delete: the wave forgotten (admins only, checked again)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.actions.clicks import clicked, tell
from bot.routing import forget
from bot.views.admin import FORGET_ACTION_ID


def forget_wave(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Delete: forget the wave (admins only, checked again); the outcome replaces the
    confirmation, a refusal is told to the clicker alone."""
    team_id, user_id, value = clicked(deps, body, context)
    message, replaces = forget.confirm_forget(
        deps.settings, deps.store(), client, team_id, user_id, value
    )
    if replaces:
        respond(text=message.text, blocks=message.blocks, replace_original=True)
    else:
        tell(respond, message)


def register(app: App, deps: Deps) -> None:
    def forget_lazily(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        forget_wave(deps, body, context, client, respond)

    app.action(FORGET_ACTION_ID)(ack=acknowledge, lazy=[forget_lazily])
