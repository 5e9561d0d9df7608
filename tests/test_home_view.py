"""The App Home view (``bot.views.home``): valid Block Kit within Slack's limits, the latest
wave's headline gaps as ``/empathy gap`` states them, the workspace's digests, how to ask."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

import pytest
from slack_sdk.models.views import View
from support import TEAM, assert_valid_blocks

from bot.views.home import MAX_THEMES, home_view, report_blocks
from insights import Store, ask
from insights.answers.findings import GapReport
from insights.digests import subscriptions as subs
from insights.digests.schedule import WeeklySchedule
from insights.ingest.demo_loader import load_demo

SLACK_MAX_VIEW_BLOCKS = 100
NOW = datetime(2026, 3, 28, 10, tzinfo=UTC)


@pytest.fixture
def demo() -> Iterator[Store]:
    """The demo survey in a store of its own: these tests add subscriptions."""
    opened = Store.open(":memory:")
    load_demo(opened, TEAM, actor="cli:test")
    yield opened
    opened.close()


def assert_valid(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    assert_valid_blocks(view["blocks"], SLACK_MAX_VIEW_BLOCKS)


def section(view: dict[str, Any], starting: str) -> str:
    """The text of the first section that starts with ``starting``."""
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    return next(text for text in texts if text.startswith(starting))


def all_text(view: dict[str, Any]) -> str:
    texts = []
    for block in view["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [element.get("text", "") for element in block.get("elements", [])]
    return "\n".join(texts)


def subscribe(store: Store, channel: str, query: str, weekday: int = 0) -> subs.Subscription:
    schedule = WeeklySchedule(weekday, time(9), "Europe/Berlin")
    return subs.subscribe(store, TEAM, channel, schedule, query, "UADMIN", NOW)


def test_the_view_is_valid_block_kit(demo: Store) -> None:
    assert_valid(home_view(demo, TEAM))


def test_headline_gaps_are_the_demo_figures(demo: Store) -> None:
    view = home_view(demo, TEAM)
    necessity = section(view, "*Necessity*")
    assert "Personal: *91%* (179 of 197" in necessity
    assert "Organization: *36%* (71 of 197" in necessity
    assert "Gap: *55 points*" in necessity and "n = 197 answered both" in necessity
    assert "significant: unlikely to be chance" in necessity

    value = section(view, "*Business value*")
    assert "Personal: *72%* (108 of 150" in value
    assert "Organization: *30%* (45 of 150" in value
    assert "Gap: *42 points*" in value and "n = 150 answered both" in value

    text = all_text(view)
    assert "latest wave 2022" in text and "n = 197" in text
    # Organization-only themes have no gap: named, not shown as one.
    assert "*Measures empathy*" not in text and "measures empathy" in text


def test_subscriptions_of_this_workspace_are_listed(demo: Store) -> None:
    subscribe(demo, "CCXTEAM", "gap role=In-house chart")
    archived = subscribe(demo, "COLD", "gap", weekday=4)
    subs.pause(demo, archived.id, "is_archived")
    subscribe(demo, "CGONE", "gap")
    subs.unsubscribe(demo, TEAM, "CGONE", actor="UADMIN")
    schedule = WeeklySchedule(0, time(9), "UTC")
    subs.subscribe(demo, "TOTHER", "CELSEWHERE", schedule, "gap", "UADMIN", NOW)

    view = home_view(demo, TEAM)
    assert_valid(view)
    listed = section(view, "• ")
    lines = listed.split("\n")
    assert lines == [
        "• <#CCXTEAM> — weekly on Monday at 09:00 Europe/Berlin · `gap role=In-house` · with chart",
        "• <#COLD> — weekly on Friday at 09:00 Europe/Berlin · `gap` · *paused* (is_archived)",
    ]


def test_no_subscription_says_how_to_subscribe(demo: Store) -> None:
    assert "/empathy subscribe weekly monday 09:00" in all_text(home_view(demo, TEAM))


def test_how_to_ask_lists_the_help_examples(demo: Store) -> None:
    text = all_text(home_view(demo, TEAM))
    assert "`middle managers vs staff` — two groups side by side" in text
    assert "`has it improved since the pilot?`" in text and "/empathy help" in text


def test_an_empty_workspace_is_told_how_to_import(store: Store) -> None:
    view = home_view(store, TEAM)
    assert_valid(view)
    text = all_text(view)
    assert "No survey has been imported" in text
    assert "`/empathy import`" in text and "direct message" in text and "`empathy import" in text
    assert "Personal:" not in text
    assert "`how are we doing?`" in text  # how to ask is there all the same


def test_the_whole_wave_below_the_minimum_is_explained_not_shown(demo: Store) -> None:
    view = home_view(demo, TEAM, min_group_size=500)
    assert_valid(view)
    text = all_text(view)
    assert "Personal:" not in text and "91%" not in text


def test_hundreds_of_subscriptions_still_fit(demo: Store) -> None:
    long_query = "gap " + " ".join(f"role=In-house{'x' * 40}" for _ in range(3))
    for index in range(300):
        subscribe(demo, f"C{index:05d}", long_query)
    view = home_view(demo, TEAM)
    assert_valid(view)
    assert "more." in section(view, "• ")


def test_a_survey_with_many_themes_is_capped(demo: Store) -> None:
    report = ask(demo, TEAM, "gap").finding
    assert isinstance(report, GapReport)
    many = replace(report, themes=report.themes[:1] * (MAX_THEMES + 25))
    blocks = report_blocks(many)
    assert sum(1 for b in blocks if b["type"] == "section") == MAX_THEMES
    assert "25 more theme(s) not shown" in blocks[-1]["elements"][0]["text"]
    # With every other part of the Home tab it still fits in one view.
    assert len(blocks) + 15 <= SLACK_MAX_VIEW_BLOCKS
