"""What a digest says: its findings and their Block Kit and text forms (never when or how
it is sent: that is ``runs``' and the edge sender's).

The figures come from the same ``Engine`` every answer uses; this module only chooses
which findings a digest shows and compares them with what the previous digest showed
(its *snapshot*, stored with the run that sent it).

Theme, segment, value and wave names and the survey's title are data: the lines hold them
raw, and ``_section``/``_context`` escape each line as it becomes mrkdwn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from insights.answers.catalog import Catalog, WaveRef
from insights.answers.engine import Engine, Filters
from insights.answers.findings import (
    Adjustment,
    Comparison,
    Context,
    GapReport,
    ThemeResult,
    significant,
)
from insights.answers.query import Query
from insights.answers.render import Message, change_points, verdict
from insights.answers.reply import interpret
from insights.answers.stats import (
    DIRECTIONAL_BASE,
    SIGNIFICANCE,
    PairedTable,
    TestResult,
    format_p,
    holm,
    independent_difference,
    interval_test,
    paired_difference,
    percent,
    whole,
)
from insights.blocks import Block, context, section
from insights.errors import QueryError
from insights.safe_text import escape_mrkdwn
from insights.store.columns import counts_for
from insights.store.database import Store


@dataclass(frozen=True)
class GapPoint:
    """One theme's gap as a digest showed it, with the paired table behind it
    (``table`` is None for snapshots stored before it was kept)."""

    gap: float
    table: PairedTable | None

    def to_json(self) -> list[float | int]:
        if self.table is None:
            return [self.gap]
        t = self.table
        return [self.gap, t.n, t.personal_only, t.organization_only, t.both]

    @classmethod
    def from_json(cls, data: list[Any]) -> GapPoint:
        if len(data) == 5:  # gap, answered both, personal only, organization only, both
            gap, n, b, c, both = data
            return cls(float(gap), PairedTable(int(both), int(b), int(c), int(n - both - b - c)))
        return cls(float(data[0]), None)  # older snapshots kept no agreement on both sides


@dataclass(frozen=True)
class Snapshot:
    """What a digest showed: enough to say what changed by the next one."""

    wave: str
    respondents: int
    gaps: dict[str, GapPoint]

    def to_json(self) -> str:
        gaps = {name: point.to_json() for name, point in self.gaps.items()}
        return json.dumps({"wave": self.wave, "respondents": self.respondents, "gaps": gaps})

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        gaps = {name: GapPoint.from_json(point) for name, point in data["gaps"].items()}
        return cls(str(data["wave"]), int(data["respondents"]), gaps)


@dataclass(frozen=True)
class Movement:
    """How one theme's gap moved since the last digest, in points, and whether that is
    more than chance: ``test`` compares the respondents who arrived since with those before
    (the same wave grew) or the two waves (a new wave); None when it can't be tested, with
    ``why``."""

    theme: str
    before: float
    after: float
    test: TestResult | None
    why: str = ""
    adjustment: Adjustment | None = None  # Holm, across the digest's movements

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def significant(self) -> bool:
        return significant(self.test, self.adjustment)


@dataclass(frozen=True)
class Widest:
    """The group (never a hidden one) with the widest gap among those that stand out from
    the other groups (see :func:`_widest`); ``tests`` is how many groups were tested."""

    segment: str
    group: str
    respondents: int
    result: ThemeResult
    versus_rest: Comparison
    tests: int = 1


@dataclass(frozen=True)
class Digest:
    """A digest's content. ``query`` is canonical (the Drill down button's); ``report`` is
    the gap the headline comes from, charted after the digest when ``chart`` is set."""

    context: Context
    query: str
    headline: tuple[ThemeResult, ...]
    previous: Snapshot | None
    movements: tuple[Movement, ...]
    widest: Widest | None
    snapshot: Snapshot
    report: GapReport
    chart: bool = False

    @property
    def new_responses(self) -> int | None:
        """Responses since the last digest: the growth of the same wave, or a new wave's base."""
        if self.previous is None:
            return None
        if self.previous.wave == self.context.wave:
            return max(self.context.respondents - self.previous.respondents, 0)
        return self.context.respondents


def digest_query(store: Store, team_id: str, filters: str) -> tuple[Query, Catalog]:
    """Validate a subscription's filters and return the canonical query it will follow.

    A digest always follows the latest wave and says what moved since the last one, so
    ``by``, ``vs``, ``wave`` and ``trend`` are refused.
    """
    query, catalog = interpret(store, team_id, f"gap {filters}".strip())
    if catalog is None or query.command not in ("gap", "overview"):
        raise QueryError("A digest takes filters only.", suggestion="e.g. `role=in-house`.")
    if query.by or query.versus or query.wave or query.trend:
        raise QueryError(
            "A digest always shows the latest wave and what moved since the last digest; it"
            " takes filters, not `by`, `vs`, `wave` or `trend`.",
            suggestion="e.g. `subscribe weekly monday 09:00 role=in-house`.",
        )
    return query, catalog


