"""A pulse run from Slack, through the real web process, the worker's tick and the fake Slack:
started by an admin in a channel of 12 people, each invited once by DM, 9 answering in the
questions form (one changing their answers), closed into a wave whose figures are the
answers; a pulse that closes below its minimum shows nothing and keeps nothing. Then the
database (every table, every column, and the file's bytes) and the web process's log are
read for any person next to an answer."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_slack import Call, FakeSlack, json_arg
from harness import ADMIN, BOT_USER_ID, ImportWeb, SlackClient, app_env

from insights import Store, ask

CHANNEL = "CPULSE"
SMALL_CHANNEL = "CPULSESMALL"
PEOPLE = [f"UPULSE{i:02d}" for i in range(12)]
FEW = [f"UFEW{i}" for i in range(6)]
TEAM = "local"  # the single-workspace bot's store team (DEFAULT_TEAM_ID)
# What the 9 who answer choose in the end: 8 of 9 agree personally that empathy is
# necessary, 3 for their organization; 7 and 2 on business value.
NECESSITY = (
    [("Agree", "Agree")] * 3
    + [("Strongly agree", "Disagree")] * 5
    + [("Disagree", "Neither agree nor disagree")]
)
VALUE = [("Agree", "Agree")] * 2 + [("Agree", "Disagree")] * 5 + [("Disagree", "Disagree")] * 2
OPTIONS = {
    "Agree",
    "Strongly agree",
    "Disagree",
    "Strongly disagree",
    "Neither agree nor disagree",
    "In-house",
    "Consultant",
    "Staff",
}


@pytest.fixture
def audience(fake_slack: FakeSlack) -> Iterator[None]:
    """The channels' members (the bot among them), served 5 to a page."""
    fake_slack.members[CHANNEL] = [*PEOPLE[:6], BOT_USER_ID, *PEOPLE[6:]]
    fake_slack.members[SMALL_CHANNEL] = list(FEW)
    page, fake_slack.member_page = fake_slack.member_page, 5
    yield
    fake_slack.member_page = page


def view_of(call: Call) -> dict[str, Any]:
    return dict(json_arg(call.payload["view"]))


def start_pulse(slack: SlackClient, fake: FakeSlack, channel: str, minimum: int) -> None:
    """``/empathy pulse start`` by the admin, and the form submitted."""
    trigger = slack.unique("trig")
    ack, _ = slack.command("pulse start", user=ADMIN, trigger_id=trigger, channel=channel)
    assert ack.status == 200
    [opened] = fake.wait_for(
        lambda c: c.method == "views.open" and c.payload.get("trigger_id") == trigger
    )
    assert view_of(opened)["callback_id"] == "pulse_start_modal"
    closes = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    values = {
        "pulse_set": {"value": {"type": "static_select", "selected_option": {"value": "builtin"}}},
        "pulse_channel": {
            "value": {"type": "conversations_select", "selected_conversation": channel}
        },
        "pulse_usergroup": {"value": {"type": "plain_text_input", "value": None}},
        "pulse_closes": {"value": {"type": "datepicker", "selected_date": closes}},
        "pulse_minimum": {"value": {"type": "number_input", "value": str(minimum)}},
        "pulse_repeat": {"value": {"type": "static_select", "selected_option": {"value": "none"}}},
    }
    assert slack.submit_view("pulse_start_modal", values, user=ADMIN).status == 200


def invitations(fake: FakeSlack, people: list[str]) -> dict[str, Call]:
    """Each person's invitation DM, waiting for them all."""

    def invited(call: Call) -> bool:
        return (
            call.method == "chat.postMessage"
            and str(call.payload.get("channel")) in {f"D{p}" for p in people}
            and "pulse_answer" in json.dumps(json_arg(call.payload.get("blocks")))
        )

    calls = fake.wait_for(invited, len(people))
    return {str(call.payload["channel"])[1:]: call for call in calls}


def pulse_id(call: Call) -> str:
    for block in json_arg(call.payload["blocks"]):
        for element in block.get("elements") or []:
            if element.get("action_id") == "pulse_answer":
                return str(element["value"])
    raise AssertionError("no Answer button")


