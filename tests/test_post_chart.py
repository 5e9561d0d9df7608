"""Posting a chart: every way the three-step upload can fail becomes a sentence for the
person who asked, never an exception in a listener."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fake_slack import UPLOAD, FakeSlack, server_error
from slack_sdk import WebClient
from support import TEAM

from bot.slack.charts import NOT_A_MEMBER, UPLOAD_FAILED, post_chart
from insights import Store, ask
from insights.answers.findings import Finding


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack("xoxb-chart") as running:
        yield running


@pytest.fixture(scope="module")
def finding(demo_store: Store) -> Finding:
    found = ask(demo_store, TEAM, "gap").finding
    assert found is not None
    return found


def client_for(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-chart", base_url=fake.api_url)


def test_a_chart_is_uploaded_with_its_alt_text(fake: FakeSlack, finding: Finding) -> None:
    assert post_chart(client_for(fake), finding, channel="C1", thread_ts="1.2") is None
    [upload] = fake.uploads_in("C1", "1.2")
    assert upload.file.content is not None and upload.file.content.startswith(b"\x89PNG")
    assert upload.file.alt_txt and "91%" in upload.file.alt_txt


def test_a_failed_byte_upload_is_a_sentence(fake: FakeSlack, finding: Finding) -> None:
    fake.script(UPLOAD, server_error(500))
    assert post_chart(client_for(fake), finding, channel="C1") == UPLOAD_FAILED
    assert not fake.uploads_in("C1", count=0)


def test_not_in_channel_says_how_to_invite(fake: FakeSlack, finding: Finding) -> None:
    fake.fail("files.completeUploadExternal", "not_in_channel")
    assert post_chart(client_for(fake), finding, channel="C1") == NOT_A_MEMBER


def test_slack_unreachable_is_a_sentence(finding: Finding) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = WebClient(token="xoxb-chart", base_url=f"http://127.0.0.1:{port}/api/")
    assert post_chart(client, finding, channel="C1") == UPLOAD_FAILED
