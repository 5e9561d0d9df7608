"""Opening the App Home tab publishes the Home view, through the real web process."""

from __future__ import annotations

import time
import urllib.request
from typing import TYPE_CHECKING, Any

from fake_slack import WAIT_SECONDS

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebProcess


def open_tab(slack: SlackClient, user: str, tab: str = "home") -> None:
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }
    ack = slack.event(event)
    assert ack.status == 200, ack.body


def sections(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]


def logged_soon(web: WebProcess, text: str) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while text not in web.log_text():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_opening_home_publishes_the_headline_gaps(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    user = slack.unique("UHOME")
    open_tab(slack, user)
    [view] = fake_slack.published(user)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    necessity = next(s for s in sections(view) if s.startswith("*Necessity*"))
    assert "*91%* (179 of 197" in necessity and "*36%* (71 of 197" in necessity
    assert "n = 197 answered both" in necessity
    value = next(s for s in sections(view) if s.startswith("*Business value*"))
    assert "*72%* (108 of 150" in value and "*30%* (45 of 150" in value
    assert "n = 150 answered both" in value
    [call] = [c for c in fake_slack.api("views.publish") if c.payload.get("user_id") == user]
    assert call.headers["Authorization"] == "Bearer xoxb-1111-2222-e2eSecretBotToken"


def test_the_messages_tab_publishes_nothing(
    slack: SlackClient, fake_slack: FakeSlack, web: WebProcess
) -> None:
    user = slack.unique("UMSG")
    open_tab(slack, user, tab="messages")
    # The listener logs that it left the Messages tab alone; only then is "nothing" final.
    assert logged_soon(web, f"app_home_opened on tab messages by {user}")
    assert [c for c in fake_slack.api("views.publish") if c.payload.get("user_id") == user] == []


def test_a_refused_publish_does_not_break_the_process(
    slack: SlackClient, fake_slack: FakeSlack, web: WebProcess
) -> None:
    user = slack.unique("UFAIL")
    fake_slack.fail("views.publish", "internal_error")
    open_tab(slack, user)
    [refused] = fake_slack.wait_for(
        lambda c: c.method == "views.publish" and c.payload.get("user_id") == user
    )
    assert not refused.ok
    assert logged_soon(web, f"Slack refused the Home tab for {user}: internal_error")

    with urllib.request.urlopen(f"{web.url}/healthz", timeout=WAIT_SECONDS) as reply:
        assert reply.status == 200
    open_tab(slack, user)  # opening it again works
    [view] = fake_slack.published(user)
    assert any(s.startswith("*Necessity*") for s in sections(view))