def build_digest(
    store: Store,
    team_id: str,
    query_text: str,
    *,
    min_group_size: int,
    previous: Snapshot | None = None,
) -> Digest:
    """The digest for ``query_text`` now. Raises a ``UserError`` when it cannot be shown
    (no survey, or the filtered group is too small)."""
    query, catalog = digest_query(store, team_id, query_text.removeprefix("gap"))
    engine = Engine(counts_for(store), catalog, min_group_size)
    wave = catalog.wave(None)
    filters: Filters = tuple((catalog.segment(s), values) for s, values in query.filters)
    report = engine.gap(wave, filters, query.theme)
    headline = tuple(r for r in report.themes if r.is_gap and r.gap is not None)
    snapshot = Snapshot(wave.label, report.context.respondents, _points(headline))
    return Digest(
        context=report.context,
        query=query.canonical(),
        headline=headline,
        previous=previous,
        movements=_movements(previous, snapshot, min_group_size) if previous else (),
        widest=_widest(engine, wave, filters, query.theme),
        snapshot=snapshot,
        report=report,
        chart=query.chart,
    )


def _points(results: tuple[ThemeResult, ...]) -> dict[str, GapPoint]:
    return {r.theme: GapPoint(r.gap, r.table) for r in results if r.gap is not None}


NEWCOMERS_TEST = "new responses vs earlier ones"
WAVES_TEST = "difference of paired gaps"


def _movements(previous: Snapshot, now: Snapshot, min_group_size: int) -> tuple[Movement, ...]:
    """Each theme's movement since the previous digest. When the same wave only gained
    responses, the newcomers are compared with the earlier respondents (two independent
    groups; comparing the two snapshots as if independent would count the earlier
    respondents twice); a new wave is compared with the previous one."""
    moved = []
    for theme, after in now.gaps.items():
        before = previous.gaps.get(theme)
        if before is None:
            continue
        test, why = _movement_test(before, after, previous.wave == now.wave, min_group_size)
        moved.append(Movement(theme, before.gap, after.gap, test, why))
    tested = [i for i, move in enumerate(moved) if move.test is not None]
    adjusted = holm([moved[i].test.p_value for i in tested])  # type: ignore[union-attr]
    for i, p_value in zip(tested, adjusted, strict=True):
        moved[i] = replace(moved[i], adjustment=Adjustment(p_value, len(tested)))
    return tuple(moved)


def _movement_test(
    before: GapPoint, after: GapPoint, same_wave: bool, k: int
) -> tuple[TestResult | None, str]:
    if before.table is None or after.table is None:
        return None, "the last digest kept too little to test against"
    if not same_wave:
        moved = independent_difference(
            paired_difference(before.table), paired_difference(after.table)
        )
        return interval_test(moved, WAVES_TEST), ""
    new = _newcomers(before.table, after.table)
    if new is None:
        return None, "the wave was replaced, not just added to"
    if new.n == 0:
        return None, "no new answers"
    if new.n < k:
        return None, f"fewer than {k} new answers, not compared to protect their privacy"
    moved = independent_difference(paired_difference(before.table), paired_difference(new))
    return interval_test(moved, NEWCOMERS_TEST), ""


def _newcomers(before: PairedTable, after: PairedTable) -> PairedTable | None:
    """The respondents added between two snapshots of a wave that only grew; None when
    some count fell (the wave was replaced by other data)."""
    added = PairedTable(
        after.both - before.both,
        after.personal_only - before.personal_only,
        after.organization_only - before.organization_only,
        after.neither - before.neither,
    )
    counts = (added.both, added.personal_only, added.organization_only, added.neither)
    return added if min(counts) >= 0 else None


def _widest(engine: Engine, wave: WaveRef, filters: Filters, theme: str | None) -> Widest | None:
    """The group with the widest gap among those that stand out: at least 30 answering
    both, and a gap wider than the other groups' beyond chance, Holm-adjusted across every
    group of every segment considered. None when no group stands out.

    The segments' breakdowns are the ones ``gap widest`` ranks (``Engine.widest``); a
    digest names a group only when it stands out from the rest, a stronger claim than
    leading a ranking, so it reads their comparisons with the rest, not the ranking."""
    if not engine.catalog.segments:
        return None
    candidates: list[tuple[Widest, TestResult]] = []
    for report in engine.widest(wave, filters, theme).breakdowns:
        for group in report.groups:
            if group.suppressed:
                continue
            for result, versus in zip(group.themes, group.versus_rest, strict=False):
                if result.gap is None or versus is None or result.paired_n < DIRECTIONAL_BASE:
                    continue
                found = Widest(report.segment, group.label, group.respondents, result, versus)
                candidates.append((found, versus.test))
    adjusted = holm([test.p_value for _, test in candidates])
    standing_out = [
        replace(found, tests=len(candidates))
        for (found, _), p_value in zip(candidates, adjusted, strict=True)
        if p_value < SIGNIFICANCE and found.versus_rest.points > 0  # wider, not narrower
    ]
    return max(standing_out, key=lambda w: w.result.gap or 0.0, default=None)


