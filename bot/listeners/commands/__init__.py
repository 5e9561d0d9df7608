"""``/empathy QUERY``: acknowledged at once, answered after the ack through the response_url.

``/empathy import`` opens the upload modal instead (admins only); see :mod:`bot.uploads`.
``/empathy forget wave LABEL`` and ``/empathy audit`` are admin replies; see :mod:`bot.forget`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import forget, subscribe, uploads
from bot.blocks import quoted_query, with_answer_actions
from bot.charts import post_chart
from bot.import_blocks import upload_modal
from bot.listeners import Deps, answer, deps_of
from bot.permissions import may_import

COMMAND = "/empathy"
logger = logging.getLogger(__name__)


def acknowledge(ack: Ack) -> None:
    """Empty ack within Slack's 3 seconds; the answer follows through the response_url."""
    ack()


def manage_subscription(
    deps: Deps, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """`subscribe …`, `unsubscribe`, `subscriptions`: this channel's weekly digest."""
    message = subscribe.handle(
        deps.settings,
        deps.store(),
        client,
        deps.team_for(context),
        str(command.get("channel_id") or ""),
        str(command.get("user_id") or ""),
        str(command.get("text") or "").strip(),
    )
    respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def admin_command(
    deps: Deps, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
) -> None:
    """`forget wave LABEL [survey NAME]` (a confirmation with Delete) and `audit`, ephemeral."""
    message = forget.handle(
        deps.settings,
        deps.store(),
        client,
        deps.team_for(context),
        str(command.get("user_id") or ""),
        str(command.get("text") or "").strip(),
    )
    respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def is_import_command(text: str) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and words[0].casefold() == "import"


def open_import_modal(
    deps: Deps, command: dict[str, Any], respond: Respond, client: WebClient
) -> None:
    """`import`: the upload modal for admins (its trigger_id lasts 3 s); others are refused."""
    if not may_import(deps.settings, client, str(command.get("user_id") or "")):
        message = uploads.refusal()
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral")
        return
    try:
        client.views_open(trigger_id=str(command.get("trigger_id") or ""), view=upload_modal())
    except SlackApiError as error:
        logger.warning("views.open failed: %s", error.response.get("error"))
        respond(
            text="Slack would not open the import form; run /empathy import again.",
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
        blocks=with_answer_actions(result.message.blocks, query, result.next_steps),
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


def register(app: App) -> None:
    deps = deps_of(app)

    def answer_lazily(
        command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        text = str(command.get("text") or "")
        if is_import_command(text):
            open_import_modal(deps, command, respond, client)
        elif subscribe.is_subscription_command(text):
            manage_subscription(deps, command, context, respond, client)
        elif forget.is_admin_command(text):
            admin_command(deps, command, context, respond, client)
        else:
            answer_command(deps, command, context, respond, client)

    app.command(COMMAND)(ack=acknowledge, lazy=[answer_lazily])
