"""Stopping the web process (SIGTERM, as a deploy does) loses no answer it has acked:
Slack does not send an acknowledged command again, so its answer must get out first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_slack import RESPOND, server_error
from harness import stop_web

if TYPE_CHECKING:
    from harness import FakeSlack, WebControl


def test_an_answer_on_its_way_is_delivered_before_the_process_exits(
    web_control: WebControl, fake_slack: FakeSlack
) -> None:
    web, slack = web_control.start_demo()
    fake_slack.script(RESPOND, server_error(503))  # the answer's first post fails...
    ack, key = slack.command("gap")
    assert ack.status == 200
    fake_slack.wait_for(lambda c: c.path == f"/respond/{key}")  # ...and is being retried
    web_control.started.remove(web)
    stop_web(web)
    assert web.process.returncode == 0
    calls = fake_slack.matching(lambda c: c.path == f"/respond/{key}")
    assert [call.status for call in calls] == [503, 200]
    assert "91%" in calls[-1].payload["text"]
