"""Slack's assistant surface, through the real web process: a new thread is greeted with
prompts from the workspace's own catalogue; a question shows a status, titles the thread
and is answered as a mention is; actions are routed there too; and the DM listener does
not answer a second time. Events are built as Slack sends them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import TEAM_ID, action_ids

from insights import Store
from insights.ingest.codebook import load_codebook
from insights.ingest.importer import import_file
from tests.corpus.pulse import CODEBOOK_PATH, PULSE_DIR

if TYPE_CHECKING:
    from fake_slack import Call, FakeSlack
    from harness import SlackClient, WebFactory

USER = "UALICE"
DEMO_TEAM = "local"  # the store team of harness.demo_database, the web process's default


def thread_started(channel: str, thread_ts: str, viewing: str = "CVIEWED") -> dict[str, Any]:
    """``assistant_thread_started``: the person opened a new assistant thread while viewing
    channel ``viewing``."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": USER,
            "context": {"channel_id": viewing, "team_id": TEAM_ID, "enterprise_id": None},
            "channel_id": channel,
            "thread_ts": thread_ts,
        },
        "event_ts": thread_ts,
    }


def context_changed(channel: str, thread_ts: str, viewing: str) -> dict[str, Any]:
    event = thread_started(channel, thread_ts, viewing)
    return {**event, "type": "assistant_thread_context_changed"}


def said_in_thread(text: str, *, channel: str, thread_ts: str, ts: str) -> dict[str, Any]:
    """A person's message in an assistant thread: a ``message.im`` event with its thread."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": USER,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "event_ts": ts,
    }


def titles(call: Call) -> list[str]:
    return [prompt["title"] for prompt in call.payload["prompts"]]


def steps(fake: FakeSlack, channel: str, thread_ts: str) -> list[str]:
    """What was done in the thread, in order: "setStatus", "setTitle", "postMessage", …"""
    return [c.method.rsplit(".", 1)[-1] for c in fake.in_assistant_thread(channel, thread_ts)]


def calls(fake: FakeSlack, method: str, channel: str, thread_ts: str) -> list[Call]:
    """The ``assistant.threads.<method>`` calls made in a thread so far."""
    return [
        c
        for c in fake.in_assistant_thread(channel, thread_ts)
        if c.method == f"assistant.threads.{method}"
    ]


def prompts_in(fake: FakeSlack, channel: str, thread_ts: str) -> Call:
    [call] = fake.wait_for(
        lambda c: (
            c.method == "assistant.threads.setSuggestedPrompts"
            and c.payload.get("channel_id") == channel
            and c.payload.get("thread_ts") == thread_ts
        )
    )
    assert call.ok, call.reply
    return call


def test_a_new_thread_is_greeted_with_prompts_from_the_demo_survey(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread_ts = slack.unique("D"), "1700002000.000100"
    assert slack.event(thread_started(channel, thread_ts)).status == 200
    prompts = prompts_in(fake_slack, channel, thread_ts)
    assert titles(prompts) == [
        "What's the gap on necessity?",
        "What's the gap by role?",
        "How has the gap changed over time?",
        "What can I ask?",
    ]
    [greeting] = fake_slack.posted_in(channel, thread_ts)
    assert "empathy gap" in greeting.payload["text"]
    assert steps(fake_slack, channel, thread_ts) == ["postMessage", "setSuggestedPrompts"]


def import_pulse_wave(database: Path) -> None:
    """The corpus's second survey (other themes and segments), one wave, imported last."""
    store = Store.open(database)
    try:
        import_file(
            store,
            PULSE_DIR / "wave_2026_q1.csv",
            load_codebook(CODEBOOK_PATH),
            team_id=DEMO_TEAM,
            wave="Q1 2026",
            actor="cli:test",
        )
    finally:
        store.close()


