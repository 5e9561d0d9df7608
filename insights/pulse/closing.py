"""Closing a pulse: its answers become a wave like any other, or nothing; either way the
secret, the hashed responses and the audience are deleted.

:func:`close_pulse` first marks the pulse ``closing`` (no answer is accepted after that),
then reads the answers. With at least ``max(minimum, min_group_size)`` of them, they are
imported as a new wave of the pulse's survey through :func:`insights.ingest.importer.
import_export`, the path every wave takes (checks, columns, privacy merges, the audit entry),
in an order shuffled afresh and numbered 1…n, so neither a hash nor the order anyone
answered in reaches the wave. The deletions and the pulse's final status are written in the
import's own transaction: the wave exists exactly when the people's rows are gone. Below the
minimum nothing is imported and the answers are deleted.

Deleted means gone from the file too: the closing runs with SQLite's ``secure_delete`` (freed
space is overwritten, not left for a file reader to find), and ends with a checkpoint that
writes the write-ahead log into the database and empties it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from insights.errors import ConflictError
from insights.ingest.exports import Export
from insights.ingest.importer import ImportSummary, import_export
from insights.pulse.pulses import (
    Pulse,
    get_pulse,
    iso,
    overwriting,
    start_next,
    stored_answers,
)
from insights.pulse.questions import Codes, decode, pulse_codebook
from insights.store.database import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Closed:
    """What closing a pulse came to: ``summary`` of the wave imported, or ``None`` when
    fewer than ``needed`` answered (nothing shown, nothing kept); ``next_pulse`` when it
    repeats."""

    pulse: Pulse
    responses: int
    needed: int
    summary: ImportSummary | None
    next_pulse: Pulse | None


def close_pulse(
    store: Store, pulse_id: int, *, actor: str, min_group_size: int, now: datetime
) -> Closed:
    """Close ``pulse_id`` (open, or left ``closing``); ``actor`` is who closed it (an admin,
    or the one who started it when its time ran out), for the import's audit entry."""
    with erasing(store):
        return _close(store, pulse_id, actor, min_group_size, now)


@contextmanager
def erasing(store: Store) -> Iterator[None]:
    """Deletes overwrite what they free while inside (:func:`overwriting`); afterwards the
    write-ahead log is checkpointed and truncated (when no reader holds it; else the next
    checkpoint does)."""
    try:
        with overwriting(store):
            yield
    finally:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _close(store: Store, pulse_id: int, actor: str, min_group_size: int, now: datetime) -> Closed:
    pulse = _begin_closing(store, pulse_id)
    answers = stored_answers(store, pulse_id)
    needed = max(pulse.minimum, min_group_size)
    if len(answers) < needed:
        with store.transaction():
            next_pulse = _finish(store, pulse, "discarded", None, now)
        logger.info("pulse %s closed below its minimum: nothing imported", pulse_id)
        return Closed(pulse, len(answers), needed, None, next_pulse)
    codebook = pulse_codebook(pulse.codebook)
    label = free_wave_label(store, pulse, min(pulse.closes_at, now))
    frame = _frame(codebook.columns, [decode(codebook, codes) for codes in _shuffled(answers)])
    following: list[Pulse | None] = []

    def finish(summary: ImportSummary) -> None:
        following.append(_finish(store, pulse, "imported", summary.wave, now))

    summary = import_export(
        store,
        Export.from_frame(frame, name=f"Slack pulse {label}"),
        codebook,
        team_id=pulse.team_id,
        survey=pulse.survey,
        wave=label,
        actor=actor,
        source="Slack pulse",
        also=finish,
        min_group_size=min_group_size,
    )
    logger.info("pulse %s closed: imported as wave %s", pulse_id, label)
    return Closed(pulse, len(answers), needed, summary, following[0])


def _begin_closing(store: Store, pulse_id: int) -> Pulse:
    with store.transaction():
        pulse = get_pulse(store, pulse_id)
        if pulse.status not in ("open", "closing"):
            raise ConflictError("That pulse has already closed.")
        store.db.execute("UPDATE pulses SET status = 'closing' WHERE id = ?", [pulse_id])
    return pulse


def _finish(
    store: Store, pulse: Pulse, status: str, wave: str | None, now: datetime
) -> Pulse | None:
    """Inside the closing transaction: the pulse's final status, its people's rows and
    secret deleted, and the next wave of a repeating pulse started. Another closer that got
    here first makes this one fail (and roll back its import)."""
    cursor = store.db.execute(
        "UPDATE pulses SET status = ?, wave = ?, closed_at = ? WHERE id = ? AND status = 'closing'",
        [status, wave, iso(now), pulse.id],
    )
    if cursor.rowcount != 1:
        raise ConflictError("That pulse has already closed.")
    for table in ("pulse_responses", "pulse_secrets", "pulse_audience"):
        store.db.execute(f"DELETE FROM {table} WHERE pulse_id = ?", [pulse.id])
    return start_next(store, pulse, now)


def _shuffled(answers: list[Codes]) -> list[Codes]:
    """The responses in an order drawn afresh from the OS's randomness."""
    shuffled = list(answers)
    secrets.SystemRandom().shuffle(shuffled)
    return shuffled


def _frame(columns: list[str], rows: list[dict[str, str]]) -> pd.DataFrame:
    """The answers as an export's rows (strings; "" is not answered), numbered from 1."""
    frame = pd.DataFrame(rows, columns=columns, dtype=str)
    frame.index = pd.RangeIndex(1, len(rows) + 1)
    return frame


def free_wave_label(store: Store, pulse: Pulse, closed: datetime) -> str:
    """The day it ``closed`` (``2026-06-30``, UTC), with ``-2``, ``-3`` … when the survey
    already has a wave of that label: a pulse never replaces a wave."""
    base = closed.strftime("%Y-%m-%d")
    taken = {
        str(label)
        for (label,) in store.db.execute(
            "SELECT w.label FROM waves w JOIN surveys s ON s.id = w.survey_id"
            " WHERE s.team_id = ? AND s.name = ?",
            [pulse.team_id, pulse.survey],
        )
    }
    label, n = base, 1
    while label in taken:
        n += 1
        label = f"{base}-{n}"
    return label
