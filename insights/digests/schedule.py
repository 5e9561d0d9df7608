"""Weekly schedules in local wall-clock time: parsing, periods, slots and what is due.

A schedule is "every WEEKDAY at HH:MM in TZ". Its *period* is the ISO week of the local
date (``2026-W13``); each period has exactly one *slot*, the UTC instant at which that
week's digest is due. Slots follow the wall clock across daylight-saving changes: 09:00
Europe/Berlin is 08:00 UTC in winter and 07:00 UTC in summer.

Local times that do not exist or exist twice are resolved the way PEP 495 does with
``fold=0``, which is predictable and never skips a week:

* a *nonexistent* time (spring forward, e.g. 02:30 on 2026-03-29 in Berlin) is read with
  the offset in force before the change, so it lands one gap later on the new clock
  (03:30 CEST);
* an *ambiguous* time (fall back, e.g. 02:30 on 2026-10-25 in Berlin) is the first of
  its two occurrences (02:30 CEST, 00:30 UTC).

Everything here is pure: instants in, instants out, all timezone-aware.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from insights.errors import QueryError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_GRACE = timedelta(hours=6)
USAGE = "Use `subscribe weekly DAY HH:MM [TIME_ZONE] [filters]`, e.g. `weekly monday 09:00`."
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


@dataclass(frozen=True)
class WeeklySchedule:
    """Every ``weekday`` (0 = Monday) at ``at`` local wall-clock time in ``tz`` (IANA name)."""

    weekday: int
    at: time
    tz: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def describe(self) -> str:
        return f"weekly on {WEEKDAYS[self.weekday].capitalize()} at {self.at:%H:%M} {self.tz}"

    def slot(self, period: str) -> datetime:
        """The UTC instant of ``period``'s digest (see the module docstring for DST)."""
        year, week = _split_period(period)
        day = date.fromisocalendar(year, week, self.weekday + 1)
        local = datetime.combine(day, self.at, tzinfo=self.zone)  # fold=0: see docstring
        return local.astimezone(UTC)

    def period_at(self, instant: datetime) -> str:
        """The period (local ISO week) that ``instant`` falls in."""
        return period_key(instant.astimezone(self.zone).date())

    def slots_between(self, after: datetime, until: datetime) -> Iterator[tuple[str, datetime]]:
        """(period, slot) for every slot with ``after < slot <= until``, oldest first."""
        day = after.astimezone(self.zone).date() - timedelta(days=7)
        while True:
            period = period_key(day)
            slot = self.slot(period)
            if slot > until:
                return
            if slot > after:
                yield period, slot
            day += timedelta(days=7)

    def next_slot(self, now: datetime) -> datetime:
        """The first slot strictly after ``now``."""
        return next(self.slots_between(now, now + timedelta(days=15)))[1]


class Timing(Enum):
    """Where ``now`` stands relative to a slot."""

    EARLY = "early"  # the slot has not come yet
    DUE = "due"  # at or after the slot, within the grace window: send (late if not on time)
    MISSED = "missed"  # the grace window has passed: record, never send


def classify(slot: datetime, now: datetime, grace: timedelta = DEFAULT_GRACE) -> Timing:
    if now < slot:
        return Timing.EARLY
    if now - slot <= grace:
        return Timing.DUE
    return Timing.MISSED


def period_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _split_period(period: str) -> tuple[int, int]:
    year, week = period.split("-W")
    return int(year), int(week)


def valid_zone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", name):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def parse_weekly(text: str, default_tz: str | Callable[[], str]) -> tuple[WeeklySchedule, str]:
    """``weekly DAY HH:MM [TZ] [rest…]`` → the schedule and the rest (filters), verbatim.

    ``default_tz`` may be a function, called only when the text names no zone (so an edge
    looks up the person's zone only when it is needed).

    Raises ``QueryError`` with the usage when the words are not a weekly schedule.
    """
    words = text.split()
    if len(words) < 3 or words[0].casefold() != "weekly":
        raise QueryError("That is not a schedule I understand.", suggestion=USAGE)
    weekday = _weekday(words[1])
    at = _time(words[2])
    rest = words[3:]
    tz: str | None = None
    if rest and ("/" in rest[0] or rest[0].upper() == "UTC") and "=" not in rest[0]:
        if not valid_zone(rest[0]):
            raise QueryError(
                f"I don't know the time zone {rest[0]!r}.",
                suggestion="Use an IANA name such as `Europe/Berlin` or `America/New_York`.",
            )
        tz, rest = ("UTC" if rest[0].upper() == "UTC" else rest[0]), rest[1:]
    if tz is None:
        tz = default_tz() if callable(default_tz) else default_tz
    if not valid_zone(tz):
        raise QueryError(f"I don't know the time zone {tz!r}.", suggestion=USAGE)
    return WeeklySchedule(weekday, at, tz), " ".join(rest)


def _weekday(word: str) -> int:
    key = word.casefold()
    matches = [i for i, name in enumerate(WEEKDAYS) if len(key) >= 3 and name.startswith(key)]
    if len(matches) != 1:
        raise QueryError(f"{word!r} is not a day of the week.", suggestion=USAGE)
    return matches[0]


def _time(word: str) -> time:
    found = _TIME.match(word)
    if found is None:
        raise QueryError(f"{word!r} is not a time of day (HH:MM, 24-hour).", suggestion=USAGE)
    return time(int(found.group(1)), int(found.group(2)))
