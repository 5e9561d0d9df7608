"""``/empathy QUERY``: acknowledged at once, answered after the ack through the response_url."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import with_share_button
from bot.listeners import Deps, answer, deps_of

COMMAND = "/empathy"
logger = logging.getLogger(__name__)


def acknowledge(ack: Ack) -> None:
    """Empty ack within Slack's 3 seconds; the answer follows through the response_url."""
    ack()


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

    def answer_lazily(command: dict[str, Any], respond: Respond) -> None:
        answer_command(deps, command, respond)

    app.command(COMMAND)(ack=acknowledge, lazy=[answer_lazily])
