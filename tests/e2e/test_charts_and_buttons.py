"""Charts uploaded with files_upload_v2 (getUploadURLExternal → upload → completeUploadExternal)
and every kind of button under an answer, clicked with signed block_actions payloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from harness import action_ids, buttons

if TYPE_CHECKING:
    from fake_slack import FakeSlack, SharedUpload
    from harness import SlackClient, WebControl

PNG = b"\x89PNG\r\n\x1a\n"


def assert_chart(upload: SharedUpload, *figures: str) -> None:
    file = upload.file
    assert file.content is not None and file.content.startswith(PNG)
    assert len(file.content) == file.length > 10_000
    assert file.filename.endswith(".png")
    assert file.alt_txt is not None
    for figure in figures:
        assert figure in file.alt_txt


def test_a_chart_asked_for_in_a_command_is_uploaded_to_the_channel(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("CCHART")
    ack, key = slack.command("gap by role chart", channel=channel)
    assert ack.status == 200
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert "In-house (n = 150)" in answer["text"]
    [upload] = fake_slack.uploads_in(channel)
    assert_chart(upload, "In-house (n = 150)", "Consultant (n = 47)", "91%", "36%")
    assert upload.initial_comment == "<@UALICE> asked for `/empathy gap by role chart`"
    steps = [c.method for c in fake_slack.calls if c.method.startswith("files.")]
    assert "files.getUploadURLExternal" in steps and "files.completeUploadExternal" in steps


def test_a_mention_asking_for_a_chart_gets_it_in_the_thread(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, ts = slack.unique("CMENTION"), "1700000100.000100"
    slack.mention("<@UBOTE2E> show me a chart of the gap", channel=channel, ts=ts)
    [reply] = fake_slack.posted_in(channel, ts)
    assert "91%" in reply.payload["text"]
    [upload] = fake_slack.uploads_in(channel, ts)
    assert_chart(upload, "necessity: personal 91% (n = 197), organization 36% (n = 197)")
    assert upload.initial_comment is None


def test_an_answer_offers_drill_downs_trend_chart_and_share(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    _, key = slack.command("gap role=in-house")
    offered = buttons(fake_slack.responded(key))
    assert offered == {
        "By seniority": "q:gap by seniority role=In-house",
        "By region": "q:gap by region role=In-house",
        "Trend": "q:gap role=In-house trend",
        "Chart": "q:gap role=In-house",
        "Share in channel": "q:gap role=In-house",
    }


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("By seniority", "Empathy gap by seniority"),
        ("By region", "Empathy gap by region"),
        ("Trend", "2021-pilot (n = 90)"),
    ],
)
def test_each_next_step_button_answers_privately(
    slack: SlackClient, fake_slack: FakeSlack, label: str, expected: str
) -> None:
    _, key = slack.command("gap role=in-house")
    answer = fake_slack.responded(key)
    click_key = slack.unique("click")
    response = slack.click(
        action_ids(answer)[label], "empathy_answer", buttons(answer)[label], click_key
    )
    assert response.status == 200
    followed = fake_slack.responded(click_key)
    assert followed["response_type"] == "ephemeral"
    assert followed["replace_original"] is False
    assert expected in followed["text"]
    assert "role = In-house" in followed["text"]
    assert "Chart" in buttons(followed)  # the new answer has its own buttons


def test_the_chart_button_uploads_the_answer_as_a_picture(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    _, key = slack.command("gap trend")
    answer = fake_slack.responded(key)
    assert "Trend" not in buttons(answer)  # already a trend
    click_key = slack.unique("chart")
    slack.click("answer_chart", "empathy_answer", buttons(answer)["Chart"], click_key)
    uploads = fake_slack.uploads_in("CGENERAL", count=1)
    charted = [u for u in uploads if "trend" in (u.initial_comment or "")]
    assert charted, [u.initial_comment for u in uploads]
    assert_chart(charted[-1], "2021-pilot", "2022")
    assert charted[-1].initial_comment == "<@UALICE> asked for a chart of `/empathy gap trend`"


def test_buttons_in_a_thread_answer_in_that_thread_and_move_its_context(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, ts = slack.unique("CTHREAD"), "1700000200.000100"
    slack.mention("<@UBOTE2E> gap for consultants", channel=channel, ts=ts)
    [reply] = fake_slack.posted_in(channel, ts)
    blocks = {"blocks": reply.payload["blocks"]}
    offered = buttons(blocks)
    assert "Share in channel" not in offered  # it is in the channel already
    message = {"ts": reply.reply["ts"], "thread_ts": ts}
    slack.click(
        action_ids(blocks)["By region"],
        "empathy_answer",
        offered["By region"],
        slack.unique("k"),
        channel=channel,
        message=message,
    )
    _, by_region = fake_slack.posted_in(channel, ts, count=2)
    assert "Empathy gap by region" in by_region.payload["text"]
    assert "role = Consultant" in by_region.payload["text"]
    # The thread now follows the clicked query: a follow-up refines the breakdown.
    slack.mention("<@UBOTE2E> only europe", channel=channel, ts="1700000200.000300", thread_ts=ts)
    third = fake_slack.posted_in(channel, ts, count=3)[-1]
    assert "Empathy gap by region" in third.payload["text"]
    assert "region = Europe" in third.payload["text"]
    slack.click(
        "answer_chart",
        "empathy_answer",
        offered["Chart"],
        slack.unique("k"),
        channel=channel,
        message=message,
    )
    [upload] = fake_slack.uploads_in(channel, ts)
    assert_chart(upload, "role = Consultant")


def test_a_chart_where_the_bot_is_not_a_member_explains_what_to_do(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("files.completeUploadExternal", "not_in_channel")
    channel = slack.unique("CPRIVATE")
    _, key = slack.command("gap chart", channel=channel)
    notes = fake_slack.wait_for(
        lambda c: c.path == f"/respond/{key}" and "/invite" in str(c.payload.get("text")),
    )
    assert "Invite me with `/invite @Empathy`" in notes[0].payload["text"]
    assert not fake_slack.uploads_in(channel, count=0)


def test_a_chart_of_a_list_is_refused_politely(slack: SlackClient, fake_slack: FakeSlack) -> None:
    _, key = slack.command("themes chart")
    notes = fake_slack.wait_for(
        lambda c: c.path == f"/respond/{key}" and "no chart" in str(c.payload.get("text")),
    )
    assert "There is no chart for a list" in notes[0].payload["text"]


def test_buttons_still_work_after_a_restart(web_control: WebControl, fake_slack: FakeSlack) -> None:
    web, slack = web_control.start_demo()
    _, key = slack.command("gap role=consultant")
    answer = fake_slack.responded(key)
    _, again = web_control.restart(web)
    click_key = again.unique("after")
    again.click("answer_step_1", "empathy_answer", buttons(answer)["By region"], click_key)
    followed = fake_slack.responded(click_key)
    assert "Empathy gap by region" in followed["text"]
    assert "role = Consultant" in followed["text"]
