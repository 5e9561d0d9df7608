"""``message`` in a direct message with the bot: a plain message is a question, answered like
a mention; a shared file is an upload for :mod:`bot.imports.uploads` (admins only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.imports import uploads
from bot.imports.jobs import ImportJobs
from bot.listeners.ack import acknowledge
from bot.listeners.events.conversation import answer_event, first_delivery
from bot.slack import downloads
from bot.slack.posting import post_message


def answer_direct_message(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """A direct message is answered like a mention; the whole DM is one conversation."""
    event = body.get("event") or {}
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    answer_event(deps, body, context, client, "dm")


def receive_file(
    deps: Deps, jobs: ImportJobs, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """A file shared in a DM with the bot, once per event: replies go in the upload's thread.
    Only its quick checks run here; reading it is a job for the upload pool."""
    event = body.get("event") or {}
    if event.get("channel_type") != "im" or event.get("bot_id"):
        return
    channel, ts, user = event.get("channel"), event.get("ts"), event.get("user")
    if not isinstance(channel, str) or not isinstance(ts, str) or not isinstance(user, str):
        return
    if not first_delivery(deps, body):
        return
    thread_ts = str(event.get("thread_ts") or ts)
    where = uploads.Where(deps.team_for(context), user, channel, thread_ts)
    files = [downloads.slack_file(f) for f in event.get("files") or [] if isinstance(f, dict)]
    step = uploads.receive_upload(deps.settings, client, where, files)

    def deliver(outcome: uploads.Outcome) -> None:
        post_message(client, channel, outcome.message, thread_ts=thread_ts)

    uploads.dispatch(jobs, step, deps.store, deliver)


def on_direct_message(
    deps: Deps, jobs: ImportJobs, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Route a ``message`` event: file shares are uploads, plain messages are questions."""
    if (body.get("event") or {}).get("subtype") == "file_share":
        receive_file(deps, jobs, body, context, client)
    else:
        answer_direct_message(deps, body, context, client)


def register(app: App, deps: Deps) -> None:
    def message_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        on_direct_message(deps, deps.jobs, body, context, client)

    app.event("message")(ack=acknowledge, lazy=[message_lazily])
