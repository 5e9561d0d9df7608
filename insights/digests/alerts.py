"""Alerts when the gap moves: a channel subscribes once, and after every new wave of any
of its workspace's surveys it is told, in one message, which themes moved significantly
since the survey's previous wave (this module knows no Slack: the digest sender posts).

Invariants:

* **Only waves newer than the subscription.** Subscribing (or resuming) marks every wave
  the workspace has then as ``before``, in the same transaction; only waves without a row
  are ever checked. A wave imported again is a new wave row (its old row goes with it), so
  a replacement is checked like any import, whatever path imported it (CLI, Slack, pulse).
* **At most one alert per subscription and wave.** A worker claims the (subscription, wave)
  row in the database before computing or sending; only the claim's winner sends. A send
  that failed in a retryable way may be claimed again while the wave is younger than the
  grace window; a claimed, sent, quiet or skipped wave never can.
* **The same test as ``gap … vs``.** :meth:`Engine.change` compares the wave with the
  survey's previous one for every theme, Holm-adjusted across the themes tested; an alert
  names only changes significant after that adjustment, and nothing is sent when none is
  (the wave is still marked ``quiet``). Figures are only those the engine shows, so privacy
  (``min_group_size``) holds as for any answer.
* **Audited with the change.** Subscribing, unsubscribing and each alert sent are written to
  the audit log in the transaction that makes the change.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from insights.answers.render import change_points
from insights.digests.alert_content import Alert, compare_wave
from insights.digests.runs import Delivery, DigestSender
from insights.digests.schedule import DEFAULT_GRACE
from insights.digests.subscriptions import RunRecord, iso
from insights.errors import UserError
from insights.store import audit
from insights.store.database import Store

logger = logging.getLogger(__name__)

# Who the audit log names for an alert: no person sends it, the scheduler does.
ALERT_ACTOR = "scheduler"
SUBSCRIBE_ACTION = "subscribe-alerts"
UNSUBSCRIBE_ACTION = "unsubscribe-alerts"
SENT_ACTION = "alert"
_COLUMNS = "id, team_id, channel_id, created_by, status, pause_reason, active_since, created_at"


@dataclass(frozen=True)
class AlertSubscription:
    """A channel told when a gap moves; ``active_since`` is when it (last) subscribed."""

    id: int
    team_id: str
    channel_id: str
    created_by: str
    status: str  # active | paused | cancelled
    pause_reason: str | None
    active_since: str
    created_at: str


# -- subscriptions -------------------------------------------------------------------------


def subscribe_alerts(
    store: Store, team_id: str, channel_id: str, actor: str, now: datetime | None = None
) -> tuple[AlertSubscription, bool]:
    """Alert ``channel_id`` from now on; ``(subscription, changed)``: False when it was
    already active (nothing changes, nothing is audited). Every wave the workspace has now
    is marked ``before``, so only later waves are ever checked."""
    stamp = iso(now or datetime.now(UTC))
    with store.transaction() as db:
        found = channel_alerts(store, team_id, channel_id)
        if found is not None and found.status == "active":
            return found, False
        db.execute(
            "INSERT INTO alert_subscriptions (team_id, channel_id, created_by, status,"
            " active_since, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)"
            " ON CONFLICT (team_id, channel_id) DO UPDATE SET status = 'active',"
            " pause_reason = NULL, created_by = excluded.created_by,"
            " active_since = excluded.active_since, updated_at = excluded.updated_at",
            [team_id, channel_id, actor, stamp, stamp, stamp],
        )
        subscribed = channel_alerts(store, team_id, channel_id)
        assert subscribed is not None  # just written in this transaction
        _mark_existing_waves(store, subscribed, stamp)
        audit.record(
            store, team_id, actor, SUBSCRIBE_ACTION, channel_id, "when a gap moves", now=now
        )
    return subscribed, True


def _mark_existing_waves(store: Store, subscription: AlertSubscription, stamp: str) -> None:
    store.db.execute(
        "INSERT OR IGNORE INTO alert_checks (subscription_id, wave_id, status, reason,"
        " checked_at) SELECT ?, w.id, 'before', 'imported before the channel subscribed', ?"
        " FROM waves w JOIN surveys s ON s.id = w.survey_id WHERE s.team_id = ?",
        [subscription.id, stamp, subscription.team_id],
    )


def unsubscribe_alerts(store: Store, team_id: str, channel_id: str, *, actor: str) -> bool:
    """Stop alerting ``channel_id``; False when it had no alert (nothing is audited)."""
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE alert_subscriptions SET status = 'cancelled', updated_at = ?"
            " WHERE team_id = ? AND channel_id = ? AND status != 'cancelled'",
            [iso(datetime.now(UTC)), team_id, channel_id],
        )
        if not cursor.rowcount:
            return False
        audit.record(store, team_id, actor, UNSUBSCRIBE_ACTION, channel_id)
        return True


def channel_alerts(store: Store, team_id: str, channel_id: str) -> AlertSubscription | None:
    """This channel's alert subscription, active or paused (cancelled ones are gone)."""
    row = store.db.execute(
        f"SELECT {_COLUMNS} FROM alert_subscriptions"
        " WHERE team_id = ? AND channel_id = ? AND status != 'cancelled'",
        [team_id, channel_id],
    ).fetchone()
    return AlertSubscription(*row) if row else None


