"""A next-step button under an answer (a breakdown, the trend): the query it carries, answered
where the click was."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.actions.clicks import read_click, send_answer
from bot.routing.router import answer
from bot.views.answers import (
    STEP_ACTION_PREFIX,
)


def next_step(
    deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """A next-step button: answer the query it carries."""
    click = read_click(deps, body, context)
    if click.query is None:
        return
    send_answer(deps, click, answer(deps, click.team_id, click.query), respond, client)


def register(app: App, deps: Deps) -> None:
    def next_step_lazily(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        next_step(deps, body, context, respond, client)

    app.action(re.compile(f"^{STEP_ACTION_PREFIX}"))(ack=acknowledge, lazy=[next_step_lazily])
