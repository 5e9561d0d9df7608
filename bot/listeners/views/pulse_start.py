"""The pulse start form, submitted: the pulse is stored with its secret, its audience read
from Slack, and each person invited by DM (once); the admin is told the outcome in a DM.
Acknowledged at once (closing the form); the work happens after the ack."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors.references import log_failure
from bot.errors.slack import error_message
from bot.listeners.ack import acknowledge
from bot.listeners.views.submissions import submitted_by
from bot.settings import Settings
from bot.slack.permissions import may_run_pulses, user_info
from bot.slack.pulses import reach_audience, send_dm, title_of
from bot.views.pulse import BUILTIN, START_VIEW_ID, notice, read_start_form, started
from insights import UserError
from insights.answers import Message
from insights.digests import valid_time_zone
from insights.pulse import REPEATS, AudienceKind, Repeat, builtin_codebook_text, start_pulse

logger = logging.getLogger(__name__)


def closing_instant(day: str, tz: str) -> datetime:
    """The end of ``day`` (the midnight after it) in time zone ``tz``, in UTC."""
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise UserError("Pick the day the pulse closes.") from None
    midnight = datetime.combine(chosen + timedelta(days=1), time(), ZoneInfo(tz))
    return midnight.astimezone(UTC)


def _time_zone(settings: Settings, client: WebClient, user_id: str) -> str:
    tz = str(user_info(client, user_id).get("tz") or "")
    return tz if tz and valid_time_zone(tz) else settings.default_timezone


def _audience(form: dict[str, str]) -> tuple[AudienceKind, str]:
    if form["usergroup"]:
        return "usergroup", form["usergroup"]
    if form["channel"]:
        return "channel", form["channel"]
    raise UserError("Choose a channel or a user group to ask.")


def _minimum(text: str) -> int:
    if not text.isdigit():
        raise UserError("The minimum number of responses must be a whole number.")
    return int(text)


def start_from_form(
    deps: Deps, client: WebClient, team_id: str, user_id: str, view: dict[str, Any]
) -> Message:
    """Start the pulse the form describes and invite its audience; the admin's reply."""
    settings = deps.settings
    if not may_run_pulses(settings, client, user_id):
        raise UserError("Only the bot's admins and workspace admins can start a pulse.")
    form = read_start_form(view)
    if form["set"] == BUILTIN:
        codebook = builtin_codebook_text()
    elif form["codebook"]:
        codebook = form["codebook"]
    else:
        raise UserError("Paste your codebook to use your own question set.")
    repeat: Repeat = next((r for r in REPEATS if r == form["repeat"]), "none")
    now = datetime.now(UTC)
    pulse = start_pulse(
        deps.store(),
        team_id,
        codebook_text=codebook,
        audience_kind=_audience(form)[0],
        audience_id=_audience(form)[1],
        closes_at=closing_instant(form["closes"], _time_zone(settings, client, user_id)),
        minimum=_minimum(form["minimum"]),
        repeat=repeat,
        started_by=user_id,
        min_group_size=settings.min_group_size,
        now=now,
    )
    try:
        asked = reach_audience(deps.store(), client, pulse, now)
    except Exception as error:
        reference = log_failure(logger, error, f"reach pulse {pulse.id}'s audience")
        return notice(
            f"Pulse #{pulse.id} started, but its audience could not be asked yet (reference"
            f" {reference}); the worker tries again every minute."
        )
    return started(pulse.id, title_of(pulse), asked, pulse.closes_at)


def receive_start_form(
    deps: Deps, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    team_id, user_id = submitted_by(deps, body, context)
    try:
        reply = start_from_form(deps, client, team_id, user_id, body["view"])
    except Exception as error:
        reply = error_message(error, doing="start a pulse", unchanged="No pulse was started.")
    send_dm(client, user_id, reply, "the pulse start's outcome")


def register(app: App, deps: Deps) -> None:
    def start_lazily(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        receive_start_form(deps, body, context, client)

    app.view(START_VIEW_ID)(ack=acknowledge, lazy=[start_lazily])
