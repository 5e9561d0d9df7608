"""The curious colleague's attacks from issue 13, each with its data and its questions.

Each test asks exactly the questions of the attack (and a few more), keeps every count
printed, and lets ``privacy_attacker`` solve for small groups: before the fix each of
these found the few people's answers; now none may. Hand-made data on the tiny survey
(``team`` stands for the issue's region or department, ``site`` for its site).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from privacy_attacker import Printed, Respondents, leaks, record
from support import TEAM, Importer

from insights import Store, SuppressedError
from insights.answers.findings import BreakdownReport, GapReport
from insights.answers.reply import answer_query, interpret

MIN = 5
AGREE = {"Agree": 1.0, "Disagree": 0.0, "Neutral": 0.0, "Yes": 1.0, "No": 0.0, "": np.nan}


def crowd(
    team: str, site: str, count: int, *, p: int = 0, o: int = 0, answered: int | None = None
) -> list[list[str]]:
    """``count`` people of ``team`` at ``site``: the first ``p`` agree personally, the
    first ``o`` for the organization; only the first ``answered`` (default all) answered."""
    rows = []
    for i in range(count):
        said = answered is None or i < answered
        rows.append(
            [
                f"{team}-{site}-{i}",
                team,
                site,
                ("Agree" if i < p else "Disagree") if said else "",
                ("Agree" if i < o else "Disagree") if said else "",
                "Yes" if said else "",
            ]
        )
    return rows


def raw(rows: list[list[str]]) -> Respondents:
    frame = pd.DataFrame(rows, columns=["id", "team", "site", "p", "o", "m"])
    for column in "pom":
        frame[column] = frame[column].map(AGREE)
    return Respondents(frame, ["team", "site"])


def finding(store: Store, text: str) -> GapReport | BreakdownReport:
    query, catalog = interpret(store, TEAM, text)
    report = answer_query(store, catalog, query, min_group_size=MIN)
    assert isinstance(report, GapReport | BreakdownReport)
    return report


def ask_all(store: Store, rows: list[list[str]], questions: list[str]) -> Printed:
    """Every count the questions print (refusals print none)."""
    printed = Printed(raw(rows))
    for text in questions:
        try:
            report = finding(store, text)
        except SuppressedError:
            continue
        record(printed, report, text)
    return printed


def test_a_group_of_three_is_not_recovered_from_the_other_values(
    store: Store, import_rows: Importer
) -> None:
    # Europe 3 (2 agree personally, none for the organization), Asia 20, Americas 20: the
    # issue's `gap` 24/13 of 43, `gap region=asia` 9/7 of 20, `gap region=americas` 13/6.
    rows = (
        crowd("Europe", "s", 3, p=2, o=0)
        + crowd("Asia", "s", 20, p=9, o=7)
        + crowd("Americas", "s", 20, p=13, o=6)
    )
    import_rows(rows)
    questions = ["gap", "gap team=asia", "gap team=americas", "gap team=europe", "gap by team"]
    printed = ask_all(store, rows, questions)
    assert leaks(printed, MIN) == []
    # Europe is reported with the next-smallest value (Americas, before Asia by name).
    report = finding(store, "gap team=europe")
    assert isinstance(report, GapReport) and report.context.respondents == 23
    assert report.context.filters == (("team", ("Other (small groups: Americas, Europe)",)),)


def test_one_person_is_not_recovered_through_unanswered_questions(
    store: Store, import_rows: Importer
) -> None:
    # Europe has 6 respondents, of whom 1 answered (agreeing personally only); Asia 25.
    rows = crowd("Europe", "s", 6, p=1, o=0, answered=1) + crowd("Asia", "s", 25, p=11, o=14)
    import_rows(rows)
    printed = ask_all(store, rows, ["gap", "gap team=asia", "gap team=europe", "gap by team"])
    assert leaks(printed, MIN) == []
    # The base is who answered: Europe's 6 respondents are not 6 answers.
    report = finding(store, "gap by team")
    assert isinstance(report, BreakdownReport)
    europe = next(g for g in report.groups if g.label == "Europe")
    assert europe.suppressed or all(r.hidden for r in europe.themes)


def test_a_group_the_filters_remove_still_counts_for_complementary_suppression(
    store: Store, import_rows: Importer
) -> None:
    # Sales: sites north 20, south 10, east 3; support also has west 3 (and north 10).
    rows = (
        crowd("sales", "north", 20, p=15, o=5)
        + crowd("sales", "south", 10, p=6, o=4)
        + crowd("sales", "east", 3, p=3, o=3)
        + crowd("support", "north", 10, p=5, o=5)
        + crowd("support", "west", 3, p=1, o=0)
    )
    import_rows(rows)
    questions = [
        "gap",
        "gap team=sales",
        "gap team=sales by site",
        "gap by site",
        "gap site=north",
        "gap site=south",
        "gap team=support",
    ]
    printed = ask_all(store, rows, questions)
    assert leaks(printed, MIN) == []


def test_hidden_groups_small_together_are_merged_with_a_larger_one(
    store: Store, import_rows: Importer
) -> None:
    # Residency groups of 3 and 1 beside 20 and 15: the 4 together follow from the total.
    rows = (
        crowd("A", "s", 20, p=12, o=5)
        + crowd("B", "s", 15, p=10, o=5)
        + crowd("C", "s", 3, p=3, o=0)
        + crowd("D", "s", 1, p=0, o=1)
    )
    import_rows(rows)
    questions = ["gap", "gap by team", "gap team=a", "gap team=b", "gap team=a,b"]
    printed = ask_all(store, rows, questions)
    assert leaks(printed, MIN) == []
    report = finding(store, "gap by team")
    assert isinstance(report, BreakdownReport)
    assert [(g.label, g.respondents) for g in report.groups] == [
        ("A", 20),
        ("Other (small groups: B, C, D)", 19),
    ]


@pytest.mark.parametrize("k", [4, 5])
def test_the_attacker_finds_what_the_old_rules_let_through(k: int) -> None:
    """The solver itself: the three answers of the first attack, as the old rules printed
    them, give Europe's counts away (a check that the test can see a leak at all)."""
    rows = (
        crowd("Europe", "s", 3, p=2, o=0)
        + crowd("Asia", "s", 20, p=9, o=7)
        + crowd("Americas", "s", 20, p=13, o=6)
    )
    printed = Printed(raw(rows))
    everyone = np.ones(len(rows), dtype=bool)
    respondents = printed.respondents
    for mask in (
        everyone,
        respondents.box({"team": {"Asia"}}),
        respondents.box({"team": {"Americas"}}),
    ):
        printed.add(mask, {"both": ("both11", "both10")}, "personal")
        printed.add(mask, {"both": ("both11", "both01")}, "organization")
    found = leaks(printed, k)
    assert {leak.count for leak in found} >= {"agreed on P", "agreed on O"}
    assert all(leak.people == 3 for leak in found)
