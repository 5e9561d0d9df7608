"""The digest scheduler: at each tick, send every digest that is due and not yet sent.

A tick looks at each active subscription's periods since the last settled one:

* periods whose slot is in the future are left alone;
* the period due now (slot passed, within ``grace``) is claimed in the database, then
  posted; only the worker whose claim won posts, so two workers never send it twice;
* older periods are recorded as missed: after downtime there is at most one late digest,
  never a backlog.

Slack failures: ``429`` waits ``Retry-After`` and retries; ``5xx`` and connection errors
retry with backoff, then the period is recorded as failed and a later tick may try again
while the grace window lasts; a channel we can no longer post to pauses the subscription.
That policy is :func:`post`'s alone (its client has no retry handlers of its own, so a wait is
never doubled); the other calls (the chart upload) retry with slack_sdk's handlers.

Which token posts: the client given to :func:`tick`, else SLACK_BOT_TOKEN's; with OAuth
installs (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set), each subscription's own workspace's
bot token from the installation store, refreshed first when it is about to expire. A
workspace that no longer has the app installed gets its subscription paused, with the reason.

A subscription that wants a chart gets it uploaded in the digest's thread once the digest is
recorded as sent; a failed upload is noted on the sent line of the run log and never
un-sends or re-sends the digest.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.slack.charts import post_chart
from bot.slack.clients import web_client
from bot.slack.oauth import TeamTokens, TokenProblem
from bot.views.answers import with_drill_down
from insights import Store, UserError
from insights.digests import subscriptions as subs
from insights.digests.content import Digest, Snapshot, build_digest, render_digest
from insights.digests.schedule import DEFAULT_GRACE, Timing, classify
from insights.digests.subscriptions import RunRecord, Subscription, iso

logger = logging.getLogger(__name__)

Sleep = Callable[[float], object]
# Slack errors that will not go away by themselves: the subscription is paused, with the reason.
PAUSE_ERRORS = frozenset(
    {"channel_not_found", "is_archived", "not_in_channel", "token_revoked", "account_inactive"}
)
MAX_RATE_LIMIT_WAITS = 3
MAX_RETRY_AFTER = 60.0  # seconds; a longer wait is better left to the next tick
BACKOFF = (1.0, 2.0, 4.0)  # seconds before each retry of a 5xx / connection error
LATE_AFTER = timedelta(minutes=15)  # a cron tick a few minutes after the slot is not late
# After years of downtime, look back no further than this (all older periods are missed).
MAX_LOOKBACK = timedelta(weeks=104)


@dataclass(frozen=True)
class Delivery:
    """How posting went: ``ts`` when sent; else why, and whether to pause or retry later."""

    ts: str | None = None
    reason: str | None = None
    pause: bool = False
    retry: bool = False


def slack_client(settings: Settings) -> WebClient:
    """SLACK_BOT_TOKEN's client (one workspace), with the retry handlers."""
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set: the scheduler cannot post digests.")
    return web_client(settings, settings.slack_bot_token.get_secret_value())


class Clients:
    """The client posting each subscription's digests: the one given; else, with OAuth
    installs, one per workspace with that workspace's bot token (looked up once per tick);
    else SLACK_BOT_TOKEN's."""

    def __init__(self, settings: Settings, client: WebClient | None = None) -> None:
        self.settings = settings
        self.fixed = client
        self.tokens: TeamTokens | None = None
        if client is None:
            if settings.oauth_enabled:
                self.tokens = TeamTokens(settings)
            else:
                self.fixed = slack_client(settings)
        self._by_team: dict[str, WebClient | TokenProblem] = {}

    def for_team(self, team_id: str) -> WebClient | TokenProblem:
        if self.fixed is not None:
            return self.fixed
        assert self.tokens is not None
        if team_id not in self._by_team:
            found = self.tokens.token(team_id)
            client = web_client(self.settings, found) if isinstance(found, str) else found
            self._by_team[team_id] = client
        return self._by_team[team_id]


def tick(
    settings: Settings,
    now: datetime,
    *,
    client: WebClient | None = None,
    store: Store | None = None,
    sleep: Sleep = time.sleep,
    grace: timedelta = DEFAULT_GRACE,
) -> list[RunRecord]:
    """Send what is due at ``now``; returns what was done (also written to the run log).

    ``client`` posts every digest; without it, see :class:`Clients`.
    """
    clients = Clients(settings, client)
    own = store is None
    store = store or Store.open(settings.database_path)
    try:
        records: list[RunRecord] = []
        for subscription in subs.active_subscriptions(store):
            worker = _Worker(settings, store, clients, subscription, now, sleep)
            records += worker.run(grace)
        return records
    finally:
        if own:
            store.close()


