"""Buttons: "Share in channel" and a digest's "Drill down" recompute the answer from the
query the button carries; an upload's "Import" and "Cancel" carry a pending import's id,
kept in the store. Nothing is kept in memory, so every button works after a restart."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import uploads
from bot.blocks import SHARE_ACTION_ID, query_from_share_value, shared_by, with_share_button
from bot.import_blocks import CANCEL_ACTION_ID, IMPORT_ACTION_ID
from bot.listeners import Deps, answer, deps_of
from insights.render import Message

logger = logging.getLogger(__name__)


def acknowledge(ack: Ack) -> None:
    ack()


def share_in_channel(deps: Deps, body: dict[str, Any], respond: Respond) -> None:
    """Re-post the answer visibly in the channel; errors stay ephemeral to the clicker."""
    actions = body.get("actions") or [{}]
    query = query_from_share_value(str(actions[0].get("value") or ""))
    if query is None:
        return
    team = body.get("team") or {}
    result = answer(deps, deps.team_for(team.get("id")), query)
    if not result.ok:
        respond(
            text=result.message.text,
            blocks=result.message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )
        return
    user = body.get("user") or {}
    response = respond(
        text=result.message.text,
        blocks=shared_by(result.message.blocks, user.get("id"), query),
        response_type="in_channel",
        replace_original=False,
    )
    if response.status_code != 200:
        logger.warning("Slack refused a shared answer (HTTP %s)", response.status_code)


DRILL_DOWN_ACTION_ID = "digest_drill_down"


def drill_down(deps: Deps, body: dict[str, Any], respond: Respond) -> None:
    """A digest's "Drill down" button: the digest's query, answered to the clicker only."""
    actions = body.get("actions") or [{}]
    query = str(actions[0].get("value") or "")
    team = body.get("team") or {}
    result = answer(deps, deps.team_for(team.get("id")), query)
    respond(
        text=result.message.text,
        blocks=with_share_button(result.message.blocks, result.query if result.ok else None),
        response_type="ephemeral",
        replace_original=False,
    )


def _clicked(deps: Deps, body: dict[str, Any]) -> tuple[str, str, str]:
    """(store team, clicking user, the button's value) of a block_actions payload."""
    actions = body.get("actions") or [{}]
    team = body.get("team") or {}
    user = body.get("user") or {}
    value = str(actions[0].get("value") or "")
    return deps.team_for(team.get("id")), str(user.get("id") or ""), value


def _tell(respond: Respond, message: Message) -> None:
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )


def open_import(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Import: the confirm modal (survey and wave), or why the import cannot go ahead."""
    team_id, user_id, pending_id = _clicked(deps, body)
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


def cancel_import(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Cancel: forget the upload; the mapping message (and its buttons) is replaced."""
    team_id, user_id, pending_id = _clicked(deps, body)
    message = uploads.cancel(deps.settings, deps.store(), client, team_id, user_id, pending_id)
    respond(text=message.text, blocks=message.blocks, replace_original=True)


def register(app: App) -> None:
    deps = deps_of(app)

    def share_lazily(body: dict[str, Any], respond: Respond) -> None:
        share_in_channel(deps, body, respond)

    def drill_down_lazily(body: dict[str, Any], respond: Respond) -> None:
        drill_down(deps, body, respond)

    app.action(SHARE_ACTION_ID)(ack=acknowledge, lazy=[share_lazily])
    app.action(DRILL_DOWN_ACTION_ID)(ack=acknowledge, lazy=[drill_down_lazily])

    # Not lazy: views.open must use the click's trigger_id within Slack's 3 seconds.
    @app.action(IMPORT_ACTION_ID)
    def on_import(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        open_import(deps, body, client, respond)

    @app.action(CANCEL_ACTION_ID)
    def on_cancel(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        cancel_import(deps, body, client, respond)
