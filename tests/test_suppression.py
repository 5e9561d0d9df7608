"""Privacy in answers: small values merged, small groups and bases hidden, small bases
flagged. Hand-made data via the importer; counts worked out by hand in the comments."""

from __future__ import annotations

import pytest
from support import TEAM, Importer

from insights import Store, SuppressedError, ask
from insights.answers.engine import NOT_STATED_LABEL
from insights.answers.findings import BreakdownReport, GapReport, Group
from insights.answers.reply import answer_query, interpret

MIN = 5
OTHER = "Other (small groups"


def people(
    team: str, count: int, *, p: str = "Agree", o: str = "Disagree", m: str = "Yes", start: int = 0
) -> list[list[str]]:
    return [[f"{team or 'X'}{start + i:03d}", team, "s1", p, o, m] for i in range(count)]


def finding(store: Store, text: str, min_group_size: int = MIN) -> object:
    query, catalog = interpret(store, TEAM, text)
    return answer_query(store, catalog, query, min_group_size=min_group_size)


def breakdown(store: Store, text: str = "gap care by team") -> BreakdownReport:
    report = finding(store, text)
    assert isinstance(report, BreakdownReport)
    return report


def groups(report: BreakdownReport) -> dict[str, Group]:
    return {group.label: group for group in report.groups}


def test_a_small_value_is_merged_with_the_next_smallest(
    store: Store, import_rows: Importer
) -> None:
    import_rows(people("A", 10) + people("B", 8) + people("C", 3))
    report = breakdown(store)
    shown = groups(report)
    # C's 3 are too few alone; with B (the next smallest) they are 11.
    assert list(shown) == ["A", "Other (small groups: B, C)"]
    assert [(g.respondents, g.suppressed) for g in shown.values()] == [(10, False), (11, False)]
    assert any("reported together as “other (small groups)”: B, C." in n for n in report.notes)
    text = ask(store, TEAM, "gap care by team", min_group_size=MIN).text
    assert "A (n = 10): 100% vs 0%† → gap 100 pts, significant" in text
    assert "Other (small groups: B, C) (n = 11): 100% vs 0%†" in text


def test_a_filter_on_a_merged_value_answers_for_the_merged_group(
    store: Store, import_rows: Importer
) -> None:
    import_rows(people("A", 10) + people("B", 8) + people("C", 3))
    report = finding(store, "gap team=c")
    assert isinstance(report, GapReport)
    assert report.context.filters == (("team", ("Other (small groups: B, C)",)),)
    assert report.context.respondents == 11
    # B alone is C's merged group too: asking for B gives the same 11, never B's 8.
    other = finding(store, "gap team=b")
    assert isinstance(other, GapReport) and other.context == report.context


def test_small_values_together_take_only_what_they_need(
    store: Store, import_rows: Importer
) -> None:
    import_rows(people("A", 10) + people("B", 8) + people("C", 3) + people("D", 2))
    # C and D are 5 together: enough, so B stays on its own.
    assert list(groups(breakdown(store))) == ["A", "B", "Other (small groups: C, D)"]


def test_without_small_groups_nothing_is_merged_or_hidden(
    store: Store, import_rows: Importer
) -> None:
    import_rows(people("A", 10) + people("B", 6))
    report = breakdown(store)
    assert [(g.label, g.suppressed) for g in report.groups] == [("A", False), ("B", False)]
    assert not any("hidden" in note or "together" in note for note in report.notes)


def test_not_stated_is_a_value_like_any_other(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("B", 8) + people("", 2))
    assert list(groups(breakdown(store))) == ["A", f"Other (small groups: B, {NOT_STATED_LABEL})"]
    import_rows(people("A", 10) + people("B", 8) + people("", 6), wave="w2")
    shown = groups(breakdown(store, "gap care by team wave w2"))
    assert list(shown) == ["A", "B", NOT_STATED_LABEL]  # "not stated" last


