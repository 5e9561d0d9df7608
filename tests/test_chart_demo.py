"""Charts of the demo survey's real findings: PNG sanity, the numbers in the alt text, the
suppressed groups, the trend's waves, determinism and drawing from several threads."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from matplotlib.image import imread
from support import TEAM, Importer

from insights import NotFoundError, QueryError, Store, SuppressedError
from insights.answers.catalog import load_catalog
from insights.answers.charts import (
    Chart,
    breakdown_chart,
    change_chart,
    chart_for,
    gap_chart,
    trend_chart,
)
from insights.answers.engine import Engine
from insights.answers.findings import BreakdownReport, ChangeReport, Finding, GapReport, TrendReport
from insights.answers.reply import answer_query, interpret
from insights.store.counts import SqlCounts

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BLUE = (0x00, 0x72, 0xB2)  # personal
VERMILLION = (0xD5, 0x5E, 0x00)  # organization
SUPPRESSED_BAND = (0xE9, 0xE9, 0xE9)


def finding(store: Store, text: str) -> Finding:
    query, catalog = interpret(store, TEAM, text)
    return answer_query(store, catalog, query, min_group_size=5)


def engine(store: Store) -> Engine:
    return Engine(SqlCounts(store), load_catalog(store, TEAM))


def pixels(png: bytes) -> np.ndarray:
    """(height, width, 3) array of 0–255 ints, decoded by matplotlib's PNG reader."""
    image = imread(io.BytesIO(png), format="png")
    rgb: np.ndarray = np.rint(image[:, :, :3] * 255).astype(int)
    return rgb


def has_colour(image: np.ndarray, colour: tuple[int, int, int]) -> bool:
    return bool(np.all(image == colour, axis=-1).any())


def distinct_colours(image: np.ndarray) -> int:
    return len(np.unique(image.reshape(-1, 3), axis=0))


@pytest.fixture(scope="module")
def gap(demo_store: Store) -> GapReport:
    report = finding(demo_store, "gap")
    assert isinstance(report, GapReport)
    return report


@pytest.fixture(scope="module")
def by_region(demo_store: Store) -> BreakdownReport:
    report = finding(demo_store, "gap by region")
    assert isinstance(report, BreakdownReport)
    return report


@pytest.fixture(scope="module")
def trend(demo_store: Store) -> TrendReport:
    return engine(demo_store).trend()


def assert_picture(chart: Chart, rows: int | None = None) -> np.ndarray:
    assert chart.png.startswith(PNG_MAGIC)
    image = pixels(chart.png)
    height, width, _ = image.shape
    assert width == 1200
    if rows is not None:  # about 300 px of frame plus 90 px per row
        assert 250 + 90 * rows <= height <= 420 + 90 * rows
    assert distinct_colours(image) > 50, "a blank or nearly blank image"
    assert has_colour(image, BLUE) and has_colour(image, VERMILLION)
    assert 0 < len(chart.alt_text) <= 1000
    return image


# -- gap -----------------------------------------------------------------------------------


def test_gap_chart_of_the_demo(gap: GapReport) -> None:
    chart = gap_chart(gap)
    assert_picture(chart, rows=len(gap.themes))
    assert chart.filename == "empathy-gap-2022.png"
    assert "wave 2022" in chart.title and "empathy-in-action" in chart.title


def test_gap_alt_text_states_the_reports_numbers(gap: GapReport) -> None:
    alt = gap_chart(gap).alt_text
    assert alt.startswith(
        "Dumbbell chart, survey empathy-in-action wave 2022, all respondents (n = 197)."
    )
    assert (
        "necessity: personal 91% (n = 197), organization 36% (n = 197), gap 55 points,"
        " significant." in alt
    )
    assert "business value: personal 72% (n = 150), organization 30% (n = 150)" in alt
    # single-perspective themes are kept, as one share each
    assert "measures empathy (single question): Yes 35% (n = 150)." in alt  # no perspective


def test_the_ask_path_and_the_engine_give_the_same_chart(demo_store: Store, gap: GapReport) -> None:
    wave = load_catalog(demo_store, TEAM).wave("2022")
    assert gap_chart(engine(demo_store).gap(wave)).png == gap_chart(gap).png


