"""Pulses in the store: starting one, its audience, answers keyed by a hash, its counts.

Invariants (migration 14 has the tables):

* ``pulse_audience`` names who was asked and whether they were invited and reminded; it
  holds nothing they answered.
* ``pulse_responses`` holds one row per person per pulse: the answer codes, keyed by
  :func:`respondent_key` (HMAC-SHA256 of the user id under the pulse's secret), no user id,
  no time and no rowid. Answering again replaces the row, until the pulse closes.
* The secret is in ``pulse_secrets``, and goes when the pulse closes (:mod:`.closing`),
  with the responses and the audience.
* :func:`status` reports counts only.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from insights.errors import NotFoundError, UserError
from insights.pulse.questions import Codes, encode, pulse_codebook
from insights.store.database import Store

AudienceKind = Literal["channel", "usergroup"]
Repeat = Literal["none", "monthly", "quarterly"]
REPEATS: tuple[Repeat, ...] = ("none", "monthly", "quarterly")
Status = Literal["open", "closing", "imported", "discarded"]
# The reminder goes a day before closing, or halfway through a pulse shorter than two days.
REMIND_BEFORE = timedelta(days=1)
SECRET_BYTES = 32
_COLUMNS = (
    "id, team_id, survey, codebook, audience_kind, audience_id, closes_at, remind_at,"
    " minimum, repeat, status, audience_loaded, wave, started_by, created_at"
)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class Pulse:
    """One wave of a pulse survey asked in Slack. ``codebook`` is its question set's text;
    ``wave`` is the wave it was imported as, once it is."""

    id: int
    team_id: str
    survey: str
    codebook: str
    audience_kind: AudienceKind
    audience_id: str
    closes_at: datetime
    remind_at: datetime
    minimum: int
    repeat: Repeat
    status: Status
    audience_loaded: bool
    wave: str | None
    started_by: str
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status == "open"


def _pulse(row: tuple[object, ...]) -> Pulse:
    (pid, team, survey, codebook, kind, audience, closes, remind, minimum, repeat, status,
     loaded, wave, started_by, created) = row  # fmt: skip
    return Pulse(
        int(str(pid)),
        str(team),
        str(survey),
        str(codebook),
        "usergroup" if kind == "usergroup" else "channel",
        str(audience),
        parse_iso(str(closes)),
        parse_iso(str(remind)),
        int(str(minimum)),
        cast(Repeat, repeat),  # the table's CHECK allows only these
        cast(Status, status),
        bool(loaded),
        None if wave is None else str(wave),
        str(started_by),
        parse_iso(str(created)),
    )


def remind_time(created: datetime, closes_at: datetime) -> datetime:
    """A day before closing, or halfway for a pulse shorter than two days."""
    return closes_at - min(REMIND_BEFORE, (closes_at - created) / 2)


def start_pulse(
    store: Store,
    team_id: str,
    *,
    codebook_text: str,
    audience_kind: AudienceKind,
    audience_id: str,
    closes_at: datetime,
    minimum: int,
    repeat: Repeat,
    started_by: str,
    min_group_size: int,
    now: datetime,
) -> Pulse:
    """A new open pulse and its secret, in one transaction; its audience comes after
    (:func:`add_audience`). Raises :class:`UserError` (or ``CodebookError``) for a question
    set a form cannot ask, a closing time not in the future, or a minimum below
    ``min_group_size``: results are never shown for fewer people than privacy allows."""
    codebook = pulse_codebook(codebook_text)
    if minimum < min_group_size:
        raise UserError(
            f"The minimum number of responses must be at least {min_group_size}, the smallest"
            " group results are shown for."
        )
    if closes_at <= now:
        raise UserError("The closing date must be in the future.")
    if repeat not in REPEATS:
        raise UserError(f"Repeat must be one of {', '.join(REPEATS)}.")
    if not audience_id.strip():
        raise UserError("Choose a channel or a user group to ask.")
    with store.transaction():
        return _insert(
            store,
            team_id,
            codebook.survey.name,
            codebook_text,
            (audience_kind, audience_id),
            closes_at,
            minimum,
            repeat,
            started_by,
            now,
        )


def _insert(
    store: Store,
    team_id: str,
    survey: str,
    codebook_text: str,
    audience: tuple[AudienceKind, str],
    closes_at: datetime,
    minimum: int,
    repeat: Repeat,
    started_by: str,
    now: datetime,
) -> Pulse:
    """The pulse's row and its secret (inside the caller's transaction)."""
    cursor = store.db.execute(
        "INSERT INTO pulses (team_id, survey, codebook, audience_kind, audience_id, closes_at,"
        " remind_at, minimum, repeat, started_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            team_id,
            survey,
            codebook_text,
            *audience,
            iso(closes_at),
            iso(remind_time(now, closes_at)),
            minimum,
            repeat,
            started_by,
            iso(now),
        ],
    )
    pulse_id = int(cursor.lastrowid or 0)
    store.db.execute(
        "INSERT INTO pulse_secrets (pulse_id, secret) VALUES (?, ?)",
        [pulse_id, secrets.token_bytes(SECRET_BYTES)],
    )
    return get_pulse(store, pulse_id)


def next_closing(closes_at: datetime, repeat: Repeat) -> datetime:
    """The same day of the next month (or the month three on), the last day when that month
    is shorter, at the same time of day."""
    months = {"monthly": 1, "quarterly": 3}[repeat]
    month_index = closes_at.month - 1 + months
    year, month = closes_at.year + month_index // 12, month_index % 12 + 1
    day = min(closes_at.day, calendar.monthrange(year, month)[1])
    return closes_at.replace(year=year, month=month, day=day)


def start_next(store: Store, pulse: Pulse, now: datetime) -> Pulse | None:
    """The next wave of a repeating pulse (inside the caller's transaction): the same
    question set, audience source and minimum, closing a period later, with a new secret
    and its audience to load afresh; ``None`` when it does not repeat."""
    if pulse.repeat == "none":
        return None
    closes_at = next_closing(pulse.closes_at, pulse.repeat)
    while closes_at <= now:  # after a long downtime, skip the periods that already passed
        closes_at = next_closing(closes_at, pulse.repeat)
    return _insert(
        store,
        pulse.team_id,
        pulse.survey,
        pulse.codebook,
        (pulse.audience_kind, pulse.audience_id),
        closes_at,
        pulse.minimum,
        pulse.repeat,
        pulse.started_by,
        now,
    )


def get_pulse(store: Store, pulse_id: int) -> Pulse:
    row = store.db.execute(f"SELECT {_COLUMNS} FROM pulses WHERE id = ?", [pulse_id]).fetchone()
    if row is None:
        raise NotFoundError("That pulse no longer exists.")
    return _pulse(row)


def team_pulse(store: Store, team_id: str, pulse_id: int) -> Pulse:
    """The pulse ``pulse_id`` of ``team_id``: another workspace's is not found."""
    pulse = get_pulse(store, pulse_id)
    if pulse.team_id != team_id:
        raise NotFoundError("That pulse no longer exists.")
    return pulse


def open_pulses(store: Store, team_id: str | None = None) -> list[Pulse]:
    """Open pulses (of one team, or all), soonest closing first."""
    sql = f"SELECT {_COLUMNS} FROM pulses WHERE status = 'open'"
    params: list[object] = []
    if team_id is not None:
        sql += " AND team_id = ?"
        params.append(team_id)
    rows = store.db.execute(sql + " ORDER BY closes_at, id", params).fetchall()
    return [_pulse(row) for row in rows]


def due_to_close(store: Store, now: datetime) -> list[Pulse]:
    """Open pulses whose closing time has passed, and any left ``closing`` by a closer that
    stopped half-way."""
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM pulses WHERE (status = 'open' AND closes_at <= ?)"
        " OR status = 'closing' ORDER BY closes_at, id",
        [iso(now)],
    ).fetchall()
    return [_pulse(row) for row in rows]


