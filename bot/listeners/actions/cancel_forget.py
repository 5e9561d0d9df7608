"""A forget confirmation's Cancel: the confirmation replaced, nothing forgotten."""

from __future__ import annotations

from slack_bolt import App, Respond

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.views.admin import FORGET_CANCEL_ACTION_ID, forget_cancelled


def cancel_forget(respond: Respond) -> None:
    message = forget_cancelled()
    respond(text=message.text, blocks=message.blocks, replace_original=True)


def register(app: App, deps: Deps) -> None:
    def cancel_forget_lazily(respond: Respond) -> None:
        cancel_forget(respond)

    app.action(FORGET_CANCEL_ACTION_ID)(ack=acknowledge, lazy=[cancel_forget_lazily])
