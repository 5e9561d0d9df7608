"""Pending imports: an uploaded survey export and its codebook, waiting for a go-ahead.

An admin uploads a file in Slack, checks the suggested mapping, then clicks "Import" or
"Cancel" — possibly after a restart, possibly on another worker. Everything the import
needs therefore lives in the store, never in memory. Every function is scoped by
``team_id``: one workspace can never see, change or import another's pending file.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from insights.store.database import Store

CodebookFormat = Literal["toml", "yaml"]

# An upload nobody confirmed is dropped after this long (the file can be uploaded again).
TTL = timedelta(days=2)
# A claim older than this belonged to an import that died (a restart); it may be retaken.
STALE_CLAIM = timedelta(minutes=15)

_COLUMNS = (
    "id, team_id, user_id, channel_id, thread_ts, file_name, content, codebook,"
    " codebook_format, survey, wave, created_at, expires_at"
)


@dataclass(frozen=True)
class PendingImport:
    id: str
    team_id: str
    user_id: str
    channel_id: str
    thread_ts: str
    file_name: str
    content: bytes
    codebook: str
    codebook_format: CodebookFormat
    survey: str
    wave: str
    created_at: datetime
    expires_at: datetime


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _from_row(row: sqlite3.Row | tuple[object, ...]) -> PendingImport:
    values = tuple(row)
    fmt: CodebookFormat = "yaml" if values[8] == "yaml" else "toml"
    content = values[6]
    return PendingImport(
        id=str(values[0]),
        team_id=str(values[1]),
        user_id=str(values[2]),
        channel_id=str(values[3]),
        thread_ts=str(values[4]),
        file_name=str(values[5]),
        content=bytes(content) if isinstance(content, bytes | bytearray | memoryview) else b"",
        codebook=str(values[7]),
        codebook_format=fmt,
        survey=str(values[9]),
        wave=str(values[10]),
        created_at=_parse(str(values[11])),
        expires_at=_parse(str(values[12])),
    )


def create(
    store: Store,
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    thread_ts: str,
    file_name: str,
    content: bytes,
    codebook: str,
    survey: str,
    wave: str,
    codebook_format: CodebookFormat = "toml",
    now: datetime | None = None,
    ttl: timedelta = TTL,
) -> PendingImport:
    """Store a new pending import; its random id is what buttons and modals carry."""
    moment = _now(now)
    expire(store, now=moment)
    pending_id = secrets.token_hex(8)  # unguessable: a button value names exactly one upload
    store.db.conn.execute(
        f"INSERT INTO pending_imports ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            pending_id,
            team_id,
            user_id,
            channel_id,
            thread_ts,
            file_name,
            content,
            codebook,
            codebook_format,
            survey,
            wave,
            _stamp(moment),
            _stamp(moment + ttl),
        ],
    )
    found = get(store, team_id, pending_id, now=moment)
    assert found is not None
    return found


def get(
    store: Store, team_id: str, pending_id: str, *, now: datetime | None = None
) -> PendingImport | None:
    """The team's pending import ``pending_id``; ``None`` if unknown, expired or another team's."""
    row = store.db.conn.execute(
        f"SELECT {_COLUMNS} FROM pending_imports WHERE team_id = ? AND id = ? AND expires_at > ?",
        [team_id, pending_id, _stamp(_now(now))],
    ).fetchone()
    return _from_row(row) if row else None


def in_thread(
    store: Store, team_id: str, channel_id: str, thread_ts: str, *, now: datetime | None = None
) -> PendingImport | None:
    """The newest live pending import of a Slack thread (where a codebook upload applies)."""
    row = store.db.conn.execute(
        f"SELECT {_COLUMNS} FROM pending_imports"
        " WHERE team_id = ? AND channel_id = ? AND thread_ts = ? AND expires_at > ?"
        " ORDER BY created_at DESC, rowid DESC LIMIT 1",
        [team_id, channel_id, thread_ts, _stamp(_now(now))],
    ).fetchone()
    return _from_row(row) if row else None


def update(
    store: Store,
    team_id: str,
    pending_id: str,
    *,
    thread_ts: str | None = None,
    codebook: str | None = None,
    codebook_format: CodebookFormat | None = None,
    survey: str | None = None,
    wave: str | None = None,
    now: datetime | None = None,
) -> PendingImport | None:
    """Change the given fields (``None`` keeps a field); ``None`` when there is no such import."""
    changes = {
        "thread_ts": thread_ts,
        "codebook": codebook,
        "codebook_format": codebook_format,
        "survey": survey,
        "wave": wave,
    }
    fields = {name: value for name, value in changes.items() if value is not None}
    if fields:
        assignments = ", ".join(f"{name} = ?" for name in fields)  # names are ours, not input
        store.db.conn.execute(
            f"UPDATE pending_imports SET {assignments} WHERE team_id = ? AND id = ?",
            [*fields.values(), team_id, pending_id],
        )
    return get(store, team_id, pending_id, now=now)


def claim(store: Store, team_id: str, pending_id: str, *, now: datetime | None = None) -> bool:
    """Mark the import as running; ``False`` if it is gone or another run holds a fresh claim.

    The single conditional UPDATE is atomic across threads and worker processes, so two
    clicks of "Import" never run the same import concurrently.
    """
    moment = _now(now)
    cursor = store.db.conn.execute(
        "UPDATE pending_imports SET claimed_at = ?"
        " WHERE team_id = ? AND id = ? AND expires_at > ?"
        " AND (claimed_at IS NULL OR claimed_at < ?)",
        [_stamp(moment), team_id, pending_id, _stamp(moment), _stamp(moment - STALE_CLAIM)],
    )
    return cursor.rowcount == 1


def release(store: Store, team_id: str, pending_id: str) -> None:
    """Drop the claim after a failed run, so the admin can fix things and try again."""
    store.db.conn.execute(
        "UPDATE pending_imports SET claimed_at = NULL WHERE team_id = ? AND id = ?",
        [team_id, pending_id],
    )


def cancel(store: Store, team_id: str, pending_id: str, *, now: datetime | None = None) -> bool:
    """Forget a pending import unless an import of it is running (a fresh claim);
    ``False`` if nothing was forgotten. An import that is running is let finish: its own
    transaction forgets the upload, so whether the upload is gone says whether it committed."""
    stale = _stamp(_now(now) - STALE_CLAIM)
    cursor = store.db.conn.execute(
        "DELETE FROM pending_imports WHERE team_id = ? AND id = ?"
        " AND (claimed_at IS NULL OR claimed_at < ?)",
        [team_id, pending_id, stale],
    )
    return cursor.rowcount == 1


def delete(store: Store, team_id: str, pending_id: str) -> bool:
    """Forget a pending import (imported or cancelled); ``False`` if there was none."""
    cursor = store.db.conn.execute(
        "DELETE FROM pending_imports WHERE team_id = ? AND id = ?", [team_id, pending_id]
    )
    return cursor.rowcount == 1


def expire(store: Store, *, now: datetime | None = None) -> int:
    """Delete every expired pending import (of all teams); returns how many went."""
    cursor = store.db.conn.execute(
        "DELETE FROM pending_imports WHERE expires_at <= ?", [_stamp(_now(now))]
    )
    return cursor.rowcount
