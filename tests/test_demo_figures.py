"""Every headline figure of the study, read back through the engine and the ask path.

Top-2-box shares with their bases, from "Empathy in Action" (2022 wave of the demo):
necessity personal 91% / organization 36% (all 197); business value 72% / 30% (in-house,
150); develops senior leaders 52%, middle managers 55%, staff 57% (in-house);
understands value: 35% say No; measures empathy: 65% say No.
"""

from __future__ import annotations

import pytest
from support import TEAM, dump, table_counts

from insights import Store, ask
from insights.answers.catalog import load_catalog
from insights.answers.engine import Engine
from insights.answers.findings import GapReport, ThemeResult
from insights.answers.reply import answer_query, interpret
from insights.answers.stats import percent
from insights.ingest.demo import SURVEY_NAME
from insights.ingest.demo_loader import demo_is_loaded, load_demo
from insights.store.counts import SqlCounts


def _gap_report(store: Store, text: str) -> GapReport:
    query, catalog = interpret(store, TEAM, text)
    finding = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(finding, GapReport)
    return finding


def _theme(report: GapReport, name: str) -> ThemeResult:
    (found,) = [r for r in report.themes if r.theme == name]
    return found


def _pair(result: ThemeResult) -> tuple[int, int, int, int]:
    assert result.personal and result.personal.share
    assert result.organization and result.organization.share
    p, o = result.personal.share, result.organization.share
    return p.positive, p.n, o.positive, o.n


def _single(result: ThemeResult) -> tuple[int, int]:
    assert result.single and result.single.share
    return result.single.share.positive, result.single.share.n


def test_necessity_for_everyone(demo_store: Store) -> None:
    report = _gap_report(demo_store, "gap")
    assert report.context.wave == "2022"
    assert report.context.respondents == 197
    necessity = _theme(report, "necessity")
    assert _pair(necessity) == (179, 197, 71, 197)
    assert percent(179 / 197) == 91
    assert percent(71 / 197) == 36
    assert necessity.paired_n == 197
    assert necessity.gap == pytest.approx(108 / 197 * 100)
    assert necessity.test is not None and necessity.test.significant


def test_business_value_for_in_house(demo_store: Store) -> None:
    report = _gap_report(demo_store, "gap role=in-house")
    assert report.context.respondents == 150
    assert report.context.filters == (("role", ("In-house",)),)
    value = _theme(report, "business value")
    assert _pair(value) == (108, 150, 45, 150)
    assert (percent(108 / 150), percent(45 / 150)) == (72, 30)


def test_business_value_base_is_in_house_even_unfiltered(demo_store: Store) -> None:
    # Consultants were not asked, so the unfiltered base is the 150 in-house answers.
    value = _theme(_gap_report(demo_store, "gap"), "business value")
    assert _pair(value) == (108, 150, 45, 150)


@pytest.mark.parametrize(
    ("theme", "positive", "shown"),
    [
        ("develops senior leaders", 78, 52),
        ("develops middle managers", 83, 55),
        ("develops staff", 86, 57),
    ],
)
def test_developing_empathy(demo_store: Store, theme: str, positive: int, shown: int) -> None:
    report = _gap_report(demo_store, "gap role=in-house")
    assert _single(_theme(report, theme)) == (positive, 150)
    assert percent(positive / 150) == shown


def test_understands_value_35_percent_say_no(demo_store: Store) -> None:
    yes, n = _single(_theme(_gap_report(demo_store, "gap"), "understands value"))
    assert (yes, n) == (98, 150)
    assert percent(1 - yes / n) == 35


def test_measures_empathy_65_percent_say_no(demo_store: Store) -> None:
    yes, n = _single(_theme(_gap_report(demo_store, "gap"), "measures empathy"))
    assert (yes, n) == (52, 150)
    assert percent(1 - yes / n) == 65


def test_engine_directly_agrees(demo_store: Store) -> None:
    catalog = load_catalog(demo_store, TEAM)
    engine = Engine(SqlCounts(demo_store), catalog)
    report = engine.gap(catalog.wave("2022"), theme="necessity")
    (necessity,) = report.themes
    assert _pair(necessity) == (179, 197, 71, 197)


def test_ask_text_shows_every_figure_with_its_base(demo_store: Store) -> None:
    text = ask(demo_store, TEAM, "gap").text
    for line in [
        "Personal: 91% (179 of 197",
        "Organization: 36% (71 of 197",
        "Personal: 72% (108 of 150",
        "Organization: 30% (45 of 150",
        "Agree or Strongly agree: 52% (78 of 150",
        "Agree or Strongly agree: 55% (83 of 150",
        "Agree or Strongly agree: 57% (86 of 150",
        "Yes: 65% (98 of 150, 95% CI 57–72%) · No: 35%",
        "Yes: 35% (52 of 150, 95% CI 28–43%) · No: 65%",
    ]:
        assert line in text
    assert "n = 197" in text


def test_ask_in_house_shows_72_and_30(demo_store: Store) -> None:
    text = ask(demo_store, TEAM, "gap role=in-house").text
    assert "role = In-house · n = 150" in text
    assert "72% (108 of 150" in text
    assert "30% (45 of 150" in text


def test_loading_the_demo_twice_changes_nothing(store: Store) -> None:
    first = load_demo(store, TEAM, actor="cli:test")
    assert [(s.wave, s.respondents) for s in first] == [("2021-pilot", 120), ("2022", 197)]
    assert demo_is_loaded(store, TEAM)
    counts, contents = table_counts(store), dump(store)
    assert counts["respondents"] == 317
    assert counts["surveys"] == 1
    assert load_demo(store, TEAM, actor="cli:test") == []
    assert table_counts(store) == counts
    assert dump(store) == contents


def test_demo_is_per_team(store: Store) -> None:
    load_demo(store, TEAM, actor="cli:test")
    assert not demo_is_loaded(store, "OTHER")
    load_demo(store, "OTHER", actor="cli:test")
    names = store.db.execute("SELECT team_id, name FROM surveys ORDER BY team_id").fetchall()
    assert names == [("OTHER", SURVEY_NAME), (TEAM, SURVEY_NAME)]