def open_questions(slack: SlackClient, fake: FakeSlack, person: str, pulse: str) -> dict[str, Any]:
    trigger = slack.unique("trig")
    ack = slack.click(
        "pulse_answer", "pulse_invitation", pulse, slack.unique("k"), user=person,
        channel=f"D{person}", trigger_id=trigger, message={"ts": "1700000000.000001"},
    )  # fmt: skip
    assert ack.status == 200
    [opened] = fake.wait_for(
        lambda c: c.method == "views.open" and c.payload.get("trigger_id") == trigger
    )
    return view_of(opened)


def answer(
    slack: SlackClient, fake: FakeSlack, person: str, pulse: str, choices: dict[str, str]
) -> dict[str, Any]:
    """Click Answer, fill in the form the bot opened, send it; returns the form as opened."""
    view = open_questions(slack, fake, person, pulse)
    labels = {
        block["label"]["text"]: block["block_id"]
        for block in view["blocks"]
        if block["type"] == "input"
    }
    values = {
        labels[label]: {"value": {"type": "static_select", "selected_option": {"value": option}}}
        for label, option in choices.items()
    }
    receipts = len(fake.posts(f"D{person}"))
    ack = slack.submit_view("pulse_answers_modal", values, user=person, private_metadata=pulse)
    assert ack.status == 200
    fake.wait_for(
        lambda c: c.method == "chat.postMessage" and c.payload.get("channel") == f"D{person}",
        receipts + 1,
    )
    return view


NECESSITY_WORDS = "customer empathy is necessary or helpful to define and implement CX improvements"
NECESSITY_TEXTS = (
    f"I personally believe {NECESSITY_WORDS}",
    f"My organization believes {NECESSITY_WORDS}",
)
VALUE_TEXTS = (
    "I personally believe customer empathy is necessary to create business value",
    "My organization believes customer empathy is necessary to create business value",
)


def choices(n: int) -> dict[str, str]:
    return {
        "Role": "In-house",
        NECESSITY_TEXTS[0]: NECESSITY[n][0],
        NECESSITY_TEXTS[1]: NECESSITY[n][1],
        VALUE_TEXTS[0]: VALUE[n][0],
        VALUE_TEXTS[1]: VALUE[n][1],
    }


