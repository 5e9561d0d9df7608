"""A person's message in an assistant thread: answered like a mention, by the same path
(:func:`bot.listeners.events.conversation.answer_event`: the router's actions, the thread's
context, the same blocks, buttons and chart), with a status while it is counted and, until
the thread has an answered question, the question as the thread's title.

Bolt's Assistant hears every message written in a DM thread, file shares included: a file
is an upload, as in any DM (:func:`bot.listeners.events.message.receive_file`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Assistant, BoltContext, SetStatus, SetTitle
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.events.conversation import answer_event
from bot.listeners.events.message import receive_file
from bot.routing.router import Asker
from insights.answers import action_of, respondents_to_count, thread_title, working_status
from insights.store import load_context

logger = logging.getLogger(__name__)


def show_working(
    deps: Deps,
    asker: Asker,
    thread_ts: str | None,
    text: str,
    set_status: SetStatus,
    set_title: SetTitle,
) -> None:
    """Before the answer: a status saying how many responses a question counts (none for
    an action), and the title, while no question of the thread has been answered (its
    context, which the answer saves, is still empty)."""
    if thread_ts is None:
        return
    store = deps.store()
    previous = load_context(store, asker.team_id, asker.channel_id, thread_ts)
    if action_of(text) is None:
        counted = respondents_to_count(store, asker.team_id, text, previous)
        _quietly("a status", lambda: set_status(working_status(counted)))
    if previous is None and text.strip():
        _quietly("a title", lambda: set_title(thread_title(text)))


def _quietly(what: str, call: Callable[[], object]) -> None:
    """Slack refuses a status or a title outside the assistant surface (a DM thread where
    it is not enabled): the answer matters, so the refusal is only logged."""
    try:
        call()
    except SlackApiError as error:
        logger.info(
            "Slack refused %s for an assistant thread: %s", what, error.response.get("error")
        )


def on_user_message(
    deps: Deps,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    set_status: SetStatus,
    set_title: SetTitle,
) -> None:
    """Route a message of an assistant thread: a file share is an upload, text a question."""
    if (body.get("event") or {}).get("subtype") == "file_share":
        receive_file(deps, deps.jobs, body, context, client)
        return

    def before(asker: Asker, thread_ts: str | None, text: str) -> None:
        show_working(deps, asker, thread_ts, text, set_status, set_title)

    answer_event(deps, body, context, client, "dm", before=before)


def register(assistant: Assistant, deps: Deps) -> None:
    def answer_lazily(
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        set_status: SetStatus,
        set_title: SetTitle,
    ) -> None:
        on_user_message(deps, body, context, client, set_status, set_title)

    assistant.user_message(lazy=[answer_lazily])(acknowledge)
