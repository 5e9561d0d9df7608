"""Privacy: small groups are hidden, including the one the others would give away by
subtraction, and small bases are flagged. Built on hand-made data via the importer."""

from __future__ import annotations

import pandas as pd
import pytest
from support import TEAM, Importer

from insights import Store, SuppressedError, ask
from insights.answer import answer_query, interpret
from insights.engine import NOT_STATED
from insights.findings import BreakdownReport, GapReport, Group
from insights.privacy import suppressed_groups

MIN = 5


def people(
    team: str, count: int, *, p: str = "Agree", o: str = "Disagree", m: str = "Yes", start: int = 0
) -> list[list[str]]:
    return [[f"{team or 'X'}{start + i:03d}", team, "s1", p, o, m] for i in range(count)]


def finding(store: Store, text: str) -> object:
    query, catalog = interpret(store, TEAM, text)
    return answer_query(store, catalog, query, min_group_size=MIN)


def breakdown(store: Store, text: str = "gap care by team") -> BreakdownReport:
    report = finding(store, text)
    assert isinstance(report, BreakdownReport)
    return report


def groups(report: BreakdownReport) -> dict[str, Group]:
    return {group.label: group for group in report.groups}


def sizes(**counts: int) -> pd.DataFrame:
    return pd.DataFrame({"group": list(counts), "respondents": list(counts.values())})


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 10, "b": 8, "c": 9}, set()),
        ({"a": 10, "b": 8, "c": 3}, {"c", "b"}),  # one small: next smallest goes too
        ({"a": 10, "b": 3, "c": 2}, {"b", "c"}),  # two small: enough already
        ({"a": 10, "b": 8, "d": 8, "c": 4}, {"c", "b"}),  # ties broken by name
        ({"a": 10, "c": 4}, {"a", "c"}),  # two groups: both go
        ({"a": 4}, {"a"}),  # nothing else to hide
        ({"a": 10, "b": 5}, set()),  # exactly the minimum is shown
    ],
)
def test_suppressed_groups(counts: dict[str, int], hidden: set[str]) -> None:
    assert suppressed_groups(sizes(**counts), MIN) == hidden


def test_one_small_group_hides_the_next_smallest_too(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("B", 8) + people("C", 3))
    report = breakdown(store)
    shown = groups(report)
    assert list(shown) == ["A", "B", "C"]  # largest first
    assert not shown["A"].suppressed
    assert shown["B"].suppressed and shown["B"].themes == ()
    assert shown["C"].suppressed and shown["C"].themes == ()
    assert report.context.respondents == 21
    assert any("2 group(s) hidden" in note for note in report.notes)
    text = ask(store, TEAM, "gap care by team", min_group_size=MIN).text
    # Neither hidden group's size nor share is printed: 21 − 10 would give back 11 only.
    assert "B (n =" not in text and "C (n =" not in text
    assert "*B*" not in text
    assert "B: suppressed" in text and "C: suppressed" in text
    assert "A (n = 10): 100% vs 0%† → gap 100 pts, significant" in text


def test_without_small_groups_nothing_is_hidden(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("B", 6))
    report = breakdown(store)
    assert [g.suppressed for g in report.groups] == [False, False]
    assert not any("hidden" in note for note in report.notes)


def test_not_stated_counts_as_a_group(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("B", 8) + people("", 2))
    shown = groups(breakdown(store))
    assert list(shown) == ["A", "B", NOT_STATED]  # "not stated" last
    assert shown[NOT_STATED].suppressed
    assert shown["B"].suppressed
    assert not shown["A"].suppressed


def test_whole_filtered_group_below_minimum_is_refused(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("C", 4))
    with pytest.raises(SuppressedError) as caught:
        ask(store, TEAM, "gap team=c", min_group_size=MIN)
    assert "team = C" in str(caught.value)
    assert "fewer than 5" in str(caught.value)
    assert caught.value.exit_code == 2
    # A breakdown inside the small group is refused too.
    with pytest.raises(SuppressedError):
        ask(store, TEAM, "gap team=c by site", min_group_size=MIN)


def test_exactly_the_minimum_is_answered(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("C", 5))
    report = finding(store, "gap team=c")
    assert isinstance(report, GapReport)
    assert report.context.respondents == 5


def test_question_base_below_minimum_is_hidden(store: Store, import_rows: Importer) -> None:
    # 8 respondents, but only 3 answered the organization question and 4 the yes/no one.
    rows = people("A", 3) + people("A", 5, o="", m="", start=3)
    rows[3][5] = "No"  # a 4th answer to m
    import_rows(rows)
    report = finding(store, "gap")
    assert isinstance(report, GapReport)
    care, measures = report.themes
    assert care.personal and care.personal.share and care.personal.share.n == 8
    assert care.organization and care.organization.share is None
    assert care.gap is None and care.test is None
    assert measures.single and measures.single.share is None
    text = ask(store, TEAM, "gap", min_group_size=MIN).text
    assert "Organization: suppressed (too few answers)" in text
    assert "Yes: suppressed (too few answers)" in text
    assert "Gap: not available for this group" in text


def test_small_bases_are_flagged(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 29))
    text = ask(store, TEAM, "gap", min_group_size=MIN).text
    assert "Personal: 100%† (29 of 29" in text
    assert "Bases under 30 are marked †" in text


def test_bases_of_30_are_not_flagged(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 30))
    text = ask(store, TEAM, "gap", min_group_size=MIN).text
    assert "Personal: 100% (30 of 30" in text
    assert "†" not in text


def test_small_group_bases_in_a_breakdown_are_explained(
    store: Store, import_rows: Importer
) -> None:
    # Overall base 40 (not flagged), groups of 20: the † needs its note.
    import_rows(people("A", 20) + people("B", 20))
    text = ask(store, TEAM, "gap care by team", min_group_size=MIN).text
    assert "A (n = 20): 100% vs 0%†" in text
    assert "Bases under 30 are marked †" in text


def test_demo_region_breakdown_protects_middle_east_and_africa(demo_store: Store) -> None:
    # Middle East & Africa has 4 respondents; Latin America (15) is the next smallest.
    shown = groups(breakdown(demo_store, "gap by region"))
    assert shown["Middle East & Africa"].suppressed
    assert shown["Latin America"].suppressed
    assert [g.respondents for g in shown.values() if not g.suppressed] == [96, 58, 24]
    with pytest.raises(SuppressedError):
        ask(demo_store, TEAM, "gap region=middle east & africa")
