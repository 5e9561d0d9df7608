"""Pure schedule functions: parsing, periods, slots across DST, and due/missed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from insights.digests.schedule import Timing, WeeklySchedule, classify, parse_weekly, period_key
from insights.errors import QueryError

BERLIN = WeeklySchedule(0, time(9, 0), "Europe/Berlin")
NEW_YORK = WeeklySchedule(0, time(9, 0), "America/New_York")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_parse_full_form_keeps_filters() -> None:
    schedule, rest = parse_weekly("weekly Monday 09:00 Europe/Berlin role=in-house", "UTC")
    assert schedule == WeeklySchedule(0, time(9, 0), "Europe/Berlin")
    assert rest == "role=in-house"


def test_parse_defaults_the_zone_lazily() -> None:
    asked: list[bool] = []

    def default() -> str:
        asked.append(True)
        return "America/New_York"

    schedule, rest = parse_weekly("weekly fri 7:30", default)
    assert schedule == WeeklySchedule(4, time(7, 30), "America/New_York")
    assert rest == "" and asked == [True]
    parse_weekly("weekly fri 7:30 UTC", default)
    assert asked == [True]


@pytest.mark.parametrize(
    "text",
    ["daily 09:00", "weekly someday 09:00", "weekly monday 25:00", "weekly monday 9", "weekly"],
)
def test_parse_rejects_what_is_not_a_weekly_schedule(text: str) -> None:
    with pytest.raises(QueryError):
        parse_weekly(text, "UTC")


def test_parse_rejects_an_unknown_zone() -> None:
    with pytest.raises(QueryError, match="Mars/Olympus"):
        parse_weekly("weekly monday 09:00 Mars/Olympus", "UTC")


def test_period_is_the_local_iso_week() -> None:
    assert period_key(datetime(2026, 3, 30).date()) == "2026-W14"
    # Sunday 23:30 UTC is already Monday in Berlin: the next week there.
    assert BERLIN.period_at(at("2026-03-29T23:30:00")) == "2026-W14"
    assert WeeklySchedule(0, time(9), "UTC").period_at(at("2026-03-29T23:30:00")) == "2026-W13"


def test_berlin_wall_clock_across_spring_forward() -> None:
    assert BERLIN.slot("2026-W13") == at("2026-03-23T08:00:00")  # CET, UTC+1
    assert BERLIN.slot("2026-W14") == at("2026-03-30T07:00:00")  # CEST, UTC+2


def test_berlin_wall_clock_across_fall_back() -> None:
    assert BERLIN.slot("2026-W43") == at("2026-10-19T07:00:00")
    assert BERLIN.slot("2026-W44") == at("2026-10-26T08:00:00")


def test_new_york_wall_clock_across_both_changes() -> None:
    assert NEW_YORK.slot("2026-W10") == at("2026-03-02T14:00:00")  # EST
    assert NEW_YORK.slot("2026-W11") == at("2026-03-09T13:00:00")  # EDT from 2026-03-08
    assert NEW_YORK.slot("2026-W45") == at("2026-11-02T14:00:00")  # EST from 2026-11-01


def test_nonexistent_local_time_moves_forward_by_the_gap() -> None:
    sunday = WeeklySchedule(6, time(2, 30), "Europe/Berlin")
    # 02:30 does not exist on 2026-03-29: sent at 03:30 CEST, i.e. 01:30 UTC.
    assert sunday.slot("2026-W13") == at("2026-03-29T01:30:00")


def test_ambiguous_local_time_is_its_first_occurrence() -> None:
    sunday = WeeklySchedule(6, time(2, 30), "Europe/Berlin")
    # 02:30 happens twice on 2026-10-25: the first one (CEST) is 00:30 UTC.
    assert sunday.slot("2026-W43") == at("2026-10-25T00:30:00")


def test_slots_between_are_weekly_and_exclusive_of_the_start() -> None:
    slots = list(BERLIN.slots_between(at("2026-03-23T08:00:00"), at("2026-04-06T07:00:00")))
    assert slots == [
        ("2026-W14", at("2026-03-30T07:00:00")),
        ("2026-W15", at("2026-04-06T07:00:00")),
    ]


def test_next_slot_is_strictly_after_now() -> None:
    assert BERLIN.next_slot(at("2026-03-30T07:00:00")) == at("2026-04-06T07:00:00")
    assert BERLIN.next_slot(at("2026-03-30T06:59:59")) == at("2026-03-30T07:00:00")


def test_classify_with_a_grace_window() -> None:
    slot = at("2026-03-30T07:00:00")
    grace = timedelta(hours=6)
    assert classify(slot, slot - timedelta(seconds=1), grace) is Timing.EARLY
    assert classify(slot, slot, grace) is Timing.DUE
    assert classify(slot, slot + grace, grace) is Timing.DUE
    assert classify(slot, slot + grace + timedelta(seconds=1), grace) is Timing.MISSED
