"""``tokens_revoked``: when the bot's tokens are revoked, the same as an uninstall."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.deps import Deps
from bot.listeners.events.app_uninstalled import uninstalled
from bot.slack.oauth import TOKENS_REVOKED

logger = logging.getLogger(__name__)


def tokens_revoked(deps: Deps, app: App, event: dict[str, Any], context: BoltContext) -> None:
    """Only bot tokens matter: the app asks for no user scopes, so holds no user tokens."""
    tokens = event.get("tokens") or {}
    if isinstance(tokens, dict) and tokens.get("bot"):
        uninstalled(deps, app, context, TOKENS_REVOKED)
    else:
        logger.info("tokens_revoked for user tokens only in %s: nothing held", context.team_id)


def register(app: App, deps: Deps) -> None:
    @app.event("tokens_revoked")
    def on_tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        tokens_revoked(deps, app, event, context)
