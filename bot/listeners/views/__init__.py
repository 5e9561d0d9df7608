"""Modal submissions: the ``/empathy import`` upload form and an upload's Import form.

Both are acknowledged at once (closing the modal); the work — downloading, reading,
importing — happens after the ack, in the upload pool (:mod:`bot.imports.jobs`), and its
outcome arrives as a DM from the bot.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.imports import uploads
from bot.imports.jobs import ImportJobs, jobs_for
from bot.listeners import acknowledge, deps_of
from bot.slack.posting import post_message
from bot.views.imports import (
    CONFIRM_VIEW_ID,
    SURVEY_BLOCK_ID,
    UPLOAD_VIEW_ID,
    WAVE_BLOCK_ID,
    submitted_text,
)


def _who(deps: Deps, body: dict[str, Any], context: BoltContext) -> tuple[str, str]:
    """(store team, submitting user) of a view_submission payload."""
    user = body.get("user") or {}
    return deps.team_for(context), str(user.get("id") or "")


def receive_upload_form(
    deps: Deps, jobs: ImportJobs, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The upload form's file becomes a pending import, offered in a DM with the submitter."""
    team_id, user_id = _who(deps, body, context)
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


def run_confirmed_import(
    deps: Deps, jobs: ImportJobs, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Import form: import the pending upload and answer in its thread."""
    team_id, user_id = _who(deps, body, context)
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


def register(app: App) -> None:
    deps = deps_of(app)
    jobs = jobs_for(app, deps.settings)

    def upload_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        receive_upload_form(deps, jobs, body, context, client)

    def import_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        run_confirmed_import(deps, jobs, body, context, client)

    app.view(UPLOAD_VIEW_ID)(ack=acknowledge, lazy=[upload_lazily])
    app.view(CONFIRM_VIEW_ID)(ack=acknowledge, lazy=[import_lazily])
