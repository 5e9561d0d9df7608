"""``assistant_thread_context_changed``: the person moved to another channel with the
assistant open. The new context is saved in Bolt's default store (the metadata of the
bot's first reply in the thread), as Bolt does when an app registers none; answers do not
depend on it, so a refusal is only logged and the thread keeps answering."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Assistant, SaveThreadContext
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.listeners.ack import acknowledge

logger = logging.getLogger(__name__)


def save_context(body: dict[str, Any], save_thread_context: SaveThreadContext) -> None:
    """Save the thread's new context (which channel the person is viewing)."""
    thread = (body.get("event") or {}).get("assistant_thread") or {}
    context = thread.get("context")
    if not isinstance(context, dict):
        return
    try:
        save_thread_context(context)
    except SlackApiError as error:
        logger.info("The assistant thread's context was not saved: %s", error.response.get("error"))


def register(assistant: Assistant, deps: Deps) -> None:
    def save_lazily(body: dict[str, Any], save_thread_context: SaveThreadContext) -> None:
        save_context(body, save_thread_context)

    assistant.thread_context_changed(lazy=[save_lazily])(acknowledge)
