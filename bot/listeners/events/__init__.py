"""``app_mention`` and direct messages: answered in the thread, with the thread's context.
What they ask for is decided by :mod:`bot.routing.router`, as for ``/empathy``: an
action (subscriptions, import, forget, audit, misses) gets its reply (in a channel, to the
asker alone when it is for them only); anything else is a question.
A file shared in a direct message is an upload for :mod:`bot.imports.uploads` (admins only).

Slack re-sends an event it believes was lost; each ``event_id`` is claimed in the store
before any work, so a retry is never answered twice, even while the first is in progress.

``app_uninstalled`` and ``tokens_revoked`` (bot) delete the workspace's tokens and pause its
digests (:func:`bot.slack.oauth.forget_workspace`); both may arrive, in either order, more
than once.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.imports import uploads
from bot.imports.jobs import ImportJobs, jobs_for
from bot.listeners import acknowledge, deps_of
from bot.routing.router import (
    ActionReply,
    Asker,
    Surface,
    answer,
    route,
    send_in_conversation,
)
from bot.slack import downloads
from bot.slack.charts import post_chart
from bot.slack.home import publish_home
from bot.slack.oauth import TOKENS_REVOKED, UNINSTALLED, InstallationStore, forget_workspace
from bot.slack.posting import post_message
from bot.slack.threads import strip_mentions
from bot.views.answers import with_answer_actions
from insights import StoreError
from insights.answers import Message
from insights.store import claim_event, load_context, save_context

logger = logging.getLogger(__name__)


def first_delivery(deps: Deps, body: dict[str, Any]) -> bool:
    """``True`` for the first delivery of this event; ``False`` for a retry of a claimed one."""
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        return True
    try:
        claimed = claim_event(deps.store(), event_id, body.get("team_id"))
    except StoreError as error:  # a long import holds the database: answer, unrecorded
        logger.warning("Event %s answered without being recorded: %s", event_id, error)
        return True
    if claimed:
        return True
    logger.info("Ignoring a repeated delivery of event %s", event_id)
    return False


def reply_in_conversation(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    channel: str,
    thread_ts: str | None,
    text: str,
) -> None:
    """Answer ``text`` in ``channel`` (in ``thread_ts`` when given), following its context,
    with buttons for the next steps and a chart; a chart asked for is posted after it."""
    key = thread_ts or ""
    previous = load_context(deps.store(), team_id, channel, key)
    result = answer(deps, team_id, text, previous=previous)
    if result.query is not None:
        save_context(deps.store(), team_id, channel, key, result.query)
    blocks = with_answer_actions(
        result.message.blocks, result.query, result.next_steps, share=False
    )
    reply = Message(text=result.message.text, blocks=blocks)
    if post_message(client, channel, reply, thread_ts=thread_ts, what="a reply") is None:
        return
    if result.wants_chart and result.finding is not None:
        problem = post_chart(client, result.finding, channel=channel, thread_ts=thread_ts)
        if problem:
            _post_quietly(client, channel, thread_ts, problem)


def _post_quietly(client: WebClient, channel: str, thread_ts: str | None, text: str) -> None:
    post_message(client, channel, Message(text=text, blocks=[]), thread_ts=thread_ts, what="a note")


def answer_event(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, surface: Surface
) -> None:
    """Answer a mention or DM once. A mention always replies in a thread (the one it starts,
    if need be); a direct message replies in a thread only when it was written in one."""
    event = body.get("event") or {}
    channel, ts = event.get("channel"), event.get("ts")
    if not isinstance(channel, str) or not isinstance(ts, str):
        return
    if not first_delivery(deps, body):
        return
    text = strip_mentions(str(event.get("text") or ""))
    thread_ts = event.get("thread_ts") or (ts if surface == "channel" else None)
    asker = Asker(deps.team_for(context), str(event.get("user") or ""), channel, surface)
    routed = route(deps, client, asker, text)
    if isinstance(routed, ActionReply):
        send_in_conversation(client, asker, thread_ts, routed)
    elif routed is None:
        reply_in_conversation(
            deps, client, team_id=asker.team_id, channel=channel, thread_ts=thread_ts, text=text
        )


def answer_mention(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """An @mention is answered in its thread (or in the thread it starts)."""
    answer_event(deps, body, context, client, "channel")


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


def open_home(deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """``app_home_opened`` on the Home tab publishes it afresh (the Messages tab is a DM)."""
    event = body.get("event") or {}
    user = event.get("user")
    if event.get("tab") != "home" or not isinstance(user, str):
        logger.debug("Not publishing Home: app_home_opened on tab %s by %s", event.get("tab"), user)
        return
    team_id = deps.team_for(context)
    publish_home(client, deps.store(), team_id, user, min_group_size=deps.settings.min_group_size)


def uninstalled(deps: Deps, app: App, context: BoltContext, reason: str) -> None:
    """The app lost this workspace (or org): forget its tokens, pause its digests."""
    store = app.installation_store
    forget_workspace(
        store if deps.settings.oauth_enabled and isinstance(store, InstallationStore) else None,
        deps.store(),
        enterprise_id=context.enterprise_id,
        team_id=context.team_id,
        org_wide=bool(context.is_enterprise_install),
        reason=reason,
        single_workspace_team=deps.settings.default_team_id,
    )


def tokens_revoked(deps: Deps, app: App, event: dict[str, Any], context: BoltContext) -> None:
    """Only bot tokens matter: the app asks for no user scopes, so holds no user tokens."""
    tokens = event.get("tokens") or {}
    if isinstance(tokens, dict) and tokens.get("bot"):
        uninstalled(deps, app, context, TOKENS_REVOKED)
    else:
        logger.info("tokens_revoked for user tokens only in %s: nothing held", context.team_id)


def register(app: App) -> None:
    deps = deps_of(app)
    jobs = jobs_for(app, deps.settings)

    @app.event("app_uninstalled")
    def on_app_uninstalled(context: BoltContext) -> None:
        uninstalled(deps, app, context, UNINSTALLED)

    @app.event("tokens_revoked")
    def on_tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        tokens_revoked(deps, app, event, context)

    # Answers take a while: Slack gets its 200 at once and the work runs after it (lazy),
    # as for commands. (The app processes listeners before responding; see bot.app.)
    def mention_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        answer_mention(deps, body, context, client)

    def message_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        on_direct_message(deps, jobs, body, context, client)

    def home_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        open_home(deps, body, context, client)

    app.event("app_mention")(ack=acknowledge, lazy=[mention_lazily])
    app.event("message")(ack=acknowledge, lazy=[message_lazily])
    app.event("app_home_opened")(ack=acknowledge, lazy=[home_lazily])
