"""Nothing from the data is markup: a survey whose every name is a Slack control sequence,
driven through every kind of reply the real web process (and the digest worker) sends.

The survey is imported with ``empathy import`` before the web process starts; then answers
(gap, breakdown, filters, trend, vs, listings, help, errors with "did you mean"), their
buttons (next steps, Chart, Share in channel, a digest's Drill down), a mention thread, a
direct message, the App Home tab, a subscription and its digest, an upload's mapping and
import, a forget confirmation and its Delete, and the audit log. Every call the fake Slack
recorded is then read the way Slack reads it: no mrkdwn field may carry a control sequence,
a stray ``<``/``>`` or a bare ``&`` that is not ours, and the names must show as written.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import harness as e2e
import pytest
from fake_slack import Call, FakeSlack
from hostile_survey import (
    AGREE,
    DEPT,
    DEPT_Q,
    DEPT_VALUES,
    FORGED,
    HOSTILE_CODEBOOK,
    MEASURED,
    NECESSITY,
    SITE,
    SITE_Q,
    SITE_VALUES,
    SURVEY,
    TITLE,
    VALUE,
    WAVES,
    YES_NO,
    hostile_csv,
)
from support import markup_from_data, mrkdwn_fields, shown_by_slack

ADMIN = "UADMIN"
USER = "UALICE"
CHANNEL = "CGENERAL"
# Control sequences the bot itself writes: who shared or asked, the subscribed channel, the
# audit log's dates. The data's ids (U0123, C0123, S1) are deliberately not among them.
OURS = re.compile(
    rf"@({USER}|{ADMIN})|#{CHANNEL}|!date\^\d+\^\{{date_short_pretty\}} \{{time\}}\|[\d: -]+UTC"
)

AGREE4 = ("Strongly disagree", "Disagree", "Agree", "Strongly agree")
LONG_WORD = "z" * 20_000


def upload_csv(labels: tuple[str, ...]) -> bytes:
    """An export uploaded in Slack: its headers (question texts, a segment) and values are
    control sequences; its answers are ``labels``."""
    header = (
        "id,<!channel> team,I personally believe <!here> matters,"
        "My organization believes <!here> matters\n"
    )
    rows = [
        f"{i},{DEPT_VALUES[i % 4]},{labels[i % len(labels)]},{labels[(i + 1) % len(labels)]}\n"
        for i in range(1, 13)
    ]
    return (header + "".join(rows)).encode()


# Answered on a scale the suggester knows, and on one it does not (no mapping to suggest).
UPLOAD_CSV = upload_csv(AGREE4)
UNMAPPED_CSV = upload_csv(AGREE)
UPLOAD_CODEBOOK = f"""
[survey]
name = "<!here>-upload"
respondent_id = "id"

[scales.agree]
labels = {list(AGREE4)!r}
positive = ["Agree", "Strongly agree"]

[[questions]]
column = "I personally believe <!here> matters"
theme = "<!everyone> matters"
perspective = "personal"
scale = "agree"

[[questions]]
column = "My organization believes <!here> matters"
theme = "<!everyone> matters"
perspective = "organization"
scale = "agree"

[[segments]]
column = "<!channel> team"
""".encode()
# A codebook naming a column the file lacks: the problem names it.
MISFIT_CODEBOOK = UPLOAD_CODEBOOK.replace(b'column = "<!channel> team"', b'column = "<!here> gone"')


def empathy(env: dict[str, str], *args: str, cwd: Path) -> str:
    """Run the ``empathy`` command as a person would; its output."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "empathy"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Session:
    """What the bot sent for each step (by name), and every call the fake Slack recorded."""

    fake: FakeSlack
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def keep(self, name: str, *payloads: dict[str, Any]) -> None:
        self.replies.setdefault(name, []).extend(payloads)

    def calls(self) -> list[Call]:
        return self.fake.matching(lambda call: True)


_TS = itertools.count(1)


def new_ts() -> str:
    return f"1700200000.{next(_TS):06d}"


