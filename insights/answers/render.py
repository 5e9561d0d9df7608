"""Rendering findings as Slack Block Kit and as plain text, from the one findings model.

Both renderers are built from the same parts (``_Part``), so Slack and the terminal can
never disagree on a figure. The parts hold raw text: survey titles, theme, segment, value,
wave and scale names, question texts and notes exactly as imported. They become mrkdwn in
one place, ``_block``, which escapes them (``insights.safe_text``); headers are
``plain_text``, which Slack does not parse. Block Kit limits are enforced here: long
breakdowns are trimmed with a note rather than rejected by Slack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    Help,
    Listing,
    Measure,
    Ranking,
    StudyFigure,
    StudyTheme,
    ThemeChange,
    ThemeResult,
    TrendReport,
    WaveResult,
    WidestReport,
    significant,
)
from insights.answers.headline import headline, stated_p
from insights.answers.stats import Interval, Proportion, TestResult, format_p, percent, whole
from insights.blocks import MAX_SECTION_TEXT, Block, context, section
from insights.safe_text import clip, clip_mrkdwn, escape_mrkdwn

MAX_BLOCKS = 45  # Slack allows 50; the edge may add buttons
MAX_HEADER = 150
SMALL_BASE_MARK = "†"


@dataclass(frozen=True)
class Message:
    """A rendered answer as Slack gets it: ``blocks`` the Block Kit layout, ``text`` the
    fallback Slack shows in notifications. Slack reads that fallback as mrkdwn too, so it is
    escaped like every mrkdwn field: no text from data or from a person is markup there."""

    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class _Style:
    bold: Callable[[str], str]
    code: Callable[[str], str]


MRKDWN = _Style(bold=lambda s: f"*{s}*", code=lambda s: f"`{s}`")
PLAIN = _Style(bold=lambda s: s, code=lambda s: s)


@dataclass(frozen=True)
class _Part:
    """A titled chunk: a header, a context line, or a section of lines."""

    kind: str  # "header" | "headline" | "context" | "section" (first line: title) | "list"
    text: str = ""


# -- figures -------------------------------------------------------------------------------


def figure(share: Proportion | None, style: _Style = PLAIN) -> str:
    """'91% (179 of 197, 95% CI 86–94%)', marked † under a base of 30."""
    if share is None:
        return "hidden (too few answers, for privacy)"
    if share.n == 0:
        return "not asked"
    low, high = share.interval
    mark = SMALL_BASE_MARK if share.directional else ""
    return (
        f"{style.bold(f'{percent(share.share)}%')}{mark} ({share.positive} of {share.n}, "
        f"95% CI {percent(low)}–{percent(high)}%)"
    )


def verdict(test: TestResult | None, adjustment: Adjustment | None = None) -> str:
    """'significant: unlikely to be chance (McNemar mid-p, p = 0.004; Holm-adjusted
    across 6 tests, p = 0.024)': the verdict is the adjusted one when the answer makes
    several tests."""
    if test is None:
        return "no test possible"
    said = f"{test.method}, {format_p(test.p_value)}"
    if adjustment is not None and adjustment.tests > 1:
        said += f"; Holm-adjusted across {adjustment.tests} tests, {format_p(adjustment.p_value)}"
    if significant(test, adjustment):
        return f"significant: unlikely to be chance ({said})"
    return f"not significant: could be chance ({said})"


def points_interval(interval: Interval | None) -> str:
    """'95% CI 48 to 61 pts' for a difference given as fractions."""
    if interval is None:
        return ""
    return f"95% CI {whole(interval.low * 100)} to {whole(interval.high * 100)} pts"


def change_points(value: float) -> str:
    """A signed change in points: '+6 pts', '-3 pts', '0 pts'."""
    return f"{whole(value):+d} pts".replace("+0 pts", "0 pts")


def measured(measure: Measure, style: _Style = PLAIN) -> str:
    """A measure's figure, or why privacy hides it."""
    if measure.share is None and measure.revealing:
        return "hidden (beside other answers it would show how a few people answered)"
    return figure(measure.share, style)


def _gap_lines(result: ThemeResult, style: _Style) -> list[str]:
    assert result.personal and result.organization
    if result.hidden:
        return [f"Personal and organization: {measured(result.personal, style)}"]
    lines = [
        f"Personal: {figure(result.personal.share, style)}{_own(result.personal)}",
        f"Organization: {figure(result.organization.share, style)}{_own(result.organization)}",
    ]
    if result.gap is None:
        lines.append("Gap: not available for this group")
        return lines
    gap = style.bold(f"{whole(result.gap)} points")
    interval = points_interval(result.interval)
    lines.append(
        f"Gap: {gap} ({interval}) — {verdict(result.test, result.adjustment)};"
        f" all among the {result.paired_n} who answered both"
    )
    return lines


