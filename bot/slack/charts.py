"""Posting a chart of an answer into Slack (files_upload_v2), with alt text for readers.

Drawing is the library's job (``insights.answers.charts``); this module only uploads, and turns
Slack's refusals into something the person can act on.

The chart's title and alt text are the library's raw text: Slack shows a file's title and
alt text as written (they are not mrkdwn). The initial comment is mrkdwn: callers build it
with its data escaped.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.errors.slack import error_message
from insights import UserError
from insights.answers import Finding
from insights.answers.charts import chart_for

logger = logging.getLogger(__name__)

NOT_A_MEMBER = (
    "I can't post a chart in this channel. Invite me with `/invite @Empathy`, "
    "or ask me in a direct message."
)
UPLOAD_FAILED = "Slack would not take the chart just now; please try again in a minute."


def post_chart(
    client: WebClient,
    finding: Finding,
    *,
    channel: str,
    thread_ts: str | None = None,
    comment: str | None = None,
) -> str | None:
    """Upload ``finding`` as a PNG into ``channel`` (and thread); None when it worked,
    otherwise a sentence saying why not, for the person who asked, as mrkdwn (escaped:
    it may name a theme)."""
    try:
        chart = chart_for(finding)
    except UserError as error:  # e.g. nothing to draw: said as any refusal is
        return error_message(error, doing="chart an answer").text
    try:
        client.files_upload_v2(
            content=chart.png,
            filename=chart.filename,
            title=chart.title,
            alt_txt=chart.alt_text,
            channel=channel,
            thread_ts=thread_ts,
            initial_comment=comment,
        )
    except SlackApiError as error:
        code = error.response.get("error")
        logger.warning("Chart upload to %s refused: %s", channel, code)
        return NOT_A_MEMBER if code in ("not_in_channel", "channel_not_found") else UPLOAD_FAILED
    except (SlackClientError, OSError) as error:
        # The bytes go to an upload URL by plain urllib (no SlackApiError, no retries there),
        # and the connection itself can fail: either way the person hears a sentence.
        logger.warning("Chart upload to %s failed: %s", channel, error)
        return UPLOAD_FAILED
    return None
