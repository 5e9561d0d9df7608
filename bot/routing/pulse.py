"""``pulse start``, ``pulse status`` and ``pulse close [N]``: the Slack side of pulses typed
as text, from every entry point (:mod:`bot.routing.router` routes them here).

``start`` opens the start form, which only a slash command can (it needs the command's
trigger_id): the router gets :class:`OpenPulseForm` back; from a mention or DM the admin is
told to type it. ``status`` is counts only, for everyone. ``close`` is for admins: it closes
the pulse named, or the only one open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack.permissions import may_run_pulses, refusal
from bot.views.pulse import closed_message, notice, status_message
from insights import Store, UserError
from insights.answers import Message
from insights.pulse import close_pulse, status, team_pulse

USAGE = "Type `pulse start`, `pulse status` or `pulse close [number]`."


@dataclass(frozen=True)
class OpenPulseForm:
    """``/empathy pulse start`` by an admin: the listener opens the start form."""


def pulse_refusal() -> Message:
    return refusal("start or close a pulse", "Ask one of them to run it.")


def handle(
    settings: Settings,
    store: Store,
    client: WebClient,
    team_id: str,
    user_id: str,
    text: str,
    *,
    from_command: bool,
) -> Message | OpenPulseForm:
    """``text`` is ``pulse …``; user mistakes are raised for the router to word."""
    words = text.split()[1:]
    verb = words[0].casefold() if words else "status"
    if verb == "status":
        return status_message(status(store, team_id))
    if verb not in ("start", "close"):
        raise UserError(f"I don't know `pulse {words[0]}`.", suggestion=USAGE)
    if not may_run_pulses(settings, client, user_id):
        return pulse_refusal()
    if verb == "start":
        if from_command:
            return OpenPulseForm()
        return notice("To start a pulse, type /empathy pulse start: a form opens.")
    return close(settings, store, team_id, user_id, words[1:])


def close(
    settings: Settings, store: Store, team_id: str, user_id: str, words: list[str]
) -> Message:
    """Close the pulse numbered in ``words``, or the only open one."""
    if words:
        number = words[0].lstrip("#")
        if not number.isdigit():
            raise UserError(f"“{words[0]}” is not a pulse number.", suggestion=USAGE)
        pulse = team_pulse(store, team_id, int(number))
    else:
        found = status(store, team_id)
        if len(found) != 1:
            which = "No pulse is open." if not found else "Several pulses are open."
            raise UserError(which, suggestion="Name one: `pulse close 3` (see `pulse status`).")
        pulse = found[0].pulse
    closed = close_pulse(
        store,
        pulse.id,
        actor=user_id,
        min_group_size=settings.min_group_size,
        now=datetime.now(UTC),
    )
    return closed_message(closed)
