"""A pulse's questions form, submitted: the answers stored as codes under the person's
hash, replacing their earlier ones (:func:`insights.pulse.submit_answers`), and a DM saying
so. Acknowledged at once (closing the form); the work happens after the ack. Nothing here
logs what anyone chose."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors.slack import error_message
from bot.listeners.ack import acknowledge
from bot.listeners.views.submissions import submitted_by
from bot.slack.pulses import send_dm
from bot.views.pulse import ANSWERS_VIEW_ID, read_answers, saved
from insights import UserError
from insights.answers import Message
from insights.pulse import form_items, pulse_codebook, submit_answers, team_pulse


def store_answers(deps: Deps, team_id: str, user_id: str, view: dict[str, Any]) -> Message:
    metadata = str(view.get("private_metadata") or "")
    if not metadata.isdigit():
        raise UserError("This form does not name a pulse.")
    store = deps.store()
    pulse = team_pulse(store, team_id, int(metadata))
    chosen = read_answers(view, form_items(pulse_codebook(pulse.codebook)))
    replaced = submit_answers(store, team_id, pulse.id, user_id, chosen, datetime.now(UTC))
    return saved(replaced, pulse.closes_at)


def receive_answers(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    team_id, user_id = submitted_by(deps, body, context)
    try:
        reply = store_answers(deps, team_id, user_id, body["view"])
    except Exception as error:
        reply = error_message(
            error, doing="store a pulse's answers", unchanged="Nothing was saved."
        )
    send_dm(client, user_id, reply, "a pulse answer's receipt")


def register(app: App, deps: Deps) -> None:
    def answers_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        receive_answers(deps, body, context, client)

    app.view(ANSWERS_VIEW_ID)(ack=acknowledge, lazy=[answers_lazily])
