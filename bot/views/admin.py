"""Pure Block Kit builders and readers for the admin replies: forgetting a wave (the
confirmation, its buttons, the outcome) and the audit log.

The Delete button carries everything it needs (workspace, survey, wave label and the id of
the wave the confirmation showed) in its value, so it keeps working after a restart and
nothing is kept in memory. Nothing here talks to Slack or the store.

Survey names, wave labels, actors and details are data: escaped where they join mrkdwn,
in the blocks and in each message's fallback ``text`` (which Slack also reads as mrkdwn).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.views.answers import MAX_BUTTON_VALUE
from insights.answers import Message
from insights.blocks import Block, context, packed_sections, section
from insights.safe_text import escape_mrkdwn
from insights.store import AuditEntry, ForgetSummary, WaveToForget

FORGET_ACTION_ID = "forget_wave_delete"
FORGET_CANCEL_ACTION_ID = "forget_wave_cancel"
FORGET_BLOCK_ID = "empathy_forget"
FORGET_USAGE = "`/empathy forget wave LABEL` (add `survey NAME` when several surveys have it)"
AUDIT_LIMIT = 25

_VERBS = {
    "import": "imported",
    "replace": "replaced",
    "forget": "forgot",
    "subscribe": "subscribed",
    "unsubscribe": "unsubscribed",
    "subscribe-alerts": "turned on gap alerts in",
    "unsubscribe-alerts": "turned off gap alerts in",
    "alert": "sent a gap alert to",
}
_CHANNEL_ACTIONS = ("subscribe", "unsubscribe", "subscribe-alerts", "unsubscribe-alerts", "alert")
_SLACK_ID = re.compile(r"^[A-Z0-9]+$")


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _code(text: str) -> str:
    inner = escape_mrkdwn(text.replace("`", "'"))
    return f"`{inner}`"


def _respondents(count: int) -> str:
    return f"{count} respondent{'s' if count != 1 else ''}"


# --- forgetting a wave -----------------------------------------------------------------


@dataclass(frozen=True)
class ForgetTarget:
    """What a Delete button names: the wave a confirmation showed, in its workspace."""

    team_id: str
    survey: str
    wave: str
    wave_id: int


def forget_value(target: ForgetTarget) -> str:
    return json.dumps(
        {"t": target.team_id, "s": target.survey, "w": target.wave, "id": target.wave_id},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def read_forget_value(value: str) -> ForgetTarget | None:
    """The target a Delete button carries, or ``None`` for a value we did not make."""
    try:
        raw = json.loads(value)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    team, survey, wave, wave_id = raw.get("t"), raw.get("s"), raw.get("w"), raw.get("id")
    if not all(isinstance(part, str) and part for part in (team, survey, wave)):
        return None
    if not isinstance(wave_id, int) or isinstance(wave_id, bool):
        return None
    return ForgetTarget(str(team), str(survey), str(wave), wave_id)


def forget_confirmation(wave: WaveToForget, team_id: str) -> Message:
    """What forgetting ``wave`` deletes, with Delete (danger, and Slack's own "are you
    sure?" dialog) and Cancel buttons."""
    what = f"wave {_code(wave.wave)} of survey {_code(wave.survey)}"
    deleted = f"its {_respondents(wave.respondents)} and all their answers"
    lines = [
        f":warning: *Forget {what}?*",
        f"This deletes {deleted}, for everyone in this workspace. It cannot be undone.",
    ]
    if wave.last_wave:
        lines.append("It is the survey's only wave, so the survey goes too.")
    text = (
        f"Forget wave {wave.wave!r} of survey {wave.survey!r}? This deletes its"
        f" {_respondents(wave.respondents)} and all their answers. It cannot be undone."
    )
    blocks: list[Block] = [section("\n".join(lines))]
    value = forget_value(ForgetTarget(team_id, wave.survey, wave.wave, wave.wave_id))
    if len(value) > MAX_BUTTON_VALUE:  # names far longer than anyone types
        blocks.append(context("These names are too long for a button: use `empathy forget-wave`."))
        return Message(text=escape_mrkdwn(text), blocks=blocks)
    dialog = {
        "title": _plain("Forget this wave?"),
        "text": _plain(
            f"{_respondents(wave.respondents)} of wave {wave.wave!r} ({wave.survey}) will be"
            " deleted for everyone. This cannot be undone."[:300]
        ),
        "confirm": _plain("Delete"),
        "deny": _plain("Keep it"),
        "style": "danger",
    }
    buttons = [
        {
            "type": "button",
            "action_id": FORGET_ACTION_ID,
            "text": _plain("Delete"),
            "style": "danger",
            "value": value,
            "confirm": dialog,
        },
        {
            "type": "button",
            "action_id": FORGET_CANCEL_ACTION_ID,
            "text": _plain("Cancel"),
            "value": "cancel",
        },
    ]
    blocks.append({"type": "actions", "block_id": FORGET_BLOCK_ID, "elements": buttons})
    return Message(text=escape_mrkdwn(text), blocks=blocks)


def forgotten(summary: ForgetSummary) -> Message:
    text = escape_mrkdwn(summary.describe())
    return Message(text=text, blocks=[section(f":wastebasket: {text}")])


def forget_cancelled() -> Message:
    text = "Cancelled: nothing was deleted."
    return Message(text=text, blocks=[section(text)])


def not_our_button() -> Message:
    text = (
        "This Delete button is not for this workspace or has been tampered with;"
        " nothing was deleted. Start again with /empathy forget wave LABEL."
    )
    return Message(text=text, blocks=[section(f":no_entry: {escape_mrkdwn(text)}")])


# --- the audit log ---------------------------------------------------------------------


def slack_date(entry: AuditEntry) -> str:
    """A date Slack shows in the reader's own time zone, with a UTC fallback."""
    when = entry.when
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _actor(entry: AuditEntry) -> str:
    if entry.from_cli:
        return f"{_code(entry.actor)} (command line)"
    if _SLACK_ID.match(entry.actor):
        return f"<@{entry.actor}>"
    return _code(entry.actor)


def _target(entry: AuditEntry) -> str:
    if entry.action in _CHANNEL_ACTIONS and _SLACK_ID.match(entry.target):
        return f"<#{entry.target}>"
    return _code(entry.target)


def audit_line(entry: AuditEntry) -> str:
    verb = _VERBS.get(entry.action, entry.action)
    line = f"{slack_date(entry)} · {_actor(entry)} {verb} {_target(entry)}"
    if entry.detail:
        line += f" — {escape_mrkdwn(entry.detail)}"
    return line


def audit_message(entries: Sequence[AuditEntry]) -> Message:
    """The latest entries, newest first, packed into as few sections as fit."""
    if not entries:
        text = "The audit log is empty: nobody has imported, forgotten or subscribed yet."
        return Message(text=text, blocks=[section(f":scroll: {text}")])
    heading = f":scroll: *Audit log* · the latest {len(entries)}, newest first"
    blocks = [section(heading), *packed_sections(f"• {audit_line(e)}" for e in entries)]
    text_lines = [
        f"{e.at} {e.actor} {_VERBS.get(e.action, e.action)} {e.target}"
        + (f" ({e.detail})" if e.detail else "")
        for e in entries
    ]
    text = "Audit log, newest first:\n" + "\n".join(text_lines)
    return Message(text=escape_mrkdwn(text), blocks=blocks)
