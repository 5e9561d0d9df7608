"""Slash commands, one listener per file: ``/empathy`` (:mod:`.empathy`)."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.commands import empathy


def register(app: App, deps: Deps) -> None:
    empathy.register(app, deps)
