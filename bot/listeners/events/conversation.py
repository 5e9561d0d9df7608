"""What a mention and a direct message share: each event answered once (its ``event_id``
claimed in the store first, so Slack's retries are not answered twice), in its thread,
following the thread's context. What the text asks for is decided by
:mod:`bot.routing.router`, as for ``/empathy``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.routing.router import (
    ActionReply,
    Asker,
    Surface,
    answer,
    route,
    send_in_conversation,
)
from bot.slack.charts import post_chart
from bot.slack.posting import post_message
from bot.slack.threads import strip_mentions
from bot.views.answers import with_answer_actions
from insights import StoreError
from insights.answers import Message
from insights.store import claim_event, load_context, save_context

logger = logging.getLogger(__name__)


def first_delivery(deps: Deps, body: dict[str, Any]) -> bool:
    """``True`` for the first delivery of this event; ``False`` for a retry of a claimed one."""
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        return True
    try:
        claimed = claim_event(deps.store(), event_id, body.get("team_id"))
    except StoreError as error:  # a long import holds the database: answer, unrecorded
        logger.warning("Event %s answered without being recorded: %s", event_id, error)
        return True
    if claimed:
        return True
    logger.info("Ignoring a repeated delivery of event %s", event_id)
    return False


def reply_in_conversation(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    channel: str,
    thread_ts: str | None,
    text: str,
) -> None:
    """Answer ``text`` in ``channel`` (in ``thread_ts`` when given), following its context,
    with buttons for the next steps and a chart; a chart asked for is posted after it."""
    key = thread_ts or ""
    previous = load_context(deps.store(), team_id, channel, key)
    result = answer(deps, team_id, text, previous=previous)
    if result.query is not None:
        save_context(deps.store(), team_id, channel, key, result.query)
    blocks = with_answer_actions(
        result.message.blocks, result.query, result.next_steps, share=False, asked=result.asked
    )
    reply = Message(text=result.message.text, blocks=blocks)
    if post_message(client, channel, reply, thread_ts=thread_ts, what="a reply") is None:
        return
    if result.wants_chart and result.finding is not None:
        problem = post_chart(client, result.finding, channel=channel, thread_ts=thread_ts)
        if problem:
            _post_quietly(client, channel, thread_ts, problem)


def _post_quietly(client: WebClient, channel: str, thread_ts: str | None, text: str) -> None:
    post_message(client, channel, Message(text=text, blocks=[]), thread_ts=thread_ts, what="a note")


# Told what is about to be answered, before the router runs: the assistant surface shows
# a status and titles its thread (:mod:`bot.listeners.assistant.user_message`).
BeforeAnswer = Callable[[Asker, str | None, str], None]


def answer_event(
    deps: Deps,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    surface: Surface,
    *,
    before: BeforeAnswer | None = None,
) -> None:
    """Answer a mention or DM once. A mention always replies in a thread (the one it starts,
    if need be); a direct message replies in a thread only when it was written in one.
    ``before`` hears of the first delivery only, with the asker, thread and text."""
    event = body.get("event") or {}
    channel, ts = event.get("channel"), event.get("ts")
    if not isinstance(channel, str) or not isinstance(ts, str):
        return
    if not first_delivery(deps, body):
        return
    text = strip_mentions(str(event.get("text") or ""))
    thread_ts = event.get("thread_ts") or (ts if surface == "channel" else None)
    asker = Asker(deps.team_for(context), str(event.get("user") or ""), channel, surface)
    if before is not None:
        before(asker, thread_ts, text)
    routed = route(deps, client, asker, text)
    if isinstance(routed, ActionReply):
        send_in_conversation(client, asker, thread_ts, routed)
    elif routed is None:
        reply_in_conversation(
            deps, client, team_id=asker.team_id, channel=channel, thread_ts=thread_ts, text=text
        )
