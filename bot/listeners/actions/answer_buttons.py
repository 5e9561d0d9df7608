"""The buttons under an answer: next steps (a breakdown, the trend), Chart, Share in channel,
and a digest's Drill down. Each carries a complete query and is answered from the database,
so every button works after a restart.

Where the answer goes follows where the button was: under an ephemeral slash-command answer
the next answer is ephemeral too (through the response_url); under a message in a
conversation it is posted in that message's thread, which then follows the new query.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.routing.router import Answer, answer
from bot.slack.charts import post_chart
from bot.slack.posting import post_message
from bot.views.answers import query_from_value, quoted_query, shared_by, with_answer_actions
from insights.answers import Message
from insights.store import save_context

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Click:
    """Where a button was clicked and what it carries."""

    team_id: str
    user_id: str
    query: str | None
    channel: str
    thread_ts: str | None  # None: the button was under an ephemeral answer
    ephemeral: bool


def read_click(deps: Deps, body: dict[str, Any], context: BoltContext) -> Click:
    actions = body.get("actions") or [{}]
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    ephemeral = bool(container.get("is_ephemeral")) or not message
    thread = message.get("thread_ts") or message.get("ts")
    return Click(
        team_id=deps.team_for(context),
        user_id=str((body.get("user") or {}).get("id") or ""),
        query=query_from_value(str(actions[0].get("value") or "")),
        channel=str(channel),
        thread_ts=None if ephemeral else thread,
        ephemeral=ephemeral,
    )


def _privately(respond: Respond, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    respond(text=text, blocks=blocks or [], response_type="ephemeral", replace_original=False)


def send_answer(
    deps: Deps, click: Click, result: Answer, respond: Respond, client: WebClient
) -> None:
    """An answer where the click was: ephemeral with all buttons, or in the thread."""
    if click.ephemeral or not result.ok:
        query = result.query if result.ok else None
        _privately(
            respond,
            result.message.text,
            with_answer_actions(result.message.blocks, query, result.next_steps),
        )
        return
    if result.query is not None:
        save_context(
            deps.store(), click.team_id, click.channel, click.thread_ts or "", result.query
        )
    blocks = with_answer_actions(
        result.message.blocks, result.query, result.next_steps, share=False
    )
    reply = Message(text=result.message.text, blocks=blocks)
    post_message(client, click.channel, reply, thread_ts=click.thread_ts, what="a button's answer")


def next_step(
    deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """A next-step button: answer the query it carries."""
    click = read_click(deps, body, context)
    if click.query is None:
        return
    send_answer(deps, click, answer(deps, click.team_id, click.query), respond, client)


def drill_down(deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """A digest's Drill down: its query (the button's raw value) answered to the clicker only,
    so exploring a digest does not add to the channel."""
    actions = body.get("actions") or [{}]
    click = read_click(deps, body, context)
    result = answer(deps, click.team_id, str(actions[0].get("value") or ""))
    query = result.query if result.ok else None
    blocks = with_answer_actions(result.message.blocks, query, result.next_steps)
    _privately(respond, result.message.text, blocks)


def chart(
    deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """Chart: the carried query drawn and uploaded where the click was; problems stay private."""
    click = read_click(deps, body, context)
    if click.query is None:
        return
    result = answer(deps, click.team_id, click.query)
    if not result.ok or result.finding is None:
        _privately(respond, result.message.text, result.message.blocks)
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
        _privately(respond, problem)


def share_in_channel(
    deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Re-post the answer visibly in the channel; errors stay ephemeral to the clicker."""
    click = read_click(deps, body, context)
    if click.query is None:
        return
    result = answer(deps, click.team_id, click.query)
    if not result.ok:
        _privately(respond, result.message.text, result.message.blocks)
        return
    response = respond(
        text=result.message.text,
        blocks=shared_by(result.message.blocks, click.user_id, click.query),
        response_type="in_channel",
        replace_original=False,
    )
    if response.status_code != 200:
        logger.warning("Slack refused a shared answer (HTTP %s)", response.status_code)