# -- the audience: who was asked; never what they answered ---------------------------------


def add_audience(store: Store, pulse_id: int, user_ids: Iterable[str]) -> int:
    """Record who the pulse asks (once each) and that its audience is loaded; returns how
    many are in it."""
    with store.transaction():
        store.db.conn.executemany(
            "INSERT OR IGNORE INTO pulse_audience (pulse_id, user_id) VALUES (?, ?)",
            [(pulse_id, user) for user in dict.fromkeys(user_ids) if user],
        )
        store.db.execute("UPDATE pulses SET audience_loaded = 1 WHERE id = ?", [pulse_id])
        row = store.db.execute(
            "SELECT COUNT(*) FROM pulse_audience WHERE pulse_id = ?", [pulse_id]
        ).fetchone()
    return int(row[0])


def uninvited(store: Store, pulse_id: int) -> list[str]:
    rows = store.db.execute(
        "SELECT user_id FROM pulse_audience WHERE pulse_id = ? AND invited_at IS NULL"
        " ORDER BY user_id",
        [pulse_id],
    )
    return [str(user) for (user,) in rows]


def claim_invite(store: Store, pulse_id: int, user_id: str, now: datetime) -> bool:
    """Whether this caller may send ``user_id`` the pulse's one invitation: the first claim
    wins, so two workers never both send it."""
    return _claim(store, "invited_at", pulse_id, user_id, now)