def every_cell(database: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every table's rows, every column as text (BLOBs as hex), read with plain sqlite3."""
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = {}
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            found[table] = [
                tuple(v.hex() if isinstance(v, bytes) else str(v) for v in row) for row in rows
            ]
        return found
    finally:
        conn.close()


def tables_naming(database: Path, people: list[str]) -> set[str]:
    return {
        table
        for table, rows in every_cell(database).items()
        for row in rows
        if any(person in cell for cell in row for person in people)
    }


def tick(import_web: ImportWeb, fake: FakeSlack, now: datetime) -> None:
    """The worker's tick (``empathy digests tick``) at ``now``, as cron runs it."""
    env = app_env(fake, import_web.web.database)
    done = subprocess.run(
        ["empathy", "digests", "tick", "--now", now.strftime("%Y-%m-%dT%H:%M:%SZ")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_pulse_from_start_to_its_own_gap(
    import_web: ImportWeb, fake_slack: FakeSlack, audience: None
) -> None:
    slack, fake, database = import_web.slack, fake_slack, import_web.web.database
    start_pulse(slack, fake, CHANNEL, minimum=5)
    invited = invitations(fake, PEOPLE)
    assert set(invited) == set(PEOPLE)  # everyone, not the bot, over three pages
    pulse = pulse_id(invited[PEOPLE[0]])
    started = fake.wait_for(
        lambda c: c.method == "chat.postMessage" and c.payload.get("channel") == f"D{ADMIN}"
    )
    assert "asked 12 people" in started[-1].payload["text"]

    first = dict(choices(0), **{NECESSITY_TEXTS[0]: "Strongly disagree"})
    answer(slack, fake, PEOPLE[0], pulse, first)
    for n, person in enumerate(PEOPLE[1:9], start=1):
        answer(slack, fake, person, pulse, choices(n))
    # Changing one's answers: the form says one has answered (never what), and replaces them.
    view = answer(slack, fake, PEOPLE[0], pulse, choices(0))
    assert "You have answered already" in json.dumps(view)
    assert "updated" in fake.posts(f"D{PEOPLE[0]}")[-1].payload["text"]
    forms = [view_of(c) for c in fake.api("views.open")]
    questions = [f for f in forms if f["callback_id"] == "pulse_answers_modal"]
    assert len(questions) == 10 and "initial_option" not in json.dumps(questions)

    # While it is open: only the audience table names people, and it holds no answer.
    assert tables_naming(database, PEOPLE) == {"pulse_audience"}
    _, key = slack.command("pulse status", user="UALICE")
    status = fake.responded(key)["text"]
    assert "9 of 12 answered (12 invited); results need 5" in status

    # A reminder tick a day before closing reaches only the 3 who did not answer, once.
    store = Store.open(database)
    (closes,) = store.db.execute(
        "SELECT closes_at FROM pulses WHERE id = ?", [int(pulse)]
    ).fetchone()
    store.close()
    reminder_time = datetime.fromisoformat(closes.replace("Z", "+00:00")) - timedelta(hours=12)
    for _ in range(2):
        tick(import_web, fake, reminder_time)
    reminded = [
        c
        for c in fake.posts()
        if "closes" in str(c.payload.get("text")) and ":hourglass" in str(c.payload.get("text"))
    ]
    assert sorted(str(c.payload["channel"]) for c in reminded) == sorted(
        f"D{p}" for p in PEOPLE[9:]
    )

    _, key = slack.command("pulse close", user=ADMIN)
    closed = fake.responded(key)["text"]
    assert "9 responses are now wave" in closed

    # Each person was invited exactly once.
    for person in PEOPLE:
        assert (
            len(
                [
                    c
                    for c in fake.posts(f"D{person}")
                    if "You're asked" in str(c.payload.get("text"))
                ]
            )
            == 1
        )

    store = Store.open(database)
    try:
        reply = ask(store, TEAM, "gap survey empathy-pulse", min_group_size=5).text
    finally:
        store.close()
    for expected in ("(8 of 9", "(3 of 9", "(7 of 9", "(2 of 9"):
        assert expected in reply, reply
    assert "n = 9" in reply

    # After closing, no table names anyone who was asked, and the file holds no trace of them.
    assert tables_naming(database, PEOPLE) == set()
    assert tables_naming(database, [ADMIN]) == {"pulses", "audit_log"}  # who started, imported
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            raw = path.read_bytes()
            assert not [p for p in PEOPLE if p.encode() in raw], path.name

    # No log line ties an answer to a person.
    log = import_web.web.log_text()
    tying = [
        line for line in log.splitlines()
        if any(p in line for p in PEOPLE) and any(option in line for option in OPTIONS)
    ]  # fmt: skip
    assert tying == []


def test_a_pulse_below_its_minimum_shows_nothing_and_keeps_no_answer(
    import_web: ImportWeb, fake_slack: FakeSlack, audience: None
) -> None:
    slack, fake, database = import_web.slack, fake_slack, import_web.web.database
    start_pulse(slack, fake, SMALL_CHANNEL, minimum=6)
    pulse = pulse_id(invitations(fake, FEW)[FEW[0]])
    for n, person in enumerate(FEW[:5]):
        answer(slack, fake, person, pulse, choices(n))
    store = Store.open(database)
    (closes,) = store.db.execute(
        "SELECT closes_at FROM pulses WHERE id = ?", [int(pulse)]
    ).fetchone()
    waves_before = store.db.execute("SELECT COUNT(*) FROM waves").fetchone()[0]
    store.close()
    tick(
        import_web,
        fake,
        datetime.fromisoformat(closes.replace("Z", "+00:00")) + timedelta(minutes=1),
    )

    told = fake.wait_for(
        lambda c: (
            c.method == "chat.postMessage"
            and f"Pulse #{pulse} closed" in str(c.payload.get("text"))
        )
    )
    assert "fewer than the 6 needed: nothing is shown" in told[-1].payload["text"]
    store = Store.open(database)
    try:
        assert store.db.execute("SELECT COUNT(*) FROM waves").fetchone()[0] == waves_before
        assert (
            store.db.execute("SELECT status FROM pulses WHERE id = ?", [int(pulse)]).fetchone()[0]
            == "discarded"
        )
        for table in ("pulse_responses", "pulse_secrets", "pulse_audience"):
            count = store.db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE pulse_id = ?", [int(pulse)]
            ).fetchone()[0]
            assert count == 0, table
    finally:
        store.close()
    assert tables_naming(database, FEW) == set()
    _, key = slack.command("pulse status", user="UALICE")
    assert "No pulse is open" in fake.responded(key)["text"]
