"""The shared fake Slack (tests/fake_slack.py) driven by the real slack_sdk WebClient: the
files_upload_v2 flow, App Home publishing, and scripted failures on every step."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
from collections.abc import Iterator
from typing import Any

import pytest
from fake_slack import (
    RESPOND,
    UPLOAD,
    FakeSlack,
    Scripted,
    UploadedFile,
    api_error,
    rate_limited,
    server_error,
)
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

TOKEN = "xoxb-fake-slack-test"
# A PNG signature, then every byte value: not UTF-8, with CR/LF; it must arrive untouched.
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
ALT = "Dumbbell chart: 72% believe they empathise, 41% believe the organisation does."


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(TOKEN) as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=TOKEN)


def upload_chart(client: WebClient, **kwargs: Any) -> str:
    response = client.files_upload_v2(
        content=PNG,
        filename="x.png",
        channel="C1",
        thread_ts="1.2",
        alt_txt=ALT,
        **kwargs,
    )
    return str(response["file"]["id"])


def test_files_upload_v2_end_to_end(fake: FakeSlack, client: WebClient) -> None:
    file_id = upload_chart(client, title="Empathy gap", initial_comment="The gap by role")

    assert fake.uploaded(file_id) == PNG
    [shared] = fake.uploads_in("C1", "1.2")
    assert (shared.channel, shared.channels, shared.thread_ts) == ("C1", ("C1",), "1.2")
    assert shared.initial_comment == "The gap by role"
    assert shared.file == UploadedFile(file_id, "x.png", len(PNG), ALT, None, PNG, "Empathy gap")
    assert fake.uploads_in("C1", None, count=0) == []  # in the thread, not at the top level

    # Each step as recorded: announce (with the alt text), the raw bytes, then the share.
    [announced] = fake.api("files.getUploadURLExternal")
    assert announced.payload["filename"] == "x.png"
    assert announced.payload["length"] == str(len(PNG))
    assert announced.payload["alt_txt"] == ALT
    assert announced.reply["upload_url"] == f"{fake.url}/upload/{file_id}"
    [posted] = fake.matching(lambda c: c.method == UPLOAD)
    assert (posted.path, posted.body, posted.reply) == (
        f"/upload/{file_id}",
        PNG,
        f"OK - {len(PNG)}",
    )
    [completed] = fake.api("files.completeUploadExternal")
    assert completed.payload["files"] == [{"id": file_id, "title": "Empathy gap"}]
    assert completed.payload["channel_id"] == "C1"
    assert completed.payload["thread_ts"] == "1.2"
    assert completed.reply["files"][0] == {
        "id": file_id,
        "title": "Empathy gap",
        "name": "x.png",
        "size": len(PNG),
    }


def test_several_files_share_in_one_completion(fake: FakeSlack, client: WebClient) -> None:
    client.files_upload_v2(
        file_uploads=[
            {"content": b"first", "filename": "a.png", "alt_txt": "A"},
            {"content": b"second", "filename": "b.png", "title": "B"},
        ],
        channel="C2",
    )
    [shared] = fake.uploads_in("C2")
    assert [(f.filename, f.title, f.alt_txt, f.content) for f in shared.files] == [
        ("a.png", "a.png", "A", b"first"),  # slack_sdk titles an untitled file by its name
        ("b.png", "B", None, b"second"),
    ]


def test_views_publish_is_recorded(fake: FakeSlack, client: WebClient) -> None:
    view = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Empathy gap*"}}],
    }
    response = client.views_publish(user_id="UALICE", view=view)
    assert response["view"]["type"] == "home"
    assert response["view"]["id"].startswith("V")
    assert fake.published("UALICE") == [view]
    [call] = fake.api("views.publish")
    assert call.payload["user_id"] == "UALICE"


def test_an_injected_429_then_success(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit("chat.postMessage", retry_after=3)
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C1", text="hello")
    assert refused.value.response.status_code == 429
    assert refused.value.response["error"] == "ratelimited"
    assert refused.value.response.headers["Retry-After"] == "3"

    assert client.chat_postMessage(channel="C1", text="hello")["ok"]
    assert [c.status for c in fake.posts("C1")] == [429, 200]
    assert fake.delivered("C1") == 1


def test_a_rate_limited_upload_step_is_retried_by_slack_sdk(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    fake.rate_limit("files.completeUploadExternal", retry_after=0)
    file_id = upload_chart(client)
    assert [c.status for c in fake.api("files.completeUploadExternal")] == [429, 200]
    [shared] = fake.uploads_in("C1", "1.2")  # only the accepted completion counts
    assert shared.file.id == file_id
    assert shared.file.content == PNG


@pytest.mark.parametrize(
    ("step", "reply", "raised"),
    [
        ("files.getUploadURLExternal", api_error("not_allowed_token_type"), SlackApiError),
        (UPLOAD, server_error(500), urllib.error.HTTPError),
        ("files.completeUploadExternal", server_error(503), SlackApiError),
        ("files.completeUploadExternal", rate_limited(30), SlackApiError),
    ],
)
def test_any_upload_step_can_fail(
    fake: FakeSlack,
    client: WebClient,
    step: str,
    reply: Scripted,
    raised: type[Exception],
) -> None:
    fake.script(step, reply)
    with pytest.raises(raised):
        upload_chart(client)
    assert fake.uploads_in("C1", "1.2", count=0) == []
    [failed] = fake.matching(lambda c: c.method == step)
    assert failed.status == reply.status and not failed.ok

    file_id = upload_chart(client)  # the script is used up: the next attempt goes through
    assert fake.uploaded(file_id) == PNG
    assert len(fake.uploads_in("C1", "1.2")) == 1


def test_a_refused_upload_post_stores_nothing(fake: FakeSlack, client: WebClient) -> None:
    fake.break_down(UPLOAD, status=502)
    with pytest.raises(urllib.error.HTTPError):
        upload_chart(client)
    [announced] = fake.api("files.getUploadURLExternal")
    file_id = announced.reply["file_id"]
    with pytest.raises(AssertionError, match="announced but never posted"):
        fake.uploaded(file_id, timeout=0.05)
    # Completing a file whose bytes never came is refused.
    with pytest.raises(SlackApiError) as refused:
        client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="C1")
    assert refused.value.response["error"] == "file_not_found"


def test_the_upload_url_takes_a_chunked_body_and_no_token(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    file_id = client.files_getUploadURLExternal(filename="a.bin", length=6)["file_id"]
    connection = http.client.HTTPConnection("127.0.0.1", int(fake.url.rsplit(":", 1)[1]))
    try:
        connection.request(
            "POST", f"/upload/{file_id}", body=iter([b"ab", b"\r\n", b"cd"]), encode_chunked=True
        )
        reply = connection.getresponse()
        assert (reply.status, reply.read()) == (200, b"OK - 6")
    finally:
        connection.close()
    assert fake.uploaded(file_id) == b"ab\r\ncd"


def test_the_web_api_wants_the_token(fake: FakeSlack) -> None:
    stranger = WebClient(base_url=fake.api_url, token="xoxb-someone-else")
    with pytest.raises(SlackApiError) as refused:
        stranger.views_publish(user_id="UALICE", view={"type": "home", "blocks": []})
    assert refused.value.response["error"] == "invalid_auth"
    assert fake.published("UALICE", count=0) == []


def test_scripts_are_per_endpoint_in_order_then_defaults(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.script("auth.test", api_error("account_inactive"), Scripted(body={"ok": True, "x": 1}))
    fake.script(RESPOND, Scripted(404, "no_active_hooks"))
    with pytest.raises(SlackApiError):
        client.auth_test()
    assert client.auth_test()["x"] == 1
    assert client.auth_test()["team_id"] == "TFAKE"  # scripts used up: the fake's own answer
    assert client.users_info(user="UBOB")["user"] == {"id": "UBOB"}  # other methods untouched

    for expected in (404, 200):
        connection = http.client.HTTPConnection("127.0.0.1", int(fake.url.rsplit(":", 1)[1]))
        try:
            body = json.dumps({"text": "hi"})
            connection.request("POST", "/respond/k1", body, {"Content-Type": "application/json"})
            assert connection.getresponse().status == expected
        finally:
            connection.close()
    assert [c.status for c in fake.matching(lambda c: c.method == RESPOND)] == [404, 200]
    assert fake.responded("k1") == {"text": "hi"}

    with pytest.raises(ValueError, match="not a Web API method"):
        fake.script("uploads", api_error("x"))


def test_a_scripted_reply_can_be_slow(fake: FakeSlack, client: WebClient) -> None:
    fake.script("chat.postMessage", Scripted(delay=0.2))
    started = time.monotonic()
    assert client.chat_postMessage(channel="C1", text="slow")["ok"]
    assert time.monotonic() - started >= 0.2
    assert fake.delivered() == 0  # a scripted reply has no side effects: no ts was issued


def test_the_assistant_thread_methods_are_recorded_in_order(
    fake: FakeSlack, client: WebClient
) -> None:
    prompts = [{"title": "How are we doing?", "message": "How are we doing?"}]
    client.assistant_threads_setSuggestedPrompts(channel_id="D1", thread_ts="1.2", prompts=prompts)
    client.assistant_threads_setStatus(channel_id="D1", thread_ts="1.2", status="Counting…")
    client.assistant_threads_setTitle(channel_id="D1", thread_ts="1.2", title="the gap")
    client.chat_postMessage(channel="D1", thread_ts="1.2", text="answer")
    done = fake.in_assistant_thread("D1", "1.2")
    assert [c.method for c in done] == [
        "assistant.threads.setSuggestedPrompts",
        "assistant.threads.setStatus",
        "assistant.threads.setTitle",
        "chat.postMessage",
    ]
    assert done[0].payload["prompts"] == prompts
    assert (done[1].payload["status"], done[2].payload["title"]) == ("Counting…", "the gap")
    assert fake.in_assistant_thread("D1", "9.9") == []


def test_the_assistant_thread_methods_refuse_what_slack_refuses(
    fake: FakeSlack, client: WebClient
) -> None:
    five = [{"title": f"q{i}", "message": f"q{i}"} for i in range(5)]
    refused = [
        lambda: client.assistant_threads_setSuggestedPrompts(
            channel_id="D1", thread_ts="1.2", prompts=five
        ),
        lambda: client.assistant_threads_setTitle(channel_id="D1", thread_ts="1.2", title=""),
        lambda: client.api_call(
            "assistant.threads.setStatus", json={"channel_id": "D1", "status": "x"}
        ),
    ]
    for call in refused:
        with pytest.raises(SlackApiError) as raised:
            call()
        assert raised.value.response["error"] == "invalid_arguments"


def test_replies_list_the_bots_thread_messages_as_last_updated(
    fake: FakeSlack, client: WebClient
) -> None:
    ts = client.chat_postMessage(channel="D1", thread_ts="1.2", text="hi", metadata=None)["ts"]
    client.chat_postMessage(channel="D1", text="elsewhere")
    client.chat_update(
        channel="D1",
        ts=ts,
        text="hi",
        metadata={"event_type": "assistant_thread_context", "event_payload": {"channel_id": "C9"}},
    )
    [message] = client.conversations_replies(channel="D1", ts="1.2")["messages"]
    assert (message["ts"], message["text"], message["user"]) == (ts, "hi", "UBOTFAKE")
    assert message["metadata"]["event_payload"] == {"channel_id": "C9"}
