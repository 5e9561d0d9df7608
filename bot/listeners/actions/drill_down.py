"""A digest's Drill down: its query answered to the clicker alone."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, Respond

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.actions.clicks import privately, read_click
from bot.routing.router import answer
from bot.views.answers import (
    DRILL_DOWN_ACTION_ID,
    with_answer_actions,
)


def drill_down(deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """A digest's Drill down: its query (the button's raw value) answered to the clicker only,
    so exploring a digest does not add to the channel."""
    actions = body.get("actions") or [{}]
    click = read_click(deps, body, context)
    result = answer(deps, click.team_id, str(actions[0].get("value") or ""))
    query = result.query if result.ok else None
    blocks = with_answer_actions(
        result.message.blocks, query, result.next_steps, asked=result.asked
    )
    privately(respond, result.message.text, blocks)


def register(app: App, deps: Deps) -> None:
    def drill_down_lazily(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        drill_down(deps, body, context, respond)

    app.action(DRILL_DOWN_ACTION_ID)(ack=acknowledge, lazy=[drill_down_lazily])
