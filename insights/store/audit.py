"""The audit log: who imported, replaced or forgot survey data, and who changed digest
subscriptions, in which workspace and when.

Append-only (migration 6's triggers refuse updates and deletes) and scoped by team like
everything else. The library function that makes an audited change writes its entry itself,
inside the change's transaction, from the actor its caller must name: importing
(:func:`insights.ingest.importer.import_export`, through :func:`record_import`), subscribing and
unsubscribing (:mod:`insights.digests.subscriptions`), turning gap alerts on and off and each
alert sent (:mod:`insights.digests.alerts`) and forgetting a wave
(:func:`insights.store.waves.forget_wave`). So a change and its entry are committed together or
not at all, and no edge writes the log. :func:`read` lists a team's entries, newest first.

An actor is a Slack user id (``U…``/``W…``) or ``cli:<os user>`` for the command line.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from insights.store.database import Store


class ImportDone(Protocol):
    """What an import's entry records (``insights.ingest.importer.ImportSummary`` has it): a
    protocol, so that the importer writes its entries through this module without this
    module importing it back."""

    @property
    def survey(self) -> str: ...
    @property
    def wave(self) -> str: ...
    @property
    def respondents(self) -> int: ...
    @property
    def replaced(self) -> bool: ...
    @property
    def source(self) -> str: ...


ACTIONS = (
    "import",
    "replace",
    "forget",
    "subscribe",
    "unsubscribe",
    "subscribe-alerts",
    "unsubscribe-alerts",
    "alert",
)
CLI_PREFIX = "cli:"
DEFAULT_LIMIT = 25
_COLUMNS = "id, team_id, actor, action, target, detail, at"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log. ``target`` is ``survey/wave`` for imports and forgetting, the
    channel id for subscriptions and alerts; ``at`` is ISO 8601 UTC text."""

    id: int
    team_id: str
    actor: str
    action: str
    target: str
    detail: str
    at: str

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at.replace("Z", "+00:00")).astimezone(UTC)

    @property
    def from_cli(self) -> bool:
        return self.actor.startswith(CLI_PREFIX)


def cli_actor() -> str:
    """``cli:<os user>``: who ran a command at a terminal (``cli:unknown`` when unsure)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no USER/LOGNAME and no passwd entry (some containers)
        user = ""
    return f"{CLI_PREFIX}{user or 'unknown'}"


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(
    store: Store,
    team_id: str,
    actor: str,
    action: str,
    target: str,
    detail: str = "",
    *,
    now: datetime | None = None,
) -> AuditEntry:
    """Append an entry. Inside a caller's transaction it is part of that transaction (kept
    or rolled back with the change it describes); outside one, it is written on its own."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; one of {', '.join(ACTIONS)}")
    if not actor.strip():
        raise ValueError("an audit entry needs an actor")
    values = [team_id, actor, action, target, detail, _iso(now or datetime.now(UTC))]
    sql = (
        "INSERT INTO audit_log (team_id, actor, action, target, detail, at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )
    if store.db.conn.in_transaction:
        cursor = store.db.execute(sql, values)
    else:
        with store.transaction() as db:
            cursor = db.execute(sql, values)
    return AuditEntry(int(cursor.lastrowid or 0), *values)


def import_target(survey: str, wave: str) -> str:
    return f"{survey}/{wave}"


def record_import(
    store: Store,
    team_id: str,
    actor: str,
    summary: ImportDone,
    *,
    now: datetime | None = None,
) -> AuditEntry:
    """The entry for a finished import: ``replace`` when it replaced a wave, else ``import``."""
    source = f" from {summary.source}" if summary.source else ""
    plural = "s" if summary.respondents != 1 else ""
    return record(
        store,
        team_id,
        actor,
        "replace" if summary.replaced else "import",
        import_target(summary.survey, summary.wave),
        f"{summary.respondents} respondent{plural}{source}",
        now=now,
    )


def read(store: Store, team_id: str, limit: int = DEFAULT_LIMIT) -> list[AuditEntry]:
    """This team's latest ``limit`` entries, newest first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM audit_log WHERE team_id = ? ORDER BY id DESC LIMIT ?",
        [team_id, limit],
    ).fetchall()
    return [AuditEntry(*row) for row in rows]
