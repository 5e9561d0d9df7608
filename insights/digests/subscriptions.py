"""Digest subscriptions and their runs in the store: CRUD, the per-period claim, the run log.

The claim is what makes "one digest per subscription per week" hold with several workers:
a worker may only post after its ``INSERT`` of the (subscription, period) row won. A period
whose send failed in a retryable way can be claimed again by a later tick; a period that
is claimed, sent, missed or skipped never can, so nothing is ever sent twice. (A claim
whose worker died mid-send is not retried either: we cannot know whether Slack got the
message, so it becomes *missed* when its grace window ends.)

Instants are stored as ISO 8601 UTC text (``2026-03-30T07:00:00Z``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from insights.digests.schedule import WeeklySchedule
from insights.errors import NoSubscriptionError
from insights.store import audit
from insights.store.database import Store

_SUBSCRIPTION_COLUMNS = (
    "id, team_id, channel_id, cadence, weekday, local_time, tz, query, created_by, status,"
    " pause_reason, active_since, created_at"
)
TERMINAL = ("sent", "missed", "skipped")
# A subscription that wants a chart keeps this word at the end of its stored query: the
# query language reads it (``Query.chart``) but ``canonical()`` drops it, so no new column.
CHART_WORD = "chart"


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class Subscription:
    id: int
    team_id: str
    channel_id: str
    cadence: str
    weekday: int
    local_time: str
    tz: str
    query: str
    created_by: str
    status: str
    pause_reason: str | None
    active_since: str
    created_at: str

    @property
    def schedule(self) -> WeeklySchedule:
        return WeeklySchedule(self.weekday, time.fromisoformat(self.local_time), self.tz)

    @property
    def chart(self) -> bool:
        """Whether each digest is followed by its chart (see :func:`stored_query`)."""
        words = self.query.split()
        # `gap survey chart` names a survey called "chart"; only a word after it asks.
        return len(words) > 1 and words[-1] == CHART_WORD and words[-2] != "survey"

    @property
    def gap_query(self) -> str:
        """The query a digest answers, without the chart word: what `/empathy` would ask."""
        return self.query.removesuffix(f" {CHART_WORD}") if self.chart else self.query


def stored_query(canonical: str, chart: bool) -> str:
    """What a subscription stores: the canonical query, and ``chart`` when it wants one."""
    return f"{canonical} {CHART_WORD}" if chart else canonical


@dataclass(frozen=True)
class RunRecord:
    """One thing a tick did for a subscription's period; also a line of the run log."""

    subscription_id: int | None
    team_id: str
    channel_id: str
    period: str | None
    status: str  # sent | skipped | missed | failed
    reason: str | None
    slot_utc: str | None
    message_ts: str | None = None
    logged_at: str = ""

    def describe(self) -> str:
        parts = [self.logged_at, self.status, self.channel_id, self.period or "-"]
        if self.slot_utc:
            parts.append(f"slot {self.slot_utc}")
        if self.message_ts:
            parts.append(f"ts {self.message_ts}")
        if self.reason:
            parts.append(f"— {self.reason}")
        return " ".join(p for p in parts if p)


# -- subscriptions -------------------------------------------------------------------------


def subscribe(
    store: Store,
    team_id: str,
    channel_id: str,
    schedule: WeeklySchedule,
    query: str,
    created_by: str,
    now: datetime,
) -> Subscription:
    """Create or replace this channel's subscription; it is active from ``now`` on. The
    audit entry (``subscribe`` by ``created_by``) is written in the same transaction."""
    stamp = iso(now)
    with store.transaction() as db:
        db.execute(
            "INSERT INTO subscriptions (team_id, channel_id, weekday, local_time, tz, query,"
            " created_by, status, pause_reason, active_since, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?)"
            " ON CONFLICT (team_id, channel_id) DO UPDATE SET weekday = excluded.weekday,"
            " local_time = excluded.local_time, tz = excluded.tz, query = excluded.query,"
            " created_by = excluded.created_by, status = 'active', pause_reason = NULL,"
            " active_since = excluded.active_since, updated_at = excluded.updated_at",
            [
                team_id,
                channel_id,
                schedule.weekday,
                f"{schedule.at:%H:%M}",
                schedule.tz,
                query,
                created_by,
                stamp,
                stamp,
                stamp,
            ],
        )
        found = channel_subscription(store, team_id, channel_id)
        assert found is not None  # just written in this transaction
        audit.record(
            store, team_id, created_by, "subscribe", channel_id, _audit_detail(found), now=now
        )
    return found


