"""Weekly digests, without Slack: what a digest says, when it is due, who subscribed, and the
loop that sends each one once; the edge supplies only the transport (a :class:`DigestSender`).

* ``content``: what a digest says (the findings, what moved since the last one, its text and
  Block Kit forms);
* ``schedule``: weekly slots in a time zone, and which slot is due, missed or to come;
* ``subscriptions``: the store's rows (subscriptions, the per-period claim, the run log);
* ``runs``: the loop (each tick's due periods, claimed, built, handed to the sender, settled
  and logged);
* ``alert_content``: what an alert says (a wave against its survey's previous one, with
  ``vs``'s test, Holm-adjusted across the themes; its text and Block Kit forms);
* ``alerts``: channels told when a gap moves: their subscriptions, the per-wave claim and
  the loop, run by the same worker and sender as digests;

The edge imports these names from here, never the modules. Names too generic outside their
module are exported under what they mean (``subscribe`` as :func:`subscribe_channel`,
``to_text`` as :func:`digest_text`, ``read_log`` as :func:`read_run_log`, …).
"""

from insights.digests.alert_content import Alert, render_alert
from insights.digests.alerts import (
    AlertSubscription,
    channel_alerts,
    send_due_alerts,
    subscribe_alerts,
    unsubscribe_alerts,
)
from insights.digests.content import Digest, digest_query, render_digest
from insights.digests.content import to_text as digest_text
from insights.digests.runs import (
    Delivery,
    DigestSender,
    every_minute,
    next_digest,
    send_due_digests,
)
from insights.digests.schedule import DEFAULT_GRACE, parse_weekly
from insights.digests.schedule import USAGE as SCHEDULE_USAGE
from insights.digests.schedule import valid_zone as valid_time_zone
from insights.digests.subscriptions import (
    RunRecord,
    Subscription,
    channel_subscription,
    require_channel_subscription,
    team_subscriptions,
)
from insights.digests.subscriptions import iso as iso_utc
from insights.digests.subscriptions import pause_team as pause_team_subscriptions
from insights.digests.subscriptions import read_log as read_run_log
from insights.digests.subscriptions import stored_query as subscription_query
from insights.digests.subscriptions import subscribe as subscribe_channel
from insights.digests.subscriptions import unsubscribe as unsubscribe_channel

__all__ = [
    "DEFAULT_GRACE",
    "SCHEDULE_USAGE",
    "Alert",
    "AlertSubscription",
    "Delivery",
    "Digest",
    "DigestSender",
    "RunRecord",
    "Subscription",
    "channel_alerts",
    "channel_subscription",
    "digest_query",
    "digest_text",
    "every_minute",
    "iso_utc",
    "next_digest",
    "parse_weekly",
    "pause_team_subscriptions",
    "read_run_log",
    "render_alert",
    "render_digest",
    "require_channel_subscription",
    "send_due_alerts",
    "send_due_digests",
    "subscribe_alerts",
    "subscribe_channel",
    "subscription_query",
    "team_subscriptions",
    "unsubscribe_alerts",
    "unsubscribe_channel",
    "valid_time_zone",
]