def _own(measure: Measure) -> str:
    """'; of everyone who answered it: 90% (189 of 210)', where that base differs."""
    own = measure.own
    if own is None or measure.share is None or own.n == measure.share.n:
        return ""
    return f"; of all {own.n} who answered it: {percent(own.share)}% ({own.positive} of {own.n})"


def _single_lines(measure: Measure, style: _Style) -> list[str]:
    share = measure.share
    label = measure.question.positive_label
    line = f"{label}: {measured(measure, style)}"
    if share is not None and share.n and measure.question.binary:
        negative = next(x for x in measure.question.labels if x != label)
        line += f" · {negative}: {percent(1 - share.share)}%"
    return [line]


def _theme_title(result: ThemeResult) -> str:
    title = result.theme[:1].upper() + result.theme[1:]
    if result.is_gap or result.single is None:
        return title
    return f"{title} ({result.single.question.kind})"


def _theme_lines(result: ThemeResult, style: _Style) -> list[str]:
    if result.is_gap:
        return _gap_lines(result, style)
    assert result.single is not None
    return _single_lines(result.single, style)


def _question_line(result: ThemeResult) -> str:
    question = result.single.question if result.single else None
    return f"“{question.text}”" if question and question.text != question.key else ""


def _context_line(context: Context) -> str:
    return (
        f"{context.survey_title} · survey {context.survey} · wave {context.wave} · "
        f"{context.filter_text} · n = {context.respondents}"
    )


# -- parts per finding ---------------------------------------------------------------------


def _gap_parts(report: GapReport, style: _Style) -> list[_Part]:
    if report.count:
        return _count_parts(report, style)
    parts = [
        _Part(
            "header", "Empathy gap" + (f": {report.context.theme}" if report.context.theme else "")
        ),
        _Part("context", _context_line(report.context)),
    ]
    for result in report.themes:
        lines = [style.bold(_theme_title(result))]
        quote = _question_line(result)
        lines += [quote] if quote else []
        lines += _theme_lines(result, style)
        parts.append(_Part("section", "\n".join(lines)))
    parts += [_Part("context", note) for note in report.notes]
    if report.study:
        parts.append(_Part("context", report.study))
    if report.overview:
        parts.append(
            _Part(
                "context",
                f"Ask for more: {style.code('gap by role')}, {style.code('gap role=in-house')},"
                f" {style.code('themes')}, {style.code('help')}",
            )
        )
    return parts


def _count_parts(report: GapReport, style: _Style) -> list[_Part]:
    """How many answered: the respondents (the headline), then each theme's base, the
    bases the gap answer shows (a gap's: those who answered both questions)."""
    lines = [style.bold("Answered")]
    for result in report.themes:
        name = result.theme[:1].upper() + result.theme[1:]
        measure = result.personal or result.single
        if result.hidden and measure is not None:
            lines.append(f"{name}: {measured(measure, style)}")
        elif result.is_gap and result.gap is not None:
            lines.append(f"{name}: {result.paired_n} answered both questions")
        elif result.single is not None and result.single.share is not None:
            lines.append(f"{name}: {result.single.share.n} answered")
    return [
        _Part("header", "How many answered"),
        _Part("context", _context_line(report.context)),
        _Part("section", "\n".join(lines)),
        _Part("context", f"For the figures, ask {style.code('gap')} with the same filters."),
    ]


def _group_line(
    group: Group, result: ThemeResult | None, style: _Style, versus: Comparison | None = None
) -> str:
    name = style.bold(group.label)
    if group.revealing:
        return f"{name}: hidden (beside other answers it would show how a few people answered)"
    if group.suppressed or result is None:
        return f"{name}: hidden (fewer than the minimum group size, for privacy)"
    if result.is_gap:
        assert result.personal and result.organization
        p, o = result.personal.share, result.organization.share
        if not result.asked:
            return f"{name} (n = {group.respondents}): not asked"
        if result.revealing:
            return f"{name} (n = {group.respondents}): {measured(result.personal, style)}"
        if result.gap is None or p is None or o is None:
            return f"{name} (n = {group.respondents}): too few answers to show"
        mark = SMALL_BASE_MARK if p.directional or o.directional else ""
        sig = "significant" if result.significant else "not significant"
        return (
            f"{name} (n = {group.respondents}): {percent(p.share)}% vs {percent(o.share)}%{mark}"
            f" → gap {whole(result.gap)} pts, {sig}{_bases(group.respondents, p, o)}"
            f"{_versus(versus)}"
        )
    assert result.single is not None
    return f"{name} (n = {group.respondents}): {measured(result.single, style)}{_versus(versus)}"


