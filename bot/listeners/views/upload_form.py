"""The ``/empathy import`` upload form, submitted: its file becomes a pending import, offered
in a DM with the submitter (the work runs in the upload pool, :mod:`bot.imports.jobs`)."""

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
    UPLOAD_VIEW_ID,
)


def receive_upload_form(
    deps: Deps, jobs: ImportJobs, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The upload form's file becomes a pending import, offered in a DM with the submitter."""
    team_id, user_id = submitted_by(deps, body, context)
    channel = uploads.open_dm(client, user_id)
    if channel is None:
        return
    where = uploads.Where(team_id, user_id, channel, None)
    step = uploads.receive_from_modal(deps.settings, client, where, body["view"])

    def deliver(outcome: uploads.Outcome) -> None:
        ts = post_message(client, channel, outcome.message)
        if ts is not None and outcome.pending is not None:
            uploads.remember_thread(deps.store(), outcome.pending, ts)

    uploads.dispatch(jobs, step, deps.store, deliver)


def register(app: App, deps: Deps) -> None:
    def upload_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        receive_upload_form(deps, deps.jobs, body, context, client)

    app.view(UPLOAD_VIEW_ID)(ack=acknowledge, lazy=[upload_lazily])
