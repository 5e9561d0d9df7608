"""`trend` follows the gap across waves; `chart` asks for a picture too. Both are words of the
one query language, in commands, mentions and thread follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import TEAM

from bot.entrypoints.cli import cli
from insights import QueryError, Store, ask
from insights.answers.catalog import load_catalog
from insights.answers.findings import TrendReport
from insights.answers.query import Vocabulary, parse


@pytest.fixture(scope="module")
def vocab(demo_store: Store) -> Vocabulary:
    return Vocabulary.from_catalog(load_catalog(demo_store, TEAM))


@pytest.mark.parametrize(
    ("text", "canonical", "chart"),
    [
        ("gap trend", "gap trend", False),
        ("gap necessity over time", "gap necessity trend", False),
        ("how has the gap for consultants changed over time", "gap role=Consultant trend", False),
        ("gap by role chart", "gap by role", True),
        ("show me a chart of the gap", "gap", True),
        ("graph the trend for in-house", "gap role=In-house trend", True),
        ("chart", "gap", True),
    ],
)
def test_trend_and_chart_words(text: str, canonical: str, chart: bool, vocab: Vocabulary) -> None:
    query = parse(text, vocab)
    assert query.canonical() == canonical
    assert query.chart is chart


def test_a_trend_cannot_be_a_breakdown(vocab: Vocabulary) -> None:
    with pytest.raises(QueryError, match="can't be combined with a breakdown") as caught:
        parse("gap by role trend", vocab)
    assert caught.value.suggestion and "gap role=in-house trend" in caught.value.suggestion


def test_follow_ups_switch_between_views(vocab: Vocabulary) -> None:
    trend = parse("gap role=in-house trend", vocab)
    assert trend.followed_by(parse("by region", vocab)).canonical() == (
        "gap by region role=In-house"
    )
    breakdown = parse("gap by region", vocab)
    assert breakdown.followed_by(parse("trend", vocab)).canonical() == "gap trend"
    # A chart is asked for per message, never remembered.
    charted = parse("gap chart", vocab)
    assert not charted.followed_by(parse("role=consultant", vocab)).chart


def test_a_trend_lists_every_wave_with_its_bases(demo_store: Store) -> None:
    reply = ask(demo_store, TEAM, "gap trend", min_group_size=5)
    assert isinstance(reply.finding, TrendReport)
    assert [w.label for w in reply.finding.waves] == ["2021-pilot", "2022"]
    assert reply.query == "gap trend"
    # 2022 necessity: 179 and 71 of 197 agree (the study's 91% and 36%).
    assert "2022 (n = 197): 91% vs 36% → gap 55 pts, significant" in reply.text
    # Business value is asked of in-house respondents only: the base says so.
    assert "2022 (n = 197): 72% vs 30% → gap 42 pts, significant (base 150)" in reply.text
    assert "gap vs 2021-pilot" in reply.text


def test_a_trend_hides_a_wave_that_is_too_small(demo_store: Store) -> None:
    # The pilot has 120 respondents; a minimum group above that hides it, but not 2022.
    reply = ask(demo_store, TEAM, "gap trend", min_group_size=150)
    assert "2021-pilot: hidden (fewer than 150 respondents match, for privacy)" in reply.text
    assert "(n = 120)" not in reply.text


def test_the_reply_says_when_a_chart_was_asked_for(demo_store: Store) -> None:
    assert ask(demo_store, TEAM, "gap by role chart").wants_chart
    assert not ask(demo_store, TEAM, "gap by role").wants_chart


def test_cli_writes_the_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "db.sqlite"))
    runner = CliRunner()
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    out = tmp_path / "gap.png"
    result = runner.invoke(cli, ["ask", "gap", "--chart", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "necessity: personal 91% (n = 197), organization 36% (n = 197)" in result.stderr
    listing = runner.invoke(cli, ["ask", "themes", "--chart", str(tmp_path / "no.png")])
    assert listing.exit_code == 2
    assert "There is no chart for a list" in listing.stderr
    assert not (tmp_path / "no.png").exists()


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        (
            "gap",
            [
                ("By role", "gap by role"),
                ("By seniority", "gap by seniority"),
                ("By region", "gap by region"),
                ("Trend", "gap trend"),
            ],
        ),
        (
            "gap necessity role=consultant trend",
            [
                ("By seniority", "gap necessity by seniority role=Consultant"),
                ("By region", "gap necessity by region role=Consultant"),
            ],
        ),
        ("themes", []),
    ],
)
def test_next_steps_are_complete_queries(
    demo_store: Store, text: str, steps: list[tuple[str, str]]
) -> None:
    reply = ask(demo_store, TEAM, text)
    assert list(reply.next_steps) == steps
    for _, query in reply.next_steps:
        assert ask(demo_store, TEAM, query).query == query  # each one answers as itself
