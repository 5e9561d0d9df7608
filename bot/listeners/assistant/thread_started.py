"""``assistant_thread_started``: a new assistant thread is greeted, with up to four prompts
to start from, built from the workspace's own catalogue (:func:`insights.answers.prompts_for`)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Assistant, BoltContext, Say, SetSuggestedPrompts
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.events.conversation import first_delivery
from insights.answers import prompts_for

logger = logging.getLogger(__name__)

GREETING = (
    "Hi! Ask me about your CX survey's empathy gap, in your own words: overall, for a "
    "group, by segment or over time. Every figure comes with its base and a 95% interval."
)


def greet(
    deps: Deps,
    body: dict[str, Any],
    context: BoltContext,
    say: Say,
    set_suggested_prompts: SetSuggestedPrompts,
) -> None:
    """Greet once per thread (a retried event is not greeted again), then suggest prompts.
    Slack refusing either is logged: the thread still works when typed in."""
    if not first_delivery(deps, body):
        return
    prompts = prompts_for(deps.store(), deps.team_for(context))
    try:
        say(text=GREETING)
        set_suggested_prompts(prompts=[{"title": p.title, "message": p.message} for p in prompts])
    except SlackApiError as error:
        logger.warning(
            "Slack refused greeting an assistant thread: %s", error.response.get("error")
        )


def register(assistant: Assistant, deps: Deps) -> None:
    def greet_lazily(
        body: dict[str, Any],
        context: BoltContext,
        say: Say,
        set_suggested_prompts: SetSuggestedPrompts,
    ) -> None:
        greet(deps, body, context, say, set_suggested_prompts)

    assistant.thread_started(lazy=[greet_lazily])(acknowledge)
