"""The answer first: one sentence that answers a gap question in words, with its numbers.

Every figure in a sentence is the figure the answer's detail shows, rounded the same way
(``whole``, ``percent``); every verdict is the one the detail states, adjusted for the
answer's other tests (the p-value quoted is the adjusted one when there are several
tests, and says so); a base under 30 is called directional, as the detail marks it.
Groups privacy hides are said to be hidden, never ranked. Names are raw text: the
renderers escape them with the rest of the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from insights.answers.findings import (
    Adjustment,
    BenchmarkReport,
    BreakdownReport,
    ChangeReport,
    Comparison,
    Context,
    Finding,
    GapReport,
    Group,
    Rank,
    Ranking,
    StudyFigure,
    StudyTheme,
    ThemeChange,
    ThemeResult,
    TrendReport,
    WidestReport,
    ranked_value,
    widest_gap,
)
from insights.answers.stats import DIRECTIONAL_BASE, TestResult, format_p, percent, whole


def headline(finding: Finding) -> str | None:
    """The sentence an answer starts with; None for listings and help, which answer no
    question about figures."""
    if isinstance(finding, GapReport):
        return count_sentence(finding.context) if finding.count else gap_sentence(finding)
    if isinstance(finding, BreakdownReport):
        return breakdown_sentence(finding)
    if isinstance(finding, WidestReport):
        return widest_sentence(finding)
    if isinstance(finding, ChangeReport):
        return change_sentence(finding)
    if isinstance(finding, TrendReport):
        return trend_sentence(finding)
    if isinstance(finding, BenchmarkReport):
        return benchmark_sentence(finding)
    return None


# -- gap -----------------------------------------------------------------------------------


def count_sentence(context: Context) -> str:
    """'197 people answered wave 2022 (role = all but Consultant).'"""
    people = "person" if context.respondents == 1 else "people"
    where = f" ({context.filter_text})" if context.filters else ""
    return f"{context.respondents} {people} answered wave {context.wave}{where}."


def gap_sentence(report: GapReport) -> str:
    """The widest gap of several themes, or the one theme's gap or share, with its base
    and (for a gap) its verdict."""
    gaps = [result for result in report.themes if result.gap is not None]
    if len(gaps) > 1:
        result = report.themes[widest_gap(report.themes) or 0]
        return (
            f"The gap is widest on {result.theme}: {_sides(result)},"
            f" {_points(result.gap)} ({_base(result.paired_n)}), {_verdict(result)}."
        )
    if gaps:
        result = gaps[0]
        return (
            f"The gap on {result.theme} is {_points(result.gap)}: {_sides(result)}"
            f" ({_base(result.paired_n)}), {_verdict(result)}."
        )
    shares = [result for result in report.themes if ranked_value(result) is not None]
    if shares:
        result = shares[0]
        return f"On {result.theme}, {_amount(result)} answered {_answer(result)} ({_n(result)})."
    return "No figure can be shown for these respondents."


def _sides(result: ThemeResult) -> str:
    """'72% personally vs 30% for their organization', as the detail rounds them."""
    assert result.personal and result.organization
    personal, organization = result.personal.share, result.organization.share
    assert personal is not None and organization is not None
    return (
        f"{percent(personal.share)}% personally vs {percent(organization.share)}% for their"
        " organization"
    )


def _verdict(result: ThemeResult) -> str:
    """'significant (adjusted p < 0.001)' or 'not significant (p = 0.410)'."""
    said = "significant" if result.significant else "not significant"
    return f"{said} ({stated_p(result.test, result.adjustment)})"


# -- against the published study ----------------------------------------------------------

SIDE_WORDS = {"personal": " personally", "organization": " for their organization"}


def benchmark_sentence(report: BenchmarkReport) -> str:
    """The tested figure furthest from the study's, with both shares, the team's base and
    the adjusted verdict; or why nothing could be tested."""
    tested = [(t, f) for t in report.themes for f in t.figures if f.difference and f.team]
    if not tested:
        if any(f.team is not None for t in report.themes for f in t.figures):
            return "The study gave these figures in words only, so they are shown but not tested."
        return "No figure of these respondents can be set beside the study's."
    theme, figure = max(tested, key=lambda pair: abs(_difference(pair[1])))
    points = whole(_difference(figure))
    where = "above" if points > 0 else "below"
    distance = f"{_points(abs(points))} {where}" if points else "level with"
    assert figure.team is not None
    verdict = "significant" if figure.significant else "not significant"
    lead = "the team is furthest from it"
    if not any(f.significant for _, f in tested):
        lead = "no figure differs significantly; the team is furthest from it"
    return (
        f"Against the published study, {lead} on {_where(theme, figure)}:"
        f" {percent(figure.team.share)}% vs the study's {percent(figure.study)}%,"
        f" {distance} it ({_base(figure.team.n)}), {verdict}"
        f" ({stated_p(figure.test, figure.adjustment)})."
    )


def _difference(figure: StudyFigure) -> float:
    return figure.difference.estimate * 100 if figure.difference else 0.0


def _where(theme: StudyTheme, figure: StudyFigure) -> str:
    """'business value for their organization', 'measures empathy'."""
    return f"{theme.result.theme}{SIDE_WORDS.get(figure.side, '') if theme.result.is_gap else ''}"


# -- breakdowns and rankings ---------------------------------------------------------------


def breakdown_sentence(report: BreakdownReport) -> str:
    """A ranking's leader against its runner-up; two groups against each other; or the
    group with the widest gap (highest share) against the other groups together."""
    if report.ranking is not None:
        return ranking_sentence(f"By {report.segment}, ", report.ranking)
    index = _breakdown_theme(report)
    if index is None:
        return f"By {report.segment}, no group has a figure to show."
    groups = [g for g in report.groups if _value(g, index) is not None]
    hidden = _hidden_clause(_hidden(report.groups, index), ranking=False)
    if len(report.groups) == 2 and len(groups) == 2:
        return _pair_sentence(groups, index)
    if not groups:
        return f"By {report.segment}, no group has a figure to show{hidden}."
    best = max(groups, key=lambda g: _value(g, index) or 0.0)  # the first, on a tie
    result = best.themes[index]
    said = (
        f"By {report.segment}, {_noun(result)} is {_superlative(result, 'widest')} for"
        f" {best.label}: {_amount(result)} ({_n(result)})"
    )
    versus = best.versus_rest[index] if best.versus_rest else None
    if len(groups) < 2 or versus is None:
        return f"{said}{hidden}."
    return f"{said}, {_versus_rest(result, versus)}{hidden}."


def _breakdown_theme(report: BreakdownReport) -> int | None:
    """The theme a breakdown's sentence is about: its only theme, else the widest gap,
    else (a survey of single questions) the first question with a share to show."""
    if len(report.total) == 1:
        return 0
    widest = widest_gap(report.total)
    if widest is not None:
        return widest
    shown = [i for i, result in enumerate(report.total) if ranked_value(result) is not None]
    return shown[0] if shown else None


def _pair_sentence(groups: Sequence[Group], index: int) -> str:
    """Two groups, the only two: how much the one's gap (share) exceeds the other's, and
    whether that difference is significant (their versus-the-rest is exactly this)."""
    first, second = sorted(groups, key=lambda g: -(_value(g, index) or 0.0))
    versus = first.versus_rest[index] if first.versus_rest else None
    mine, theirs = first.themes[index], second.themes[index]
    bases = _bases(mine, theirs, " and")
    if versus is None:
        return (
            f"{_noun(mine, capital=True)} is {_amount(mine)} for {first.label} and"
            f" {_amount(theirs)} for {second.label} ({bases})."
        )
    amounts = (
        f"{whole(mine.gap or 0.0)} vs {_amount(theirs)}"
        if mine.is_gap
        else f"{_amount(mine)} vs {_amount(theirs)}"
    )
    points = whole(versus.points)
    if points == 0:
        size = f"about the same for {first.label} as for {second.label}"
    else:
        more = _comparative(mine, "widest" if points > 0 else "narrowest")
        size = f"{_points(abs(points))} {more} for {first.label} than for {second.label}"
    sig = "a significant difference" if versus.significant else "not a significant difference"
    return (
        f"{_noun(mine, capital=True)} is {size} ({amounts}; {bases}) — {sig}"
        f" ({stated_p(versus.test, versus.adjustment)})."
    )


def _versus_rest(result: ThemeResult, versus: Comparison) -> str:
    """'9 points wider than the other groups together, a significant difference (…)'."""
    points = whole(versus.points)
    p = stated_p(versus.test, versus.adjustment)
    sig = "a significant difference" if versus.significant else "not a significant difference"
    if points == 0:
        return f"about the same as the other groups together, {sig} ({p})"
    more = _comparative(result, "widest" if points > 0 else "narrowest")
    return f"{_points(abs(points))} {more} than the other groups together, {sig} ({p})"


def ranking_sentence(where: str, ranking: Ranking, segment: str | None = None) -> str:
    """'By seniority, the gap on necessity is widest for Staff: 61 points (n = 40), but
    not significantly wider than for Middle manager (52 points, adjusted p = 0.410).'
    ``segment`` names the groups' segment (an answer about every segment)."""
    hidden = _hidden_clause(len(ranking.hidden))
    leader, result = ranking.leader, ranking.leader_result
    if leader is None or result is None:
        return f"{where}no group can be ranked on {ranking.theme}{hidden}."
    name = f"{segment} = {leader.label}" if segment else leader.label
    said = (
        f"{where}{_noun(result)} is {_superlative(result, ranking.order)} for {name}:"
        f" {_amount(result)} ({_n(result)})"
    )
    runner_up, theirs = ranking.runner_up, ranking.runner_up_result
    if runner_up is None or theirs is None:
        return f"{said}, the only group ranked{hidden}."
    other = f"{segment} = {runner_up.label}" if segment else runner_up.label
    more = _comparative(result, ranking.order)
    difference = ranking.difference
    if difference is None:
        return f"{said}, then {other} ({_amount(theirs)}){hidden}."
    p = stated_p(difference.test, difference.adjustment)
    ahead = f"significantly {more}" if difference.significant else f"but not significantly {more}"
    return f"{said}, {ahead} than for {other} ({_amount(theirs)}, {p}){hidden}."


