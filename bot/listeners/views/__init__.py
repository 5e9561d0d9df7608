"""Modal submissions. None yet: the group exists so later issues add views in one place."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Nothing to register yet."""
    del app