def next_monday_nine(after: datetime) -> datetime:
    """The first Monday 09:00 UTC after ``after``: the subscription's first slot."""
    day = (after + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    while day.weekday() != 0 or day <= after:
        day += timedelta(days=1)
    return day


class Driver:
    """Drives the web process as Slack and people would, keeping what came back."""

    def __init__(self, web: e2e.WebProcess, fake: FakeSlack, session: Session) -> None:
        self.web, self.fake, self.session = web, fake, session
        self.slack = e2e.SlackClient(web.url, fake)

    def command(self, name: str, text: str, user: str = USER) -> dict[str, Any]:
        ack, key = self.slack.command(text, user=user)
        assert ack.status == 200, ack.body
        reply = self.fake.responded(key)
        self.session.keep(name, reply)
        return reply

    def click(self, element: dict[str, Any], block_id: str, user: str = USER, **kwargs: Any) -> str:
        """Click a button; the key of the response_url its answer goes to."""
        key = self.slack.unique("click")
        ack = self.slack.click(
            element["action_id"], block_id, element["value"], key, user=user, **kwargs
        )
        assert ack.status == 200, ack.body
        return key

    def click_for_reply(
        self, name: str, element: dict[str, Any], block_id: str, user: str = USER
    ) -> dict[str, Any]:
        reply = self.fake.responded(self.click(element, block_id, user))
        self.session.keep(name, reply)
        return reply

    def mention(self, name: str, text: str, channel: str, thread: str | None = None) -> Call:
        ts = new_ts()
        count = len(self.fake.posts(channel)) + 1  # counted before the reply can arrive
        ack = self.slack.mention(text, channel=channel, ts=ts, thread_ts=thread)
        assert ack.status == 200, ack.body
        where = thread or ts
        posted = self.fake.posted_in(channel, where, count)[-1]
        self.session.keep(name, posted.payload)
        return posted

    def uploads_after(self, count: int) -> None:
        self.fake.wait_for(lambda c: c.method == "files.completeUploadExternal", count)


def element(payload: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The first button of ``payload`` whose action id starts with ``action_id``."""
    for block in payload.get("blocks") or []:
        for item in block.get("elements") or []:
            if item.get("action_id", "").startswith(action_id):
                return dict(item)
    raise AssertionError(f"no {action_id} button in {payload}")


def drive_answers(drive: Driver) -> None:
    queries = {
        "overview": "",
        "help": "help",
        "gap": "gap",
        "breakdown": f"gap by {DEPT_Q}",
        "filters": f"gap {DEPT_Q}=channel,here {SITE_Q}=c0123,httpsevilexampleclick",
        "trend": "gap trend",
        "versus": "gap vs w1 channel",
        "theme": "gap channel necessity by u0123co",
        "themes": "themes",
        "segments": "segments",
        "waves": "waves",
        "surveys": "surveys",
        "did-you-mean": "gap by subteem",
        "values-hint": f"gap {DEPT_Q}=nobody",
        "unknown-word": "gap <b>&x",
        "long-query": f"gap {LONG_WORD}",
    }
    for name, text in queries.items():
        drive.command(name, text)
    gap = drive.session.replies["gap"][0]
    uploads = len(drive.fake.api("files.completeUploadExternal"))
    drive.click_for_reply("next-step", element(gap, "answer_step_0"), "empathy_answer")
    drive.click_for_reply("share", element(gap, "share_in_channel"), "empathy_answer")
    drive.click(element(gap, "answer_chart"), "empathy_answer")
    drive.uploads_after(uploads + 1)
    drive.command("chart-command", f"gap by {DEPT_Q} chart")
    drive.uploads_after(uploads + 2)


def drive_conversations(drive: Driver) -> None:
    channel = drive.slack.unique("CESC").upper()
    first = drive.mention("mention", f"gap by {DEPT_Q}", channel)
    thread = str(first.payload["thread_ts"])
    drive.mention("follow-up", f"and by {SITE_Q}?", channel, thread)
    drive.mention("mention-error", "what about zzzz", channel, thread)
    drive.mention("mention-long", f"gap {LONG_WORD}", channel, thread)
    step = element(first.payload, "answer_step_0")
    count = len(drive.fake.posts(channel)) + 1
    drive.click(
        step,
        "empathy_answer",
        channel=channel,
        message={"ts": first.reply["ts"], "thread_ts": thread},
    )
    drive.session.keep("thread-step", drive.fake.posted_in(channel, thread, count)[-1].payload)
    dm = f"D{USER}"
    ts = new_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": dm,
        "user": USER,
        "text": "gap channel necessity trend chart",
        "ts": ts,
        "event_ts": ts,
    }
    assert drive.slack.event(event).status == 200
    drive.session.keep("direct-message", drive.fake.posted_in(dm, None)[0].payload)
    drive.fake.uploads_in(dm)


def drive_home(drive: Driver) -> None:
    event = {"type": "app_home_opened", "user": USER, "channel": f"D{USER}", "tab": "home"}
    assert drive.slack.event({**event, "event_ts": new_ts()}).status == 200
    [view] = drive.fake.published(USER)
    drive.session.keep("home", view)


def drive_digest(drive: Driver, env: dict[str, str], cwd: Path) -> None:
    subscribe = f"subscribe weekly monday 09:00 UTC {DEPT_Q}=channel,here chart"
    drive.command("subscribe", subscribe, user=ADMIN)
    drive.command("subscriptions", "subscriptions")
    drive_home(drive)  # now with the subscription
    when = next_monday_nine(datetime.now(UTC)) + timedelta(minutes=1)
    posts = len(drive.fake.posts(CHANNEL))
    empathy(env, "digests", "tick", "--now", when.isoformat(), cwd=cwd)
    digest = drive.fake.posts(CHANNEL)[posts:]
    assert len(digest) == 1, digest
    drive.session.keep("digest", digest[0].payload)
    drive.fake.uploads_in(CHANNEL, str(digest[0].reply["ts"]))
    drill = element(digest[0].payload, "digest_drill_down")
    drive.click_for_reply("drill-down", drill, "empathy_digest")


def drive_upload(drive: Driver) -> None:
    site = e2e.Uploads(drive.fake, e2e.ImportWeb(drive.web, drive.slack))
    unmapped = site.share("<!here>.csv", UNMAPPED_CSV, user=ADMIN)
    drive.session.keep("unmapped", site.reply(unmapped))
    upload = site.share("<!channel>.csv", UPLOAD_CSV, user=ADMIN)
    drive.session.keep("mapping", site.reply(upload))
    misfit = site.fake.serve_file("misfit.toml", MISFIT_CODEBOOK)
    share = e2e.slack_file("misfit.toml", misfit, len(MISFIT_CODEBOOK), "toml")
    drive.slack.share_file(
        [share], channel=upload.channel, ts=new_ts(), user=ADMIN, thread_ts=upload.ts
    )
    drive.session.keep("misfit-codebook", site.replies(upload, 2)[-1].payload)
    own = site.fake.serve_file("own.toml", UPLOAD_CODEBOOK)
    share = e2e.slack_file("own.toml", own, len(UPLOAD_CODEBOOK), "toml")
    drive.slack.share_file(
        [share], channel=upload.channel, ts=new_ts(), user=ADMIN, thread_ts=upload.ts
    )
    mapped = site.replies(upload, 3)[-1].payload
    drive.session.keep("own-codebook", mapped)
    pending = site.pending_id(mapped)
    drive.session.keep("import-modal", site.click_import(upload, pending, user=ADMIN))
    assert site.submit_import(pending, "<!here>-upload", "<!channel> wave").status == 200
    drive.session.keep("import-summary", site.replies(upload, 4)[-1].payload)


def drive_admin(drive: Driver) -> None:
    drive.command("forget-unknown", "forget wave nosuch", user=ADMIN)
    confirmation = drive.command("forget", f'forget wave "{WAVES[0]}"', user=ADMIN)
    delete = element(confirmation, "forget_wave_delete")
    drive.click_for_reply("forgotten", delete, "empathy_forget", user=ADMIN)
    drive.command("audit", "audit", user=ADMIN)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """A web process over the hostile survey (two waves, imported at the command line),
    driven through every kind of reply; its own fake Slack, so every call is from here."""
    fake = FakeSlack(e2e.BOT_TOKEN, default_user={"tz": "UTC"}, identity={"team_id": "TESC"})
    directory = tmp_path_factory.mktemp("hostile")
    database = directory / "empathy.db"
    env = {**e2e.app_env(fake, database), "ADMIN_USER_IDS": ADMIN, "DEFAULT_TIMEZONE": "UTC"}
    (directory / "hostile.toml").write_text(HOSTILE_CODEBOOK, encoding="utf-8")
    for index, label in enumerate(WAVES, start=1):
        (directory / f"wave{index}.csv").write_text(hostile_csv(index), encoding="utf-8")
        empathy(
            env,
            *("import", f"wave{index}.csv", "--codebook", "hostile.toml", "--wave", label),
            cwd=directory,
        )
    web = e2e.start_web(directory, fake, database, {"ADMIN_USER_IDS": ADMIN})
    found = Session(fake)
    drive = Driver(web, fake, found)
    try:
        drive_answers(drive)
        drive_conversations(drive)
        drive_digest(drive, env, directory)
        drive_upload(drive)
        drive_admin(drive)
        yield found
    finally:
        e2e.stop_web(web)
        fake.close()


def test_no_mrkdwn_field_carries_markup_from_the_data(session: Session) -> None:
    problems = [
        f"{call.method} {problem}"
        for call in session.calls()
        for problem in markup_from_data(call.payload, OURS, FORGED)
    ]
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def _shown(payloads: list[dict[str, Any]]) -> str:
    return "\n".join(shown_by_slack(payload, OURS) for payload in payloads)


@pytest.mark.parametrize(
    ("step", "names"),
    [
        ("gap", [TITLE, SURVEY, WAVES[1], NECESSITY, MEASURED, YES_NO[1]]),
        ("breakdown", [DEPT.lower(), *DEPT_VALUES]),
        ("filters", [DEPT.lower(), "<!channel> or <!here>", SITE.lower(), *SITE_VALUES]),
        ("trend", [*WAVES]),
        ("versus", [WAVES[0]]),
        ("themes", [NECESSITY, VALUE, MEASURED, "We measure it <!subteam^S1> & <#C0123>"]),
        ("segments", [DEPT.lower(), SITE.lower(), *DEPT_VALUES, *SITE_VALUES]),
        ("waves", [*WAVES]),
        ("surveys", [SURVEY, TITLE]),
        ("did-you-mean", [DEPT.lower()]),
        ("values-hint", [*DEPT_VALUES]),
        ("unknown-word", ["<b>&x"]),
        ("next-step", [TITLE, WAVES[1]]),
        ("share", [TITLE]),
        ("mention", [*DEPT_VALUES]),
        ("follow-up", [*SITE_VALUES]),
        ("thread-step", [TITLE]),
        ("direct-message", [*WAVES]),
        ("home", [TITLE, NECESSITY, DEPT.lower(), "<!here>"]),
        ("subscribe", [DEPT.lower(), "<!here>"]),
        ("subscriptions", [DEPT.lower(), "<!here>"]),
        ("digest", [TITLE, NECESSITY, f"{DEPT.lower()} = <!channel> or <!here>"]),
        ("drill-down", [TITLE]),
        ("unmapped", ["<!here>.csv", "I personally believe <!here> matters"]),
        ("mapping", ["<!channel> team", "<!here> matters", "<!channel>.csv"]),
        ("import-modal", ["<!channel>.csv"]),
        ("misfit-codebook", ["<!here> gone"]),
        ("own-codebook", ["<!everyone> matters", "<!here>-upload"]),
        ("import-summary", ["<!here>-upload", "<!channel> wave", "<!everyone> matters"]),
        ("forget-unknown", [*WAVES]),
        ("forget", [WAVES[0], SURVEY]),
        ("forgotten", [WAVES[0], SURVEY]),
        ("audit", [SURVEY, WAVES[0]]),
    ],
)
def test_every_reply_shows_the_names_as_written(
    session: Session, step: str, names: list[str]
) -> None:
    shown = _shown(session.replies[step])
    missing = [name for name in names if name not in shown]
    assert not missing, f"{step} does not show {missing} in:\n{shown[:3000]}"


@pytest.mark.parametrize("step", ["long-query", "mention-long"])
def test_a_long_query_is_echoed_short(session: Session, step: str) -> None:
    [reply] = session.replies[step]
    for _, text in mrkdwn_fields(reply):
        assert LONG_WORD not in text
        assert len(text) < 2000, text[:200]
    assert "z" * 40 in reply["text"] and "…" in reply["text"]


def test_chart_comments_quote_what_was_asked(session: Session) -> None:
    comments = [
        str(call.payload.get("initial_comment") or "")
        for call in session.fake.api("files.completeUploadExternal")
    ]
    assert any(f"gap by {DEPT_Q} chart" in comment for comment in comments), comments
