"""Pure Block Kit builders and readers for pulses: the start form, the invitation and
reminder DMs with their Answer button, the questions form, and the replies (status in counts,
what closing came to). Nothing here talks to Slack or the store.

No message built here ever holds an answer, not even for the person who gave it: the
questions form opens blank (saying only whether they have answered), and every other
message says counts, dates and names of surveys and channels only. Survey titles, question texts and
options are data: plain_text where Slack allows it, escaped where they join mrkdwn.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from insights.answers import Message
from insights.blocks import Block, context, section
from insights.pulse import REPEATS, Closed, FormItem, PulseStatus
from insights.safe_text import clip, escape_mrkdwn

START_VIEW_ID = "pulse_start_modal"
ANSWERS_VIEW_ID = "pulse_answers_modal"
ANSWER_ACTION_ID = "pulse_answer"
ANSWER_BLOCK_ID = "pulse_invitation"
SET_BLOCK_ID = "pulse_set"
CODEBOOK_BLOCK_ID = "pulse_codebook"
CHANNEL_BLOCK_ID = "pulse_channel"
USERGROUP_BLOCK_ID = "pulse_usergroup"
CLOSES_BLOCK_ID = "pulse_closes"
MINIMUM_BLOCK_ID = "pulse_minimum"
REPEAT_BLOCK_ID = "pulse_repeat"
VALUE_ACTION_ID = "value"
ITEM_PREFIX = "pulse_item_"
BUILTIN = "builtin"
PASTED = "pasted"
MAX_TITLE = 24  # a modal's title
MAX_LABEL = 2000  # an input's label
MAX_CODEBOOK = 3000  # a plain_text_input's value


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(text: str, value: str | None = None) -> dict[str, Any]:
    return {"text": _plain(text), "value": value if value is not None else text}


def _input(block_id: str, label: str, element: dict[str, Any], **extra: Any) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": {"action_id": VALUE_ACTION_ID, **element},
        **extra,
    }


# -- the start form -----------------------------------------------------------------------


def start_modal(min_group_size: int) -> dict[str, Any]:
    """``/empathy pulse start``: question set, audience, closing date, minimum, repeat."""
    sets = [
        _option("Empathy in Action (built in)", BUILTIN),
        _option("My own codebook (paste it below)", PASTED),
    ]
    repeats = [
        _option(repeat.capitalize() if repeat != "none" else "No", repeat) for repeat in REPEATS
    ]
    blocks: list[Block] = [
        section(
            "Everyone in the channel or user group gets the questions in a direct message,"
            " once, and one reminder before it closes. Answers are stored without names;"
            " results appear as a new wave once it closes, and only if enough answered."
        ),
        _input(
            SET_BLOCK_ID,
            "Question set",
            {"type": "static_select", "options": sets, "initial_option": sets[0]},
        ),
        _input(
            CODEBOOK_BLOCK_ID,
            "Codebook (TOML), for your own question set",
            {"type": "plain_text_input", "multiline": True, "max_length": MAX_CODEBOOK},
            optional=True,
            hint=_plain('Segments list their choices: values = ["In-house", "Consultant"]'),
        ),
        _input(
            CHANNEL_BLOCK_ID,
            "Ask the members of this channel",
            {"type": "conversations_select", "default_to_current_conversation": True},
            optional=True,
        ),
        _input(
            USERGROUP_BLOCK_ID,
            "… or of this user group (its ID, S…, instead of a channel)",
            {"type": "plain_text_input", "max_length": 40},
            optional=True,
        ),
        _input(CLOSES_BLOCK_ID, "Closes at the end of", {"type": "datepicker"}),
        _input(
            MINIMUM_BLOCK_ID,
            "Minimum responses before anything is shown",
            {
                "type": "number_input",
                "is_decimal_allowed": False,
                "min_value": str(min_group_size),
                "initial_value": str(min_group_size),
            },
        ),
        _input(
            REPEAT_BLOCK_ID,
            "Repeat",
            {"type": "static_select", "options": repeats, "initial_option": repeats[0]},
        ),
    ]
    return {
        "type": "modal",
        "callback_id": START_VIEW_ID,
        "title": _plain("Start a pulse"),
        "submit": _plain("Start"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def _state(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    values = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    found = values.get(VALUE_ACTION_ID) or {}
    return found if isinstance(found, dict) else {}


def _selected(view: dict[str, Any], block_id: str) -> str | None:
    option = _state(view, block_id).get("selected_option") or {}
    value = option.get("value") if isinstance(option, dict) else None
    return str(value) if value else None


def _text(view: dict[str, Any], block_id: str) -> str:
    return str(_state(view, block_id).get("value") or "").strip()


def read_start_form(view: dict[str, Any]) -> dict[str, str]:
    """The start form's answers as plain strings ("" where left empty)."""
    return {
        "set": _selected(view, SET_BLOCK_ID) or BUILTIN,
        "codebook": _text(view, CODEBOOK_BLOCK_ID),
        "channel": str(_state(view, CHANNEL_BLOCK_ID).get("selected_conversation") or ""),
        "usergroup": _usergroup_id(_text(view, USERGROUP_BLOCK_ID)),
        "closes": str(_state(view, CLOSES_BLOCK_ID).get("selected_date") or ""),
        "minimum": _text(view, MINIMUM_BLOCK_ID),
        "repeat": _selected(view, REPEAT_BLOCK_ID) or "none",
    }


