"""Building each chart from its finding: rows, frame, drawing (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from insights.answers.charts import _dumbbell, _trend
from insights.answers.charts._canvas import Ink, drawing, slug
from insights.answers.charts._frame import Frame, make_frame
from insights.answers.charts._rows import (
    NOT_ASKED,
    Row,
    Side,
    alt_text,
    context_lines,
    counted_label,
    gap_words,
    pick_theme,
    suppressed_row,
    theme_row,
    verdict_word,
)
from insights.answers.findings import (
    BreakdownReport,
    ChangeReport,
    Context,
    Finding,
    GapReport,
    Group,
    ThemeResult,
    TrendReport,
    WaveResult,
    WidestReport,
)
from insights.answers.stats import format_p
from insights.errors import NotFoundError, QueryError

MAX_ROWS = 20  # beyond this a chart stops being readable on a phone; the rest are counted
INTERVALS = "95% intervals (Wilson). † base under 30: read as directional only."
GAP_TEST = (
    "Gap = personal minus organization, in points, among those who answered both;"
    " significant = McNemar test p < 0.05, Holm-adjusted across the answer's tests"
    " (a dashed line could be chance)."
)
Draw = Callable[[Frame, Sequence[Row]], bytes]


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str  # a screen reader's sentence with the chart's numbers, ≤ 1000 characters
    title: str
    filename: str


@dataclass(frozen=True)
class _Spec:
    """Everything a chart says, in words and rows, before it is drawn."""

    heading: str  # drawn at the top
    subtitle: list[str]
    footnote: list[str]
    legend: list[Side]
    rows: list[Row]
    spoken: str  # the alt text's first sentence
    title: str  # Chart.title: the heading with its context
    filename: str
    tail: str = ""  # said after the rows in the alt text


def _render(spec: _Spec, draw: Draw) -> Chart:
    with drawing():
        footnote = " ".join(spec.footnote)
        frame = make_frame(Ink(), spec.heading, spec.subtitle, footnote, spec.legend)
        png = draw(frame, spec.rows)
    return Chart(png, alt_text(spec.spoken, spec.rows, spec.tail), spec.title, spec.filename)


# -- gap -----------------------------------------------------------------------------------


def gap_chart(report: GapReport) -> Chart:
    """One dumbbell row per theme of ``report`` (first MAX_ROWS), in the report's order."""
    context = report.context
    shown = report.themes[:MAX_ROWS]
    heading = "Empathy gap" + (f": {context.theme}" if context.theme else "")
    spec = _Spec(
        heading=heading,
        subtitle=context_lines(context),
        footnote=[
            *_method(shown),
            *(note for note in report.notes if "†" not in note),  # ours says it already
            *_cut(len(report.themes) - len(shown), "theme(s)", "ask for one theme"),
        ],
        legend=_legend(shown),
        rows=[_gap_theme_row(result) for result in shown],
        spoken=f"Dumbbell chart, {_where(context)}.",
        title=_title(heading, context),
        filename=_filename("empathy gap", context.theme, context.wave, _filters(context)),
    )
    return _render(spec, _dumbbell.draw)


def _gap_theme_row(result: ThemeResult) -> Row:
    counted = f"% {counted_label(result)}"
    if result.is_gap:
        return theme_row(result, result.theme, counted)
    return theme_row(result, result.theme, counted, f"{result.theme} ({_kind(result)})")


def _kind(result: ThemeResult) -> str:
    """A single question's perspective as the codebook declared it, or none invented."""
    return result.single.question.kind if result.single else "single question"


# -- breakdown -----------------------------------------------------------------------------


def breakdown_chart(report: BreakdownReport, theme: str | None = None) -> Chart:
    """One theme (default: the first gap theme) for all respondents, then each group."""
    context = report.context
    index = pick_theme(report.total, theme)
    overall = report.total[index]
    groups = [_group_row(group, index, context.min_group_size) for group in report.groups]
    shown = groups[: MAX_ROWS - 1]
    heading = _breakdown_heading(overall, report.segment)
    spec = _Spec(
        heading=heading,
        subtitle=[*context_lines(context), _counted(overall)],
        footnote=[
            *_method([overall]),
            *_suppression(report),
            *_cut(len(groups) - len(shown), "group(s)", "add a filter"),
        ],
        legend=_legend([overall]),
        rows=[_all_row(overall, context), *shown],
        spoken=f"Dumbbell chart of {overall.theme} by {report.segment}, {_where(context)}.",
        title=_title(heading, context),
        filename=_filename(
            "empathy gap", context.wave, overall.theme, f"by {report.segment}", _filters(context)
        ),
    )
    return _render(spec, _dumbbell.draw)


