"""``app_uninstalled``: the workspace's tokens deleted and its digests paused
(:func:`bot.slack.oauth.forget_workspace`); it may arrive more than once, before or after
``tokens_revoked``."""

from __future__ import annotations

from slack_bolt import App, BoltContext

from bot.deps import Deps
from bot.slack.oauth import UNINSTALLED, InstallationStore, forget_workspace


def uninstalled(deps: Deps, app: App, context: BoltContext, reason: str) -> None:
    """The app lost this workspace (or org): forget its tokens, pause its digests."""
    store = app.installation_store
    forget_workspace(
        store if deps.settings.oauth_enabled and isinstance(store, InstallationStore) else None,
        deps.store(),
        enterprise_id=context.enterprise_id,
        team_id=context.team_id,
        org_wide=bool(context.is_enterprise_install),
        reason=reason,
        single_workspace_team=deps.settings.default_team_id,
    )


def register(app: App, deps: Deps) -> None:
    @app.event("app_uninstalled")
    def on_app_uninstalled(context: BoltContext) -> None:
        uninstalled(deps, app, context, UNINSTALLED)