def _usergroup_id(text: str) -> str:
    """A user group's id as typed, or from its mention (``<!subteam^S123|@cx>``)."""
    if text.startswith("<!subteam^"):
        return text.removeprefix("<!subteam^").split("|")[0].rstrip(">")
    return text


# -- the invitation, the reminder and the questions form ---------------------------------


def _when(instant: datetime) -> str:
    """A time Slack shows in each reader's own time zone (UTC where it cannot)."""
    fallback = instant.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC")
    return f"<!date^{int(instant.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def answer_button(pulse_id: int, label: str = "Answer") -> Block:
    button = {
        "type": "button",
        "action_id": ANSWER_ACTION_ID,
        "text": _plain(label),
        "style": "primary",
        "value": str(pulse_id),
    }
    return {"type": "actions", "block_id": ANSWER_BLOCK_ID, "elements": [button]}


def invitation(pulse_id: int, title: str, closes_at: datetime, minimum: int) -> Message:
    """The one DM each person of the audience gets."""
    name = escape_mrkdwn(title)
    text = (
        f":wave: You're asked to answer *{name}*, a short anonymous pulse, by"
        f" {_when(closes_at)}. Your answers are stored without your name, and results are"
        f" shown only for the whole group, once it closes and only if at least {minimum}"
        " people answered. You can change your answers until then."
    )
    return Message(text=text, blocks=[section(text), answer_button(pulse_id)])


def reminder(pulse_id: int, title: str, closes_at: datetime) -> Message:
    """The one reminder, to those who have not answered."""
    text = (
        f":hourglass_flowing_sand: *{escape_mrkdwn(title)}* closes {_when(closes_at)}."
        " It takes a minute, and your answers are anonymous."
    )
    return Message(text=text, blocks=[section(text), answer_button(pulse_id)])


def answers_modal(
    pulse_id: int, title: str, items: list[FormItem], *, answered: bool
) -> dict[str, Any]:
    """The questions, each optional and blank: a person's answers are never sent back."""
    note = (
        "Anonymous: your answers are stored without your name and only shown as part of the"
        " whole group's results. Leave out anything you prefer not to answer."
    )
    if answered:
        note += " You have answered already: what you send now replaces your earlier answers."
    blocks: list[Block] = [context(note)]
    for index, item in enumerate(items):
        options = [_option(option) for option in item.options]
        element: dict[str, Any] = {"type": "static_select", "options": options}
        blocks.append(
            _input(f"{ITEM_PREFIX}{index}", clip(item.label, MAX_LABEL), element, optional=True)
        )
    return {
        "type": "modal",
        "callback_id": ANSWERS_VIEW_ID,
        "private_metadata": str(pulse_id),
        "title": _plain(clip(title, MAX_TITLE)),
        "submit": _plain("Send"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def read_answers(view: dict[str, Any], items: list[FormItem]) -> dict[str, str | None]:
    """The questions form's choices by item key (None: left out)."""
    return {item.key: _selected(view, f"{ITEM_PREFIX}{index}") for index, item in enumerate(items)}


def saved(replaced: bool, closes_at: datetime) -> Message:
    verb = "updated" if replaced else "saved"
    text = (
        f":white_check_mark: Thank you: your answers are {verb}, anonymously. You can change"
        f" them with the Answer button until {_when(closes_at)}."
    )
    return Message(text=text, blocks=[section(text)])


# -- replies to /empathy pulse ----------------------------------------------------------------


def started(pulse_id: int, title: str, asked: int, closes_at: datetime) -> Message:
    text = (
        f":rocket: Pulse #{pulse_id} (*{escape_mrkdwn(title)}*) asked {asked} people in a direct"
        f" message. It closes {_when(closes_at)}; `/empathy pulse status` shows how many"
        " answered."
    )
    return Message(text=text, blocks=[section(text)])


def status_message(found: list[PulseStatus]) -> Message:
    """Each open pulse in counts: never who answered."""
    if not found:
        text = "No pulse is open. An admin starts one with `/empathy pulse start`."
        return Message(text=text, blocks=[section(text)])
    lines = [
        f"• Pulse #{s.pulse.id}, survey *{escape_mrkdwn(s.pulse.survey)}*: {s.responses} of"
        f" {s.asked} answered ({s.invited} invited); results need {s.needed};"
        f" closes {_when(s.pulse.closes_at)}"
        for s in found
    ]
    text = "\n".join(lines)
    return Message(text=text, blocks=[section(f":bar_chart: *Open pulses*\n{text}")])


def closed_message(closed: Closed) -> Message:
    """What closing came to: the wave imported, or nothing when too few answered."""
    pulse, survey = closed.pulse, escape_mrkdwn(closed.pulse.survey)
    if closed.summary is None:
        text = (
            f":lock: Pulse #{pulse.id} closed with {closed.responses} responses, fewer than the"
            f" {closed.needed} needed: nothing is shown, and the answers were deleted."
        )
    else:
        wave = escape_mrkdwn(closed.summary.wave)
        text = (
            f":white_check_mark: Pulse #{pulse.id} closed: {closed.responses} responses are now"
            f" wave *{wave}* of survey *{survey}*. Try `/empathy gap survey {survey}`."
        )
    if closed.next_pulse is not None:
        text += f" The next pulse (#{closed.next_pulse.id}) goes out now."
    return Message(text=text, blocks=[section(text)])


def notice(text: str) -> Message:
    escaped = escape_mrkdwn(text)
    return Message(text=escaped, blocks=[section(escaped)])
