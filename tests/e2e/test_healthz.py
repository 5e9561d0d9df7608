"""The web process answers its health check and nothing but its two routes."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness import SlackClient, WebProcess


def test_healthz_is_ok(web: WebProcess) -> None:
    with urllib.request.urlopen(f"{web.url}/healthz", timeout=10) as reply:
        assert reply.status == 200
        assert reply.read() == b"ok"


@pytest.mark.parametrize(("path", "status"), [("/slack/events", 405), ("/nowhere", 404)])
def test_other_gets_are_refused(web: WebProcess, path: str, status: int) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{web.url}{path}", timeout=10)
    assert refused.value.code == status


def test_the_web_process_is_uvicorn_not_a_development_server(
    web: WebProcess, slack: SlackClient
) -> None:
    slack.command("help")
    assert "uvicorn" in web.log_text().lower()
