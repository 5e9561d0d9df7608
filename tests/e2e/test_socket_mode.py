"""Socket Mode runs the same app; its Web API calls go to SLACK_API_URL too."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.entrypoints.socket import run_socket_mode
from bot.settings import Settings

if TYPE_CHECKING:
    from harness import FakeSlack


def test_without_an_app_token_it_explains_what_is_missing(tmp_path: Path) -> None:
    err = io.StringIO()
    settings = Settings(database_path=tmp_path / "db.sqlite", _env_file=None)  # type: ignore[call-arg]
    assert run_socket_mode(settings, err) == 2
    assert "SLACK_APP_TOKEN" in err.getvalue()


def test_it_connects_through_the_configured_api_url(tmp_path: Path, fake_slack: FakeSlack) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_path=tmp_path / "db.sqlite",
        slack_api_url=fake_slack.api_url,
        slack_bot_token=SecretStr("xoxb-1111-2222-e2eSecretBotToken"),
        slack_app_token=SecretStr("xapp-1-socket-mode-token"),
    )
    err = io.StringIO()
    # The fake accepts only the bot token, so it refuses the app-level connection request.
    assert run_socket_mode(settings, err) == 1
    assert "invalid_auth" in err.getvalue()
    [call] = fake_slack.matching(lambda c: c.path == "/api/apps.connections.open")
    assert call.headers["Authorization"] == "Bearer xapp-1-socket-mode-token"
