"""Listeners, by kind (``commands/``, ``events/``, ``actions/``, ``views/``, ``assistant/``),
one file per listener, each with ``register(app, deps)`` (``assistant/``'s with the one
Bolt ``Assistant`` its package hands to the app): a new slash command is a file in
``commands/`` and a line in its package's ``register``. A listener parses the request,
calls the router (:mod:`bot.routing`) or the library, and sends; its dependencies come
from the one :class:`bot.deps.Deps` the app factory builds, never from a global.
"""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import actions, assistant, commands, events, views


def register(app: App, deps: Deps) -> None:
    """Every listener of the app."""
    for kind in (commands, events, actions, views, assistant):
        kind.register(app, deps)
