"""The worker's tick moves pulses on: the audience read (a user group here), each person
invited once however often it ticks, one reminder to those who have not answered, and the
pulse closed when its time is up, its starter told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fake_slack import FakeSlack

from bot.listeners.views.pulse_start import closing_instant
from bot.settings import Settings
from bot.slack.digest_sender import tick
from insights import Store
from insights.pulse import builtin_codebook_text, start_pulse, submit_answers

TEAM = "local"  # the digest suite's default team (tests/digests/conftest.py)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
GROUP = "SCXTEAM"
PEOPLE = [f"UGROUP{i}" for i in range(6)]


def group_pulse(store: Store, fake: FakeSlack) -> int:
    fake.usergroups[GROUP] = list(PEOPLE)
    pulse = start_pulse(
        store,
        TEAM,
        codebook_text=builtin_codebook_text(),
        audience_kind="usergroup",
        audience_id=GROUP,
        closes_at=NOW + timedelta(days=3),
        minimum=5,
        repeat="none",
        started_by="UADMIN",
        min_group_size=5,
        now=NOW,
    )
    return pulse.id


def dms(fake: FakeSlack, marker: str) -> list[str]:
    return sorted(
        str(call.payload["channel"])
        for call in fake.posts()
        if marker in str(call.payload.get("text"))
    )


def test_each_person_of_a_user_group_is_invited_once_however_often_it_ticks(
    settings: Settings, store: Store, client: Any, fake_slack: FakeSlack
) -> None:
    group_pulse(store, fake_slack)
    for minutes in range(3):
        tick(settings, NOW + timedelta(minutes=minutes), client=client, store=store)
    assert dms(fake_slack, "You're asked") == sorted(f"D{p}" for p in PEOPLE)
    assert [c.payload["usergroup"] for c in fake_slack.api("usergroups.users.list")] == [GROUP]


def test_one_reminder_to_those_who_have_not_answered_then_closing_tells_the_starter(
    settings: Settings, store: Store, client: Any, fake_slack: FakeSlack
) -> None:
    pulse = group_pulse(store, fake_slack)
    tick(settings, NOW, client=client, store=store)
    for person in PEOPLE[:5]:
        submit_answers(store, TEAM, pulse, person, {"necessity_personal": "Agree"}, NOW)
    remind_at = NOW + timedelta(days=2)
    for minutes in range(3):
        tick(settings, remind_at + timedelta(minutes=minutes), client=client, store=store)
    assert dms(fake_slack, ":hourglass") == [f"D{PEOPLE[5]}"]
    tick(settings, NOW + timedelta(days=3), client=client, store=store)
    tick(settings, NOW + timedelta(days=3, minutes=1), client=client, store=store)
    assert dms(fake_slack, f"Pulse #{pulse} closed: 5 responses") == ["DUADMIN"]


def test_a_pulse_closes_at_the_end_of_the_chosen_day_in_the_admins_time_zone() -> None:
    assert closing_instant("2026-06-30", "Europe/Berlin") == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert closing_instant("2026-06-30", "UTC") == datetime(2026, 7, 1, tzinfo=UTC)