# -- rendering -----------------------------------------------------------------------------


def _headline_line(result: ThemeResult, bold: bool) -> str:
    assert result.personal and result.organization and result.gap is not None
    p, o = result.personal.share, result.organization.share
    name = result.theme[:1].upper() + result.theme[1:]
    gap = f"{whole(result.gap)} pts"
    shares = f"{percent(p.share)}% personal vs {percent(o.share)}% organization" if p and o else ""
    head = f"*{name}*: gap *{gap}*" if bold else f"{name}: gap {gap}"
    return f"{head} ({shares}, n = {result.paired_n}) — {verdict(result.test, result.adjustment)}"


def _movement_line(move: Movement, bold: bool) -> str:
    name = move.theme[:1].upper() + move.theme[1:]
    points = change_points(move.change)
    if move.test is None:
        said = f"not tested: {move.why}"
    else:
        sig = "significant" if move.significant else "not significant"
        said = f"{sig}, {move.test.method}, {format_p(move.test.p_value)}"
        if move.adjustment is not None and move.adjustment.tests > 1:
            said += (
                f", Holm-adjusted across {move.adjustment.tests} themes:"
                f" {format_p(move.adjustment.p_value)}"
            )
    label = f"*{name}*" if bold else name
    return f"• {label}: {whole(move.before)} → {whole(move.after)} pts ({points}; {said})"


def _changes_lines(digest: Digest, bold: bool) -> list[str]:
    if digest.previous is None:
        return ["First digest for this channel: changes will show from the next one."]
    new = digest.new_responses
    lines = []
    if digest.previous.wave != digest.context.wave:
        lines.append(
            f"New wave {digest.context.wave} (last digest showed {digest.previous.wave}):"
            f" {new} responses."
        )
    else:
        lines.append(f"New responses since the last digest: {new}.")
    lines += [_movement_line(m, bold) for m in digest.movements]
    if not digest.movements:
        lines.append("No gap to compare with the last digest.")
    return lines


def _widest_line(widest: Widest | None, bold: bool) -> str:
    if widest is None:
        return (
            f"No group stands out: none of at least {DIRECTIONAL_BASE} answering both has a gap"
            " wider than the other groups' beyond chance (Holm-adjusted)."
        )
    gap = whole(widest.result.gap or 0.0)
    group = f"*{widest.segment} = {widest.group}*" if bold else f"{widest.segment} = {widest.group}"
    wider = change_points(widest.versus_rest.points).replace(" pts", "")
    return (
        f"{group}: {widest.result.theme} gap {gap} pts (n = {widest.result.paired_n}),"
        f" {wider} pts against the other groups; the widest of those that differ beyond"
        f" chance (Holm-adjusted across {widest.tests} groups)"
    )


def _context_line(context: Context) -> str:
    return (
        f"{context.survey_title} · survey {context.survey} · wave {context.wave}"
        f" · n = {context.respondents}"
    )


def _sections(digest: Digest, bold: bool) -> list[tuple[str, str]]:
    """(title, body) pairs shared by the blocks and the text, so they never disagree."""
    headline = [_headline_line(r, bold) for r in digest.headline] or ["No gap to show."]
    return [
        ("Headline gaps", "\n".join(headline)),
        ("Since the last digest", "\n".join(_changes_lines(digest, bold))),
        ("Widest gap by segment", _widest_line(digest.widest, bold)),
    ]


def to_text(
    digest: Digest, title: str = "Weekly empathy digest", *, drill_down: str | None = None
) -> str:
    """The digest as plain text; ``drill_down`` is how the edge's people ask its query
    (the edge's words: a slash command in Slack, a command line at a terminal)."""
    out = [title, _context_line(digest.context), f"Filters: {digest.context.filter_text}"]
    for name, body in _sections(digest, bold=False):
        out += ["", name, *(f"  {line}" for line in body.split("\n"))]
    if drill_down:
        out += ["", f"Drill down: {drill_down}"]
    return "\n".join(out) + "\n"


def to_blocks(digest: Digest, title: str = "Weekly empathy digest") -> list[Block]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        _context(_context_line(digest.context)),
    ]
    for name, body in _sections(digest, bold=True):
        blocks.append(_section(f"*{name}*\n{body}"))
    blocks.append(_context(f"Filters: {digest.context.filter_text}"))
    return blocks


def render_digest(
    digest: Digest, title: str = "Weekly empathy digest", *, drill_down: str | None = None
) -> Message:
    """The digest for Slack: its blocks, and ``to_text`` escaped as the fallback. Buttons
    are the edge's to add (``bot.views.answers.with_drill_down``): they name its action ids."""
    text = to_text(digest, title, drill_down=drill_down)
    return Message(text=escape_mrkdwn(text), blocks=to_blocks(digest, title))


def _section(text: str) -> Block:
    """``text`` (raw; bold marks are ours) as an escaped mrkdwn section."""
    return section(escape_mrkdwn(text))


def _context(text: str) -> Block:
    """``text`` (raw) as an escaped mrkdwn context line."""
    return context(escape_mrkdwn(text))
