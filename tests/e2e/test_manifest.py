"""The app manifest asks Slack for exactly what the app handles, at the web process's URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_slash_command_and_urls_point_at_slack_events() -> None:
    data = manifest()
    [command] = data["features"]["slash_commands"]
    assert command["command"] == "/empathy"
    urls = [
        command["url"],
        data["settings"]["event_subscriptions"]["request_url"],
        data["settings"]["interactivity"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert data["settings"]["interactivity"]["is_enabled"] is True


def test_events_and_scopes_match_the_listeners() -> None:
    data = manifest()
    assert set(data["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "assistant_thread_started",
        "assistant_thread_context_changed",
        "message.im",
        "app_uninstalled",
        "tokens_revoked",
    }
    scopes = set(data["oauth_config"]["scopes"]["bot"])
    assert {"commands", "app_mentions:read", "chat:write", "im:history", "users:read"} <= scopes


def test_survey_uploads_have_the_scopes_they_need() -> None:
    """Files shared in a DM arrive as message.im events; downloading them needs files:read,
    and posting an upload's mapping in a DM (``conversations.open``) needs im:write."""
    data = manifest()
    assert "message.im" in data["settings"]["event_subscriptions"]["bot_events"]
    assert {"files:read", "im:write", "im:history"} <= set(data["oauth_config"]["scopes"]["bot"])
    assert data["features"]["app_home"]["messages_tab_enabled"] is True


def test_the_home_tab_is_enabled_and_published_on_open() -> None:
    """The Home tab is published when ``app_home_opened`` arrives (views.publish needs no
    extra scope)."""
    data = manifest()
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in data["settings"]["event_subscriptions"]["bot_events"]


def test_charts_have_the_scope_files_upload_v2_needs() -> None:
    """Charts (answers and digests) are uploaded with files_upload_v2, which needs files:write."""
    assert "files:write" in set(manifest()["oauth_config"]["scopes"]["bot"])


def test_pulses_have_the_scopes_their_audience_and_dms_need() -> None:
    """conversations.members (public and private channels), usergroups.users.list, and
    conversations.open for the invitations."""
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert {"channels:read", "groups:read", "usergroups:read", "im:write"} <= scopes


def test_the_assistant_surface_has_its_view_scope_and_events() -> None:
    """Bolt's Assistant hears assistant_thread_started and _context_changed, and the
    thread's messages as message.im; setting a status, a title and prompts needs
    assistant:write. The view's own prompts are short questions the bot reads."""
    data = manifest()
    view = data["features"]["assistant_view"]
    assert view["assistant_description"].strip()
    prompts = view["suggested_prompts"]
    assert 1 <= len(prompts) <= 4
    assert all(p["title"].strip() and p["message"].strip() for p in prompts)
    events = set(data["settings"]["event_subscriptions"]["bot_events"])
    assert {"assistant_thread_started", "assistant_thread_context_changed", "message.im"} <= events
    assert {"assistant:write", "im:history"} <= set(data["oauth_config"]["scopes"]["bot"])
