"""What a digest says: context, headline gaps, changes since the last one, widest segment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import Block

from bot.settings import Settings
from bot.slack.digest_sender import tick
from bot.views.answers import DRILL_DOWN_ACTION_ID, with_drill_down
from insights import Store, ask
from insights.answers.findings import ChangeReport, GapReport
from insights.answers.reply import answer_query, interpret
from insights.digests.content import (
    GapPoint,
    Snapshot,
    build_digest,
    render_digest,
)
from insights.digests.subscriptions import parse_iso

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack

TEAM = "local"


def test_headline_figures_match_ask(store: Store) -> None:
    digest = build_digest(store, TEAM, "gap role=In-house", min_group_size=5)
    answer = ask(store, TEAM, "gap role=in-house").text
    assert digest.context.survey == "empathy-in-action" and digest.context.wave == "2022"
    assert f"n = {digest.context.respondents}" in answer
    assert [r.theme for r in digest.headline] == ["necessity", "business value"]
    for result in digest.headline:
        assert result.gap is not None
        assert f"Gap: {round(result.gap)} points" in answer


def test_changes_since_last_digest_match_the_engines_wave_comparison(store: Store) -> None:
    # Pretend the previous digest showed the pilot wave; now the 2022 wave is in.
    query, catalog = interpret(store, TEAM, "gap vs 2021-pilot")
    change = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(change, ChangeReport)
    pilot = _snapshot_of_wave(store, "2021-pilot")
    digest = build_digest(store, TEAM, "gap", min_group_size=5, previous=pilot)
    assert digest.new_responses == digest.context.respondents == 197
    moved = {m.theme: m for m in digest.movements}
    for theme_change in change.changes:
        if theme_change.change is None or not theme_change.after.is_gap:
            continue
        movement = moved[theme_change.theme]
        assert abs(movement.change - theme_change.change) < 1e-9
        assert theme_change.test is not None and movement.test is not None
        assert movement.test.method == theme_change.test.method == "difference of paired gaps"
        assert abs(movement.test.p_value - theme_change.test.p_value) < 1e-12
        assert movement.adjustment is not None and movement.adjustment.tests == 2
    text = render_digest(digest).text
    assert "New wave 2022 (last digest showed 2021-pilot): 197 responses." in text
    for movement in digest.movements:
        sig = "significant" if movement.significant else "not significant"
        points = f"{round(movement.change):+d} pts".replace("+0 pts", "0 pts")
        assert f"({points}; {sig}, difference of paired gaps, p = " in text
    assert "Holm-adjusted across 2 themes" in text


def _snapshot_of_wave(store: Store, wave: str) -> Snapshot:
    query, catalog = interpret(store, TEAM, f"gap wave {wave}")
    report = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(report, GapReport)
    gaps = {r.theme: GapPoint(r.gap, r.table) for r in report.themes if r.gap is not None}
    return Snapshot(wave, report.context.respondents, gaps)


def test_no_demo_group_stands_out_from_the_rest(store: Store) -> None:
    # Every demo group's gap is within chance of the other groups' (Holm-adjusted), so
    # the digest names none rather than the largest gap of a small noisy group.
    digest = build_digest(store, TEAM, "gap", min_group_size=5)
    assert digest.widest is None
    assert "No group stands out: none of at least 30 answering both" in (render_digest(digest).text)


def test_blocks_are_valid_with_a_drill_down_button(store: Store) -> None:
    digest = build_digest(
        store,
        TEAM,
        "gap seniority=staff",
        min_group_size=5,
        previous=_snapshot_of_wave(store, "2021-pilot"),
    )
    message = with_drill_down(render_digest(digest), digest.query)  # as the edge sends it
    assert 0 < len(message.blocks) <= 50
    for block in message.blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    button = actions["elements"][0]
    assert button["action_id"] == DRILL_DOWN_ACTION_ID
    assert button["value"] == "gap seniority=Staff"
    joined = " ".join(str(b) for b in message.blocks)
    for needed in (
        "empathy-in-action",
        "wave 2022",
        "Filters: seniority = Staff",
        "Headline gaps",
        "Since the last digest",
        "Widest gap by segment",
    ):
        assert needed in joined and needed.replace("*", "") in message.text


def test_posted_digest_carries_text_fallback_and_blocks(
    settings: Settings, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel(query="gap role=In-house")
    tick(settings, parse_iso("2026-03-30T07:00:00Z"))
    tick(settings, parse_iso("2026-04-06T07:00:00Z"))
    first, second = fake_slack.posts()
    assert "Filters: role = In-house" in first.payload["text"]
    assert first.payload["text"].endswith("Drill down: /empathy gap role=In-house\n")
    assert first.payload["blocks"]
    assert "New responses since the last digest: 0." in second.payload["text"]


def test_preview_prints_what_would_be_sent(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel(query="gap region=Europe")
    result = cli("preview", "CCXTEAM")
    assert result.exit_code == 0, result.output
    assert "Weekly empathy digest" in result.output
    assert "Filters: region = Europe" in result.output
    # The same digest, drilled down in the terminal's words (the library names no command).
    assert result.output.endswith("Drill down: empathy ask 'gap region=Europe'\n")
    assert fake_slack.posts() == []
    missing = cli("preview", "CNOPE")
    assert missing.exit_code == 2 and "no digest subscription" in missing.output