def test_another_survey_suggests_its_own_themes_and_segment_and_no_trend(
    start_another_web: WebFactory, fake_slack: FakeSlack
) -> None:
    _, other = start_another_web(import_pulse_wave)
    channel, thread_ts = other.unique("D"), "1700002100.000100"
    other.event(thread_started(channel, thread_ts))
    assert titles(prompts_in(fake_slack, channel, thread_ts)) == [
        "What's the gap on listening?",
        "What's the gap on acts on feedback?",
        "What's the gap by department?",
        "What can I ask?",
    ]
    # … and a suggested prompt, sent back as the person's message, is answered from it.
    message = said_in_thread(
        "What's the gap on listening?", channel=channel, thread_ts=thread_ts, ts="1700002100.000200"
    )
    other.event(message)
    [_, answer] = fake_slack.posted_in(channel, thread_ts, count=2)
    assert "listening" in answer.payload["text"]
    [status] = calls(fake_slack, "setStatus", channel, thread_ts)
    assert status.payload["status"] == "Counting 300 responses…"


def test_a_question_shows_a_status_then_a_title_then_the_answer_of_a_mention(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread_ts = slack.unique("D"), "1700002200.000100"
    question = "what's the gap by role?"
    slack.event(
        said_in_thread(question, channel=channel, thread_ts=thread_ts, ts="1700002200.000200")
    )
    [answer] = fake_slack.posted_in(channel, thread_ts)
    assert steps(fake_slack, channel, thread_ts) == ["setStatus", "setTitle", "postMessage"]
    [status] = calls(fake_slack, "setStatus", channel, thread_ts)
    assert status.payload["status"] == "Counting 197 responses…"
    [title] = calls(fake_slack, "setTitle", channel, thread_ts)
    assert title.payload["title"] == question

    mention_channel, ts = slack.unique("C"), "1700002200.000300"
    slack.mention(question, channel=mention_channel, ts=ts)
    [mentioned] = fake_slack.posted_in(mention_channel, ts)
    assert answer.payload["text"] == mentioned.payload["text"]
    assert answer.payload["blocks"] == mentioned.payload["blocks"]
    assert "answer_chart" in action_ids(answer.payload).values()  # its buttons, too


def test_a_follow_up_counts_its_own_wave_and_keeps_the_first_title(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread_ts = slack.unique("D"), "1700002300.000100"
    first = said_in_thread(
        "gap by role", channel=channel, thread_ts=thread_ts, ts="1700002300.000200"
    )
    slack.event(first)
    fake_slack.posted_in(channel, thread_ts)
    follow_up = {**first, "text": "and in the pilot?", "ts": "1700002300.000300"}
    slack.event(follow_up)
    [_, answer] = fake_slack.posted_in(channel, thread_ts, count=2)
    assert "2021-pilot" in answer.payload["text"]
    statuses = [c.payload["status"] for c in calls(fake_slack, "setStatus", channel, thread_ts)]
    assert statuses == ["Counting 197 responses…", "Counting 120 responses…"]
    [title] = calls(fake_slack, "setTitle", channel, thread_ts)
    assert title.payload["title"] == "gap by role"


def test_a_chart_asked_for_in_an_assistant_thread_is_uploaded_there(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread_ts = slack.unique("D"), "1700002400.000100"
    ask = said_in_thread(
        "gap by role chart", channel=channel, thread_ts=thread_ts, ts="1700002400.000200"
    )
    slack.event(ask)
    fake_slack.posted_in(channel, thread_ts)
    [upload] = fake_slack.uploads_in(channel, thread_ts)
    assert upload.file.alt_txt is not None and "In-house (n = 150)" in upload.file.alt_txt


def test_an_action_typed_in_an_assistant_thread_is_routed_without_counting(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread_ts = slack.unique("D"), "1700002500.000100"
    typed = said_in_thread(
        "subscriptions", channel=channel, thread_ts=thread_ts, ts="1700002500.000200"
    )
    slack.event(typed)
    [reply] = fake_slack.posted_in(channel, thread_ts)
    assert "subscri" in reply.payload["text"].lower()
    assert "Traceback" not in reply.payload["text"]
    assert steps(fake_slack, channel, thread_ts) == ["setTitle", "postMessage"]


def test_the_dm_listener_does_not_answer_an_assistant_thread_again(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread_ts = slack.unique("D"), "1700002600.000100"
    slack.event(thread_started(channel, thread_ts))
    prompts_in(fake_slack, channel, thread_ts)
    first = said_in_thread(
        "how are we doing?", channel=channel, thread_ts=thread_ts, ts="1700002600.000200"
    )
    slack.event(first)
    second = {**first, "text": "and by region?", "ts": "1700002600.000300"}
    fake_slack.posted_in(channel, thread_ts, count=2)  # the greeting and the first answer
    slack.event(second)
    fake_slack.wait_for(
        lambda c: (
            c.method == "assistant.threads.setStatus" and c.payload.get("channel_id") == channel
        ),
        count=2,
    )
    posts = fake_slack.posted_in(channel, thread_ts, count=3)
    # One answer per question: each answer follows its own status, none is repeated.
    assert steps(fake_slack, channel, thread_ts) == [
        "postMessage",
        "setSuggestedPrompts",
        "setStatus",
        "setTitle",
        "postMessage",
        "setStatus",
        "postMessage",
    ]
    assert len(posts) == 3 and "region" in posts[2].payload["text"].lower()


def test_a_changed_context_is_saved_and_the_thread_keeps_answering(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    """Bolt's default store keeps the context in the metadata of the bot's first reply in
    the thread (the greeting): a change updates it there."""
    channel, thread_ts = slack.unique("D"), "1700002700.000100"
    slack.event(thread_started(channel, thread_ts, viewing="CFIRST"))
    prompts_in(fake_slack, channel, thread_ts)
    [greeting] = fake_slack.posted_in(channel, thread_ts)
    assert slack.event(context_changed(channel, thread_ts, viewing="CSECOND")).status == 200
    [update] = fake_slack.wait_for(
        lambda c: c.method == "chat.update" and c.payload.get("channel") == channel
    )
    assert update.payload["ts"] == greeting.reply["ts"]
    assert update.payload["metadata"]["event_payload"]["channel_id"] == "CSECOND"
    ask = said_in_thread(
        "gap role=in-house", channel=channel, thread_ts=thread_ts, ts="1700002700.000200"
    )
    slack.event(ask)
    [_, answer] = fake_slack.posted_in(channel, thread_ts, count=2)
    assert "72%" in answer.payload["text"]


def test_a_plain_direct_message_is_still_answered_by_the_dm_listener(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    """Outside a thread (a DM without the assistant surface), nothing changes: no status."""
    channel = slack.unique("D")
    message = said_in_thread(
        "gap role=in-house", channel=channel, thread_ts="", ts="1700002800.000200"
    )
    del message["thread_ts"]
    slack.event(message)
    [reply] = fake_slack.posted_in(channel, None)
    assert "72%" in reply.payload["text"]
    assert not fake_slack.matching(
        lambda c: c.method.startswith("assistant.") and c.payload.get("channel_id") == channel
    )


def test_a_dm_thread_without_the_surface_is_still_answered_when_slack_refuses_the_status(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    """Where the assistant surface is not enabled (a free plan), Slack refuses a status and
    a title in a DM thread: the question is answered all the same."""
    channel, thread_ts = slack.unique("D"), "1700002900.000100"
    fake_slack.fail("assistant.threads.setStatus", "not_allowed_token_type")
    fake_slack.fail("assistant.threads.setTitle", "not_allowed_token_type")
    ask = said_in_thread(
        "gap role=in-house", channel=channel, thread_ts=thread_ts, ts="1700002900.000200"
    )
    slack.event(ask)
    [answer] = fake_slack.posted_in(channel, thread_ts)
    assert "72%" in answer.payload["text"]
    refused = [c for c in fake_slack.in_assistant_thread(channel, thread_ts) if not c.ok]
    assert [c.method for c in refused] == [
        "assistant.threads.setStatus",
        "assistant.threads.setTitle",
    ]
