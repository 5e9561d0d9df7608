"""Socket Mode: the same Bolt app over a WebSocket, for development behind a firewall.

Needs ``SLACK_APP_TOKEN`` (an ``xapp-`` token with ``connections:write``) and the bot token;
no public URL and no signing secret (Socket Mode requests are not signed). It serves the one
workspace of SLACK_BOT_TOKEN: OAuth installs in many workspaces need the web process (its
install pages), so SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are ignored here.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.app import configure_logging, create_app
from bot.settings import Settings


def run_socket_mode(settings: Settings, stderr: TextIO | None = None) -> int:
    """Connect to Slack in Socket Mode and serve until interrupted; returns an exit code."""
    err = stderr or sys.stderr
    if settings.slack_app_token is None or settings.slack_bot_token is None:
        print(
            "Socket Mode needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…). "
            "See 'Install in your Slack workspace' in the README.",
            file=err,
        )
        return 2
    app_token = settings.slack_app_token.get_secret_value()
    if settings.oauth_enabled:
        print(
            "Socket Mode serves the workspace of SLACK_BOT_TOKEN only; SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET are ignored (installs in many workspaces need the web process).",
            file=err,
        )
        settings = settings.model_copy(
            update={"slack_client_id": None, "slack_client_secret": None}
        )
    configure_logging(settings)
    app = create_app(settings, request_verification_enabled=False)
    handler = SocketModeHandler(app, app_token)
    try:
        with _sigterm_as_interrupt():
            handler.start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    except SlackApiError as error:
        print(f"Slack refused the Socket Mode connection: {error.response.get('error')}", file=err)
        return 1
    finally:
        handler.close()  # type: ignore[no-untyped-call]
    return 0


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Supervisors (systemd, Docker, Heroku) stop a process with SIGTERM, which by default
    ends it at once: envelopes already acknowledged would lose their answers, and Slack
    does not send those again. Taken like Ctrl-C, it closes the connection and lets the
    answers in progress finish before the process exits."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
