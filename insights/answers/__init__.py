"""Answers: a question's text in, a rendered answer out.

The path of every question (``reply.ask``): ``query`` reads the text (one interpreter for
every entry point; ``phrases`` and ``wording`` are its vocabulary) against the ``catalog``
of what the team's surveys contain; ``engine`` counts through the store's ``CountSource``,
with ``privacy`` deciding what may be shown and ``stats`` the intervals and tests (a new
statistic goes there); ``findings`` is the one model every answer is, which ``headline``
opens with a sentence, ``render`` turns into Block Kit and text, and ``charts/`` into a
picture. ``misses`` logs what could not be answered, for admins; ``feedback`` records
whether a question in plain words was read right (a thumbs down is also a miss), never
who said so. ``model_reading`` is the optional language model that reads a question the
rules could not, and sees no figure.
``assistant`` is what Slack's assistant surface shows around an answer (suggested prompts,
a status), from the catalogue's names and sizes only.

The edge imports the names below (and charts from ``insights.answers.charts``, kept apart
because it loads matplotlib) and nothing else from this package.
"""

from insights.answers.assistant import (
    Prompt,
    prompts_for,
    respondents_to_count,
    suggested_prompts,
    thread_title,
    working_status,
)
from insights.answers.catalog import list_surveys
from insights.answers.feedback import MAX_FEEDBACK_PER_TEAM, plain_reading, record_feedback
from insights.answers.findings import Context, Finding, GapReport, ThemeResult
from insights.answers.misses import MAX_MISSES_PER_TEAM, record_miss, top_misses
from insights.answers.misses import normalise as normalise_question
from insights.answers.model_reading import ModelReader, QuestionReader
from insights.answers.query import CHART_WORDS, action_of, tokenize
from insights.answers.render import MRKDWN, Message, figure, render, to_text, verdict
from insights.answers.reply import EXAMPLES, Reply, ask, help_finding
from insights.answers.stats import whole

__all__ = [
    "CHART_WORDS",
    "EXAMPLES",
    "MAX_FEEDBACK_PER_TEAM",
    "MAX_MISSES_PER_TEAM",
    "MRKDWN",
    "Context",
    "Finding",
    "GapReport",
    "Message",
    "ModelReader",
    "Prompt",
    "QuestionReader",
    "Reply",
    "ThemeResult",
    "action_of",
    "ask",
    "figure",
    "help_finding",
    "list_surveys",
    "normalise_question",
    "plain_reading",
    "prompts_for",
    "record_feedback",
    "record_miss",
    "render",
    "respondents_to_count",
    "suggested_prompts",
    "thread_title",
    "to_text",
    "tokenize",
    "top_misses",
    "verdict",
    "whole",
    "working_status",
]
