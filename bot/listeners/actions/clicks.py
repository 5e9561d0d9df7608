"""What the buttons' listeners share: reading a click (who, where, what it carries) and
replying where it was. Where the answer goes follows where the button was: under an
ephemeral slash-command answer the next answer is ephemeral too (through the response_url);
under a message in a conversation it is posted in that message's thread, which then follows
the new query."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.routing.router import Answer
from bot.slack.posting import post_message
from bot.views.answers import (
    query_from_value,
    with_answer_actions,
)
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


def privately(respond: Respond, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    respond(text=text, blocks=blocks or [], response_type="ephemeral", replace_original=False)


def send_answer(
    deps: Deps, click: Click, result: Answer, respond: Respond, client: WebClient
) -> None:
    """An answer where the click was: ephemeral with all buttons, or in the thread."""
    if click.ephemeral or not result.ok:
        query = result.query if result.ok else None
        privately(
            respond,
            result.message.text,
            with_answer_actions(
                result.message.blocks, query, result.next_steps, asked=result.asked
            ),
        )
        return
    if result.query is not None:
        save_context(
            deps.store(), click.team_id, click.channel, click.thread_ts or "", result.query
        )
    blocks = with_answer_actions(
        result.message.blocks, result.query, result.next_steps, share=False, asked=result.asked
    )
    reply = Message(text=result.message.text, blocks=blocks)
    post_message(client, click.channel, reply, thread_ts=click.thread_ts, what="a button's answer")


def clicked(deps: Deps, body: dict[str, Any], context: BoltContext) -> tuple[str, str, str]:
    """(store team, clicking user, the button's value) of a block_actions payload."""
    actions = body.get("actions") or [{}]
    user = body.get("user") or {}
    value = str(actions[0].get("value") or "")
    return deps.team_for(context), str(user.get("id") or ""), value


def tell(respond: Respond, message: Message) -> None:
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )
