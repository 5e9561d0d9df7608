"""Buttons. Those under answers (next steps, Chart, Share, a digest's Drill down) carry a
query: see :mod:`.answer_buttons`. An upload's "Import" and "Cancel" carry a pending
import's id, kept in the store. A forget confirmation's "Delete" carries the workspace,
survey and wave it names; its "Cancel" nothing. Nothing is kept in memory, so every button
works after a restart."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.imports import uploads
from bot.listeners import acknowledge, deps_of
from bot.listeners.actions import answer_buttons
from bot.routing import forget
from bot.views.admin import FORGET_ACTION_ID, FORGET_CANCEL_ACTION_ID, forget_cancelled
from bot.views.answers import (
    CHART_ACTION_ID,
    DRILL_DOWN_ACTION_ID,
    SHARE_ACTION_ID,
    STEP_ACTION_PREFIX,
)
from bot.views.imports import CANCEL_ACTION_ID, IMPORT_ACTION_ID
from insights.answers import Message

logger = logging.getLogger(__name__)


def _clicked(deps: Deps, body: dict[str, Any], context: BoltContext) -> tuple[str, str, str]:
    """(store team, clicking user, the button's value) of a block_actions payload."""
    actions = body.get("actions") or [{}]
    user = body.get("user") or {}
    value = str(actions[0].get("value") or "")
    return deps.team_for(context), str(user.get("id") or ""), value


def _tell(respond: Respond, message: Message) -> None:
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )


def open_import(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Import: the confirm modal (survey and wave), or why the import cannot go ahead."""
    team_id, user_id, pending_id = _clicked(deps, body, context)
    view = uploads.confirm_view(deps.settings, deps.store(), client, team_id, user_id, pending_id)
    if isinstance(view, Message):
        _tell(respond, view)
        return
    try:
        client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
    except SlackApiError as error:
        logger.warning("views.open failed: %s", error.response.get("error"))
        text = "Slack would not open the form; click Import again."
        _tell(respond, Message(text=text, blocks=[]))


def cancel_import(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Cancel: forget the upload; the mapping message (and its buttons) is replaced."""
    team_id, user_id, pending_id = _clicked(deps, body, context)
    message = uploads.cancel(deps.settings, deps.store(), client, team_id, user_id, pending_id)
    respond(text=message.text, blocks=message.blocks, replace_original=True)


def forget_wave(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Delete: forget the wave (admins only, checked again); the outcome replaces the
    confirmation, a refusal is told to the clicker alone."""
    team_id, user_id, value = _clicked(deps, body, context)
    message, replaces = forget.confirm_forget(
        deps.settings, deps.store(), client, team_id, user_id, value
    )
    if replaces:
        respond(text=message.text, blocks=message.blocks, replace_original=True)
    else:
        _tell(respond, message)


def cancel_forget(respond: Respond) -> None:
    message = forget_cancelled()
    respond(text=message.text, blocks=message.blocks, replace_original=True)


def register(app: App) -> None:
    deps = deps_of(app)

    def share_lazily(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        answer_buttons.share_in_channel(deps, body, context, respond)

    def next_step_lazily(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        answer_buttons.next_step(deps, body, context, respond, client)

    def drill_down_lazily(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        answer_buttons.drill_down(deps, body, context, respond)

    def chart_lazily(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        answer_buttons.chart(deps, body, context, respond, client)

    app.action(SHARE_ACTION_ID)(ack=acknowledge, lazy=[share_lazily])
    app.action(re.compile(f"^{STEP_ACTION_PREFIX}"))(ack=acknowledge, lazy=[next_step_lazily])
    app.action(DRILL_DOWN_ACTION_ID)(ack=acknowledge, lazy=[drill_down_lazily])
    app.action(CHART_ACTION_ID)(ack=acknowledge, lazy=[chart_lazily])

    def forget_lazily(
        body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        forget_wave(deps, body, context, client, respond)

    def cancel_forget_lazily(respond: Respond) -> None:
        cancel_forget(respond)

    app.action(FORGET_ACTION_ID)(ack=acknowledge, lazy=[forget_lazily])
    app.action(FORGET_CANCEL_ACTION_ID)(ack=acknowledge, lazy=[cancel_forget_lazily])

    # Not lazy: views.open must use the click's trigger_id within Slack's 3 seconds.
    @app.action(IMPORT_ACTION_ID)
    def on_import(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        open_import(deps, body, context, client, respond)

    @app.action(CANCEL_ACTION_ID)
    def on_cancel(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        cancel_import(deps, body, context, client, respond)
