"""Pulse: a survey asked in Slack itself, anonymous by construction, closed into a wave.

* ``questions`` turns a question set (a codebook; ``empathy_in_action.toml`` is the built-in
  one) into form items, and a person's choices into answer codes.
* ``pulses`` keeps pulses, their audience (who was asked; never what they answered), and
  answers keyed by a per-pulse HMAC of the user id, one per person, replaced when edited.
* ``closing`` imports a closed pulse's answers as a new wave through the importer, or
  discards them below the minimum, and deletes the secret, the hashes and the audience.

The edge imports the names below and nothing else from this package.
"""

from insights.pulse.closing import Closed, close_pulse
from insights.pulse.pulses import (
    REPEATS,
    AudienceKind,
    Pulse,
    PulseStatus,
    Repeat,
    add_audience,
    claim_invite,
    claim_reminder,
    due_to_close,
    has_answered,
    pulses_to_invite,
    pulses_to_remind,
    start_pulse,
    status,
    submit_answers,
    team_pulse,
    to_remind,
    uninvited,
)
from insights.pulse.questions import (
    FormItem,
    builtin_codebook_text,
    form_items,
    pulse_codebook,
)

__all__ = [
    "REPEATS",
    "AudienceKind",
    "Closed",
    "FormItem",
    "Pulse",
    "PulseStatus",
    "Repeat",
    "add_audience",
    "builtin_codebook_text",
    "claim_invite",
    "claim_reminder",
    "close_pulse",
    "due_to_close",
    "form_items",
    "has_answered",
    "pulse_codebook",
    "pulses_to_invite",
    "pulses_to_remind",
    "start_pulse",
    "status",
    "submit_answers",
    "team_pulse",
    "to_remind",
    "uninvited",
]
