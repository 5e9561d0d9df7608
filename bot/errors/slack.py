"""What a person sees in Slack when their request could not be done: the one place a
failure becomes a message (:func:`error_message`).

Every listener, action and upload step that catches an exception hands it here, so the
same failure reads the same wherever it happened.
"""

from __future__ import annotations

import logging

from bot.errors.references import log_failure
from bot.views.answers import closest_reading, internal_error_message, user_error_message
from bot.views.imports import problems_message
from insights.answers import Message
from insights.errors import (
    ActionNotQuestion,
    EmpathyError,
    ImportFailed,
    NoSubscriptionError,
    NoSurveyError,
    QueryError,
    StoreError,
)

logger = logging.getLogger(__name__)


def error_message(
    error: Exception, *, doing: str, question: bool = False, unchanged: str | None = None
) -> Message:
    """The message for ``error``, raised while trying to ``doing`` (for the log).

    What holds, whatever ``error`` is:

    * a domain error (:mod:`insights.errors`) is said in its own words, specific and
      friendly: its message, then its suggestion, echoed bounded and escaped
      (:func:`bot.views.answers.user_error_message`); an import refused lists its problems, and
      names Slack's way (never a CLI flag) when rows left out are why;
      a store that is busy or unusable says so (the person can only wait) and is logged as
      a warning, without a traceback;
    * for a ``question`` a :class:`~insights.errors.QueryError`'s closest reading is
      offered as a button, never answered unasked;
    * ``unchanged`` (e.g. "nothing was deleted") is said after a domain error's message
      unless the message says it already;
    * anything else is a bug of ours: a short apology with a reference id, logged with the
      traceback; the person never sees a traceback or internals.
    """
    if isinstance(error, ImportFailed):
        return problems_message(_in_slack_words(error), error.problems)
    if isinstance(error, EmpathyError):
        if isinstance(error, StoreError):
            logger.warning("Store unavailable, could not %s: %s", doing, error)
        message = user_error_message(_said(error.message, unchanged), _suggested(error))
        if question and isinstance(error, QueryError):
            blocks = closest_reading(message.blocks, error.reading)
            return Message(text=message.text, blocks=blocks)
        return message
    return internal_error_message(log_failure(logger, error, doing))


def _suggested(error: EmpathyError) -> str | None:
    """The error's suggestion, or, where the library left what to do next to the edge,
    Slack's way of doing it (never a CLI command)."""
    if isinstance(error, ActionNotQuestion):
        return f"Type `/empathy {error.action}` to do it."
    if isinstance(error, NoSurveyError):
        return (
            "An admin can import one: type `/empathy import` in any channel, or send the"
            " export to me in a direct message."
        )
    if isinstance(error, NoSubscriptionError):
        return "Subscribe with `/empathy subscribe weekly monday 09:00` in that channel."
    return error.suggestion


def _in_slack_words(error: ImportFailed) -> str:
    """An import refusal's title, with what to do next said the Slack way: an upload in
    Slack always leaves out previews, tests and unfinished responses (it has no option to
    keep them), so the way to keep them is an import at the terminal."""
    if not error.left_out:
        return error.message
    return (
        f"{error.message} Uploads in Slack always leave those out; if they are real answers,"
        " an admin can import the file with the `empathy import` command where the bot runs,"
        " which can keep them."
    )


def _said(message: str, unchanged: str | None) -> str:
    if unchanged is None or unchanged.casefold() in message.casefold():
        return message
    return f"{message.rstrip('.')}: {unchanged}."
