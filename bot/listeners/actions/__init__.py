"""Buttons, one listener per file (what they share: :mod:`.clicks`). Those under answers (next
steps, Chart, Share, a digest's Drill down) carry a query; the feedback buttons under an
answer to a question in plain words carry the question and how it was read. An upload's
"Import" and "Cancel" carry a pending import's id, kept in the store. A forget
confirmation's "Delete" carries the workspace, survey and wave it names; its "Cancel"
nothing. A pulse invitation's "Answer" carries the pulse's number. Nothing is kept in
memory, so every button works after a restart."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.actions import (
    cancel_forget,
    cancel_upload,
    chart,
    drill_down,
    feedback,
    forget_wave,
    import_upload,
    next_step,
    pulse_answer,
    share,
)


def register(app: App, deps: Deps) -> None:
    next_step.register(app, deps)
    drill_down.register(app, deps)
    chart.register(app, deps)
    share.register(app, deps)
    forget_wave.register(app, deps)
    cancel_forget.register(app, deps)
    import_upload.register(app, deps)
    cancel_upload.register(app, deps)
    feedback.register(app, deps)
    pulse_answer.register(app, deps)