def test_a_filtered_gap_names_its_filter(demo_store: Store) -> None:
    report = finding(demo_store, "gap business value role=in-house")
    chart = chart_for(report)
    assert chart.filename == "empathy-gap-business-value-2022-role-in-house.png"
    assert "role = In-house (n = 150)" in chart.alt_text
    assert "personal 72% (n = 150), organization 30% (n = 150), gap 42 points" in chart.alt_text


# -- breakdown -----------------------------------------------------------------------------


def test_breakdown_chart_by_region(by_region: BreakdownReport) -> None:
    chart = breakdown_chart(by_region)
    assert_picture(chart, rows=1 + len(by_region.groups))
    assert chart.filename == "empathy-gap-2022-necessity-by-region.png"
    alt = chart.alt_text
    assert "all respondents (n = 197): personal 91% (n = 197), organization 36%" in alt
    assert "North America (n = 96): personal 91% (n = 96)" in alt
    assert "Asia-Pacific (n = 24): personal 88% (n = 24, small base)" in alt
    assert alt.index("all respondents (n = 197):") < alt.index("North America")


@pytest.fixture(scope="module")
def staff_by_region(demo_store: Store) -> BreakdownReport:
    """In-house staff by region: Asia-Pacific's 7 and the merged small regions' 4 are hidden,
    the first because beside other answers it would show how a few answered."""
    report = finding(demo_store, "gap role=in-house seniority=staff by region")
    assert isinstance(report, BreakdownReport)
    return report


def test_small_regions_are_merged_into_one_group(by_region: BreakdownReport) -> None:
    labels = [group.label for group in by_region.groups]
    assert labels[-1] == "Other (small groups: Latin America, Middle East & Africa)"
    assert [g.respondents for g in by_region.groups] == [96, 58, 24, 19]
    alt = breakdown_chart(by_region).alt_text
    assert "Other (small groups: Latin America, Middle East & Africa) (n = 19)" in alt


def test_suppressed_groups_are_named_without_a_number(staff_by_region: BreakdownReport) -> None:
    hidden = [group for group in staff_by_region.groups if group.suppressed]
    assert [(group.label, group.revealing) for group in hidden] == [
        ("Asia-Pacific", True),
        ("Other (small groups: Latin America, Middle East & Africa)", False),
    ]
    alt = breakdown_chart(staff_by_region).alt_text
    for group in hidden:
        sentence = alt[alt.index(f"{group.label}:") :].split(".")[0]
        assert "suppressed" in sentence
        digits = {c for c in sentence if c.isdigit()}
        assert digits <= {"5"}, f"only the minimum group size may appear: {sentence!r}"
        assert f"n = {group.respondents}" not in alt


def test_suppressed_rows_are_drawn_grey_and_without_dots(
    staff_by_region: BreakdownReport,
) -> None:
    image = pixels(breakdown_chart(staff_by_region).png)
    # Pixel rows where the plot's left edge shows the suppressed band are suppressed rows.
    band_rows = np.all(image[:, 404] == SUPPRESSED_BAND, axis=-1)
    assert band_rows.sum() > 100, "two grey rows of ~80 px expected"
    inside = image[band_rows]
    assert not has_colour(inside, BLUE) and not has_colour(inside, VERMILLION)


def test_breakdown_of_another_theme(by_region: BreakdownReport, demo_store: Store) -> None:
    chart = breakdown_chart(by_region, theme="business value")
    assert "business value by region" in chart.alt_text
    single = finding(demo_store, "gap develops staff by region")
    assert isinstance(single, BreakdownReport)
    alt = chart_for(single).alt_text
    assert "North America (n = 96): Agree or Strongly agree 57% (n = 72)." in alt


# -- trend ---------------------------------------------------------------------------------


def test_engine_trend_has_the_demo_waves_in_order(trend: TrendReport) -> None:
    assert [wave.label for wave in trend.waves] == ["2021-pilot", "2022"]
    assert [wave.respondents for wave in trend.waves] == [120, 197]
    assert trend.context.wave == "2022" and trend.context.respondents == 197
    latest = {result.theme: result for result in trend.waves[-1].themes}
    necessity = latest["necessity"]
    assert necessity.personal and necessity.personal.share
    assert (necessity.personal.share.positive, necessity.personal.share.n) == (179, 197)