def widest_sentence(report: WidestReport) -> str:
    """The leading group across segments, against the runner-up of its own segment."""
    if report.leader is None:
        theme = next((r.theme for _, r in report.rankings if r.theme), "any theme")
        return f"No segment has two groups to rank on {theme}."
    breakdown = report.breakdowns[report.leader]
    assert breakdown.ranking is not None
    return ranking_sentence("Across segments, ", breakdown.ranking, breakdown.segment)


def _hidden(groups: Sequence[Group], index: int) -> int:
    """How many groups privacy hides (wholly, or on this theme)."""
    return sum(
        1 for g in groups if g.suppressed or (len(g.themes) > index and g.themes[index].hidden)
    )


def _hidden_clause(hidden: int, ranking: bool = True) -> str:
    """'; 2 groups are hidden for privacy (and not ranked)'."""
    if not hidden:
        return ""
    said = "1 group is hidden" if hidden == 1 else f"{hidden} groups are hidden"
    return f"; {said} for privacy" + (" and not ranked" if ranking else "")


def _value(group: Group, index: int) -> float | None:
    if group.suppressed or len(group.themes) <= index:
        return None
    return ranked_value(group.themes[index])


# -- change and trend ----------------------------------------------------------------------


def change_sentence(report: ChangeReport) -> str:
    """The theme that moved most (by its unrounded change), by how much, and whether that
    is significant as adjusted. Gaps come first: a single question's share is the
    headline only when no gap's change can be computed (a gap and a share are not
    measured on the same scale, so their changes are not compared)."""
    moved = [change for change in report.changes if change.change is not None]
    gaps = [change for change in moved if change.after.is_gap]
    moved = gaps or moved
    since = f"Since {report.previous_wave}, "
    if not moved:
        return f"{since}no change can be computed for these respondents."
    change = max(moved, key=lambda c: abs(c.change or 0.0))  # the first, on a tie
    noun = _noun(change.after)
    said = (
        f"{noun} moved most: it {_moved(change)}" if len(moved) > 1 else f"{noun} {_moved(change)}"
    )
    sig = "significant" if change.significant else "not significant"
    return f"{since}{said}, {sig} ({stated_p(change.test, change.adjustment)})."


