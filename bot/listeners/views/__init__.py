"""Modal submissions: the ``/empathy import`` upload form and an upload's Import form.

Both are acknowledged at once (closing the modal); the work — downloading, reading,
importing — happens after the ack, and its outcome arrives as a DM from the bot.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import uploads
from bot.import_blocks import (
    CONFIRM_VIEW_ID,
    SURVEY_BLOCK_ID,
    UPLOAD_VIEW_ID,
    WAVE_BLOCK_ID,
    submitted_text,
)
from bot.listeners import Deps, deps_of


def acknowledge(ack: Ack) -> None:
    ack()


def _who(deps: Deps, body: dict[str, Any], context: BoltContext) -> tuple[str, str]:
    """(store team, submitting user) of a view_submission payload."""
    user = body.get("user") or {}
    return deps.team_for(context), str(user.get("id") or "")


def receive_upload_form(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The upload form's file becomes a pending import, offered in a DM with the submitter."""
    team_id, user_id = _who(deps, body, context)
    channel = uploads.open_dm(client, user_id)
    if channel is None:
        return
    where = uploads.Where(team_id, user_id, channel, None)
    store = deps.store()
    outcome = uploads.receive_from_modal(deps.settings, store, client, where, body["view"])
    ts = uploads.post(client, channel, None, outcome.message)
    if ts is not None and outcome.pending is not None:
        uploads.remember_thread(store, outcome.pending, ts)


def run_confirmed_import(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Import form: import the pending upload and answer in its thread."""
    team_id, user_id = _who(deps, body, context)
    view = body["view"]
    outcome = uploads.run_import(
        deps.settings,
        deps.store(),
        client,
        team_id=team_id,
        user_id=user_id,
        pending_id=str(view.get("private_metadata") or ""),
        survey=submitted_text(view, SURVEY_BLOCK_ID),
        wave=submitted_text(view, WAVE_BLOCK_ID),
    )
    if outcome.pending is not None:
        pending = outcome.pending
        uploads.post(client, pending.channel_id, pending.thread_ts or None, outcome.message)
    else:
        channel = uploads.open_dm(client, user_id)
        if channel is not None:
            uploads.post(client, channel, None, outcome.message)


def register(app: App) -> None:
    deps = deps_of(app)

    def upload_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        receive_upload_form(deps, body, context, client)

    def import_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        run_confirmed_import(deps, body, context, client)

    app.view(UPLOAD_VIEW_ID)(ack=acknowledge, lazy=[upload_lazily])
    app.view(CONFIRM_VIEW_ID)(ack=acknowledge, lazy=[import_lazily])
