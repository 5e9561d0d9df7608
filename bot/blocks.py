"""Pure Block Kit helpers for the Slack edge: decorations around the library's answers.

Every function here takes plain values and returns plain data (``dict``/``list``), so tests
check them as data and slack_sdk's Block Kit models can validate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from insights.render import Message

Block = dict[str, Any]

SHARE_ACTION_ID = "share_in_channel"
CHART_ACTION_ID = "answer_chart"
STEP_ACTION_PREFIX = "answer_step_"  # + index: action ids must differ within a block
ANSWER_BLOCK_ID = "empathy_answer"
# Button values may not be empty, but the overview's query is: prefix every query.
QUERY_VALUE_PREFIX = "q:"
# Slack refuses a button whose value is longer than this.
MAX_BUTTON_VALUE = 2000
# Slack refuses a message with more blocks than this.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def _button(text: str, action_id: str, query: str) -> Block:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "value": QUERY_VALUE_PREFIX + query,
    }


def answer_actions(
    query: str, steps: Sequence[tuple[str, str]] = (), *, share: bool = True
) -> Block | None:
    """The buttons under an answer: each next step (a breakdown, the trend), a chart of this
    answer, and "Share in channel".

    Every button carries a complete query, not the answer, so a click is recomputed from
    the database: it survives restarts and needs no state in memory. Buttons whose query
    cannot fit in a button value are left out; ``None`` when none is left.
    """
    wanted = [
        *(
            _button(label, f"{STEP_ACTION_PREFIX}{i}", step)
            for i, (label, step) in enumerate(steps)
        ),
        _button("Chart", CHART_ACTION_ID, query),
        *([_button("Share in channel", SHARE_ACTION_ID, query)] if share else []),
    ]
    elements = [b for b in wanted if len(b["value"]) <= MAX_BUTTON_VALUE]
    if not elements:
        return None
    return {"type": "actions", "block_id": ANSWER_BLOCK_ID, "elements": elements}


def query_from_value(value: str) -> str | None:
    """The query a button carries, or ``None`` for a value we did not make."""
    if not value.startswith(QUERY_VALUE_PREFIX):
        return None
    return value[len(QUERY_VALUE_PREFIX) :]


def with_answer_actions(
    blocks: list[Block],
    query: str | None,
    steps: Sequence[tuple[str, str]] = (),
    *,
    share: bool = True,
) -> list[Block]:
    """``blocks`` followed by the answer's buttons when there is a query and room for them."""
    actions = answer_actions(query, steps, share=share) if query is not None else None
    if actions is None or len(blocks) >= MAX_BLOCKS:
        return list(blocks)
    return [*blocks, actions]


def shared_by(blocks: list[Block], user_id: str | None, query: str) -> list[Block]:
    """The blocks of an answer re-posted in a channel, with who shared it and what was asked."""
    who = f"<@{user_id}>" if user_id else "Someone"
    asked = f"`/empathy {escape_mrkdwn(query)}`" if query.strip() else "`/empathy`"
    note = _context(f"Shared by {who} · {asked}")
    kept = [block for block in blocks if block.get("type") != "actions"]
    return [*kept[: MAX_BLOCKS - 1], note]


USER_ERROR_MARK = ":thinking_face:"
INTERNAL_ERROR_MARK = ":warning:"


def is_error_message(blocks: list[Block]) -> bool:
    """Whether ``blocks`` are one of the two apologies above rather than an answer."""
    first = blocks[0].get("text", {}).get("text", "") if blocks else ""
    return isinstance(first, str) and first.startswith((USER_ERROR_MARK, INTERNAL_ERROR_MARK))


def user_error_message(message: str, suggestion: str | None = None) -> Message:
    """A friendly answer to a question we cannot answer as asked (a ``UserError``)."""
    text = f"{message} {suggestion}" if suggestion else message
    blocks = [_section(f"{USER_ERROR_MARK} {escape_mrkdwn(message)}")]
    if suggestion:
        blocks.append(_context(escape_mrkdwn(suggestion)))
    return Message(text=text, blocks=blocks)


def internal_error_message(reference: str) -> Message:
    """A short apology for a failure on our side; ``reference`` matches the logged traceback."""
    text = (
        f"Sorry, something went wrong on our side. If it keeps happening, "
        f"give your admin this reference: {reference}"
    )
    blocks = [
        _section(f"{INTERNAL_ERROR_MARK} Sorry, something went wrong on our side."),
        _context(f"If it keeps happening, give your admin this reference: `{reference}`"),
    ]
    return Message(text=text, blocks=blocks)