def _moved(change: ThemeChange) -> str:
    """'widened from 40 to 55 points (+15 pts; n = 120, then 197)'."""
    assert change.change is not None
    before, after = change.before, change.after
    step = whole(change.change)
    if after.is_gap:
        verb = "widened" if step > 0 else "narrowed" if step < 0 else "barely moved"
    else:
        verb = "rose" if step > 0 else "fell" if step < 0 else "barely moved"
    signed = f"{step:+d} pts".replace("+0 pts", "0 pts")
    return f"{verb} {_from_to(before, after)} ({signed}; {_bases(before, after)})"


def trend_sentence(report: TrendReport) -> str:
    """The headline theme (the one asked about, else the widest gap in the latest wave
    with answers) from the first wave that shows it to the last. A trend tests no change
    between waves, so the sentence claims none."""
    answered = [wave for wave in report.waves if wave.themes]
    if not answered:
        return "No wave has figures for these respondents."
    latest = answered[-1].themes
    index = widest_gap(latest)
    if index is None:
        index = next((i for i, r in enumerate(latest) if ranked_value(r) is not None), 0)
    theme = latest[index].theme
    shown = [
        (wave.label, result)
        for wave in answered
        for result in wave.themes
        if result.theme == theme and ranked_value(result) is not None
    ]
    if not shown:
        return f"No wave has figures on {theme} for these respondents."
    if len(shown) == 1:
        label, result = shown[0]
        return (
            f"Only wave {label} has figures: {_noun(result)} is {_amount(result)} ({_n(result)})."
        )
    (first, then), (last, now) = shown[0], shown[-1]
    step = whole(ranked_value(now) or 0.0) - whole(ranked_value(then) or 0.0)
    if now.is_gap:
        verb = "widened" if step > 0 else "narrowed" if step < 0 else "stayed at"
    else:
        verb = "rose" if step > 0 else "fell" if step < 0 else "stayed at"
    amounts = _amount(now) if step == 0 else _from_to(then, now)
    return (
        f"From {first} to {last}, {_noun(now)} {verb} {amounts} ({_bases(then, now)});"
        " the trend itself is not tested."
    )