def claim_reminder(store: Store, pulse_id: int, user_id: str, now: datetime) -> bool:
    """Whether this caller may send ``user_id`` the pulse's one reminder (first claim wins)."""
    return _claim(store, "reminded_at", pulse_id, user_id, now)


def _claim(store: Store, column: str, pulse_id: int, user_id: str, now: datetime) -> bool:
    with store.transaction():
        cursor = store.db.execute(
            f"UPDATE pulse_audience SET {column} = ? WHERE pulse_id = ? AND user_id = ?"
            f" AND {column} IS NULL AND EXISTS"
            " (SELECT 1 FROM pulses WHERE id = ? AND status = 'open')",
            [iso(now), pulse_id, user_id, pulse_id],
        )
    return cursor.rowcount == 1


def to_remind(store: Store, pulse: Pulse, now: datetime) -> list[str]:
    """Who is due the pulse's reminder at ``now``: invited, not reminded, not answered
    (found by hashing each of them, as a submission would), once ``remind_at`` has passed."""
    if not pulse.is_open or now < pulse.remind_at or now >= pulse.closes_at:
        return []
    rows = store.db.execute(
        "SELECT user_id FROM pulse_audience WHERE pulse_id = ? AND invited_at IS NOT NULL"
        " AND reminded_at IS NULL ORDER BY user_id",
        [pulse.id],
    ).fetchall()
    secret = _secret(store, pulse.id)
    answered = _respondents(store, pulse.id)
    return [str(user) for (user,) in rows if respondent_key(secret, str(user)) not in answered]


def pulses_to_remind(store: Store, now: datetime) -> list[Pulse]:
    """Open pulses whose reminder time has come."""
    return [pulse for pulse in open_pulses(store) if pulse.remind_at <= now < pulse.closes_at]


def pulses_to_invite(store: Store) -> list[Pulse]:
    """Open pulses whose audience is not loaded yet, or who still has no invitation."""
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM pulses p WHERE status = 'open' AND (audience_loaded = 0"
        " OR EXISTS (SELECT 1 FROM pulse_audience a"
        " WHERE a.pulse_id = p.id AND a.invited_at IS NULL)) ORDER BY id"
    ).fetchall()
    return [_pulse(row) for row in rows]


# -- answers: keyed by a hash, never by the person ------------------------------------------