def test_whole_filtered_group_below_minimum_is_refused(store: Store, import_rows: Importer) -> None:
    def at(team: str, site: str, count: int, start: int) -> list[list[str]]:
        return [[f"{team}{site}{i}", team, site, "Agree", "Disagree", "Yes"] for i in range(count)]

    # Teams and sites have 10 each, but team A at site s2 is 2 people.
    import_rows(
        at("A", "s1", 8, 0) + at("A", "s2", 2, 0) + at("B", "s1", 2, 0) + at("B", "s2", 8, 0)
    )
    with pytest.raises(SuppressedError) as caught:
        ask(store, TEAM, "gap team=a site=s2", min_group_size=MIN)
    assert "team = A, site = s2" in str(caught.value)
    assert "fewer than 5" in str(caught.value)
    assert caught.value.exit_code == 2
    with pytest.raises(SuppressedError):
        ask(store, TEAM, "gap team=a site=s2 by team", min_group_size=MIN)


def test_values_too_small_even_together_join_a_larger_one(
    store: Store, import_rows: Importer
) -> None:
    import_rows(people("A", 10) + people("C", 2) + people("D", 2))
    # C and D are 4 together: A joins them, so team tells nobody apart.
    report = finding(store, "gap team=c")
    assert isinstance(report, GapReport) and report.context.respondents == 14
    assert report.context.filters == (("team", ("Other (small groups: A, C, D)",)),)


def test_exactly_the_minimum_is_answered(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("C", 5))
    report = finding(store, "gap team=c")
    assert isinstance(report, GapReport)
    assert report.context.respondents == 5


def test_question_base_below_minimum_is_hidden(store: Store, import_rows: Importer) -> None:
    # 12 respondents, but only 3 answered the organization question; 5 the yes/no one.
    rows = people("A", 3) + people("A", 9, o="", m="", start=3)
    rows[3][5] = rows[4][5] = "No"
    import_rows(rows)
    report = finding(store, "gap")
    assert isinstance(report, GapReport)
    care, measures = report.themes
    # The gap's base is the 3 who answered both questions: too few to show.
    assert care.personal and care.personal.share is None and not care.personal.revealing
    assert care.organization and care.organization.share is None
    assert care.gap is None and care.test is None
    assert measures.single and measures.single.share is not None
    assert (measures.single.share.positive, measures.single.share.n) == (3, 5)
    text = ask(store, TEAM, "gap", min_group_size=MIN).text
    assert "Personal and organization: hidden (too few answers, for privacy)" in text
    assert "answered only one (not counted): care 9" in text


def test_an_answer_with_every_figure_hidden_is_refused(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 3) + people("A", 5, o="", m="", start=3))
    with pytest.raises(SuppressedError, match="Fewer than 5 of these respondents"):
        ask(store, TEAM, "gap", min_group_size=MIN)


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


def test_a_minimum_of_one_hides_and_merges_nothing(store: Store, import_rows: Importer) -> None:
    import_rows(people("A", 10) + people("C", 1))
    report = finding(store, "gap team=c", min_group_size=1)
    assert isinstance(report, GapReport) and report.context.respondents == 1
    assert report.context.filters == (("team", ("C",)),)


def test_demo_regions_merge_middle_east_and_africa_with_latin_america(
    demo_store: Store,
) -> None:
    # Middle East & Africa has 4 respondents in 2022; Latin America (15) is the next smallest.
    shown = groups(breakdown(demo_store, "gap by region"))
    merged = "Other (small groups: Latin America, Middle East & Africa)"
    assert [(label, g.respondents) for label, g in shown.items()] == [
        ("North America", 96),
        ("Europe", 58),
        ("Asia-Pacific", 24),
        (merged, 19),
    ]
    assert not any(g.suppressed for g in shown.values())


def test_the_segments_listing_says_which_values_are_merged(demo_store: Store) -> None:
    text = ask(demo_store, TEAM, "segments", min_group_size=MIN).text
    assert (
        "in wave 2022, Latin America, Middle East &amp; Africa are reported together as"
        " “other (small groups)”, so that no group has fewer than 5 respondents"
    ) in text
    assert "• role — Consultant, In-house\n" in text  # nothing merged there