# -- words and numbers ---------------------------------------------------------------------


def _noun(result: ThemeResult, capital: bool = False) -> str:
    """'the gap on necessity', or 'the share answering Yes on measures empathy'."""
    noun = (
        f"the gap on {result.theme}"
        if result.is_gap
        else f"the share answering {_answer(result)} on {result.theme}"
    )
    return noun[:1].upper() + noun[1:] if capital else noun


def _answer(result: ThemeResult) -> str:
    return result.single.question.positive_label if result.single else "yes"


def _superlative(result: ThemeResult, order: Rank) -> str:
    if result.is_gap:
        return order
    return "highest" if order == "widest" else "lowest"


def _comparative(result: ThemeResult, order: Rank) -> str:
    if result.is_gap:
        return "wider" if order == "widest" else "narrower"
    return "higher" if order == "widest" else "lower"


def _amount(result: ThemeResult) -> str:
    """'61 points' for a gap, '57%' for a share: as the detail rounds them."""
    if result.is_gap:
        return _points(result.gap)
    share = result.single.share if result.single else None
    return f"{percent(share.share)}%" if share is not None else "hidden"


def _from_to(before: ThemeResult, after: ThemeResult) -> str:
    """'from 40 to 55 points', 'from 35% to 40%'."""
    if after.is_gap:
        return f"from {whole(before.gap or 0.0)} to {_amount(after)}"
    return f"from {_amount(before)} to {_amount(after)}"


def _bases(first: ThemeResult, second: ThemeResult, joined: str = ", then") -> str:
    """'n = 120, then 197', 'n = 47 and 150' (', directional' when either is under 30)."""
    one, other = _base_of(first), _base_of(second)
    directional = ", directional" if min(one, other) < DIRECTIONAL_BASE else ""
    return f"n = {one}{joined} {other}{directional}"


def _points(value: float | int | None) -> str:
    points = whole(value or 0.0)
    return f"{points} point" if abs(points) == 1 else f"{points} points"


def _base_of(result: ThemeResult) -> int:
    """The base of a result's figure: those who answered both, or the question's base."""
    if result.is_gap:
        return result.paired_n
    share = result.single.share if result.single else None
    return share.n if share is not None else 0


def _n(result: ThemeResult) -> str:
    return _base(_base_of(result))


def _base(n: int) -> str:
    """'n = 197', or 'n = 18, directional' under a base of 30 (the detail's †)."""
    return f"n = {n}, directional" if n < DIRECTIONAL_BASE else f"n = {n}"


def stated_p(test: TestResult | None, adjustment: Adjustment | None) -> str:
    """The p-value the verdict rests on: adjusted when the answer makes several tests."""
    if test is None:
        return "no test possible"
    if adjustment is not None and adjustment.tests > 1:
        return "adjusted " + format_p(adjustment.p_value)
    return format_p(test.p_value)
