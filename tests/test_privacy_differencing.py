"""Privacy: no two questions that differ by one filter may single out fewer than the
minimum group size. Hand-made data, counts worked out by hand in each test's comment."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import TEAM, Importer, Writer

from insights import NotFoundError, QueryError, Store, SuppressedError, ask
from insights.answer import answer_query, interpret
from insights.codebook import Codebook
from insights.findings import BreakdownReport, GapReport, TrendReport
from insights.importer import import_file

MIN = 5


def crowd(team: str, site: str, count: int, *, o: str = "Disagree") -> list[list[str]]:
    """``count`` respondents of ``team`` at ``site``; all agree personally, and answer the
    organization question ``o``."""
    return [[f"{team}-{site}-{i}", team, site, "Agree", o, "Yes"] for i in range(count)]


# red: 8 at north, 3 at south (who alone agree their organization cares); blue: 6 at north.
ROWS = crowd("red", "north", 8) + crowd("red", "south", 3, o="Agree") + crowd("blue", "north", 6)


def finding(store: Store, text: str, min_group_size: int = MIN) -> object:
    query, catalog = interpret(store, TEAM, text)
    return answer_query(store, catalog, query, min_group_size=min_group_size)


def test_a_filter_leaving_out_enough_respondents_is_answered(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    report = finding(store, "gap team=red")  # 11 of 17: it leaves out the 6 of blue
    assert isinstance(report, GapReport) and report.context.respondents == 11


def test_a_filter_leaving_out_a_few_is_refused(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    # team=red site=north is 8 respondents; without site it is 11 (team=red): the 3 it
    # leaves out (red at south) would be `gap team=red` minus this answer.
    with pytest.raises(SuppressedError) as caught:
        finding(store, "gap team=red site=north")
    error = caught.value
    assert "The filter site = north leaves out fewer than 5" in error.message
    assert "hidden to protect their privacy" in error.message
    assert error.suggestion == "Drop the site filter, or choose other values."


def test_a_small_value_in_a_filter_of_several_is_refused(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    # team=red site=north,south is all 11 of red, but site=south alone is 3 of them:
    # this answer minus `gap team=red site=north` would be theirs.
    with pytest.raises(SuppressedError) as caught:
        finding(store, "gap team=red site=north,south")
    assert "Only a handful of these respondents have site = south (fewer than 5)" in (
        caught.value.message
    )
    assert caught.value.suggestion == "Leave south out, or ask about it with a broader group."


def test_a_question_a_filter_narrows_by_a_few_is_refused_for_its_breakdowns_too(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    # site=north is 14 of 17: `gap` minus it would be the 3 red at south.
    with pytest.raises(SuppressedError, match="site = north leaves out fewer than 5"):
        finding(store, "gap site=north by team")


def test_breakdown_groups_a_filter_narrows_by_a_few_are_hidden(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS + crowd("blue", "south", 5) + crowd("green", "north", 7))
    # site=north is 21 of 27 (6 left out). By team: red 8 of its 11 (3 left out: its
    # group would give them away), blue 6 of 11 (5 left out), green 7 of 7. Red goes, and
    # blue as the next-smallest, or red's could be worked out from the total (21 - 7 - 6).
    report = finding(store, "gap site=north by team")
    assert isinstance(report, BreakdownReport) and report.context.respondents == 21
    hidden = {group.label: group.suppressed for group in report.groups}
    assert hidden == {"red": True, "green": False, "blue": True}
    assert any("a question with one filter fewer" in note for note in report.notes)


def test_a_breakdown_without_filters_is_untouched(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS + crowd("blue", "south", 5))
    report = finding(store, "gap by team")  # red 11, blue 11: no filter to take away
    assert isinstance(report, BreakdownReport)
    assert not any(group.suppressed for group in report.groups)


def test_an_earlier_wave_a_filter_narrows_by_a_few_is_hidden_in_a_trend(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")  # red at north: 8, of red 11 (3 left out)
    import_rows(crowd("red", "north", 8) + crowd("red", "south", 6), wave="w2")  # 6 left out
    report = finding(store, "gap team=red site=north trend")
    assert isinstance(report, TrendReport)
    assert [(w.label, w.suppressed) for w in report.waves] == [("w1", True), ("w2", False)]
    assert report.waves[0].respondents == 0  # a hidden wave keeps no counts
    assert report.waves[0].near_complete
    assert any("Wave(s) w1 hidden: there the filters leave out" in n for n in report.notes)
    text = ask(store, TEAM, "gap team=red site=north trend", min_group_size=MIN).text
    assert "w1: hidden (the filters leave out fewer than 5, for privacy)" in text


def test_a_minimum_of_one_hides_nothing(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    report = finding(store, "gap team=red site=north", min_group_size=1)
    assert isinstance(report, GapReport) and report.context.respondents == 8


TEAMS, SITES = ("red", "blue", "green"), ("north", "south")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.integers(min_value=0, max_value=9), min_size=6, max_size=6))
def test_no_two_answers_one_filter_apart_single_out_a_few(
    tiny_codebook: Codebook, write_csv: Writer, cells: list[int]
) -> None:
    """Random team × site counts. Every question filtering on both segments (any values)
    that is answered, set beside the same question with one filter fewer, if that is
    answered too, differs by nobody or by at least the minimum."""
    rows = [
        row
        for (team, site), count in zip(itertools.product(TEAMS, SITES), cells, strict=True)
        for row in crowd(team, site, count)
    ]
    if not rows:
        return
    store = Store.open(":memory:")
    import_file(store, write_csv(rows, name="w1.csv"), tiny_codebook, team_id=TEAM, wave="w1")
    sizes: dict[str, int] = {}
    for query in _queries():
        try:
            report = finding(store, query)
        except (SuppressedError, NotFoundError, QueryError):  # hidden, or no such value
            continue
        assert isinstance(report, GapReport)
        sizes[query] = report.context.respondents
    assert "gap" in sizes or len(rows) < MIN
    for query, size in sizes.items():
        for broader in _one_filter_fewer(query):
            if broader in sizes:
                assert not 0 < sizes[broader] - size < MIN, (query, broader, sizes)
    store.close()


def _queries() -> list[str]:
    teams = [",".join(c) for r in (1, 2) for c in itertools.combinations(TEAMS, r)]
    sites = [",".join(c) for r in (1, 2) for c in itertools.combinations(SITES, r)]
    found = ["gap"]
    found += [f"gap team={t}" for t in teams] + [f"gap site={s}" for s in sites]
    found += [f"gap team={t} site={s}" for t in teams for s in sites]
    return found


def _one_filter_fewer(query: str) -> list[str]:
    words = query.split()
    filters = words[1:]
    return [" ".join(["gap", *(f for f in filters if f != dropped)]) for dropped in filters]
