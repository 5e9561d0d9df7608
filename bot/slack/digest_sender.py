"""How digests and gap alerts reach Slack: the sender that posts a digest and its chart, or
an alert, with the right workspace's bot token, and the tick/run_forever driving the
library's run loops (digests due, then waves not yet checked for alerts) with it.

Slack failures follow the clients' one retry policy (:mod:`bot.slack.clients`): a 429 waits
its ``Retry-After`` up to a cap, 5xx and connection errors back off, at most
``SLACK_MAX_RETRIES`` times; their waits go through the ``sleep`` given to :func:`tick`
(the stop event's wait under :func:`run_forever`, so a shutdown cuts a wait short). When the
retries are spent the delivery is *failed, retry*: a later tick may try again while the
grace window lasts. A channel we can no longer post to, or a revoked token, pauses the
subscription.

Which token posts: the client given to :func:`tick`, else SLACK_BOT_TOKEN's; with OAuth
installs (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set), each subscription's own workspace's
bot token from the installation store, refreshed first when it is about to expire. A
workspace that no longer has the app installed gets its subscription paused, with the reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.slack.charts import post_chart
from bot.slack.clients import Sleep, web_client
from bot.slack.oauth import TeamTokens, TokenProblem
from bot.slack.pulses import tick_pulses
from bot.views.answers import with_drill_down
from insights import Store
from insights.answers import Message
from insights.digests import (
    DEFAULT_GRACE,
    Alert,
    Delivery,
    Digest,
    RunRecord,
    every_minute,
    render_alert,
    render_digest,
    send_due_alerts,
    send_due_digests,
)

# Slack errors that will not go away by themselves: the subscription is paused, with the reason.
PAUSE_ERRORS = frozenset(
    {"channel_not_found", "is_archived", "not_in_channel", "token_revoked", "account_inactive"}
)


def slack_client(settings: Settings, sleep: Sleep = time.sleep) -> WebClient:
    """SLACK_BOT_TOKEN's client (one workspace), with the retry handlers."""
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set: the scheduler cannot post digests.")
    return web_client(settings, settings.slack_bot_token.get_secret_value(), sleep)


class SlackDigestSender:
    """Posts digests with one client per workspace: the one given; else, with OAuth
    installs, the workspace's bot token (looked up once per sender, i.e. per tick); else
    SLACK_BOT_TOKEN's."""

    def __init__(
        self, settings: Settings, client: WebClient | None = None, sleep: Sleep = time.sleep
    ) -> None:
        self.settings, self.fixed, self.sleep = settings, client, sleep
        self.tokens: TeamTokens | None = None
        if client is None:
            if settings.oauth_enabled:
                self.tokens = TeamTokens(settings)
            else:
                self.fixed = slack_client(settings, sleep)
        self._by_team: dict[str, WebClient | TokenProblem] = {}

    def _client(self, team_id: str) -> WebClient | TokenProblem:
        if self.fixed is not None:
            return self.fixed
        assert self.tokens is not None
        if team_id not in self._by_team:
            found = self.tokens.token(team_id)
            if isinstance(found, str):
                self._by_team[team_id] = web_client(self.settings, found, self.sleep)
            else:
                self._by_team[team_id] = found
        return self._by_team[team_id]

    def client_for(self, team_id: str) -> WebClient | None:
        """The client that posts for ``team_id``, or None when it has no usable token."""
        client = self._client(team_id)
        return None if isinstance(client, TokenProblem) else client

    def unavailable(self, team_id: str) -> Delivery | None:
        client = self._client(team_id)
        if isinstance(client, TokenProblem):
            return Delivery(reason=client.reason, pause=client.pause, retry=not client.pause)
        return None

    def send(self, team_id: str, channel_id: str, digest: Digest) -> Delivery:
        client = self._client(team_id)
        if isinstance(client, TokenProblem):  # the loop asks unavailable() first
            return Delivery(reason=client.reason, pause=client.pause, retry=not client.pause)
        drill_down = f"/empathy {digest.query}"
        message = with_drill_down(render_digest(digest, drill_down=drill_down), digest.query)
        return _post(client, channel_id, message)

    def send_alert(self, team_id: str, channel_id: str, alert: Alert) -> Delivery:
        client = self._client(team_id)
        if isinstance(client, TokenProblem):  # the loop asks unavailable() first
            return Delivery(reason=client.reason, pause=client.pause, retry=not client.pause)
        drill_down = f"/empathy {alert.query}"
        message = with_drill_down(render_alert(alert, drill_down=drill_down), alert.query)
        return _post(client, channel_id, message)

    def send_chart(
        self, team_id: str, channel_id: str, digest: Digest, thread_ts: str
    ) -> str | None:
        client = self._client(team_id)
        if isinstance(client, TokenProblem):
            return client.reason
        return post_chart(client, digest.report, channel=channel_id, thread_ts=thread_ts)


def _post(client: WebClient, channel_id: str, message: Message) -> Delivery:
    """Post a digest or an alert; what Slack said, as the loops read it."""
    try:
        response = client.chat_postMessage(
            channel=channel_id,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
    except SlackApiError as error:
        return refused(error)
    except (URLError, OSError) as error:  # the retries are spent
        return Delivery(reason=f"cannot reach Slack: {error}", retry=True)
    return Delivery(ts=str(response.get("ts")))


def refused(error: SlackApiError) -> Delivery:
    """What a Slack error left after the clients' retries means for the period: 429 and
    5xx may pass (retry on a later tick); a channel or token gone pauses; the rest fail."""
    status = getattr(error.response, "status_code", 0)
    code = str(error.response.get("error") or f"HTTP {status}")
    if status == 429:
        return Delivery(reason="rate limited by Slack", retry=True)
    if status >= 500:
        return Delivery(reason=f"Slack error {code} (HTTP {status})", retry=True)
    return Delivery(reason=code, pause=code in PAUSE_ERRORS)


def tick(
    settings: Settings,
    now: datetime,
    *,
    client: WebClient | None = None,
    store: Store | None = None,
    sleep: Sleep = time.sleep,
    grace: timedelta = DEFAULT_GRACE,
) -> list[RunRecord]:
    """Send the digests due at ``now``, then the alerts of waves not yet checked (whatever
    imported them); returns what was done (digests' lines also written to the run log).
    The same tick moves pulses on (:func:`bot.slack.pulses.tick_pulses`: closing, the one
    reminder, invitations), with the same clients.

    ``client`` posts every digest and alert; without it, see :class:`SlackDigestSender`.
    """
    sender = SlackDigestSender(settings, client, sleep)
    own = store is None
    store = store or Store.open(settings.database_path)
    try:
        k = settings.min_group_size
        digests = send_due_digests(store, sender, now, min_group_size=k, grace=grace)
        tick_pulses(settings, store, now, sender.client_for)
        return digests + send_due_alerts(store, sender, now, min_group_size=k, grace=grace)
    finally:
        if own:
            store.close()


def run_forever(
    settings: Settings,
    stop: threading.Event,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_tick: Callable[[list[RunRecord]], None] | None = None,
) -> None:
    """Tick at the start of every minute until ``stop`` is set (a failed tick is logged and
    the next one catches up). With OAuth installs and no ``client``, each tick looks up
    every workspace's token afresh."""
    if client is None and not settings.oauth_enabled:
        client = slack_client(settings, stop.wait)

    def tick_at(now: datetime) -> list[RunRecord]:
        return tick(settings, now, client=client, sleep=stop.wait)

    every_minute(tick_at, stop, clock=clock, on_tick=on_tick)
