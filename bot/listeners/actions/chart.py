"""Chart: the carried query drawn and uploaded where the click was."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.actions.clicks import privately, read_click
from bot.routing.router import answer
from bot.slack.charts import post_chart
from bot.views.answers import (
    CHART_ACTION_ID,
    quoted_query,
)


def chart(
    deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """Chart: the carried query drawn and uploaded where the click was; problems stay private."""
    click = read_click(deps, body, context)
    if click.query is None:
        return
    result = answer(deps, click.team_id, click.query)
    if not result.ok or result.finding is None:
        privately(respond, result.message.text, result.message.blocks)
        return
    asked = quoted_query(click.query)
    problem = post_chart(
        client,
        result.finding,
        channel=click.channel,
        thread_ts=click.thread_ts,
        comment=f"<@{click.user_id}> asked for a chart of {asked}" if click.ephemeral else None,
    )
    if problem:
        privately(respond, problem)


def register(app: App, deps: Deps) -> None:
    def chart_lazily(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        chart(deps, body, context, respond, client)

    app.action(CHART_ACTION_ID)(ack=acknowledge, lazy=[chart_lazily])
