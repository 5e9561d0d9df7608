"""Listeners, grouped by kind; each group exposes ``register(app)``, which the app factory
(``bot.app``) calls. The groups import what they share from here, so this module imports
none of them.

What every group shares lives here: :func:`attach` (the app's :class:`bot.deps.Deps`) and
:func:`acknowledge` (the empty ack every lazy listener sends first). A question is answered
by :func:`bot.routing.router.answer`.
"""

from __future__ import annotations

import weakref

from slack_bolt import Ack, App

from bot.deps import Deps


def acknowledge(ack: Ack) -> None:
    """An empty ack, sent within Slack's 3 seconds before any work: every listener's reply
    follows after it (lazily, through the response_url, chat.postMessage or a view), so
    nothing Slack waits on depends on the store or a Slack call."""
    ack()


_DEPS: weakref.WeakKeyDictionary[App, Deps] = weakref.WeakKeyDictionary()


def attach(app: App, deps: Deps) -> None:
    """Make ``deps`` available to the listener groups registered on ``app``."""
    _DEPS[app] = deps


def deps_of(app: App) -> Deps:
    try:
        return _DEPS[app]
    except KeyError:
        raise RuntimeError("Call bot.listeners.attach(app, deps) before register(app).") from None
