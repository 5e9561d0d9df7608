"""Modal submissions, one listener per file: the ``/empathy import`` upload form, an
upload's Import form, a pulse's start form and its questions form. All are acknowledged
at once (closing the modal); the work happens after the ack (an import's in the upload
pool, :mod:`bot.imports.jobs`), and its outcome arrives as a DM from the bot."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.views import import_form, pulse_answers, pulse_start, upload_form


def register(app: App, deps: Deps) -> None:
    upload_form.register(app, deps)
    import_form.register(app, deps)
    pulse_start.register(app, deps)
    pulse_answers.register(app, deps)
