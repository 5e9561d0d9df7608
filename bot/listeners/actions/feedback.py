"""A thumbs up or down under an answer to a question in plain words: acknowledged at once,
recorded by the library (the question and its strict reading, never the person: the click's
user, channel and message are not read), and thanked for to the clicker alone. A thumbs down
also joins the misses admins see in ``/empathy misses``."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, Respond

from bot.deps import Deps
from bot.errors.slack import error_message
from bot.listeners.ack import acknowledge
from bot.listeners.actions.clicks import tell
from bot.views.answers import (
    FEEDBACK_ACTION_ID,
    UNREADABLE_FEEDBACK,
    feedback_thanks,
    user_error_message,
    verdict_from_value,
)
from insights.answers import record_feedback

logger = logging.getLogger(__name__)


def give_feedback(deps: Deps, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Record the verdict the clicked feedback button carries, then thank the clicker
    privately; a value we did not make, or a store that cannot take it, is said so."""
    actions = body.get("actions") or [{}]
    verdict = verdict_from_value(str(actions[0].get("value") or ""))
    if verdict is None:
        logger.info("A feedback click carried a value this app does not make; not recorded")
        tell(respond, user_error_message(UNREADABLE_FEEDBACK))
        return
    try:
        record_feedback(
            deps.store(), deps.team_for(context), verdict.question, verdict.reading, verdict.helpful
        )
    except Exception as error:
        tell(respond, error_message(error, doing="record feedback on an answer"))
        return
    tell(respond, feedback_thanks(verdict.helpful))


def register(app: App, deps: Deps) -> None:
    def feedback_lazily(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        give_feedback(deps, body, context, respond)

    app.action(FEEDBACK_ACTION_ID)(ack=acknowledge, lazy=[feedback_lazily])
