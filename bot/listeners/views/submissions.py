"""What the modal submissions' listeners share."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.deps import Deps


def submitted_by(deps: Deps, body: dict[str, Any], context: BoltContext) -> tuple[str, str]:
    """(store team, submitting user) of a view_submission payload."""
    user = body.get("user") or {}
    return deps.team_for(context), str(user.get("id") or "")
