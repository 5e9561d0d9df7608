"""What every listener, router and entry point of the Slack app shares: :class:`Deps`,
built once by the app factory (:func:`bot.app.create_app`) from the one ``Settings``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from slack_bolt import BoltContext

from bot.imports.jobs import ImportJobs
from bot.settings import Settings
from bot.slack.workspaces import store_team_of
from insights import Store
from insights.answers import QuestionReader


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
    # The upload pool: one per app, so one per web process (its threads start on first use).
    jobs: ImportJobs = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "jobs", ImportJobs(self.settings.max_concurrent_imports))

    def team_for(self, context: BoltContext) -> str:
        """The store team of the request whose ``context`` this is: every survey,
        subscription, thread and import a listener touches is read and written under it.

        It was decided before any listener ran, from the request's authorization
        (:func:`bot.slack.workspaces.store_team_middleware`): the data of ``DEFAULT_TEAM_ID`` for a
        single-workspace bot; with OAuth installs, the workspace's own (its Slack team id,
        or ``ENTERPRISE:TEAM`` for a workspace of an org-wide install). Never a team id read
        from the body by a listener.
        """
        return store_team_of(context)