class _Worker:
    """One subscription within one tick."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clients: Clients,
        subscription: Subscription,
        now: datetime,
        sleep: Sleep,
    ) -> None:
        self.settings, self.store, self.clients = settings, store, clients
        self.sub, self.now, self.sleep = subscription, now, sleep
        self.paused = False

    def run(self, grace: timedelta) -> list[RunRecord]:
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
        record = RunRecord(
            self.sub.id,
            self.sub.team_id,
            self.sub.channel_id,
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
        client = self.clients.for_team(self.sub.team_id)
        if isinstance(client, TokenProblem):
            return [self._no_token(period, slot, client)]
        self.client = client
        token = uuid.uuid4().hex
        if not subs.claim(self.store, self.sub.id, period, slot, self.now, token):
            # Another worker holds or settled this period; it logs what it does.
            return []
        try:
            previous = subs.last_snapshot(self.store, self.sub.id)
            digest = build_digest(
                self.store,
                self.sub.team_id,
                self.sub.query,
                min_group_size=self.settings.min_group_size,
                previous=Snapshot.from_json(previous) if previous else None,
            )
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
        message = with_drill_down(render_digest(digest), digest.query)
        delivery = post(self.client, self.sub.channel_id, message.text, message.blocks, self.sleep)
        return [self._settle(period, slot, token, delivery, digest)]

    def _no_token(self, period: str, slot: datetime, problem: TokenProblem) -> RunRecord:
        """No bot token for the workspace: nothing is claimed; paused unless it may pass."""
        if problem.pause:
            subs.pause(self.store, self.sub.id, problem.reason)
            self.paused = True
            reason = f"{problem.reason}: subscription paused"
        else:
            reason = f"{problem.reason}: will retry on the next tick"
        logger.warning("Digest %s not sent: %s", self.sub.id, reason)
        return self._record(period, slot, "failed", reason)

    def _settle(
        self, period: str, slot: datetime, token: str, delivery: Delivery, digest: Digest
    ) -> RunRecord:
        sub_id = self.sub.id
        if delivery.ts is not None:
            subs.finish(
                self.store,
                sub_id,
                period,
                token,
                status="sent",
                message_ts=delivery.ts,
                snapshot=digest.snapshot.to_json(),
            )
            # The period is settled as sent first, so a failed chart can never re-send it.
            problem = self._chart(digest, delivery.ts) if digest.chart else None
            reason = "; ".join(r for r in (_lateness(slot, self.now), problem) if r) or None
            return self._record(period, slot, "sent", reason, delivery.ts)
        reason = delivery.reason or "unknown error"
        if delivery.pause:
            reason = f"{reason}: subscription paused"
            subs.pause(self.store, sub_id, delivery.reason or "unknown")
        elif delivery.retry:
            reason = f"{reason}: will retry on the next tick"
        subs.finish(
            self.store, sub_id, period, token, status="failed", reason=reason, retry=delivery.retry
        )
        return self._record(period, slot, "failed", reason)

    def _chart(self, digest: Digest, ts: str) -> str | None:
        """Upload the digest's gap chart in its thread; None when it worked, else why not."""
        channel = self.sub.channel_id
        try:
            problem = post_chart(self.client, digest.report, channel=channel, thread_ts=ts)
        except Exception as error:  # the digest is sent; nothing here may undo or stop that
            logger.exception("Could not post the chart for subscription %s", self.sub.id)
            problem = type(error).__name__
        if problem is None:
            return None
        logger.warning("Digest %s sent without its chart: %s", self.sub.id, problem)
        return f"chart not posted: {problem}"


def _lateness(slot: datetime, now: datetime) -> str | None:
    """'late by 3h05m' when a digest went out well after its slot (after downtime)."""
    late = now - slot
    if late < LATE_AFTER:
        return None
    hours, rest = divmod(int(late.total_seconds()) // 60, 60)
    return f"late by {hours}h{rest:02d}m"


def post(
    client: WebClient, channel: str, text: str, blocks: list[dict[str, object]], sleep: Sleep
) -> Delivery:
    """chat.postMessage with the retry policy in the module docstring (and only that one)."""
    client = _without_retry_handlers(client)
    rate_limited = 0
    backoff = list(BACKOFF)
    while True:
        try:
            response = client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
            return Delivery(ts=str(response.get("ts")))
        except SlackApiError as error:
            status = getattr(error.response, "status_code", 0)
            code = str(error.response.get("error") or f"HTTP {status}")
            if status == 429 and rate_limited < MAX_RATE_LIMIT_WAITS:
                rate_limited += 1
                sleep(_retry_after(error))
                continue
            if status == 429:
                return Delivery(reason="rate limited by Slack", retry=True)
            if status >= 500 and backoff:
                sleep(backoff.pop(0))
                continue
            if status >= 500:
                return Delivery(reason=f"Slack error {code} (HTTP {status})", retry=True)
            return Delivery(reason=code, pause=code in PAUSE_ERRORS)
        except (URLError, OSError) as error:
            if backoff:
                sleep(backoff.pop(0))
                continue
            return Delivery(reason=f"cannot reach Slack: {error}", retry=True)


def _without_retry_handlers(client: WebClient) -> WebClient:
    """The same client without slack_sdk's retry handlers, for :func:`post`'s own policy."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        logger=client.logger,
        retry_handlers=[],
    )


def _retry_after(error: SlackApiError) -> float:
    headers = getattr(error.response, "headers", {}) or {}
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    raw = value[0] if isinstance(value, list) else value
    try:
        seconds = float(raw) if raw is not None else 1.0
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def run_forever(
    settings: Settings,
    stop: threading.Event,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_tick: Callable[[list[RunRecord]], None] | None = None,
) -> None:
    """Tick at the start of every minute until ``stop`` is set; a failed tick is logged and
    the loop carries on (the next tick catches up within the grace window). With OAuth
    installs and no ``client``, each tick looks up every workspace's token afresh."""
    if client is None and not settings.oauth_enabled:
        client = slack_client(settings)
    while not stop.is_set():
        try:
            records = tick(settings, clock(), client=client, sleep=stop.wait)
            if on_tick is not None:
                on_tick(records)
        except Exception:
            logger.exception("A digest tick failed; trying again next minute")
        now = clock()
        stop.wait(60 - now.second - now.microsecond / 1e6)