def test_engine_trend_until_an_earlier_wave(demo_store: Store) -> None:
    catalog = load_catalog(demo_store, TEAM)
    report = engine(demo_store).trend(until=catalog.wave("2021-pilot"))
    assert [wave.label for wave in report.waves] == ["2021-pilot"]
    assert report.context.wave == "2021-pilot"
    alone = engine(demo_store).trend(since=catalog.wave("2022"))
    assert [wave.label for wave in alone.waves] == ["2022"]


def test_engine_trend_refuses_what_gap_refuses(demo_store: Store) -> None:
    catalog = load_catalog(demo_store, TEAM)
    region = catalog.segment("region")
    role, seniority = catalog.segment("role"), catalog.segment("seniority")
    few = (
        (role, ("Consultant",)),
        (seniority, ("Staff",)),
        (region, ("Asia-Pacific",)),
    )
    with pytest.raises(SuppressedError):
        engine(demo_store).gap(catalog.waves[-1], few)
    with pytest.raises(SuppressedError):
        engine(demo_store).trend(few)


def test_trend_chart_of_the_demo(trend: TrendReport) -> None:
    chart = trend_chart(trend)
    assert_picture(chart)
    assert chart.filename == "empathy-gap-trend-necessity-2021-pilot-to-2022.png"
    alt = chart.alt_text
    assert "across waves 2021-pilot to 2022" in alt
    assert alt.index("wave 2021-pilot:") < alt.index("wave 2022:")
    assert "wave 2022: personal 91% (n = 197), organization 36% (n = 197), gap 55 points" in alt


def test_trend_of_a_single_perspective_theme(trend: TrendReport) -> None:
    chart = trend_chart(trend, theme="measures empathy")
    assert chart.png.startswith(PNG_MAGIC)
    assert "wave 2022: Yes 35% (n = 150)." in chart.alt_text


def test_change_report_is_charted_as_two_waves(demo_store: Store) -> None:
    report = finding(demo_store, "gap vs 2021-pilot")
    assert isinstance(report, ChangeReport)
    chart = chart_for(report)
    assert_picture(chart)
    alt = chart.alt_text
    assert alt.index("wave 2021-pilot:") < alt.index("wave 2022:")
    assert "Change in the gap since 2021-pilot: -5 pts, not significant" in alt
    assert change_chart(report, theme="business value").alt_text != alt


def test_a_wave_too_small_to_show_is_kept_and_hidden(store: Store, import_rows: Importer) -> None:
    def people(count: int, start: int) -> list[list[str]]:
        return [[f"r{start + i}", "A", "s1", "Agree", "Disagree", "Yes"] for i in range(count)]

    import_rows(people(3, 0), wave="w1")
    import_rows(people(8, 100), wave="w2")
    report = Engine(SqlCounts(store), load_catalog(store, TEAM)).trend()
    assert [(w.label, w.respondents, w.suppressed) for w in report.waves] == [
        ("w1", 0, True),
        ("w2", 8, False),
    ]
    alt = trend_chart(report).alt_text
    assert "wave w1: hidden (n < 5)." in alt
    assert "3" not in alt.split("wave w1:")[1].split(".")[0]
    assert "wave w2: personal 100% (n = 8, small base), organization 0% (n = 8" in alt


# -- dispatch, determinism, threads --------------------------------------------------------


@pytest.mark.parametrize("text", ["themes", "segments", "waves", "surveys", "help"])
def test_lists_and_help_have_no_chart(demo_store: Store, text: str) -> None:
    with pytest.raises(QueryError, match="no chart"):
        chart_for(finding(demo_store, text))


def test_same_input_same_bytes(gap: GapReport, by_region: BreakdownReport) -> None:
    assert gap_chart(gap).png == gap_chart(gap).png
    assert breakdown_chart(by_region).png == breakdown_chart(by_region).png


def test_charts_drawn_in_parallel_threads(
    gap: GapReport, by_region: BreakdownReport, trend: TrendReport, demo_store: Store
) -> None:
    change = finding(demo_store, "gap vs 2021-pilot")
    findings: list[Finding | TrendReport] = [gap, by_region, trend, change]
    alone = [chart_for(f).png for f in findings]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda f: chart_for(f).png, findings * 2))
    assert together == alone * 2


def test_engine_trend_refuses_waves_in_the_wrong_order(demo_store: Store) -> None:
    catalog = load_catalog(demo_store, TEAM)
    with pytest.raises(NotFoundError, match="comes after"):
        engine(demo_store).trend(since=catalog.wave("2022"), until=catalog.wave("2021-pilot"))
