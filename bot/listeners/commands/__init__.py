"""``/empathy QUERY``: acknowledged at once, answered after the ack through the response_url."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import subscribe
from bot.blocks import with_share_button
from bot.listeners import Deps, answer, deps_of

COMMAND = "/empathy"
logger = logging.getLogger(__name__)


def acknowledge(ack: Ack) -> None:
    """Empty ack within Slack's 3 seconds; the answer follows through the response_url."""
    ack()


def manage_subscription(
    deps: Deps, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """`subscribe …`, `unsubscribe`, `subscriptions`: this channel's weekly digest."""
    message = subscribe.handle(
        deps.settings,
        deps.store(),
        client,
        deps.team_for(command.get("team_id")),
        str(command.get("channel_id") or ""),
        str(command.get("user_id") or ""),
        str(command.get("text") or "").strip(),
    )
    respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def answer_command(deps: Deps, command: dict[str, Any], respond: Respond) -> None:
    """Answer ephemerally, with a "Share in channel" button on every real answer."""
    text = str(command.get("text") or "").strip()
    result = answer(deps, deps.team_for(command.get("team_id")), text)
    share = (result.query if result.query is not None else text) if result.ok else None
    response = respond(
        text=result.message.text,
        blocks=with_share_button(result.message.blocks, share),
        response_type="ephemeral",
    )
    if response.status_code != 200:
        logger.warning("Slack refused the command reply (HTTP %s)", response.status_code)


def register(app: App) -> None:
    deps = deps_of(app)

    def answer_lazily(command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        if subscribe.is_subscription_command(str(command.get("text") or "")):
            manage_subscription(deps, command, respond, client)
        else:
            answer_command(deps, command, respond)

    app.command(COMMAND)(ack=acknowledge, lazy=[answer_lazily])
