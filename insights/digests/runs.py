"""When digests are sent: the run loop that claims each due period, builds its digest,
hands it to a sender the edge provides and logs the outcome (this module knows no Slack).

At each tick (:func:`send_due_digests`), for each active subscription, the periods since the
last settled one:

* periods whose slot is in the future are left alone;
* the period due now (slot passed, within ``grace``) is claimed in the database, its digest
  built and handed to the :class:`DigestSender`; only the run whose claim won sends, so two
  workers never send it twice;
* older periods are recorded as missed: after downtime there is at most one late digest,
  never a backlog.

What the sender says it came to (:class:`Delivery`) settles the period: sent; failed for
now (a later tick may retry while the grace window lasts); or failed for good with the
subscription paused (the channel is gone, the workspace has no token). A workspace the
sender cannot send to at all is asked about before claiming, so nothing is claimed for it.
A subscription that wants a chart gets it through the sender once the digest is recorded as
sent; a failed chart is noted on the sent line of the run log and never un-sends or re-sends
the digest. Every outcome is a :class:`RunRecord`, also written to the run log.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from insights.digests import subscriptions as subs
from insights.digests.alert_content import Alert
from insights.digests.content import Digest, Snapshot, build_digest
from insights.digests.schedule import DEFAULT_GRACE, Timing, classify
from insights.digests.subscriptions import RunRecord, Subscription, iso
from insights.errors import UserError
from insights.store.database import Store

logger = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=15)  # a cron tick a few minutes after the slot is not late
# After years of downtime, look back no further than this (all older periods are missed).
MAX_LOOKBACK = timedelta(weeks=104)


@dataclass(frozen=True)
class Delivery:
    """What sending came to: ``ts`` when sent; else ``reason``, and whether the
    subscription must be paused (it will not work by itself again) or a later tick may
    retry. Never both ``pause`` and ``retry``."""

    ts: str | None = None
    reason: str | None = None
    pause: bool = False
    retry: bool = False


class DigestSender(Protocol):
    """The edge's transport for digests and gap alerts: it words, posts and retries; the
    loops (here and :func:`insights.digests.alerts.send_due_alerts`) decide when and record
    what happened."""

    def unavailable(self, team_id: str) -> Delivery | None:
        """Why nothing can be sent for ``team_id`` now (e.g. no bot token), or None."""
        ...

    def send(self, team_id: str, channel_id: str, digest: Digest) -> Delivery:
        """Post ``digest`` in ``channel_id`` of ``team_id``; never raises for the
        transport's failures, which are the Delivery's reason."""
        ...

    def send_chart(
        self, team_id: str, channel_id: str, digest: Digest, thread_ts: str
    ) -> str | None:
        """Post the digest's chart in its thread: None when it worked, else why not."""
        ...

    def send_alert(self, team_id: str, channel_id: str, alert: Alert) -> Delivery:
        """Post ``alert`` (a gap moved; :mod:`insights.digests.alert_content`) in ``channel_id``;
        never raises for the transport's failures, as :meth:`send`."""
        ...


def send_due_digests(
    store: Store,
    sender: DigestSender,
    now: datetime,
    *,
    min_group_size: int,
    grace: timedelta = DEFAULT_GRACE,
) -> list[RunRecord]:
    """Send every digest due at ``now`` and not yet sent; returns what was done (each
    also written to the run log)."""
    records: list[RunRecord] = []
    for subscription in subs.active_subscriptions(store):
        run = _SubscriptionRun(store, sender, subscription, now, min_group_size)
        records += run.periods(grace)
    return records


def next_digest(store: Store, subscription: Subscription, min_group_size: int) -> Digest:
    """The digest ``subscription`` would send now: its query's findings, compared with what
    its last sent digest showed. Raises UserError when there is nothing to send."""
    previous = subs.last_snapshot(store, subscription.id)
    return build_digest(
        store,
        subscription.team_id,
        subscription.query,
        min_group_size=min_group_size,
        previous=Snapshot.from_json(previous) if previous else None,
    )


def every_minute(
    tick: Callable[[datetime], list[RunRecord]],
    stop: threading.Event,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_tick: Callable[[list[RunRecord]], None] | None = None,
) -> None:
    """Call ``tick`` at the start of every minute until ``stop`` is set; a failed tick is
    logged and the loop carries on (the next tick catches up within the grace window)."""
    while not stop.is_set():
        try:
            records = tick(clock())
            if on_tick is not None:
                on_tick(records)
        except Exception:
            logger.exception("A digest tick failed; trying again next minute")
        now = clock()
        stop.wait(60 - now.second - now.microsecond / 1e6)


