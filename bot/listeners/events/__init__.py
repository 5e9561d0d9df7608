"""Events, one listener per file: ``app_mention`` and ``message`` (answered in the thread,
with the thread's context: :mod:`.conversation`), ``app_home_opened``, ``app_uninstalled``
and ``tokens_revoked``."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.events import (
    app_home_opened,
    app_mention,
    app_uninstalled,
    message,
    tokens_revoked,
)


def register(app: App, deps: Deps) -> None:
    app_mention.register(app, deps)
    message.register(app, deps)
    app_home_opened.register(app, deps)
    app_uninstalled.register(app, deps)
    tokens_revoked.register(app, deps)
