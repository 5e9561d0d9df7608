"""How every edge reads an action typed as text, without Slack: the Slack router
(:mod:`bot.routing.router`) and ``empathy ask`` (:mod:`bot.entrypoints.cli`) both go through
:func:`read_action`, so a text is an action at one entry point exactly when it is at all.

Which action is the library's decision (:func:`insights.answers.query.action_of`: the first word);
here it is paired with the text from that word on, as the action's handler reads it. The
one exception is turning gap alerts off in everyday words ("stop alerts", "no more alerts"),
whose first word is not the action's: read here as ``alerts off``, since only a phrase that
names alerts is read so, never a text merely starting with "stop" or "no".
"""

from __future__ import annotations

import re

from insights.answers import action_of, tokenize

ALERT_ACTIONS = frozenset({"alert", "alerts"})
CHANNEL_ACTIONS = frozenset({"subscribe", "unsubscribe", "subscriptions"}) | ALERT_ACTIONS
ADMIN_ACTIONS = frozenset({"forget", "audit", "misses"})
IMPORT_ACTION = "import"
PULSE_ACTION = "pulse"
KNOWN_ACTIONS = CHANNEL_ACTIONS | ADMIN_ACTIONS | {IMPORT_ACTION, PULSE_ACTION}
_PUNCTUATION = " ?!.:,;"


def read_action(text: str) -> tuple[str, str] | None:
    """``(action, text from the action word on)``, or ``None`` when ``text`` is a question.

    What comes before the word (a ``/empathy`` typed out, a mention) and punctuation stuck
    to it (``audit?``, ``forget: wave 2022``) is dropped: ``("forget", "forget wave 2022")``.
    """
    if _turns_alerts_off(text):
        return "alerts", "alerts off"
    action = action_of(text)
    if action not in KNOWN_ACTIONS:
        return None
    found = re.search(rf"(?<![\w-]){re.escape(action)}(?![\w-])", text, re.IGNORECASE)
    rest = text[found.end() :].lstrip(_PUNCTUATION) if found else ""
    return action, f"{action} {rest}".strip()


# "stop alerts", "please stop the gap alerts", "no more alerts", "turn off alerts"
_ALERTS_OFF = re.compile(
    r"^(?:please |pls |hey |ok )*(?:stop|no more|cancel|disable|mute|turn off)"
    r"(?: the| these| all| gap| empathy)* alerts?\b"
)


def _turns_alerts_off(text: str) -> bool:
    return bool(_ALERTS_OFF.match(" ".join(word.casefold() for word in tokenize(text))))