class _SubscriptionRun:
    """One subscription within one tick."""

    def __init__(
        self,
        store: Store,
        sender: DigestSender,
        subscription: Subscription,
        now: datetime,
        min_group_size: int,
    ) -> None:
        self.store, self.sender, self.sub, self.now = store, sender, subscription, now
        self.min_group_size = min_group_size
        self.paused = False

    def periods(self, grace: timedelta) -> list[RunRecord]:
        since = subs.parse_iso(self.sub.active_since)
        settled = subs.settled_until(self.store, self.sub.id)
        since = max(since, settled or since, self.now - MAX_LOOKBACK)
        records: list[RunRecord] = []
        for period, slot in self.sub.schedule.slots_between(since, self.now):
            if self.paused:
                break
            if classify(slot, self.now, grace) is Timing.MISSED:
                records += self._missed(period, slot)
            else:
                records += self._send(period, slot)
        return records

    def _record(
        self, period: str, slot: datetime, status: str, reason: str | None, ts: str | None = None
    ) -> RunRecord:
        sub = self.sub
        record = RunRecord(
            sub.id,
            sub.team_id,
            sub.channel_id,
            period,
            status,
            reason,
            iso(slot),
            ts,
            iso(self.now),
        )
        return subs.log_run(self.store, record)

    def _missed(self, period: str, slot: datetime) -> list[RunRecord]:
        reason = "not sent within the grace window (the scheduler was not running)"
        if subs.mark_missed(self.store, self.sub.id, period, slot, self.now, reason):
            return [self._record(period, slot, "missed", reason)]
        return []

    def _send(self, period: str, slot: datetime) -> list[RunRecord]:
        problem = self.sender.unavailable(self.sub.team_id)
        if problem is not None:
            return [self._unavailable(period, slot, problem)]
        token = uuid.uuid4().hex
        if not subs.claim(self.store, self.sub.id, period, slot, self.now, token):
            # Another worker holds or settled this period; it logs what it does.
            return []
        try:
            digest = next_digest(self.store, self.sub, self.min_group_size)
        except UserError as error:
            subs.finish(self.store, self.sub.id, period, token, status="skipped", reason=str(error))
            return [self._record(period, slot, "skipped", str(error))]
        except Exception as error:  # a bug must not stop other subscriptions' digests
            logger.exception("Could not build the digest for subscription %s", self.sub.id)
            reason = f"could not build the digest: {type(error).__name__}"
            subs.finish(
                self.store, self.sub.id, period, token, status="failed", reason=reason, retry=True
            )
            return [self._record(period, slot, "failed", reason)]
        delivery = self.sender.send(self.sub.team_id, self.sub.channel_id, digest)
        return [self._settle(period, slot, token, delivery, digest)]

    def _unavailable(self, period: str, slot: datetime, problem: Delivery) -> RunRecord:
        """Nothing can be sent for the workspace: nothing is claimed; paused unless it may
        pass by itself."""
        reason = self._failure(problem)
        logger.warning("Digest %s not sent: %s", self.sub.id, reason)
        return self._record(period, slot, "failed", reason)

    def _failure(self, delivery: Delivery) -> str:
        """The run log's reason for a failed delivery; pauses the subscription when it says so."""
        reason = delivery.reason or "unknown error"
        if delivery.pause:
            subs.pause(self.store, self.sub.id, delivery.reason or "unknown")
            self.paused = True
            return f"{reason}: subscription paused"
        if delivery.retry:
            return f"{reason}: will retry on the next tick"
        return reason

    def _settle(
        self, period: str, slot: datetime, token: str, delivery: Delivery, digest: Digest
    ) -> RunRecord:
        sub_id = self.sub.id
        if delivery.ts is None:
            reason = self._failure(delivery)
            subs.finish(
                self.store,
                sub_id,
                period,
                token,
                status="failed",
                reason=reason,
                retry=delivery.retry,
            )
            return self._record(period, slot, "failed", reason)
        ts, snapshot = delivery.ts, digest.snapshot.to_json()
        subs.finish(
            self.store, sub_id, period, token, status="sent", message_ts=ts, snapshot=snapshot
        )
        # The period is settled as sent first, so a failed chart can never re-send it.
        problem = self._chart(digest, ts) if digest.chart else None
        note = "; ".join(r for r in (lateness(slot, self.now), problem) if r) or None
        return self._record(period, slot, "sent", note, ts)

    def _chart(self, digest: Digest, ts: str) -> str | None:
        """The digest's chart in its thread: None when it was posted, else why not."""
        problem: str | None
        try:
            problem = self.sender.send_chart(self.sub.team_id, self.sub.channel_id, digest, ts)
        except Exception as error:  # the digest is sent; nothing here may undo or stop that
            logger.exception("Could not post the chart for subscription %s", self.sub.id)
            problem = type(error).__name__
        if problem is None:
            return None
        logger.warning("Digest %s sent without its chart: %s", self.sub.id, problem)
        return f"chart not posted: {problem}"


def lateness(slot: datetime, now: datetime) -> str | None:
    """'late by 3h05m' when a digest went out well after its slot (after downtime)."""
    late = now - slot
    if late < LATE_AFTER:
        return None
    hours, rest = divmod(int(late.total_seconds()) // 60, 60)
    return f"late by {hours}h{rest:02d}m"
