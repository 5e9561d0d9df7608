"""``/empathy QUERY``: acknowledged at once, answered after the ack through the response_url.

What the text asks for is decided by :mod:`bot.routing.router`, the same for mentions and
direct messages: an action's reply (subscriptions, forget, audit, misses) is sent as it is,
``import`` opens the upload modal for admins (see :mod:`bot.imports.uploads`), ``pulse start`` the
pulse's start form for admins (see :mod:`bot.views.pulse`), and anything else is
a question, answered here with buttons for the next steps.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.listeners.ack import acknowledge
from bot.routing.pulse import OpenPulseForm
from bot.routing.router import ActionReply, Asker, answer, route
from bot.slack.charts import post_chart
from bot.views.answers import quoted_query, with_answer_actions
from bot.views.imports import upload_modal
from bot.views.pulse import start_modal

COMMAND = "/empathy"

logger = logging.getLogger(__name__)


def send_action_reply(respond: Respond, reply: ActionReply) -> None:
    """An action's reply, to the asker alone (every slash reply is)."""
    message = reply.message
    respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def open_modal(
    command: dict[str, Any], respond: Respond, client: WebClient, view: dict[str, Any], what: str
) -> None:
    """A form for an admin (the router checked): the command's trigger_id lasts 3 s."""
    try:
        client.views_open(trigger_id=str(command.get("trigger_id") or ""), view=view)
    except SlackApiError as error:
        logger.warning("views.open failed: %s", error.response.get("error"))
        respond(
            text=f"Slack would not open the {what} form; run /empathy {what} again.",
            response_type="ephemeral",
        )


def answer_command(
    deps: Deps, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """Answer ephemerally, with buttons for the next steps, a chart and sharing; a chart
    asked for in the query is posted in the channel, saying who asked."""
    text = str(command.get("text") or "").strip()
    result = answer(deps, deps.team_for(context), text)
    query = (result.query if result.query is not None else text) if result.ok else None
    response = respond(
        text=result.message.text,
        blocks=with_answer_actions(
            result.message.blocks, query, result.next_steps, asked=result.asked
        ),
        response_type="ephemeral",
    )
    if response.status_code != 200:
        logger.warning("Slack refused the command reply (HTTP %s)", response.status_code)
    if result.wants_chart and result.finding is not None:
        who = command.get("user_id")
        problem = post_chart(
            client,
            result.finding,
            channel=str(command.get("channel_id") or ""),
            comment=f"<@{who}> asked for {quoted_query(text)}",
        )
        if problem:
            respond(text=problem, response_type="ephemeral", replace_original=False)


def register(app: App, deps: Deps) -> None:

    def answer_lazily(
        command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        asker = Asker(
            deps.team_for(context),
            str(command.get("user_id") or ""),
            str(command.get("channel_id") or ""),
            "command",
        )
        routed = route(deps, client, asker, str(command.get("text") or ""))
        if routed is None:
            answer_command(deps, command, context, respond, client)
        elif isinstance(routed, ActionReply):
            send_action_reply(respond, routed)
        elif isinstance(routed, OpenPulseForm):
            view = start_modal(deps.settings.min_group_size)
            open_modal(command, respond, client, view, "pulse start")
        else:
            open_modal(command, respond, client, upload_modal(), "import")

    app.command(COMMAND)(ack=acknowledge, lazy=[answer_lazily])
