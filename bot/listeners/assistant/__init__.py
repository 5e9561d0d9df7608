"""Slack's assistant surface (a split view with its own threads, suggested prompts, a status
and a title), through ONE Bolt :class:`~slack_bolt.Assistant` that :func:`register` creates,
gives each listener of this package (one file each, ``register(assistant, deps)``), and
hands to the app.

Bolt's Assistant sees every message written in a thread of a DM with the bot, before the
``message`` listener (:mod:`bot.listeners.events.message`), and stops it there: a question in
an assistant thread is answered once, here. Where the surface is not enabled (it needs a
paid Slack plan), mentions and DMs work as before; a DM thread is then answered here too,
only without a status or a title, which Slack refuses outside the surface.
"""

from __future__ import annotations

import logging

from slack_bolt import App, Assistant

from bot.deps import Deps
from bot.listeners.assistant import thread_context_changed, thread_started, user_message


def register(app: App, deps: Deps) -> None:
    assistant = Assistant(logger=logging.getLogger("bot.slack.assistant"))
    thread_started.register(assistant, deps)
    user_message.register(assistant, deps)
    thread_context_changed.register(assistant, deps)
    app.assistant(assistant)
