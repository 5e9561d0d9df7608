"""Listeners, grouped by kind; each group exposes ``register(app)``, which the app factory
(``bot.app``) calls. The groups import what they share from here, so this module imports
none of them.

What every group shares lives here: :class:`Deps` (settings and a store per thread, attached
to the app by :func:`attach`), :func:`acknowledge` (the empty ack every lazy listener
sends first) and :func:`answer`, the one place a Slack question becomes an
``insights.ask`` call (its failures told by :func:`bot.slack_errors.error_message`).
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from slack_bolt import Ack, App, BoltContext

from bot.settings import Settings
from bot.slack_errors import error_message
from bot.workspaces import store_team_of
from insights import Store, ask
from insights.findings import Finding
from insights.model_reading import QuestionReader
from insights.render import Message

logger = logging.getLogger("bot.listeners")


class StorePerThread:
    """Opens one :class:`Store` per thread, lazily: a store's connection is not shared."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._local = threading.local()

    def __call__(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.path)
            self._local.store = store
        return store


@dataclass(frozen=True)
class Deps:
    """What listeners need besides the request; built once by the app factory."""

    settings: Settings
    store: StorePerThread
    reader: QuestionReader | None = None  # the language model, when settings name one

    def team_for(self, context: BoltContext) -> str:
        """The store team of the request whose ``context`` this is: every survey,
        subscription, thread and import a listener touches is read and written under it.

        It was decided before any listener ran, from the request's authorization
        (:func:`bot.workspaces.store_team_middleware`): the data of ``DEFAULT_TEAM_ID`` for a
        single-workspace bot; with OAuth installs, the workspace's own (its Slack team id,
        or ``ENTERPRISE:TEAM`` for a workspace of an org-wide install). Never a team id read
        from the body by a listener.
        """
        return store_team_of(context)


def acknowledge(ack: Ack) -> None:
    """An empty ack, sent within Slack's 3 seconds before any work: every listener's reply
    follows after it (lazily, through the response_url, chat.postMessage or a view), so
    nothing Slack waits on depends on the store or a Slack call."""
    ack()


_DEPS: weakref.WeakKeyDictionary[App, Deps] = weakref.WeakKeyDictionary()


def attach(app: App, deps: Deps) -> None:
    """Make ``deps`` available to the listener groups registered on ``app``."""
    _DEPS[app] = deps


def deps_of(app: App) -> Deps:
    try:
        return _DEPS[app]
    except KeyError:
        raise RuntimeError("Call bot.listeners.attach(app, deps) before register(app).") from None


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


def answer(deps: Deps, team_id: str, text: str, previous: str | None = None) -> Answer:
    """Ask the library; a failure becomes its message (:mod:`bot.slack_errors`): user
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
    return Answer(message, reply.query, True, reply.finding, reply.wants_chart, reply.next_steps)
