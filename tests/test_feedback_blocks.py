"""Feedback buttons under answers (bot.views.answers): on answers to questions in plain words
only, last, within Slack's limits, and carrying nothing about the person."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.deps import Deps, StorePerThread
from bot.routing.router import answer
from bot.settings import Settings
from bot.views.answers import (
    FEEDBACK_ACTION_ID,
    MAX_BLOCKS,
    MAX_BUTTON_VALUE,
    Verdict,
    feedback_block,
    feedback_value,
    verdict_from_value,
    with_answer_actions,
)
from insights.answers import ask
from insights.ingest.demo_loader import load_demo

ANSWER = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Gap* 55 points"}}]
TEAM = "TFEEDBACK"


def feedback_of(blocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    found = [block for block in blocks if block.get("type") == "context_actions"]
    assert len(found) <= 1
    return found[0] if found else None


def values(block: dict[str, Any]) -> tuple[str, str]:
    [element] = block["elements"]
    assert element["type"] == "feedback_buttons" and element["action_id"] == FEEDBACK_ACTION_ID
    return element["positive_button"]["value"], element["negative_button"]["value"]


@pytest.fixture(scope="module")
def deps(tmp_path_factory: pytest.TempPathFactory) -> Deps:
    path: Path = tmp_path_factory.mktemp("feedback") / "answers.db"
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    made = Deps(settings, StorePerThread(path))
    load_demo(made.store(), TEAM, actor="cli:test")
    return made


def test_an_answer_in_plain_words_ends_with_valid_feedback_buttons(deps: Deps) -> None:
    result = answer(deps, TEAM, "what's the necessity gap for in-house folks?")
    assert result.ok and result.asked == "what's the necessity gap for in-house folks?"
    blocks = with_answer_actions(
        result.message.blocks, result.query, result.next_steps, asked=result.asked
    )
    assert blocks[-1]["type"] == "context_actions" and blocks[-2]["type"] == "actions"
    for raw in blocks:
        parsed = Block.parse(raw)
        assert parsed is not None
        parsed.validate_json()
    [element] = blocks[-1]["elements"]
    for button in (element["positive_button"], element["negative_button"]):
        assert button["accessibility_label"] and len(button["accessibility_label"]) <= 75
    good, bad = values(blocks[-1])
    assert verdict_from_value(good) == Verdict(
        True, "what's the necessity gap for in-house folks?", "gap necessity role=In-house"
    )
    assert verdict_from_value(bad) == Verdict(
        False, "what's the necessity gap for in-house folks?", "gap necessity role=In-house"
    )


@pytest.mark.parametrize("text", ["gap by role", "gap necessity role=in-house", "help", "themes"])
def test_strict_questions_and_listings_have_no_feedback(deps: Deps, text: str) -> None:
    result = answer(deps, TEAM, text)
    assert result.ok and result.asked is None
    blocks = with_answer_actions(
        result.message.blocks, result.query, result.next_steps, asked=result.asked
    )
    assert feedback_of(blocks) is None


@pytest.mark.parametrize("text", ["purple monkey dishwasher", "gap role=martian"])
def test_errors_have_no_feedback(deps: Deps, text: str) -> None:
    result = answer(deps, TEAM, text)
    assert not result.ok and result.asked is None
    assert feedback_of(with_answer_actions(result.message.blocks, None, asked=result.asked)) is None


def test_without_a_query_there_is_nothing_to_judge() -> None:
    assert with_answer_actions(ANSWER, None, asked="how are we doing?") == ANSWER


def test_feedback_comes_after_the_buttons_and_never_past_fifty_blocks() -> None:
    room_for_both = ANSWER * (MAX_BLOCKS - 2)
    both = with_answer_actions(room_for_both, "gap", asked="how are we doing?")
    assert len(both) == MAX_BLOCKS and [b["type"] for b in both[-2:]] == [
        "actions",
        "context_actions",
    ]
    room_for_one = ANSWER * (MAX_BLOCKS - 1)
    one = with_answer_actions(room_for_one, "gap", asked="how are we doing?")
    assert len(one) == MAX_BLOCKS and one[-1]["type"] == "actions"
    full = ANSWER * MAX_BLOCKS
    assert with_answer_actions(full, "gap", asked="how are we doing?") == full


HOSTILE = [
    "x" * 100_000,
    '"}],"q":"forged' + "\\" * 3000,
    "\x00\x01\x1b[31m\u202eevil\u2066" * 500,
    "😀" * 3000 + "\ud800",
    "<@UALICE|alice> <#CGENERAL|general> <!channel> what about <https://evil.example|click>?",
    "`*_~&<>" * 1000,
]


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_questions_are_carried_clipped_and_within_slacks_limit(question: str) -> None:
    block = feedback_block(question, "gap " + '"\\' * 2000)
    assert block is not None
    parsed = Block.parse(block)
    assert parsed is not None
    parsed.validate_json()
    for value in values(block):
        assert len(value) <= MAX_BUTTON_VALUE
        verdict = verdict_from_value(value)
        assert verdict is not None and len(verdict.question) <= 200
        assert verdict.question.isprintable() and verdict.reading.isprintable()
        for secret in ("UALICE", "CGENERAL", "<!channel>"):
            assert secret.casefold() not in value.casefold()


def test_a_question_of_only_mentions_gets_no_buttons() -> None:
    assert feedback_block("<@UALICE> <!here>", "gap") is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "q:gap",
        "f+:not json",
        "f-:[1, 2]",
        'f+:{"q": 1, "r": "gap"}',
        'f-:{"q": "   ", "r": "gap"}',
        'f?:{"q": "how?", "r": "gap"}',
    ],
)
def test_values_we_did_not_make_are_not_verdicts(value: str) -> None:
    assert verdict_from_value(value) is None


def test_the_value_is_json_after_its_prefix() -> None:
    value = feedback_value(Verdict(False, "And for Europe?", "gap region=Europe"))
    assert value.startswith("f-:")
    assert json.loads(value[3:]) == {"q": "and for europe?", "r": "gap region=Europe"}


def test_a_question_the_language_model_read_is_natural_too(deps: Deps) -> None:
    def reads_by_region(text: str, previous: str | None, names: object) -> str:
        return "gap by region"

    reply = ask(
        deps.store(), TEAM, "split it up by where people sit in the world", reader=reads_by_region
    )
    assert reply.natural and reply.query == "gap by region"
    assert not ask(deps.store(), TEAM, "gap by region", reader=reads_by_region).natural