def _versus(versus: Comparison | None) -> str:
    """'; 6 pts above the other groups, not a significant difference (adjusted p =
    0.410)': the p-value the verdict rests on, as the headline quotes it."""
    if versus is None:
        return ""
    points = whole(versus.points)
    if points == 0:
        size = "about the same as the other groups"
    else:
        unit = "pt" if abs(points) == 1 else "pts"
        size = f"{abs(points)} {unit} {'above' if points > 0 else 'below'} the other groups"
    sig = "a significant difference" if versus.significant else "not a significant difference"
    return f"; {size}, {sig} ({stated_p(versus.test, versus.adjustment)})"


def _bases(respondents: int, *shares: Proportion) -> str:
    """The percentages' bases, when not everyone in the group answered."""
    bases = list(dict.fromkeys(share.n for share in shares))
    if bases == [respondents]:
        return ""
    return f" (base {bases[0]})" if len(bases) == 1 else f" (bases {bases[0]} and {bases[1]})"


def _breakdown_parts(report: BreakdownReport, style: _Style) -> list[_Part]:
    """Each theme's section; with a ranking, the ranked theme's first, its groups numbered
    in rank order and followed by the test of the leader against the runner-up."""
    parts = [
        _Part("header", f"Empathy gap by {report.segment}"),
        _Part("context", _context_line(report.context)),
    ]
    ranking = report.ranking
    indices = list(range(len(report.total)))
    if ranking is not None:
        indices.remove(ranking.theme_index)
        indices.insert(0, ranking.theme_index)
    for index in indices:
        overall = report.total[index]
        lines = [style.bold(_theme_title(overall))]
        if overall.is_gap and overall.gap is not None:
            lines.append(
                f"All: gap {whole(overall.gap)} pts ({points_interval(overall.interval)}) —"
                f" {verdict(overall.test, overall.adjustment)}"
            )
        ranked = ranking if ranking is not None and index == ranking.theme_index else None
        lines += [
            _position(group, ranked)
            + _group_line(
                group,
                group.themes[index] if group.themes else None,
                style,
                group.versus_rest[index] if group.versus_rest else None,
            )
            for group in report.groups
        ]
        lines += _ranking_lines(ranked, style) if ranked is not None else []
        parts.append(_Part("section", "\n".join(lines)))
    parts += [_Part("context", note) for note in report.notes]
    return parts


def _position(group: Group, ranking: Ranking | None) -> str:
    """'2. ' before a ranked group in its ranking's section."""
    if ranking is None or group.label not in ranking.ranked:
        return ""
    return f"{ranking.ranked.index(group.label) + 1}. "


def _ranking_lines(ranking: Ranking, style: _Style) -> list[str]:
    """How the groups were ranked, the leader against the runner-up, and the groups that
    were not ranked (hidden ones named as hidden)."""
    first = "widest" if ranking.order == "widest" else "narrowest"
    what = "gap" if ranking.leader_result is None or ranking.leader_result.is_gap else "share"
    if what == "share":
        first = "highest" if ranking.order == "widest" else "lowest"
    said = f"Ranked by {what} on {ranking.theme}, {first} first"
    if ranking.chosen:
        said += f" ({_chosen(what)})"
    if ranking.top is not None and len(ranking.ranked) > ranking.top:
        said += f"; the first {ranking.top} of {len(ranking.ranked)} ranked groups shown"
    lines = [said + "."]
    leader, runner_up = ranking.leader_result, ranking.runner_up_result
    difference = ranking.difference
    if ranking.leader and ranking.runner_up and leader and runner_up and difference:
        lines.append(
            f"{style.bold(ranking.leader.label)} vs {ranking.runner_up.label}, the next:"
            f" {_difference_words(difference, what)} —"
            f" {verdict(difference.test, difference.adjustment)}"
        )
    if ranking.hidden:
        lines.append(f"Hidden for privacy, not ranked: {', '.join(ranking.hidden)}.")
    if ranking.unranked:
        lines.append(f"Not ranked (no {what} to rank): {', '.join(ranking.unranked)}.")
    return lines


