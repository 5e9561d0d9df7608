"""Charts of hand-built findings: edges of the scale, small and hidden bases, long names,
many rows, and the small layout helpers."""

from __future__ import annotations

import io

import pytest
from matplotlib.image import imread

from insights import NotFoundError, QueryError
from insights.answers.catalog import QuestionRef
from insights.answers.charts import MAX_ROWS, breakdown_chart, chart_for, gap_chart, trend_chart
from insights.answers.charts._canvas import Ink, Style, slug
from insights.answers.charts._dumbbell import spread
from insights.answers.findings import (
    BreakdownReport,
    Context,
    GapReport,
    Group,
    Help,
    Listing,
    Measure,
    ThemeResult,
    TrendReport,
    WaveResult,
)
from insights.answers.stats import Proportion, mcnemar

CONTEXT = Context("pulse", "Pulse survey", "2024", 400, (("role", ("In-house",)),))


def question(theme: str, perspective: str | None, positive: str = "Agree") -> QuestionRef:
    return QuestionRef(
        1, theme, f"About {theme}", theme, perspective, ("No", positive), positive, True
    )


def paired(theme: str, personal: int, organization: int, n: int = 200) -> ThemeResult:
    """A gap theme with ``personal`` and ``organization`` agreeing out of ``n`` each."""
    b, c = max(personal - organization, 0), max(organization - personal, 0)
    return ThemeResult(
        theme,
        Measure(question(theme, "personal"), Proportion(personal, n)),
        Measure(question(theme, "organization"), Proportion(organization, n)),
        paired_n=n,
        test=mcnemar(b, c),
        personal_only=b,
        organization_only=c,
    )


def single(theme: str, positive: int, n: int = 150) -> ThemeResult:
    return ThemeResult(theme, single=Measure(question(theme, None, "Yes"), Proportion(positive, n)))


def size(png: bytes) -> tuple[int, int]:
    height, width = imread(io.BytesIO(png), format="png").shape[:2]
    return width, height


def gap_report(*themes: ThemeResult) -> GapReport:
    return GapReport(CONTEXT, themes)


# -- gap -----------------------------------------------------------------------------------


def test_ends_of_the_scale_and_equal_shares_draw() -> None:
    report = gap_report(
        paired("all agree", 200, 200),
        paired("nobody", 0, 0),
        paired("reversed", 40, 160),
        single("always", 150),
    )
    alt = gap_chart(report).alt_text
    assert "all agree: personal 100% (n = 200), organization 100% (n = 200), gap 0 points" in alt
    assert "reversed: personal 20% (n = 200), organization 80% (n = 200), gap -60 points" in alt
    assert "always (single question): Yes 100% (n = 150)." in alt


def test_each_row_adds_the_same_height() -> None:
    one = size(gap_chart(gap_report(paired("a", 100, 50))).png)
    three = size(gap_chart(gap_report(*(paired(t, 100, 50) for t in "abc"))).png)
    assert one[0] == three[0] == 1200
    assert three[1] - one[1] == 2 * 90


def test_small_bases_and_hidden_shares_are_said() -> None:
    hidden = ThemeResult(
        "hidden", Measure(question("h", "personal"), None), Measure(question("h", "org"), None)
    )
    chart = gap_chart(gap_report(paired("few", 20, 5, n=25), hidden))
    assert "few: personal 80% (n = 25, small base), organization 20% (n = 25, small base)" in (
        chart.alt_text
    )
    assert "hidden: suppressed: too few answers." in chart.alt_text


def test_many_rows_are_cut_and_counted() -> None:
    report = gap_report(*(paired(f"theme {i}", 150, 60) for i in range(MAX_ROWS + 5)))
    chart = gap_chart(report)
    assert len(chart.alt_text) <= 1000
    assert chart.alt_text.endswith("more not described.")
    many = size(chart.png)[1]
    twenty = size(gap_chart(gap_report(*report.themes[:MAX_ROWS])).png)[1]
    assert twenty <= many < twenty + 90  # only the footnote grew


def test_long_names_and_dollar_signs_are_plain_text() -> None:
    name = "the $ value of empathy $ across " + "a very long theme name " * 6
    chart = gap_chart(gap_report(paired(name, 120, 40)))
    assert chart.png  # no mathtext error from the paired dollars
    assert f"{name}: personal 60%" in chart.alt_text


def test_same_report_same_bytes() -> None:
    report = gap_report(paired("a", 150, 40), single("b", 60))
    assert gap_chart(report).png == gap_chart(report).png


