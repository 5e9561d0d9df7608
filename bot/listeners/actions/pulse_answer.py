"""A pulse invitation's Answer: the questions form (blank: earlier answers are never sent
back to Slack, only that there are some), or why they cannot answer. Not lazy:
``views.open`` must use the click's trigger_id within Slack's 3 seconds."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.errors.slack import error_message
from bot.listeners.actions.clicks import tell
from bot.slack.pulses import title_of
from bot.views.pulse import ANSWER_ACTION_ID, answers_modal
from insights import UserError
from insights.answers import Message
from insights.pulse import form_items, has_answered, pulse_codebook, team_pulse

logger = logging.getLogger(__name__)


def questions_view(deps: Deps, team_id: str, user_id: str, value: str) -> dict[str, Any]:
    """The questions form of the pulse the button carries, for ``user_id`` alone."""
    if not value.isdigit():
        raise UserError("This button does not name a pulse.")
    store = deps.store()
    pulse = team_pulse(store, team_id, int(value))
    answered = has_answered(store, team_id, pulse.id, user_id, datetime.now(UTC))
    items = form_items(pulse_codebook(pulse.codebook))
    return answers_modal(pulse.id, title_of(pulse), items, answered=answered)


def open_questions(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    user_id = str((body.get("user") or {}).get("id") or "")
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    try:
        view = questions_view(deps, deps.team_for(context), user_id, value)
    except Exception as error:
        tell(respond, error_message(error, doing="open a pulse's questions"))
        return
    try:
        client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
    except SlackApiError as error:
        logger.warning("views.open failed: %s", error.response.get("error"))
        tell(
            respond,
            Message(text="Slack would not open the questions; click Answer again.", blocks=[]),
        )


def register(app: App, deps: Deps) -> None:
    @app.action(ANSWER_ACTION_ID)
    def on_answer(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        open_questions(deps, body, context, client, respond)