def _breakdown_heading(overall: ThemeResult, segment: str) -> str:
    if overall.is_gap:
        return f"Empathy gap by {segment}: {overall.theme}"
    name = overall.theme
    return f"{name[:1].upper()}{name[1:]} by {segment} ({_kind(overall)})"


def _all_row(overall: ThemeResult, context: Context) -> Row:
    base = f"n = {context.respondents}"
    return theme_row(overall, "All", base, f"all respondents ({base})", total=True)


def _group_row(group: Group, index: int, min_group_size: int) -> Row:
    if group.suppressed:
        return suppressed_row(group.label, min_group_size, group.revealing)
    detail = f"n = {group.respondents}"
    spoken = f"{group.label} ({detail})"
    if not group.themes:
        return Row(group.label, detail, spoken, note=NOT_ASKED)
    result = group.themes[index]
    if result.hidden:
        return suppressed_row(group.label, min_group_size, result.revealing)
    return theme_row(result, group.label, detail, spoken)


def _suppression(report: BreakdownReport) -> list[str]:
    if not any(group.suppressed or any(r.hidden for r in group.themes) for group in report.groups):
        return []
    return [
        f"Groups under {report.context.min_group_size} respondents are hidden, and so are"
        " groups that, beside other answers, would show how a few people answered."
    ]


# -- trend ---------------------------------------------------------------------------------


def trend_chart(report: TrendReport, theme: str | None = None) -> Chart:
    """One theme (default: the first gap theme) across the report's waves, in order."""
    return _trend_chart(report, theme)


def change_chart(report: ChangeReport, theme: str | None = None) -> Chart:
    """A ``ChangeReport`` as a two-wave trend: the earlier wave named, then the current;
    the change and its test are stated under the chart and in the alt text."""
    index = pick_theme([change.after for change in report.changes], theme)
    return _trend_chart(
        _as_trend(report), report.changes[index].theme, _change_words(report, index)
    )


def _as_trend(report: ChangeReport) -> TrendReport:
    before = tuple(change.before for change in report.changes)
    after = tuple(change.after for change in report.changes)
    waves = (
        WaveResult(report.previous_wave, report.previous_respondents, before),
        WaveResult(report.context.wave, report.context.respondents, after),
    )
    return TrendReport(report.context, waves, report.notes)


def _change_words(report: ChangeReport, index: int) -> str:
    change = report.changes[index]
    if change.change is None or change.test is None:
        return f"Change since {report.previous_wave}: not available."
    what = "gap" if change.after.is_gap else "share"
    test = f"{change.test.method}, {format_p(change.test.p_value)}"
    return (
        f"Change in the {what} since {report.previous_wave}: {gap_words(change.change)},"
        f" {verdict_word(change.test, change.adjustment)} ({test})."
    )


def _trend_chart(report: TrendReport, theme: str | None, change: str = "") -> Chart:
    context = report.context
    chosen = _trend_theme(report, theme)
    labels = [wave.label for wave in report.waves]
    span = f"waves {labels[0]} to {labels[-1]}" if len(labels) > 1 else f"wave {labels[0]}"
    heading = f"{'Empathy gap over time' if chosen.is_gap else 'Over time'}: {chosen.theme}"
    under = " and the gap in points" if chosen.is_gap else ""
    spec = _Spec(
        heading=heading,
        subtitle=[*context_lines(context, span), _counted(chosen)],
        footnote=[
            INTERVALS,
            f"Under each wave: its base n{under}. Waves are independent samples:"
            " a change inside the bands could be chance.",
            *([change] if change else []),
            *_hidden_waves(report),
        ],
        legend=_legend([chosen]),
        rows=[_wave_row(wave, chosen.theme, context.min_group_size) for wave in report.waves],
        spoken=f"Line chart, survey {context.survey}, {context.filter_text}: {chosen.theme}"
        f" across {span}, share answering {counted_label(chosen)}.",
        title=f"{heading} — {context.survey}, {span}, {context.filter_text}",
        filename=_filename(
            "empathy gap trend", chosen.theme, span.removeprefix("waves "), _filters(context)
        ),
        tail=f" {change}" if change else "",
    )
    return _render(spec, _trend.draw)


