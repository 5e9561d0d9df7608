"""What a person sees in Slack for each kind of failure (bot.errors.slack), and that the
upload flow tells the library's errors the same way as every other listener."""

from __future__ import annotations

import logging

import pytest

from bot.errors.slack import error_message
from bot.imports.uploads import translate
from bot.views.answers import INTERNAL_ERROR_MARK, USER_ERROR_MARK, is_error_message
from insights import Store, ask
from insights.answers.render import Message
from insights.errors import (
    CodebookError,
    ConflictError,
    EmpathyError,
    ImportFailed,
    NoSubscriptionError,
    NoSurveyError,
    NotFoundError,
    QueryError,
    RefusedError,
    StoreError,
    SuppressedError,
    UserError,
)
from insights.store.database import BUSY_MESSAGE


def shown(message: Message) -> str:
    """Everything the person can read: the fallback text and every block's text."""
    return f"{message.text} {message.blocks}"


PERSON_ERRORS = [
    UserError("I can't do that here.", suggestion="Try `help`."),
    QueryError("I don't know 'frobnicate'.", suggestion="Type `help` for what I understand."),
    RefusedError("I can't show individual respondents or their answers."),
    NotFoundError("There is no wave 'q9'.", suggestion="Known: 2021-pilot, 2022."),
    SuppressedError("Fewer than 10 respondents match.", suggestion="Try a broader group."),
    ConflictError("Wave '2022' was imported again since you asked."),
    StoreError(BUSY_MESSAGE),
]


@pytest.mark.parametrize("error", PERSON_ERRORS, ids=lambda e: type(e).__name__)
def test_a_domain_error_is_said_in_its_own_words_with_its_suggestion(error: EmpathyError) -> None:
    message = error_message(error, doing="answer a test")
    assert message.blocks[0]["text"]["text"].startswith(USER_ERROR_MARK)
    assert error.message in message.text
    if error.suggestion:
        assert error.suggestion in message.text
        assert message.blocks[1]["type"] == "context"
    assert "reference" not in shown(message)


@pytest.mark.parametrize("error_class", [ImportFailed, CodebookError])
def test_an_import_refused_lists_its_problems_and_says_nothing_was_imported(
    error_class: type[ImportFailed],
) -> None:
    error = error_class("The file cannot be imported", problems=["no column 'id'", "row 3 empty"])
    message = error_message(error, doing="import a file")
    assert "no column 'id'" in message.text and "row 3 empty" in message.text
    assert "Nothing was imported." in message.text


def test_a_question_not_understood_offers_its_closest_reading_as_a_button() -> None:
    error = QueryError("I didn't understand 'not'.", reading="gap necessity")
    asked = error_message(error, doing="answer a question", question=True)
    [button] = asked.blocks[-1]["elements"]
    assert button["text"]["text"] == "Ask: gap necessity"
    acted = error_message(error, doing="subscribe a channel")  # not a question: no button
    assert all(block["type"] != "actions" for block in acted.blocks)


def test_what_a_failure_left_unchanged_is_said_once() -> None:
    gone = NotFoundError("Survey 'demo' has no wave '2021-pilot'.")
    said = error_message(gone, doing="forget a wave", unchanged="nothing was deleted")
    assert said.text.endswith("has no wave '2021-pilot': nothing was deleted.")
    already = ConflictError("It changed since; nothing was deleted.")
    again = error_message(already, doing="forget a wave", unchanged="nothing was deleted")
    assert again.text.casefold().count("nothing was deleted") == 1


def test_a_bug_gets_an_apology_with_a_reference_that_finds_its_logged_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bug = KeyError("responses_7 /srv/data/empathy.db")
    with caplog.at_level(logging.ERROR):
        message = error_message(bug, doing="answer a test")
    assert message.blocks[0]["text"]["text"].startswith(INTERNAL_ERROR_MARK)
    assert is_error_message(message.blocks)
    assert "responses_7" not in shown(message) and "Traceback" not in shown(message)
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.exc_info is not None and record.exc_info[1] is bug
    assert record.getMessage().split("reference ")[1].rstrip(")") in message.text


def test_an_upload_while_the_database_is_busy_says_so_rather_than_apologising() -> None:
    message = translate(StoreError(BUSY_MESSAGE))
    assert BUSY_MESSAGE in message.text
    assert "reference" not in message.text


def test_an_upload_refused_by_the_library_reads_as_anywhere_else() -> None:
    error = NotFoundError("There is no survey 'pulse'.", suggestion="Known: demo.")
    assert translate(error) == error_message(error, doing="answer a question")


def test_an_upload_left_with_no_respondents_says_the_slack_way_not_cli_flags() -> None:
    error = ImportFailed(
        "File pulse.csv has no respondents left to import: it left out 2 rows (2 unfinished).",
        left_out={"unfinished": 2},
    )
    said = shown(translate(error))
    assert "it left out 2 rows (2 unfinished)" in said
    assert "Uploads in Slack always leave those out" in said
    assert "`empathy import`" in said
    assert "--include" not in said


def test_no_survey_yet_names_slacks_way_to_import_one_not_the_cli() -> None:
    said = shown(error_message(NoSurveyError("No survey yet."), doing="answer a test"))
    assert "/empathy import" in said and "direct message" in said
    assert "--codebook" not in said and "empathy demo" not in said


def test_an_action_asked_of_the_library_is_pointed_to_the_slash_command(store: Store) -> None:
    with pytest.raises(EmpathyError) as caught:
        ask(store, "T1", "subscribe weekly")
    said = shown(error_message(caught.value, doing="answer a test", question=True))
    assert "`subscribe` is something I do" in said
    assert "Type `/empathy subscribe` to do it." in said
    assert "in Slack" not in said  # the person is in Slack already


def test_a_channel_without_a_digest_is_told_the_slash_command() -> None:
    error = NoSubscriptionError("Channel C1 has no digest subscription.", channel_id="C1")
    said = shown(error_message(error, doing="answer a test"))
    assert "Channel C1 has no digest subscription." in said
    assert "`/empathy subscribe weekly monday 09:00`" in said
