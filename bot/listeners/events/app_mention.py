"""``app_mention``: a mention is answered in its thread (or in the thread it starts)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.listeners.events.conversation import answer_event


def answer_mention(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """An @mention is answered in its thread (or in the thread it starts)."""
    answer_event(deps, body, context, client, "channel")


def register(app: App, deps: Deps) -> None:
    # Slack gets its 200 at once; the answer runs after it (lazy), as for commands.
    def mention_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        answer_mention(deps, body, context, client)

    app.event("app_mention")(ack=acknowledge, lazy=[mention_lazily])