def _trend_theme(report: TrendReport, theme: str | None) -> ThemeResult:
    """The theme to draw, as the latest wave with answers has it."""
    answered = [wave for wave in report.waves if wave.themes]
    if not answered:
        raise NotFoundError("No wave has answers to chart for these respondents.")
    latest = answered[-1].themes
    return latest[pick_theme(latest, theme)]


def _wave_row(wave: WaveResult, theme: str, min_group_size: int) -> Row:
    spoken = f"wave {wave.label}"
    if wave.suppressed:
        why = "would reveal" if wave.revealing else f"n < {min_group_size}"
        note = f"hidden ({why})"
        return Row(wave.label, "", spoken, note=note, suppressed=True)
    result = next((r for r in wave.themes if r.theme == theme), None)
    if result is None:
        note = "no respondents match" if not wave.respondents else NOT_ASKED
        return Row(wave.label, "", spoken, note=note)
    row = theme_row(result, wave.label, spoken=spoken)
    bases = sorted({dot.share.n for dot in row.dots}) or [wave.respondents]
    return replace(row, detail="n = " + "/".join(str(n) for n in bases))


def _hidden_waves(report: TrendReport) -> list[str]:
    if not any(wave.suppressed for wave in report.waves):
        return []
    minimum = report.context.min_group_size
    return [f"A wave where fewer than {minimum} respondents match is hidden."]


# -- dispatch ------------------------------------------------------------------------------


def chart_for(finding: Finding | TrendReport) -> Chart:
    """The chart for any finding that has one; ``QueryError`` for lists and help."""
    if isinstance(finding, GapReport):
        return gap_chart(finding)
    if isinstance(finding, BreakdownReport):
        return breakdown_chart(finding, finding.ranking.theme if finding.ranking else None)
    if isinstance(finding, WidestReport):
        return _widest_chart(finding)
    if isinstance(finding, ChangeReport):
        return change_chart(finding)
    if isinstance(finding, TrendReport):
        return trend_chart(finding)
    raise QueryError(
        "There is no chart for a list or for help: only for figures.",
        suggestion="Try `gap`, `gap by role` or `gap vs 2021-pilot`.",
    )


def _widest_chart(report: WidestReport) -> Chart:
    """``gap widest``: the ranked breakdown of the segment whose leader leads, on the
    ranked theme (the first segment's when no segment ranks two groups)."""
    breakdown = report.breakdowns[report.leader or 0]
    return breakdown_chart(breakdown, breakdown.ranking.theme if breakdown.ranking else None)


# -- shared words --------------------------------------------------------------------------


def _method(results: Sequence[ThemeResult]) -> list[str]:
    """How to read the marks: intervals always, the gap's test only where there is a gap."""
    return [INTERVALS, GAP_TEST] if any(r.is_gap for r in results) else [INTERVALS]


def _legend(results: Sequence[ThemeResult]) -> list[Side]:
    sides: list[Side] = []
    if any(result.is_gap for result in results):
        sides += ["personal", "organization"]
    if any(not result.is_gap for result in results):
        sides.append("single")
    return sides


def _counted(result: ThemeResult) -> str:
    return f"{result.theme}: share answering {counted_label(result)}"


def _where(context: Context) -> str:
    return (
        f"survey {context.survey} wave {context.wave}, {context.filter_text}"
        f" (n = {context.respondents})"
    )


def _cut(count: int, what: str, advice: str) -> list[str]:
    return [f"{count} more {what} not shown: {advice}."] if count > 0 else []


def _title(heading: str, context: Context) -> str:
    return f"{heading} — {context.survey}, wave {context.wave}, {context.filter_text}"


def _filters(context: Context) -> str:
    return context.filter_text if context.filters else ""


def _filename(*parts: str | None) -> str:
    return slug(*(part for part in parts if part)) + ".png"