def _chosen(what: str) -> str:
    """Why a ranking nobody named a theme for is on this one."""
    if what == "gap":
        return "the theme whose gap is widest overall"
    return "the first question with a share: no theme has a gap"


def _difference_words(difference: Comparison, what: str) -> str:
    """'4 pts wider', '3 pts lower', 'about the same'."""
    points = whole(difference.points)
    if points == 0:
        return "about the same"
    unit = "pt" if abs(points) == 1 else "pts"
    if what == "gap":
        return f"{abs(points)} {unit} {'wider' if points > 0 else 'narrower'}"
    return f"{abs(points)} {unit} {'higher' if points > 0 else 'lower'}"


def _widest_parts(report: WidestReport, style: _Style) -> list[_Part]:
    """Every segment's ranking: its ranked groups' figures (no other verdicts: the only
    tests this answer states, and adjusts, are the leaders against the runners-up)."""
    theme = next((ranking.theme for _, ranking in report.rankings), None)
    leading = next((r.leader_result for _, r in report.rankings if r.leader_result), None)
    title = (
        f"Where the gap is {report.order}"
        if leading is None or leading.is_gap
        else f"Where the share is {'highest' if report.order == 'widest' else 'lowest'}"
    )
    parts = [
        _Part("header", title + (f": {theme}" if theme else "")),
        _Part("context", _context_line(report.context)),
    ]
    chosen = [ranking for _, ranking in report.rankings if ranking.chosen]
    if chosen:
        result = chosen[0].leader_result
        what = "gap" if result is None or result.is_gap else "share"
        parts.append(_Part("context", f"Ranked on {theme}, {_chosen(what)}."))
    for breakdown in report.breakdowns:
        lines = [style.bold(f"By {breakdown.segment}")]
        ranking = breakdown.ranking
        if ranking is None:
            lines.append("Nothing to rank.")
        else:
            lines += [
                f"{position}. {_figure_line(group, ranking.theme_index, style)}"
                for position, group in enumerate(
                    (g for g in breakdown.groups if g.label in ranking.ranked), start=1
                )
            ]
            lines += _ranking_lines(ranking, style)[1:]
            if len(ranking.ranked) < 2:
                lines.append("Fewer than two groups to rank.")
        parts.append(_Part("section", "\n".join(lines)))
    parts += [_Part("context", note) for note in report.notes]
    parts.append(
        _Part(
            "context",
            f"For one segment's full answer, ask {style.code(f'gap by SEGMENT {report.order}')}.",
        )
    )
    return parts


def _figure_line(group: Group, index: int, style: _Style) -> str:
    """'Staff (n = 61): 90% vs 33% → gap 57 pts', without verdicts."""
    result = group.themes[index]
    name = f"{style.bold(group.label)} (n = {group.respondents})"
    if not result.is_gap:
        assert result.single is not None
        return f"{name}: {measured(result.single, style)}"
    assert result.personal and result.organization
    p, o = result.personal.share, result.organization.share
    assert p is not None and o is not None and result.gap is not None
    mark = SMALL_BASE_MARK if p.directional or o.directional else ""
    return (
        f"{name}: {percent(p.share)}% vs {percent(o.share)}%{mark} → gap"
        f" {whole(result.gap)} pts{_bases(group.respondents, p, o)}"
    )


def _change_line(change: ThemeChange, previous: str, style: _Style) -> list[str]:
    lines = [style.bold(_theme_title(change.after))]
    if change.after.is_gap:
        before, after = change.before.gap, change.after.gap
        lines.append(f"Gap now: {_maybe_points(after)} · in {previous}: {_maybe_points(before)}")
    else:
        before_share = change.before.single.share if change.before.single else None
        after_share = change.after.single.share if change.after.single else None
        lines.append(
            f"Now: {figure(after_share, style)} · in {previous}: {figure(before_share, style)}"
        )
    if change.change is None:
        lines.append("Change: not available")
    else:
        interval = points_interval(change.interval)
        lines.append(
            f"Change: {style.bold(change_points(change.change))} ({interval}) —"
            f" {verdict(change.test, change.adjustment)}"
        )
    return lines


def _maybe_points(value: float | None) -> str:
    return "n/a" if value is None else f"{whole(value)} points"