def active_alerts(store: Store) -> list[AlertSubscription]:
    """Every workspace's active alert subscriptions: the worker serves the whole database."""
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM alert_subscriptions WHERE status = 'active' ORDER BY id"
    ).fetchall()
    return [AlertSubscription(*row) for row in rows]


def _pause(store: Store, subscription_id: int, reason: str) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE alert_subscriptions SET status = 'paused', pause_reason = ?, updated_at = ?"
            " WHERE id = ? AND status = 'active'",
            [reason, iso(datetime.now(UTC)), subscription_id],
        )


# -- the worker's checks -------------------------------------------------------------------


def send_due_alerts(
    store: Store,
    sender: DigestSender,
    now: datetime,
    *,
    min_group_size: int,
    grace: timedelta = DEFAULT_GRACE,
) -> list[RunRecord]:
    """Check every active subscription's waves not yet checked, alert where a gap moved;
    returns what was done, one record per wave (``period`` is ``alert SURVEY/WAVE``)."""
    records: list[RunRecord] = []
    for subscription in active_alerts(store):
        run = _AlertRun(store, sender, subscription, now, min_group_size)
        records += run.waves(grace)
    return records


def unchecked_waves(
    store: Store, subscription: AlertSubscription, now: datetime, grace: timedelta
) -> list[tuple[int, str]]:
    """``(wave id, 'survey/wave')`` of the waves still to check, oldest import first: those
    without a row, and those whose send failed retryably while younger than ``grace``."""
    rows = store.db.execute(
        "SELECT w.id, s.name || '/' || w.label FROM waves w"
        " JOIN surveys s ON s.id = w.survey_id"
        " LEFT JOIN alert_checks c ON c.wave_id = w.id AND c.subscription_id = ?"
        " WHERE s.team_id = ? AND (c.id IS NULL"
        " OR (c.status = 'failed' AND c.retry = 1 AND w.imported_at >= ?))"
        " ORDER BY w.id",
        [subscription.id, subscription.team_id, iso(now - grace)],
    ).fetchall()
    return [(int(row[0]), str(row[1])) for row in rows]


def claim_wave(store: Store, subscription_id: int, wave_id: int, now: datetime, token: str) -> bool:
    """Claim the wave for checking; True only for the one caller that won (the
    subscription still active, the wave unchecked or failed retryably)."""
    with store.transaction() as db:
        active = db.execute(
            "SELECT 1 FROM alert_subscriptions WHERE id = ? AND status = 'active'",
            [subscription_id],
        ).fetchone()
        exists = db.execute("SELECT 1 FROM waves WHERE id = ?", [wave_id]).fetchone()
        if active is None or exists is None:
            return False
        cursor = db.execute(
            "INSERT INTO alert_checks (subscription_id, wave_id, status, checked_at,"
            " claim_token) VALUES (?, ?, 'claimed', ?, ?)"
            " ON CONFLICT (subscription_id, wave_id) DO UPDATE SET status = 'claimed',"
            " retry = 0, reason = NULL, checked_at = excluded.checked_at,"
            " claim_token = excluded.claim_token"
            " WHERE alert_checks.status = 'failed' AND alert_checks.retry = 1",
            [subscription_id, wave_id, iso(now), token],
        )
        return cursor.rowcount == 1


def check_status(store: Store, subscription_id: int, wave_id: int) -> str | None:
    row = store.db.execute(
        "SELECT status FROM alert_checks WHERE subscription_id = ? AND wave_id = ?",
        [subscription_id, wave_id],
    ).fetchone()
    return str(row[0]) if row else None


