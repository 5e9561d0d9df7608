"""Slack messages in threads: the question a message asks, without its mentions.

What a thread remembers (its context, which events were already answered) is kept by the
library, ``insights.store.bot_state``.
"""

from __future__ import annotations

import re

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def strip_mentions(text: str) -> str:
    """The question in a message, without the ``<@U123>`` mentions Slack puts in it."""
    return " ".join(_MENTION.sub(" ", text).split())
