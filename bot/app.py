"""The Bolt app factory: one app, served over HTTP (bot.entrypoints.web), Socket Mode
(bot.entrypoints.socket) or the console (bot.entrypoints.console), with every Web API call
going to ``settings.slack_api_url``; installed in one workspace (SLACK_BOT_TOKEN) or in many
(OAuth, see :mod:`bot.slack.oauth`)."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

from bot.deps import Deps, StorePerThread
from bot.listeners import register
from bot.model_reader import reader_from
from bot.settings import Settings
from bot.slack.clients import respond_with_retries, web_client
from bot.slack.oauth import NOT_INSTALLED, oauth_flow, org_membership
from bot.slack.workspaces import store_team_middleware
from insights import Store

logger = logging.getLogger(__name__)

# Slack tokens (bot, user, app-level, config) never reach a log line.
_TOKEN = re.compile(r"\bx(?:ox[abeoprs]|app)-[A-Za-z0-9-]+")


class MissingCredentials(ValueError):
    """Raised when the Slack app is built without a bot token or signing secret."""


class RedactTokens(logging.Filter):
    """Replaces anything shaped like a Slack token in a log record with ``[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN.sub("[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(settings: Settings) -> None:
    """Root logging at ``settings.log_level`` on stderr, with Slack tokens redacted."""
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, RedactTokens) for existing in handler.filters):
            handler.addFilter(RedactTokens())


def answer_executor(settings: Settings) -> ThreadPoolExecutor:
    """Where answers are computed, after the ack (lazy listeners).

    Acks never wait here: the app processes its (quick) ack functions in the request's own
    thread (``process_before_response``), where Bolt's default would queue them in this
    pool behind the answers of a burst and poll for them every 10 ms. Answering is CPU
    work, and under the GIL each thread doing it slows the acks still arriving, so the pool
    is small; WEB_CONCURRENCY adds processes (and cores)."""
    return ThreadPoolExecutor(max_workers=settings.answer_threads, thread_name_prefix="answer")


def create_app(
    settings: Settings,
    stores: StorePerThread | None = None,
    *,
    token_verification_enabled: bool = True,
    request_verification_enabled: bool = True,
) -> App:
    """A Bolt app answering ``/empathy``, mentions, direct messages and the share button.

    Two modes, chosen by the settings:

    * **many workspaces** when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: workspaces
      install the app through OAuth (:mod:`bot.slack.oauth`), each request is authorized with its
      workspace's bot token from the database, and each workspace sees its own surveys
      (the store team is decided per request from its authorization: :mod:`bot.slack.workspaces`).
      SLACK_BOT_TOKEN, if also set, is ignored (and a log line says so);
    * **one workspace** otherwise: SLACK_BOT_TOKEN, serving ``settings.default_team_id``.

    ``stores`` opens the store for each thread (default: ``settings.database_path``).
    ``token_verification_enabled`` makes Bolt call ``auth.test`` now, at ``slack_api_url``
    (one workspace only). Socket Mode passes ``request_verification_enabled=False``: its
    requests are not signed. Every Web API client, and every reply to a response_url,
    retries 429 and 5xx (:mod:`bot.slack.clients`).
    """
    if request_verification_enabled and settings.slack_signing_secret is None:
        raise MissingCredentials("SLACK_SIGNING_SECRET is not set.")
    secret = settings.slack_signing_secret
    signing_secret = secret.get_secret_value() if secret is not None else None
    deps = Deps(
        settings=settings,
        store=stores or StorePerThread(settings.database_path),
        reader=reader_from(settings),
    )
    if settings.oauth_enabled:
        app = _many_workspaces(settings, signing_secret, request_verification_enabled)
    else:
        if settings.slack_bot_token is None:
            raise MissingCredentials(
                "SLACK_BOT_TOKEN is not set (nor SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "for installs in many workspaces)."
            )
        token = settings.slack_bot_token.get_secret_value()
        app = App(
            name="empathy-gap",
            logger=logging.getLogger("bot.slack"),
            client=web_client(settings, token),  # carries the token; Bolt reads it from here
            signing_secret=signing_secret,
            token_verification_enabled=token_verification_enabled,
            request_verification_enabled=request_verification_enabled,
            listener_executor=answer_executor(settings),
            process_before_response=True,
        )
        app.use(store_team_middleware(None, settings.default_team_id))
    app.use(respond_with_retries(settings))
    register(app, deps)
    return app


def _many_workspaces(
    settings: Settings, signing_secret: str | None, request_verification: bool
) -> App:
    if settings.slack_bot_token is not None:
        logger.info(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: serving every workspace that "
            "installs the app; SLACK_BOT_TOKEN is ignored."
        )
    Store.open(settings.database_path).close()  # migrated before slack_sdk adds its tables
    client = web_client(settings)  # no token: each request gets its workspace's
    flow = oauth_flow(settings, client)
    app = App(
        name="empathy-gap",
        logger=logging.getLogger("bot.slack"),
        client=client,
        signing_secret=signing_secret,
        oauth_flow=flow,
        request_verification_enabled=request_verification,
        user_facing_authorize_error_message=NOT_INSTALLED,
        listener_executor=answer_executor(settings),
        process_before_response=True,
    )
    in_org = org_membership(flow.installations, settings)
    app.use(store_team_middleware(in_org, settings.default_team_id))
    return app