def _audit_detail(sub: Subscription) -> str:
    """'weekly on Monday at 09:00 Europe/Berlin · gap role=In-house · with chart'."""
    chart = " · with chart" if sub.chart else ""
    return f"{sub.schedule.describe()} · {sub.gap_query}{chart}"


def unsubscribe(store: Store, team_id: str, channel_id: str, *, actor: str) -> bool:
    """Cancel this channel's subscription; False when there was none to cancel. A
    cancellation is recorded (``unsubscribe`` by ``actor``) in its transaction; nothing
    cancelled, nothing recorded."""
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE subscriptions SET status = 'cancelled', updated_at = ?"
            " WHERE team_id = ? AND channel_id = ? AND status != 'cancelled'",
            [iso(datetime.now(UTC)), team_id, channel_id],
        )
        if not cursor.rowcount:
            return False
        audit.record(store, team_id, actor, "unsubscribe", channel_id)
        return True


def channel_subscription(store: Store, team_id: str, channel_id: str) -> Subscription | None:
    """This channel's subscription, active or paused (cancelled ones are gone for users)."""
    row = store.db.execute(
        f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions"
        " WHERE team_id = ? AND channel_id = ? AND status != 'cancelled'",
        [team_id, channel_id],
    ).fetchone()
    return Subscription(*row) if row else None


def require_channel_subscription(store: Store, team_id: str, channel_id: str) -> Subscription:
    found = channel_subscription(store, team_id, channel_id)
    if found is None:
        raise NoSubscriptionError(
            f"Channel {channel_id} has no digest subscription.", channel_id=channel_id
        )
    return found


def team_subscriptions(store: Store, team_id: str) -> list[Subscription]:
    """This workspace's subscriptions, active and paused, by channel (cancelled are gone)."""
    rows = store.db.execute(
        f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions"
        " WHERE team_id = ? AND status != 'cancelled' ORDER BY channel_id, id",
        [team_id],
    ).fetchall()
    return [Subscription(*row) for row in rows]


def active_subscriptions(store: Store) -> list[Subscription]:
    """Every workspace's active subscriptions: the scheduler serves the whole database."""
    rows = store.db.execute(
        f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE status = 'active' ORDER BY id"
    ).fetchall()
    return [Subscription(*row) for row in rows]


def pause(store: Store, subscription_id: int, reason: str) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE subscriptions SET status = 'paused', pause_reason = ?, updated_at = ?"
            " WHERE id = ? AND status = 'active'",
            [reason, iso(datetime.now(UTC)), subscription_id],
        )


def pause_team(store: Store, team_id: str, reason: str, *, org_wide: bool = False) -> int:
    """Pause every active subscription of workspace ``team_id`` (the app was uninstalled);
    returns how many. With ``org_wide``, ``team_id`` is an enterprise id: its own key and
    every ``ENTERPRISE:TEAM`` key of the org's workspaces are paused."""
    prefix = f"{team_id}:"
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE subscriptions SET status = 'paused', pause_reason = ?, updated_at = ?"
            " WHERE status = 'active' AND (team_id = ?"
            " OR (? AND substr(team_id, 1, length(?)) = ?))",
            [reason, iso(datetime.now(UTC)), team_id, int(org_wide), prefix, prefix],
        )
        return int(cursor.rowcount)


# -- runs ----------------------------------------------------------------------------------


def settled_until(store: Store, subscription_id: int) -> datetime | None:
    """The slot of the newest period that is done with (sent, missed, skipped, or failed
    for good); later periods still need a decision."""
    row = store.db.execute(
        "SELECT MAX(slot_utc) FROM digest_runs WHERE subscription_id = ?"
        " AND (status IN (?, ?, ?) OR (status = 'failed' AND retry = 0))",
        [subscription_id, *TERMINAL],
    ).fetchone()
    return parse_iso(row[0]) if row and row[0] else None