def respondent_key(secret: bytes, user_id: str) -> str:
    """HMAC-SHA256 of ``user_id`` under a pulse's ``secret`` (hex): the same person gets the
    same key within a pulse, and without the secret the key says nothing of who it is."""
    return hmac.new(secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()


def _secret(store: Store, pulse_id: int) -> bytes:
    row = store.db.execute(
        "SELECT secret FROM pulse_secrets WHERE pulse_id = ?", [pulse_id]
    ).fetchone()
    if row is None:
        raise UserError("This pulse has closed; answers can no longer be given or changed.")
    return bytes(row[0])


def _respondents(store: Store, pulse_id: int) -> set[str]:
    rows = store.db.execute("SELECT respondent FROM pulse_responses WHERE pulse_id = ?", [pulse_id])
    return {str(key) for (key,) in rows}


def _answerable(store: Store, pulse: Pulse, user_id: str, now: datetime) -> None:
    if not pulse.is_open or now >= pulse.closes_at:
        raise UserError("This pulse has closed; answers can no longer be given or changed.")
    row = store.db.execute(
        "SELECT 1 FROM pulse_audience WHERE pulse_id = ? AND user_id = ?", [pulse.id, user_id]
    ).fetchone()
    if row is None:
        raise UserError("This pulse was sent to other people; you were not asked to answer it.")


def submit_answers(
    store: Store,
    team_id: str,
    pulse_id: int,
    user_id: str,
    chosen: dict[str, str | None],
    now: datetime,
) -> bool:
    """Store ``user_id``'s answers to an open pulse they were asked (item key → option
    text), replacing their earlier ones; returns whether they had answered before. Only the
    codes and the hash are written."""
    pulse = team_pulse(store, team_id, pulse_id)
    codes = encode(pulse_codebook(pulse.codebook), chosen)
    with overwriting(store), store.transaction():
        pulse = get_pulse(store, pulse_id)  # closing may have begun since
        _answerable(store, pulse, user_id, now)
        key = respondent_key(_secret(store, pulse_id), user_id)
        before = store.db.execute(
            "SELECT 1 FROM pulse_responses WHERE pulse_id = ? AND respondent = ?",
            [pulse_id, key],
        ).fetchone()
        store.db.execute(
            "INSERT INTO pulse_responses (pulse_id, respondent, answers) VALUES (?, ?, ?)"
            " ON CONFLICT (pulse_id, respondent) DO UPDATE SET answers = excluded.answers",
            [pulse_id, key, json.dumps(codes)],
        )
    return before is not None


@contextmanager
def overwriting(store: Store) -> Iterator[None]:
    """Replaced answers are overwritten in the file, not left in its free space."""
    (before,) = store.db.execute("PRAGMA secure_delete").fetchone()
    store.db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        store.db.execute(f"PRAGMA secure_delete = {int(before)}")


def has_answered(store: Store, team_id: str, pulse_id: int, user_id: str, now: datetime) -> bool:
    """Whether ``user_id`` has answered the pulse (never what): their form says that sending
    it again replaces their answers. Raises :class:`UserError` when they may not answer it.
    Their earlier answers are never read back: no answer ever leaves the store before the
    pulse closes, not even to the person who gave it."""
    pulse = team_pulse(store, team_id, pulse_id)
    _answerable(store, pulse, user_id, now)
    key = respondent_key(_secret(store, pulse_id), user_id)
    row = store.db.execute(
        "SELECT 1 FROM pulse_responses WHERE pulse_id = ? AND respondent = ?", [pulse_id, key]
    ).fetchone()
    return row is not None


def stored_answers(store: Store, pulse_id: int) -> list[Codes]:
    """Every response's codes, in the order of their keys (which says nothing of who or
    when)."""
    rows = store.db.execute(
        "SELECT answers FROM pulse_responses WHERE pulse_id = ? ORDER BY respondent", [pulse_id]
    )
    return [list(json.loads(str(answers))) for (answers,) in rows]


# -- status: counts only --------------------------------------------------------------------


@dataclass(frozen=True)
class PulseStatus:
    """How far an open pulse has got, in counts only."""

    pulse: Pulse
    asked: int
    invited: int
    responses: int

    @property
    def needed(self) -> int:
        return self.pulse.minimum


def status(store: Store, team_id: str) -> list[PulseStatus]:
    """Each open pulse of ``team_id`` with how many were asked, invited and have answered."""
    found = []
    for pulse in open_pulses(store, team_id):
        asked, invited = store.db.execute(
            "SELECT COUNT(*), COUNT(invited_at) FROM pulse_audience WHERE pulse_id = ?",
            [pulse.id],
        ).fetchone()
        (responses,) = store.db.execute(
            "SELECT COUNT(*) FROM pulse_responses WHERE pulse_id = ?", [pulse.id]
        ).fetchone()
        found.append(PulseStatus(pulse, int(asked), int(invited), int(responses)))
    return found
