"""Share in channel: an ephemeral answer re-posted for the channel to see, saying who shared it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, Respond

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.actions.clicks import privately, read_click
from bot.routing.router import answer
from bot.views.answers import (
    SHARE_ACTION_ID,
    shared_by,
)

logger = logging.getLogger(__name__)


def share_in_channel(
    deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Re-post the answer visibly in the channel; errors stay ephemeral to the clicker."""
    click = read_click(deps, body, context)
    if click.query is None:
        return
    result = answer(deps, click.team_id, click.query)
    if not result.ok:
        privately(respond, result.message.text, result.message.blocks)
        return
    response = respond(
        text=result.message.text,
        blocks=shared_by(result.message.blocks, click.user_id, click.query),
        response_type="in_channel",
        replace_original=False,
    )
    if response.status_code != 200:
        logger.warning("Slack refused a shared answer (HTTP %s)", response.status_code)


def register(app: App, deps: Deps) -> None:
    def share_lazily(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        share_in_channel(deps, body, context, respond)

    app.action(SHARE_ACTION_ID)(ack=acknowledge, lazy=[share_lazily])