def claim(
    store: Store, subscription_id: int, period: str, slot: datetime, now: datetime, token: str
) -> bool:
    """Claim ``period`` for sending; True only for the one caller that won.

    A new period is inserted; a retryable failed one is taken over. Anything else (already
    claimed, sent, missed, skipped) is left alone and the caller must not send.
    """
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO digest_runs (subscription_id, period, slot_utc, status, attempted_at,"
            " claim_token) VALUES (?, ?, ?, 'claimed', ?, ?)"
            " ON CONFLICT (subscription_id, period) DO UPDATE SET status = 'claimed',"
            " retry = 0, reason = NULL, attempts = digest_runs.attempts + 1,"
            " attempted_at = excluded.attempted_at, claim_token = excluded.claim_token"
            " WHERE digest_runs.status = 'failed' AND digest_runs.retry = 1",
            [subscription_id, period, iso(slot), iso(now), token],
        )
        return cursor.rowcount == 1


def finish(
    store: Store,
    subscription_id: int,
    period: str,
    token: str,
    *,
    status: str,
    reason: str | None = None,
    retry: bool = False,
    message_ts: str | None = None,
    snapshot: str | None = None,
) -> None:
    """Record how a claimed period ended; only the claim's holder (``token``) may."""
    with store.transaction() as db:
        db.execute(
            "UPDATE digest_runs SET status = ?, reason = ?, retry = ?, message_ts = ?,"
            " snapshot = ? WHERE subscription_id = ? AND period = ? AND claim_token = ?",
            [status, reason, int(retry), message_ts, snapshot, subscription_id, period, token],
        )


def mark_missed(
    store: Store, subscription_id: int, period: str, slot: datetime, now: datetime, reason: str
) -> bool:
    """Record ``period`` as missed unless it was sent or settled; True when this changed it."""
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO digest_runs (subscription_id, period, slot_utc, status, reason,"
            " attempted_at) VALUES (?, ?, ?, 'missed', ?, ?)"
            " ON CONFLICT (subscription_id, period) DO UPDATE SET status = 'missed',"
            " retry = 0, reason = excluded.reason || ' (was ' || digest_runs.status || ')'"
            " WHERE digest_runs.status = 'claimed'"
            " OR (digest_runs.status = 'failed' AND digest_runs.retry = 1)",
            [subscription_id, period, iso(slot), reason, iso(now)],
        )
        return cursor.rowcount == 1


def last_snapshot(store: Store, subscription_id: int) -> str | None:
    """What the last digest sent for this subscription showed (JSON), if any was sent."""
    row = store.db.execute(
        "SELECT snapshot FROM digest_runs WHERE subscription_id = ? AND status = 'sent'"
        " AND snapshot IS NOT NULL ORDER BY slot_utc DESC LIMIT 1",
        [subscription_id],
    ).fetchone()
    return str(row[0]) if row else None


def run_status(store: Store, subscription_id: int, period: str) -> str | None:
    row = store.db.execute(
        "SELECT status FROM digest_runs WHERE subscription_id = ? AND period = ?",
        [subscription_id, period],
    ).fetchone()
    return str(row[0]) if row else None


# -- the run log ---------------------------------------------------------------------------


def log_run(store: Store, record: RunRecord) -> RunRecord:
    """Append ``record`` to the run log (stamped now when it has no time) and return it."""
    stamp = record.logged_at or iso(datetime.now(UTC))
    with store.transaction() as db:
        db.execute(
            "INSERT INTO digest_log (subscription_id, team_id, channel_id, period, status,"
            " reason, slot_utc, message_ts, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record.subscription_id,
                record.team_id,
                record.channel_id,
                record.period,
                record.status,
                record.reason,
                record.slot_utc,
                record.message_ts,
                stamp,
            ],
        )
    return replace(record, logged_at=stamp)


def read_log(store: Store, limit: int = 50, team_id: str | None = None) -> list[RunRecord]:
    """The newest ``limit`` log lines (of one team when given), oldest first."""
    rows = store.db.execute(
        "SELECT subscription_id, team_id, channel_id, period, status, reason, slot_utc,"
        " message_ts, logged_at FROM digest_log WHERE (? IS NULL OR team_id = ?)"
        " ORDER BY id DESC LIMIT ?",
        [team_id, team_id, limit],
    ).fetchall()
    return [RunRecord(*row) for row in reversed(rows)]
