"""Modal submissions, one listener per file: the ``/empathy import`` upload form and an
upload's Import form. Both are acknowledged at once (closing the modal); the work happens
after the ack, in the upload pool (:mod:`bot.imports.jobs`), and its outcome arrives as a
DM from the bot."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.views import import_form, upload_form


def register(app: App, deps: Deps) -> None:
    upload_form.register(app, deps)
    import_form.register(app, deps)