def _change_parts(report: ChangeReport, style: _Style) -> list[_Part]:
    parts = [
        _Part("header", f"Empathy gap: wave {report.context.wave} vs {report.previous_wave}"),
        _Part(
            "context",
            _context_line(report.context)
            + f" · {report.previous_wave}: n = {report.previous_respondents}",
        ),
    ]
    for change in report.changes:
        parts.append(_Part("section", "\n".join(_change_line(change, report.previous_wave, style))))
    parts.append(
        _Part(
            "context",
            "Waves are compared as independent samples: a gap's change with its 95% interval"
            " (the two waves' paired intervals combined), a single share's with Fisher's exact"
            " test or a z-test.",
        )
    )
    parts += [_Part("context", note) for note in report.notes]
    return parts


def _wave_line(wave: WaveResult, index: int, style: _Style, min_group_size: int) -> str:
    name = style.bold(wave.label)
    if wave.revealing:
        return f"{name}: hidden (it would reveal how fewer than {min_group_size} answered)"
    if wave.suppressed:
        return f"{name}: hidden (fewer than {min_group_size} respondents match, for privacy)"
    if not wave.themes:
        return f"{name}: no matching respondents"
    result = wave.themes[index]
    if not result.is_gap:
        assert result.single is not None
        return f"{name} (n = {wave.respondents}): {figure(result.single.share, style)}"
    return _group_line(Group(wave.label, wave.respondents, False, wave.themes), result, style)


def _trend_parts(report: TrendReport, style: _Style) -> list[_Part]:
    first, last = report.waves[0].label, report.waves[-1].label
    parts = [
        _Part(
            "header",
            "Empathy gap over time" + (f": {report.context.theme}" if report.context.theme else ""),
        ),
        _Part("context", _context_line(report.context) + f" · waves {first} to {last}"),
    ]
    answered = next((w for w in reversed(report.waves) if w.themes), None)
    for index, result in enumerate(answered.themes if answered else ()):
        lines = [style.bold(_theme_title(result))]
        lines += [_wave_line(w, index, style, report.context.min_group_size) for w in report.waves]
        parts.append(_Part("section", "\n".join(lines)))
    parts += [_Part("context", note) for note in report.notes]
    parts.append(
        _Part(
            "context", f"To test a change between two waves, ask {style.code(f'gap vs {first}')}."
        )
    )
    return parts


SIDE_NAMES = {"personal": "Personal", "organization": "Organization", "share": "Share"}


def _study_figure_line(shown: StudyFigure, style: _Style) -> str:
    """'Personal: team 85% (…) · study 91% · difference -6 pts (95% CI …) — verdict'."""
    team = figure(shown.team, style)  # says "hidden" when privacy hides it
    line = f"{SIDE_NAMES.get(shown.side, shown.side)}: team {team} · study {shown.wording}"
    if not shown.exact:
        return line + " (the study's words; not tested)"
    if shown.test is None or shown.difference is None:
        return line + " — not tested"
    return (
        f"{line} · difference {style.bold(change_points(shown.difference.estimate * 100))}"
        f" ({points_interval(shown.difference)}) — {verdict(shown.test, shown.adjustment)}"
    )


def _study_theme_lines(theme: StudyTheme, context: Context, style: _Style) -> list[str]:
    base = f"{'about ' if theme.estimated else ''}{theme.base}"
    lines = [
        style.bold(_theme_title(theme.result)),
        f"Study: {theme.population}, base {base}" + (" (an estimate)" if theme.estimated else ""),
    ]
    lines += [_study_figure_line(f, style) for f in theme.figures]
    if theme.result.gap is not None and theme.study_gap is not None:
        lines.append(
            f"Gap: team {whole(theme.result.gap)} points (n = {theme.result.paired_n})"
            f" · study {whole(theme.study_gap)} points"
        )
    if not theme.matches:
        lines.append(_population_warning(theme.population, context))
    return lines


def _population_warning(population: str, context: Context) -> str:
    """Unfiltered, the team's figures are about whoever answered each question, which may
    or may not be the study's people: say that, rather than "all respondents"."""
    team = (
        "everyone who answered, not only them: filter to the same people to compare like with like"
        if not context.filters
        else context.filter_text
    )
    return f"⚠ The study's figures are about {population}; the team's here are about {team}."


def _benchmark_parts(report: BenchmarkReport, style: _Style) -> list[_Part]:
    parts = [
        _Part("header", "Empathy gap vs the published study"),
        _Part("context", _context_line(report.context)),
    ]
    for theme in report.themes:
        parts.append(_Part("section", "\n".join(_study_theme_lines(theme, report.context, style))))
    parts += [_Part("context", note) for note in report.notes]
    parts.append(_Part("context", f"Source: {report.source}."))
    return parts


