"""Slack answers 429 or 5xx: the web process's Web API calls, and its replies to a
response_url, are retried (slack_sdk's retry handlers, also on the clients Bolt makes per
request), so the answer lands exactly once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_slack import RESPOND, FakeSlack, Scripted, rate_limited, server_error
from harness import (
    OAUTH_ENV,
    SlackClient,
    SlackWithWorkspaces,
    WebProcess,
    action_ids,
    buttons,
    install,
    start_web,
    stop_web,
)

from insights import Store
from insights.ingest.demo_loader import load_demo


def answered_once(fake: FakeSlack, slack: SlackClient, stamp: str) -> list[int]:
    """Mention the bot; the statuses of its chat.postMessage attempts in that thread."""
    channel = slack.unique("C")
    assert slack.mention("gap", channel=channel, ts=stamp).status == 200
    fake.wait_for(lambda c: c.method == "chat.postMessage" and c.ok and channel in str(c.payload))
    assert fake.delivered(channel) == 1
    return [call.status for call in fake.posts(channel)]


def test_a_rate_limited_answer_is_posted_after_retry_after(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    fake_slack.script("chat.postMessage", rate_limited(1))
    assert answered_once(fake_slack, slack, "1700800000.000100") == [429, 200]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_retried_with_backoff(
    slack: SlackClient, fake_slack: FakeSlack, status: int
) -> None:
    fake_slack.script("chat.postMessage", server_error(status))
    assert answered_once(fake_slack, slack, f"1700800{status}.000100") == [status, 200]


def responses_to(fake: FakeSlack, key: str, count: int) -> list[int]:
    """The statuses of the first ``count`` posts to response_url ``key``."""
    calls = fake.wait_for(lambda c: c.path == f"/respond/{key}", count)
    return [call.status for call in calls]


@pytest.mark.parametrize("failure", [server_error(502), rate_limited(1)], ids=["502", "429"])
def test_a_failed_reply_to_a_response_url_is_retried(
    slack: SlackClient, fake_slack: FakeSlack, failure: Scripted
) -> None:
    fake_slack.script(RESPOND, failure)
    ack, key = slack.command("gap by role")
    assert ack.status == 200
    assert responses_to(fake_slack, key, 2) == [failure.status, 200]
    assert "Empathy gap by role" in fake_slack.responded(key)["text"]


def test_a_button_answer_to_a_response_url_is_retried(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    """A button answers through the response_url of the click, after its ack."""
    _, key = slack.command("gap")
    answer = fake_slack.responded(key)
    fake_slack.script(RESPOND, server_error(503))
    click = slack.unique("click")
    slack.click(action_ids(answer)["Trend"], "empathy_answer", buttons(answer)["Trend"], click)
    assert responses_to(fake_slack, click, 2) == [503, 200]
    assert "2021-pilot" in fake_slack.responded(click)["text"]


def test_a_slack_outage_longer_than_the_retries_is_logged_not_raised(
    slack: SlackClient, fake_slack: FakeSlack, web: WebProcess
) -> None:
    fake_slack.script("chat.postMessage", *(server_error(503) for _ in range(3)))
    channel, ts = slack.unique("C"), "1700800100.000100"
    assert slack.mention("gap", channel=channel, ts=ts).status == 200
    fake_slack.wait_for(
        lambda c: c.method == "chat.postMessage" and c.payload["channel"] == channel, 3
    )
    assert fake_slack.delivered(channel) == 0
    # The process is fine and answers the next question.
    assert answered_once(fake_slack, slack, "1700800101.000100") == [200]


@pytest.fixture(scope="module")
def oauth_site(
    tmp_path_factory: pytest.TempPathFactory, workspaces_fake: SlackWithWorkspaces
) -> Iterator[SlackClient]:
    directory = tmp_path_factory.mktemp("oauth-retries")
    database = directory / "empathy.db"
    store = Store.open(database)
    load_demo(store, "TRETRY", actor="cli:test")
    store.close()
    web = start_web(directory, workspaces_fake, database, OAUTH_ENV)
    install(web, workspaces_fake, workspaces_fake.add("TRETRY", "Retry"))
    yield SlackClient(web.url, workspaces_fake, team_id="TRETRY")
    stop_web(web)


def test_per_request_clients_of_an_oauth_install_retry_too(
    oauth_site: SlackClient, workspaces_fake: SlackWithWorkspaces
) -> None:
    """Bolt makes a client per request for the workspace's token; it keeps the retry
    handlers (also for Bolt's own auth.test)."""
    workspaces_fake.script("auth.test", server_error(503))
    workspaces_fake.script("chat.postMessage", rate_limited(1))
    statuses = answered_once(workspaces_fake, oauth_site, "1700800200.000100")
    assert statuses == [429, 200]
    [failed, *_] = workspaces_fake.api("auth.test")[-2:]
    assert failed.status == 503
