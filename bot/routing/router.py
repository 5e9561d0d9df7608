"""One routing of what people type, for every entry point: ``/empathy``, mentions and
direct messages (and so the console, which talks to the same app).

:func:`route` reads the action with :func:`bot.routing.actions.read_action` (the first word, by the
library's one list of actions, as ``empathy ask`` reads it too). An action (``import``,
``subscribe``, ``unsubscribe``, ``subscriptions``, ``alert``/``alerts``, ``forget``,
``audit``, ``misses``, ``pulse``) is
done here, with the permission checks of :mod:`bot.slack.permissions` wherever it comes from;
anything else is a question (``None``), which the listener answers with
:func:`answer`. Listeners only send what either returns.

Who sees an action's reply (:attr:`ActionReply.private`):

* a slash command's reply is the asker's alone, as every slash answer;
* a direct message is the asker's own conversation: a normal reply there;
* in a channel, a reply about the channel (its digest subscription, its gap alerts) goes
  in the thread for everyone; replies about the asker's own rights or for admins' eyes
  only (import, forget, audit, misses, pulse), and every refusal, go to the asker alone
  (ephemeral, in the thread).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors.slack import error_message
from bot.imports import uploads
from bot.routing import alerts, forget, pulse, subscribe
from bot.routing.actions import (
    ALERT_ACTIONS,
    CHANNEL_ACTIONS,
    IMPORT_ACTION,
    PULSE_ACTION,
    read_action,
)
from bot.routing.pulse import OpenPulseForm
from bot.settings import Settings
from bot.slack.permissions import Refusal, may_import
from bot.slack.posting import post_ephemeral, post_message
from insights import ask
from insights.answers import Finding, Message

logger = logging.getLogger(__name__)

Surface = Literal["command", "channel", "dm"]


@dataclass(frozen=True)
class Asker:
    """Who typed the text, where: the store team the request belongs to, the Slack user,
    the conversation, and the entry point (``command``: ``/empathy``; ``channel``: a mention
    in a channel; ``dm``: a direct message with the bot)."""

    team_id: str
    user_id: str
    channel_id: str
    surface: Surface


@dataclass(frozen=True)
class ActionReply:
    """What an action replies; ``private``: only the asker may see it."""

    message: Message
    private: bool


@dataclass(frozen=True)
class OpenImportForm:
    """``/empathy import`` by an admin: the listener opens the upload form (its trigger_id
    lasts 3 seconds). Only ever returned for the ``command`` surface."""


Routed = ActionReply | OpenImportForm | OpenPulseForm


def route(deps: Deps, client: WebClient, asker: Asker, text: str) -> Routed | None:
    """Do the action ``text`` asks for, or ``None`` when it is a question.

    Never raises: a user mistake becomes its friendly message, a busy database says so,
    anything else an apology with a reference to the logged traceback.
    """
    read = read_action(text)
    if read is None:
        return None
    action, said = read
    try:
        done = _act(deps, client, asker, action, said)
    except Exception as error:
        done = error_message(error, doing=f"do {action!r} for a Slack request")
    if isinstance(done, OpenImportForm | OpenPulseForm):
        return done
    return ActionReply(done, _private(asker.surface, action, done))


def _act(
    deps: Deps, client: WebClient, asker: Asker, action: str, text: str
) -> Message | OpenImportForm | OpenPulseForm:
    store = deps.store()
    if action == IMPORT_ACTION:
        return _import(deps.settings, client, asker)
    if action in ALERT_ACTIONS:
        return alerts.handle(
            deps.settings, store, client, asker.team_id, asker.channel_id, asker.user_id, text
        )
    if action == PULSE_ACTION:
        return pulse.handle(
            deps.settings,
            store,
            client,
            asker.team_id,
            asker.user_id,
            text,
            from_command=asker.surface == "command",
        )
    if action in CHANNEL_ACTIONS:
        return subscribe.handle(
            deps.settings, store, client, asker.team_id, asker.channel_id, asker.user_id, text
        )
    return forget.handle(deps.settings, store, client, asker.team_id, asker.user_id, text)


def _import(settings: Settings, client: WebClient, asker: Asker) -> Message | OpenImportForm:
    """Admins get the form (``/empathy``) or how to import (a mention or DM); others the
    usual refusal."""
    if not may_import(settings, client, asker.user_id):
        return uploads.refusal()
    if asker.surface == "command":
        return OpenImportForm()
    return import_instructions(settings, in_dm=asker.surface == "dm")


def import_instructions(settings: Settings, *, in_dm: bool) -> Message:
    """How an admin imports from Slack (a form cannot be opened from a message)."""
    where = "here" if in_dm else "in a direct message"
    text = (
        f"To import a survey, send me its export {where} (CSV, TSV, TXT or XLSX, up to"
        f" {settings.max_upload_mb} MB), or type `/empathy import` and pick the file in the"
        " form. I show the mapping I found before anything is imported."
    )
    section = {"type": "section", "text": {"type": "mrkdwn", "text": f":inbox_tray: {text}"}}
    return Message(text=text, blocks=[section])


def _private(surface: Surface, action: str, message: Message) -> bool:
    if surface == "command":
        return True
    if surface == "dm":
        return False
    return isinstance(message, Refusal) or action not in CHANNEL_ACTIONS


def send_in_conversation(
    client: WebClient, asker: Asker, thread_ts: str | None, reply: ActionReply
) -> None:
    """Post ``reply`` where a mention or DM was written (in ``thread_ts`` when given): to
    the asker alone when it is private, else for everyone in the conversation."""
    channel, what = asker.channel_id, "an action's reply"
    if reply.private:
        post_ephemeral(
            client, channel, asker.user_id, reply.message, thread_ts=thread_ts, what=what
        )
    else:
        post_message(client, channel, reply.message, thread_ts=thread_ts, what=what)


@dataclass(frozen=True)
class Answer:
    """A message to send and the canonical query it answered (``None``: nothing to remember).

    ``ok`` is false when the message explains an error instead of answering.
    """

    message: Message
    query: str | None
    ok: bool = True
    finding: Finding | None = None
    wants_chart: bool = False
    next_steps: tuple[tuple[str, str], ...] = ()
    # The question as typed when it was read from plain words: the answer then asks
    # whether ``query`` read it right (feedback buttons). None for strict questions.
    asked: str | None = None


def answer(deps: Deps, team_id: str, text: str, previous: str | None = None) -> Answer:
    """Ask the library; a failure becomes its message (:mod:`bot.errors.slack`): user
    errors friendly, anything else a reference id."""
    try:
        reply = ask(
            deps.store(),
            team_id,
            text,
            min_group_size=deps.settings.min_group_size,
            previous=previous,
            reader=deps.reader,
        )
    except Exception as error:
        failed = error_message(error, doing="answer a Slack request", question=True)
        return Answer(failed, None, ok=False)
    message = Message(text=reply.text, blocks=list(reply.blocks))
    asked = text if reply.natural else None
    return Answer(
        message, reply.query, True, reply.finding, reply.wants_chart, reply.next_steps, asked
    )
