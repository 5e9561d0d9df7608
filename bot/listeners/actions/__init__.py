"""Buttons: "Share in channel" and a digest's "Drill down" recompute the answer from the
query the button carries (nothing is kept in memory, so they work after a restart)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import SHARE_ACTION_ID, query_from_share_value, shared_by, with_share_button
from bot.listeners import Deps, answer, deps_of

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


def register(app: App) -> None:
    deps = deps_of(app)

    def share_lazily(body: dict[str, Any], respond: Respond) -> None:
        share_in_channel(deps, body, respond)

    def drill_down_lazily(body: dict[str, Any], respond: Respond) -> None:
        drill_down(deps, body, respond)

    app.action(SHARE_ACTION_ID)(ack=acknowledge, lazy=[share_lazily])
    app.action(DRILL_DOWN_ACTION_ID)(ack=acknowledge, lazy=[drill_down_lazily])
