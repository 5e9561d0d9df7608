"""Answers: a question's text in, a rendered answer out.

The path of every question (``reply.ask``): ``query`` reads the text (one interpreter for
every entry point; ``phrases`` and ``wording`` are its vocabulary) against the ``catalog``
of what the team's surveys contain; ``engine`` counts through the store's ``CountSource``,
with ``privacy`` deciding what may be shown and ``stats`` the intervals and tests (a new
statistic goes there); ``findings`` is the one model every answer is, which ``headline``
opens with a sentence, ``render`` turns into Block Kit and text, and ``charts/`` into a
picture. ``misses`` logs what could not be answered, for admins. ``model_reading`` is the
optional language model that reads a question the rules could not, and sees no figure.
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
from insights.answers.findings import Finding
from insights.answers.misses import MAX_MISSES_PER_TEAM, record_miss, top_misses
from insights.answers.model_reading import ModelReader, QuestionReader
from insights.answers.query import CHART_WORDS, action_of, tokenize
from insights.answers.render import Message, render, to_text
from insights.answers.reply import Reply, ask

__all__ = [
    "CHART_WORDS",
    "MAX_MISSES_PER_TEAM",
    "Finding",
    "Message",
    "ModelReader",
    "Prompt",
    "QuestionReader",
    "Reply",
    "action_of",
    "ask",
    "list_surveys",
    "prompts_for",
    "record_miss",
    "render",
    "respondents_to_count",
    "suggested_prompts",
    "thread_title",
    "to_text",
    "tokenize",
    "top_misses",
    "working_status",
]