# -- breakdown -----------------------------------------------------------------------------


def breakdown(groups: tuple[Group, ...]) -> BreakdownReport:
    return BreakdownReport(CONTEXT, "team", (paired("care", 300, 120, 400),), groups)


def test_hidden_group_shows_no_number() -> None:
    groups = (
        Group("Support", 200, False, (paired("care", 150, 60),)),
        Group("Sales", 197, False, (paired("care", 150, 60, 197),)),
        Group("Legal", 3, True),
    )
    chart = breakdown_chart(breakdown(groups))
    sentence = chart.alt_text.split("Legal: ")[1]
    assert sentence == "suppressed for privacy (minimum n = 5)."
    assert "n = 3" not in chart.alt_text


def test_group_without_answers_says_not_asked() -> None:
    groups = (Group("Support", 200, False, (paired("care", 150, 60),)), Group("Bots", 9, False))
    assert "Bots (n = 9): not asked." in breakdown_chart(breakdown(groups)).alt_text


def test_unknown_theme_is_refused() -> None:
    with pytest.raises(NotFoundError, match="no theme 'nope'"):
        breakdown_chart(breakdown(()), theme="nope")


# -- trend ---------------------------------------------------------------------------------


def test_trend_keeps_wave_order_and_hides_small_waves() -> None:
    waves = (
        WaveResult("spring", 150, (paired("care", 120, 40, 150),)),
        WaveResult("summer", 0, suppressed=True),
        WaveResult("autumn", 200, (paired("care", 170, 60),)),
    )
    alt = trend_chart(TrendReport(CONTEXT, waves)).alt_text
    assert alt.index("wave spring:") < alt.index("wave summer:") < alt.index("wave autumn:")
    assert "wave summer: hidden (n < 5)." in alt
    assert "wave autumn: personal 85% (n = 200), organization 30% (n = 200)" in alt


def test_trend_with_many_waves_draws() -> None:
    waves = tuple(
        WaveResult(f"{2010 + i}-quarterly-wave", 200, (paired("care", 100 + i, 50),))
        for i in range(12)
    )
    chart = trend_chart(TrendReport(CONTEXT, waves))
    assert size(chart.png)[0] == 1200
    assert len(chart.alt_text) <= 1000


def test_trend_without_any_answers_is_refused() -> None:
    with pytest.raises(NotFoundError):
        trend_chart(TrendReport(CONTEXT, (WaveResult("w1", 0),)))


# -- dispatch ------------------------------------------------------------------------------


@pytest.mark.parametrize("finding", [Listing("Themes", ()), Help()])
def test_no_chart_for_lists_and_help(finding: Listing | Help) -> None:
    with pytest.raises(QueryError) as raised:
        chart_for(finding)
    assert raised.value.suggestion and "gap" in raised.value.suggestion


# -- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("centres", "halves"),
    [
        ([50.0, 50.0], [10.0, 10.0]),  # same place: pushed apart evenly
        ([0.0, 2.0], [12.0, 12.0]),  # at the left edge: pushed right
        ([99.0, 100.0], [12.0, 14.0]),  # at the right edge: pushed left
        ([30.0, 70.0], [10.0, 10.0]),  # already apart: untouched
        ([42.0], [15.0]),
    ],
)
def test_spread_labels_never_overlap_or_leave(centres: list[float], halves: list[float]) -> None:
    placed = spread(centres, halves, -3, 103, 2)
    for i, (centre, half) in enumerate(zip(placed, halves, strict=True)):
        assert centre - half >= -3 and centre + half <= 103
        if i:
            assert placed[i - 1] + halves[i - 1] + 2 <= centre - half + 1e-9
    if centres == [30.0, 70.0]:
        assert placed == centres


def test_wrap_and_fit() -> None:
    ink, style = Ink(), Style(11)
    assert ink.wrap("develops middle managers", 10_000, style, 2) == ["develops middle managers"]
    lines = ink.wrap("one two three four five six seven", 60, style, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert ink.wrap("2021-pilot", 80, style, 2, hyphens=True) == ["2021-", "pilot"]
    assert ink.fit("short", 500, style) == "short"
    assert ink.width(ink.fit("a rather long line of text", 80, style), style) <= 80


def test_slug() -> None:
    assert slug("empathy gap", "2022", "by region") == "empathy-gap-2022-by-region"
    assert slug("Ünïcode & spaces!") == "unicode-spaces"
    assert len(slug("word " * 50)) <= 100 and not slug("word " * 50).endswith("-")
    assert slug("") == "chart"
