"""Pure Block Kit helpers for the Slack edge: decorations around the library's answers.

Every function here takes plain values and returns plain data (``dict``/``list``), so tests
check them as data and slack_sdk's Block Kit models can validate them.

Text from data or from a person is escaped where it joins mrkdwn, with the library's one
``escape_mrkdwn`` (re-exported here for the edge); what someone typed is echoed bounded
(``insights.safe_text.echo``), never whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from insights.answers import Message, normalise_question, plain_reading
from insights.blocks import Block, context, section
from insights.safe_text import clip, echo
from insights.safe_text import escape_mrkdwn as escape_mrkdwn  # the edge's name for it

SHARE_ACTION_ID = "share_in_channel"
CHART_ACTION_ID = "answer_chart"
STEP_ACTION_PREFIX = "answer_step_"  # + index: action ids must differ within a block
ANSWER_BLOCK_ID = "empathy_answer"
DRILL_DOWN_ACTION_ID = "digest_drill_down"
DRILL_DOWN_BLOCK_ID = "empathy_digest"
# Button values may not be empty, but the overview's query is: prefix every query.
QUERY_VALUE_PREFIX = "q:"
# Slack refuses a button whose value is longer than this.
MAX_BUTTON_VALUE = 2000
# Slack refuses a message with more blocks than this.
MAX_BLOCKS = 50
# A query quoted back ("Shared by … · `/empathy gap by role`") keeps at most this much.
MAX_QUOTED_QUERY = 200
# An error's suggestion lists names ("Values: …"); past this it is cut.
MAX_SUGGESTION = 1500
FEEDBACK_ACTION_ID = "answer_feedback"
FEEDBACK_BLOCK_ID = "empathy_feedback"
# A feedback button's value: the verdict's prefix, then {"q": question, "r": reading}.
HELPFUL_PREFIX = "f+:"
UNHELPFUL_PREFIX = "f-:"


def quoted_query(query: str) -> str:
    """The query as mrkdwn code, `/empathy QUERY`: escaped, its backticks made quotes (they
    would end the code), and at most MAX_QUOTED_QUERY long."""
    said = echo(query.strip(), MAX_QUOTED_QUERY).replace("`", "'")
    return f"`/empathy {escape_mrkdwn(said)}`" if said else "`/empathy`"


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


def closest_reading(blocks: list[Block], reading: str | None) -> list[Block]:
    """An apology for a question not understood, with a button that asks the closest
    reading the parser found: offered, never answered unasked."""
    if reading is None:
        return list(blocks)
    button = _button(f"Ask: {reading}", f"{STEP_ACTION_PREFIX}0", reading)
    if len(button["value"]) > MAX_BUTTON_VALUE or len(blocks) >= MAX_BLOCKS:
        return list(blocks)
    return [*blocks, {"type": "actions", "block_id": ANSWER_BLOCK_ID, "elements": [button]}]


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
    asked: str | None = None,
) -> list[Block]:
    """``blocks`` followed by the answer's buttons when there is a query and room for them,
    and, when the question was ``asked`` in plain words and ``query`` is how it was read,
    last, feedback buttons on that reading (:func:`feedback_block`) if room is left."""
    decorated = list(blocks)
    actions = answer_actions(query, steps, share=share) if query is not None else None
    if actions is not None and len(decorated) < MAX_BLOCKS:
        decorated.append(actions)
    feedback = feedback_block(asked, query) if asked is not None and query is not None else None
    if feedback is not None and len(decorated) < MAX_BLOCKS:
        decorated.append(feedback)
    return decorated


@dataclass(frozen=True)
class Verdict:
    """What a feedback button carries: whether the reading helped, the question (normalised:
    no Slack reference to anyone) and the strict query it was read as. Never who clicked."""

    helpful: bool
    question: str
    reading: str


def _printable(text: str) -> str:
    """``text`` without characters JSON would spell as six (controls, lone surrogates)."""
    return "".join(ch for ch in text if ch.isprintable())


def feedback_value(verdict: Verdict) -> str:
    """A button value for ``verdict``: its question as the library stores it (normalised, so
    at most 200 characters and no mention of anyone) and its reading likewise, as JSON after
    the verdict's prefix. Printable characters only, so the value stays within
    MAX_BUTTON_VALUE whatever was typed."""
    carried = {
        "q": _printable(normalise_question(verdict.question)),
        "r": _printable(plain_reading(verdict.reading)),
    }
    prefix = HELPFUL_PREFIX if verdict.helpful else UNHELPFUL_PREFIX
    return prefix + json.dumps(carried, ensure_ascii=False, separators=(",", ":"))


def verdict_from_value(value: str) -> Verdict | None:
    """The verdict a feedback button carries, or ``None`` for a value we did not make."""
    helpful = value.startswith(HELPFUL_PREFIX)
    if not helpful and not value.startswith(UNHELPFUL_PREFIX):
        return None
    try:
        carried = json.loads(value[len(HELPFUL_PREFIX) :])
    except ValueError:
        return None
    if not isinstance(carried, dict):
        return None
    question, reading = carried.get("q"), carried.get("r")
    if not isinstance(question, str) or not isinstance(reading, str) or not question.strip():
        return None
    return Verdict(helpful, question, reading)


def _feedback_button(emoji: str, label: str, value: str) -> Block:
    return {
        "text": {"type": "plain_text", "text": emoji, "emoji": True},
        "accessibility_label": label,
        "value": value,
    }


def feedback_block(question: str, reading: str) -> Block | None:
    """A ``context_actions`` block of ``feedback_buttons`` asking whether ``question`` (in
    plain words) was read right as the strict query ``reading``. Each button carries the
    question and the reading (:func:`feedback_value`), so a click is recorded without
    state and without anything about the person; ``None`` when there is nothing to carry."""
    good = feedback_value(Verdict(True, question, reading))
    bad = feedback_value(Verdict(False, question, reading))
    if verdict_from_value(good) is None or max(len(good), len(bad)) > MAX_BUTTON_VALUE:
        return None
    element = {
        "type": "feedback_buttons",
        "action_id": FEEDBACK_ACTION_ID,
        "positive_button": _feedback_button("👍", "Yes, my question was read right", good),
        "negative_button": _feedback_button("👎", "No, my question was misread", bad),
    }
    return {"type": "context_actions", "block_id": FEEDBACK_BLOCK_ID, "elements": [element]}


def shared_by(blocks: list[Block], user_id: str | None, query: str) -> list[Block]:
    """The blocks of an answer re-posted in a channel, with who shared it and what was asked."""
    who = f"<@{user_id}>" if user_id else "Someone"
    note = context(f"Shared by {who} · {quoted_query(query)}")
    kept = [block for block in blocks if block.get("type") != "actions"]
    return [*kept[: MAX_BLOCKS - 1], note]


USER_ERROR_MARK = ":thinking_face:"
INTERNAL_ERROR_MARK = ":warning:"


def is_error_message(blocks: list[Block]) -> bool:
    """Whether ``blocks`` are one of the two apologies above rather than an answer."""
    first = blocks[0].get("text", {}).get("text", "") if blocks else ""
    return isinstance(first, str) and first.startswith((USER_ERROR_MARK, INTERNAL_ERROR_MARK))


def user_error_message(message: str, suggestion: str | None = None) -> Message:
    """A friendly answer to a question we cannot answer as asked (a ``UserError``).

    ``message`` may quote what the person typed: it is echoed bounded. Both are raw text,
    escaped here, in the blocks and in the fallback alike."""
    said = echo(message)
    hint = clip(suggestion, MAX_SUGGESTION) if suggestion else None
    text = f"{said} {hint}" if hint else said
    blocks = [section(f"{USER_ERROR_MARK} {escape_mrkdwn(said)}")]
    if hint:
        blocks.append(context(escape_mrkdwn(hint)))
    return Message(text=escape_mrkdwn(text), blocks=blocks)


def internal_error_message(reference: str) -> Message:
    """A short apology for a failure on our side; ``reference`` matches the logged traceback."""
    text = (
        f"Sorry, something went wrong on our side. If it keeps happening, "
        f"give your admin this reference: {reference}"
    )
    blocks = [
        section(f"{INTERNAL_ERROR_MARK} Sorry, something went wrong on our side."),
        context(f"If it keeps happening, give your admin this reference: `{reference}`"),
    ]
    return Message(text=text, blocks=blocks)


def with_drill_down(digest: Message, query: str) -> Message:
    """A digest with its "Drill down" button under it, which carries the digest's canonical
    query as it is (not figures: the answer is recomputed on click); without the button when
    the query cannot fit in a button value."""
    if len(query) > MAX_BUTTON_VALUE:
        return digest
    button = {
        "type": "button",
        "action_id": DRILL_DOWN_ACTION_ID,
        "text": {"type": "plain_text", "text": "Drill down"},
        "value": query,
    }
    block = {"type": "actions", "block_id": DRILL_DOWN_BLOCK_ID, "elements": [button]}
    return Message(text=digest.text, blocks=[*digest.blocks, block])


THANKS = "Thanks — noted."
THANKS_FOR_A_MISS = (
    "Thanks — admins will see this question in /empathy misses so the bot can learn it."
)
UNREADABLE_FEEDBACK = (
    "Sorry, I could not read that feedback button. Ask again, and use the buttons under"
    " the new answer."
)


def feedback_thanks(helpful: bool) -> Message:
    """The acknowledgement the clicker alone sees; a thumbs down says where it goes."""
    said = THANKS if helpful else THANKS_FOR_A_MISS
    return Message(text=said, blocks=[context(said)])
