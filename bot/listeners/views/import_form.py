"""An upload's Import form, submitted: the pending upload imported, the outcome told in its
thread (the work runs in the upload pool, :mod:`bot.imports.jobs`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.imports import uploads
from bot.imports.jobs import ImportJobs
from bot.listeners.ack import acknowledge
from bot.listeners.views.submissions import submitted_by
from bot.slack.posting import post_message
from bot.views.imports import (
    CONFIRM_VIEW_ID,
    SURVEY_BLOCK_ID,
    WAVE_BLOCK_ID,
    submitted_text,
)


def run_confirmed_import(
    deps: Deps, jobs: ImportJobs, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Import form: import the pending upload and answer in its thread."""
    team_id, user_id = submitted_by(deps, body, context)
    view = body["view"]
    step = uploads.run_import(
        deps.settings,
        deps.store(),
        client,
        team_id=team_id,
        user_id=user_id,
        pending_id=str(view.get("private_metadata") or ""),
        survey=submitted_text(view, SURVEY_BLOCK_ID),
        wave=submitted_text(view, WAVE_BLOCK_ID),
    )

    def deliver(outcome: uploads.Outcome) -> None:
        if outcome.pending is not None:
            pending = outcome.pending
            thread_ts = pending.thread_ts or None
            post_message(client, pending.channel_id, outcome.message, thread_ts=thread_ts)
        else:
            channel = uploads.open_dm(client, user_id)
            if channel is not None:
                post_message(client, channel, outcome.message)

    uploads.dispatch(jobs, step, deps.store, deliver)


def register(app: App, deps: Deps) -> None:
    def import_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        run_confirmed_import(deps, deps.jobs, body, context, client)

    app.view(CONFIRM_VIEW_ID)(ack=acknowledge, lazy=[import_lazily])