def _finish(
    store: Store,
    token: str,
    *,
    status: str,
    reason: str | None = None,
    retry: bool = False,
    message_ts: str | None = None,
) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE alert_checks SET status = ?, reason = ?, retry = ?, message_ts = ?"
            " WHERE claim_token = ?",
            [status, reason, int(retry), message_ts, token],
        )


def _finish_sent(
    store: Store, subscription: AlertSubscription, token: str, alert: Alert, ts: str, now: datetime
) -> None:
    """Settle the wave as sent and audit the alert, together."""
    names = ", ".join(f"{c.theme} {change_points(c.change or 0.0)}" for c in alert.moved)
    detail = (
        f"survey {alert.context.survey}, wave {alert.context.wave} vs {alert.previous_wave}:"
        f" {names} (of {alert.tested} tested)"
    )
    with store.transaction() as db:
        db.execute(
            "UPDATE alert_checks SET status = 'sent', reason = NULL, retry = 0,"
            " message_ts = ? WHERE claim_token = ?",
            [ts, token],
        )
        audit.record(
            store,
            subscription.team_id,
            ALERT_ACTOR,
            SENT_ACTION,
            subscription.channel_id,
            detail,
            now=now,
        )


class _AlertRun:
    """One alert subscription within one tick."""

    def __init__(
        self,
        store: Store,
        sender: DigestSender,
        subscription: AlertSubscription,
        now: datetime,
        min_group_size: int,
    ) -> None:
        self.store, self.sender, self.sub, self.now = store, sender, subscription, now
        self.min_group_size = min_group_size

    def waves(self, grace: timedelta) -> list[RunRecord]:
        due = unchecked_waves(self.store, self.sub, self.now, grace)
        if not due:
            return []
        problem = self.sender.unavailable(self.sub.team_id)
        if problem is not None:  # nothing claimed: a later tick checks these waves
            reason = self._failure(problem)
            return [self._record(name, "failed", reason) for _, name in due]
        records: list[RunRecord] = []
        for wave_id, name in due:
            if self.sub.status != "active":
                break
            records += self._check(wave_id, name)
        return records

    def _record(
        self, name: str, status: str, reason: str | None, ts: str | None = None
    ) -> RunRecord:
        """What the tick did with a wave, as the tick's other lines (not in the digests'
        run log: the wave's row in alert_checks keeps it)."""
        sub, period = self.sub, f"alert {name}"
        return RunRecord(
            None, sub.team_id, sub.channel_id, period, status, reason, None, ts, iso(self.now)
        )

    def _check(self, wave_id: int, name: str) -> list[RunRecord]:
        token = uuid.uuid4().hex
        if not claim_wave(self.store, self.sub.id, wave_id, self.now, token):
            return []  # another worker has it, or it is gone
        try:
            compared = compare_wave(self.store, self.sub.team_id, wave_id, self.min_group_size)
        except UserError as error:
            _finish(self.store, token, status="skipped", reason=str(error))
            return [self._record(name, "skipped", str(error))]
        except Exception as error:  # a bug must not stop other channels' alerts or digests
            logger.exception("Could not compare wave %s for alert %s", wave_id, self.sub.id)
            reason = f"could not compare the wave: {type(error).__name__}"
            _finish(self.store, token, status="skipped", reason=reason)
            return [self._record(name, "skipped", reason)]
        if compared.alert is None:
            _finish(self.store, token, status="quiet", reason=compared.reason)
            return [self._record(name, "quiet", compared.reason)]
        return [self._send(token, name, compared.alert)]

    def _send(self, token: str, name: str, alert: Alert) -> RunRecord:
        delivery = self.sender.send_alert(self.sub.team_id, self.sub.channel_id, alert)
        if delivery.ts is None:
            reason = self._failure(delivery)
            _finish(self.store, token, status="failed", reason=reason, retry=delivery.retry)
            return self._record(name, "failed", reason)
        _finish_sent(self.store, self.sub, token, alert, delivery.ts, self.now)
        return self._record(name, "sent", None, delivery.ts)

    def _failure(self, delivery: Delivery) -> str:
        """Why the alert was not sent; pauses the subscription when the delivery says so."""
        reason = delivery.reason or "unknown error"
        if delivery.pause:
            _pause(self.store, self.sub.id, reason)
            self.sub = replace(self.sub, status="paused", pause_reason=reason)
            return f"{reason}: alerts paused"
        if delivery.retry:
            return f"{reason}: will retry on the next tick"
        return reason
