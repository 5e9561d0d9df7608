"""The Bolt app factory: one app, served over HTTP (bot.web), Socket Mode (bot.socket) or the
console (bot.console), with every Web API call going to ``settings.slack_api_url``."""

from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners import Deps, StorePerThread, attach, register_all
from bot.settings import Settings

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


def create_app(
    settings: Settings,
    stores: StorePerThread | None = None,
    *,
    token_verification_enabled: bool = True,
    request_verification_enabled: bool = True,
) -> App:
    """A Bolt app answering ``/empathy``, mentions, direct messages and the share button.

    ``stores`` opens the store for each thread (default: ``settings.database_path``).
    ``token_verification_enabled`` makes Bolt call ``auth.test`` now, at ``slack_api_url``.
    Socket Mode passes ``request_verification_enabled=False``: its requests are not signed.
    """
    if settings.slack_bot_token is None:
        raise MissingCredentials("SLACK_BOT_TOKEN is not set.")
    if request_verification_enabled and settings.slack_signing_secret is None:
        raise MissingCredentials("SLACK_SIGNING_SECRET is not set.")
    token = settings.slack_bot_token.get_secret_value()
    secret = settings.slack_signing_secret
    client = WebClient(base_url=settings.slack_api_url, token=token)
    app = App(
        name="empathy-gap",
        logger=logging.getLogger("bot.slack"),
        client=client,  # carries the token; Bolt reads it from here
        signing_secret=secret.get_secret_value() if secret is not None else None,
        token_verification_enabled=token_verification_enabled,
        request_verification_enabled=request_verification_enabled,
    )
    attach(app, Deps(settings=settings, store=stores or StorePerThread(settings.database_path)))
    register_all(app)
    return app