def _listing_parts(listing: Listing, style: _Style) -> list[_Part]:
    parts = [_Part("header", listing.title)]
    if listing.survey:
        parts.append(_Part("context", f"Survey {listing.survey}"))
    lines = [
        f"• {style.bold(name)}" + (f" — {text}" if text else "") for name, text in listing.items
    ]
    parts.append(_Part("list", "\n".join(lines) or "Nothing yet."))
    if listing.footer:
        parts.append(_Part("context", listing.footer))
    return parts


def _help_parts(help_: Help, style: _Style) -> list[_Part]:
    parts = [_Part("header", "Empathy Gap: what you can ask")]
    if help_.intro:
        parts.append(_Part("list", help_.intro))
    lines = [f"{style.code(example)} — {meaning}" for example, meaning in help_.examples]
    parts.append(_Part("list", "\n".join(lines)))
    return parts


def _parts(finding: Finding, style: _Style) -> list[_Part]:
    """The finding's parts; an answer about figures starts with its headline sentence,
    right under its title."""
    parts = _finding_parts(finding, style)
    sentence = headline(finding)
    if sentence is not None:
        parts.insert(1, _Part("headline", sentence))
    return parts


def _finding_parts(finding: Finding, style: _Style) -> list[_Part]:
    if isinstance(finding, GapReport):
        return _gap_parts(finding, style)
    if isinstance(finding, BreakdownReport):
        return _breakdown_parts(finding, style)
    if isinstance(finding, WidestReport):
        return _widest_parts(finding, style)
    if isinstance(finding, ChangeReport):
        return _change_parts(finding, style)
    if isinstance(finding, TrendReport):
        return _trend_parts(finding, style)
    if isinstance(finding, BenchmarkReport):
        return _benchmark_parts(finding, style)
    if isinstance(finding, Listing):
        return _listing_parts(finding, style)
    return _help_parts(finding, style)


# -- output --------------------------------------------------------------------------------


def to_text(finding: Finding) -> str:
    """Plain text for a terminal (and the console)."""
    out: list[str] = []
    for part in _parts(finding, PLAIN):
        if part.kind == "header":
            out += [part.text, "=" * min(len(part.text), 60)]
        elif part.kind == "headline":
            out += [part.text, ""]
        elif part.kind == "section":
            head, *rest = part.text.split("\n")
            out += ["", head, *(f"  {line}" for line in rest)]
        elif part.kind == "list":
            out += ["", part.text]
        else:
            out.append(part.text)
    return "\n".join(out).strip() + "\n"


def _section_text(text: str) -> str:
    """``text`` escaped as mrkdwn, in whole lines within Slack's limit, then a note."""
    lines = [clip_mrkdwn(escape_mrkdwn(line), MAX_SECTION_TEXT - 100) for line in text.split("\n")]
    if len("\n".join(lines)) <= MAX_SECTION_TEXT:
        return "\n".join(lines)
    kept: list[str] = []
    for line in lines:
        if len("\n".join([*kept, line])) > MAX_SECTION_TEXT - 80:
            break
        kept.append(line)
    hidden = len(lines) - len(kept)
    return "\n".join([*kept, f"_…and {hidden} more line(s); add a filter to narrow this down._"])


def _block(part: _Part) -> Block:
    """The one place a part becomes Block Kit: mrkdwn escaped, plain_text as it is."""
    if part.kind == "header":
        return {
            "type": "header",
            "text": {"type": "plain_text", "text": clip(part.text, MAX_HEADER)},
        }
    if part.kind == "context":
        return context(escape_mrkdwn(part.text))
    if part.kind == "headline":
        return section(escape_mrkdwn(part.text))
    return section(_section_text(part.text))


def to_blocks(finding: Finding) -> list[Block]:
    """Block Kit blocks within Slack's limits (at most MAX_BLOCKS, trimmed with a note)."""
    blocks = [_block(part) for part in _parts(finding, MRKDWN)]
    if len(blocks) > MAX_BLOCKS:
        hidden = len(blocks) - MAX_BLOCKS + 1
        blocks = blocks[: MAX_BLOCKS - 1]
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"…{hidden} more part(s) not shown; narrow the query.",
                    }
                ],
            }
        )
    return blocks


def render(finding: Finding) -> Message:
    """``finding`` for Slack: the blocks, and ``to_text`` escaped as the fallback."""
    return Message(text=escape_mrkdwn(to_text(finding)), blocks=to_blocks(finding))
