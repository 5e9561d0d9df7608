"""The admin replies: ``forget wave LABEL [survey NAME]`` with its Delete and Cancel
buttons, ``audit`` and ``misses``: the Slack side of forgetting a wave, of the audit log and
of the log of questions the bot could not answer.

Plain functions over (settings, store, client, team, user, text or button value) returning
the reply to show; :mod:`bot.routing.router` routes the text here from every entry point
and the listeners send the reply. Who may do this is decided in :mod:`bot.slack.permissions`; the
work is :mod:`insights.store.waves`, :mod:`insights.store.audit` and :mod:`insights.answers.misses`.
"""

from __future__ import annotations

import shlex

from slack_sdk import WebClient

from bot.errors.slack import error_message
from bot.settings import Settings
from bot.slack.permissions import may_delete, may_view_audit, may_view_misses, refusal
from bot.views import admin as admin_blocks
from insights import QueryError, Store, UserError, top_misses
from insights.answers import Message, render
from insights.store import forget_wave, read_audit, wave_to_forget

MISSES_LIMIT = 15
_KEYWORDS = ("wave", "survey")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def forget_refusal() -> Message:
    return refusal("forget survey waves", "Ask one of them to delete it.")


def audit_refusal() -> Message:
    return refusal("see the audit log", "Ask one of them what changed.")


def misses_refusal() -> Message:
    return refusal("see the questions I could not answer", "Ask one of them what people asked.")


def handle(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str, text: str
) -> Message:
    """``audit``, ``misses`` or ``forget …`` (the first word decides; the router sends only
    these here); user mistakes become a friendly message."""
    word, _, rest = text.strip().partition(" ")
    try:
        if word.casefold() == "audit":
            return audit_listing(settings, store, client, team_id, user_id)
        if word.casefold() == "misses":
            return misses_listing(settings, store, client, team_id, user_id)
        return ask_to_forget(settings, store, client, team_id, user_id, rest)
    except UserError as error:
        return error_message(error, doing="read an admin action")


def audit_listing(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str
) -> Message:
    """The workspace's latest audit entries, newest first (admins only)."""
    if not may_view_audit(settings, client, user_id):
        return audit_refusal()
    return admin_blocks.audit_message(read_audit(store, team_id, admin_blocks.AUDIT_LIMIT))


def misses_listing(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str
) -> Message:
    """The workspace's most frequent unanswered questions (admins only)."""
    if not may_view_misses(settings, client, user_id):
        return misses_refusal()
    return render(top_misses(store, team_id, MISSES_LIMIT))


def ask_to_forget(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str, text: str
) -> Message:
    """What forgetting the wave would delete, with Delete and Cancel (admins only)."""
    if not may_delete(settings, client, user_id):
        return forget_refusal()
    survey, label = parse_forget(text)
    wave = wave_to_forget(store, team_id, survey, label)
    return admin_blocks.forget_confirmation(wave, team_id)


def parse_forget(text: str) -> tuple[str | None, str]:
    """(survey or None, wave label) from ``wave LABEL [survey NAME]`` (either order; quote a
    label that has spaces or the word "survey" in it)."""
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError:
        raise QueryError(
            "A quote is never closed.", suggestion=f"Try {admin_blocks.FORGET_USAGE}."
        ) from None
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for word in words:
        if word.casefold() in _KEYWORDS and word.casefold() not in parts:
            current = parts.setdefault(word.casefold(), [])
        elif current is None:
            raise QueryError(
                f"I don't know {word!r} here.", suggestion=f"Try {admin_blocks.FORGET_USAGE}."
            )
        else:
            current.append(word)
    label = " ".join(parts.get("wave", []))
    if not label:
        raise QueryError(
            "Say which wave to forget.", suggestion=f"Try {admin_blocks.FORGET_USAGE}."
        )
    if "survey" in parts and not parts["survey"]:
        raise QueryError(
            "Say which survey after `survey`.", suggestion=f"Try {admin_blocks.FORGET_USAGE}."
        )
    survey = " ".join(parts["survey"]) if "survey" in parts else None
    return survey, label


def confirm_forget(
    settings: Settings, store: Store, client: WebClient, team_id: str, user_id: str, value: str
) -> tuple[Message, bool]:
    """The Delete button: forget the wave it names. Returns the reply and whether it
    replaces the confirmation (a refusal goes to the clicker without touching it)."""
    # Rights are re-checked on the click: the person may have lost them since.
    if not may_delete(settings, client, user_id):
        return forget_refusal(), False
    target = admin_blocks.read_forget_value(value)
    if target is None or target.team_id != team_id:
        return admin_blocks.not_our_button(), False
    try:
        summary = forget_wave(
            store, team_id, target.survey, target.wave, actor=user_id, wave_id=target.wave_id
        )
    except UserError as error:  # gone already (a second click), or imported again since
        return error_message(error, doing="forget a wave", unchanged="nothing was deleted"), True
    return admin_blocks.forgotten(summary), True
