"""The gap engine: counts in, findings out.

It asks a ``CountSource`` for aggregated counts (never respondent rows), applies the
privacy rules and the statistics, and returns the findings model.

Privacy (rules in :mod:`insights.privacy`): a group with fewer than ``min_group_size``
respondents is suppressed, with the next-smallest when only one would be, and so is a
group that a question differing by one filter would single out fewer than that many of:
a filtered question whose whole slice is such is refused. A question whose base within a
shown group is below the minimum is shown as suppressed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from insights.catalog import Catalog, QuestionRef, SegmentRef, Theme, WaveRef
from insights.counts import CountSource, Slice
from insights.errors import NotFoundError, SuppressedError
from insights.findings import (
    BreakdownReport,
    ChangeReport,
    Context,
    GapReport,
    Group,
    Measure,
    ThemeChange,
    ThemeResult,
    TrendReport,
    WaveResult,
    describe_filters,
)
from insights.privacy import Revealing, revealing_filters, suppressed_groups
from insights.stats import (
    Proportion,
    change_test,
    mcnemar,
    paired_difference_variance,
    two_proportion_test,
)

Filters = tuple[tuple[SegmentRef, tuple[str, ...]], ...]
NOT_STATED = "(not stated)"


class Engine:
    """Computes findings for one survey (its ``Catalog``) from a ``CountSource``."""

    def __init__(self, source: CountSource, catalog: Catalog, min_group_size: int = 5) -> None:
        self.source = source
        self.catalog = catalog
        self.min_group_size = min_group_size

    def gap(self, wave: WaveRef, filters: Filters = (), theme: str | None = None) -> GapReport:
        themes = self._themes(theme)
        where = self._slice(wave, filters)
        total = self._total(where, filters)
        results = self._results(where, themes)[""]
        asked = tuple(r for r in results if r.asked)
        notes = list(self._notes(asked))
        unasked = [r.theme for r in results if not r.asked]
        if unasked:
            notes.append(f"Not asked of these respondents: {', '.join(unasked)}.")
        if not asked:
            asked = results
        context = self._context(wave, filters, theme, total)
        return GapReport(context, asked, notes=tuple(notes))

    def breakdown(
        self,
        wave: WaveRef,
        segment: SegmentRef,
        filters: Filters = (),
        theme: str | None = None,
    ) -> BreakdownReport:
        themes = self._themes(theme, gaps_only=theme is None)
        total_where = self._slice(wave, filters)
        total = self._total(total_where, filters)
        overall = self._results(total_where, themes)[""]
        if any(result.asked for result in overall):
            themes = tuple(t for t, r in zip(themes, overall, strict=True) if r.asked)
            overall = tuple(r for r in overall if r.asked)
        where = self._slice(wave, filters, by=segment)
        sizes = self.source.group_sizes(where)
        revealing = revealing_filters(self.source, where, self.min_group_size)
        hidden = suppressed_groups(sizes, self.min_group_size, also=set(revealing))
        by_group = self._results(where, themes)
        groups = [
            Group(
                label=group or NOT_STATED,
                respondents=int(size),
                suppressed=group in hidden,
                themes=() if group in hidden else by_group.get(group, ()),
            )
            for group, size in _ordered(sizes)[["group", "respondents"]].itertuples(
                index=False, name=None
            )
        ]
        shown = tuple(result for group in groups for result in group.themes)
        notes = list(self._notes((*overall, *shown)))
        if hidden:
            notes.append(
                f"{len(hidden)} group(s) hidden: fewer than {self.min_group_size} respondents"
                " (or hidden so that a few cannot be worked out from the total, or from a"
                " question with one filter fewer)."
            )
        context = self._context(wave, filters, theme, total)
        return BreakdownReport(context, segment.name, overall, tuple(groups), tuple(notes))

    def change(
        self,
        wave: WaveRef,
        previous: WaveRef,
        filters: Filters = (),
        theme: str | None = None,
    ) -> ChangeReport:
        if previous.id == wave.id:
            raise NotFoundError(
                f"Wave {wave.label!r} cannot be compared with itself.",
                suggestion="Name an earlier wave after `vs`.",
            )
        themes = self._themes(theme)
        now_where, then_where = self._slice(wave, filters), self._slice(previous, filters)
        total = self._total(now_where, filters)
        then_total = self._total(then_where, filters)
        now, then = self._results(now_where, themes)[""], self._results(then_where, themes)[""]
        changes = tuple(
            _theme_change(before, after) for before, after in zip(then, now, strict=True)
        )
        context = self._context(wave, filters, theme, total)
        return ChangeReport(context, previous.label, then_total, changes, self._notes(now + then))

    def trend(
        self,
        filters: Filters = (),
        theme: str | None = None,
        until: WaveRef | None = None,
        since: WaveRef | None = None,
    ) -> TrendReport:
        """Every wave of the catalog from ``since`` to ``until`` (default: all), oldest first.

        The latest wave must be answerable as ``gap`` would answer it (same errors); an
        earlier wave where too few respondents match is kept, marked suppressed, so a
        trend never silently drops a wave.
        """
        last = until or self.catalog.waves[-1]
        first = since or self.catalog.waves[0]
        waves = [w for w in self.catalog.waves if first.ordinal <= w.ordinal <= last.ordinal]
        if not waves:
            raise NotFoundError(
                f"Wave {first.label!r} comes after {last.label!r}.",
                suggestion="Name the earlier wave first.",
            )
        themes = self._themes(theme)
        total = self._total(self._slice(last, filters), filters)
        results = tuple(self._wave_result(wave, filters, themes) for wave in waves)
        notes = list(self._notes([r for wave in results for r in wave.themes]))
        small = [w.label for w in results if w.suppressed and not w.near_complete]
        if small:
            notes.append(
                f"Wave(s) {', '.join(small)} hidden: fewer than {self.min_group_size}"
                " respondents match."
            )
        near = [w.label for w in results if w.near_complete]
        if near:
            notes.append(
                f"Wave(s) {', '.join(near)} hidden: there the filters leave out fewer than"
                f" {self.min_group_size} of the respondents one filter fewer would match, so"
                " comparing the two would show how those few answered."
            )
        context = self._context(last, filters, theme, total)
        return TrendReport(context, results, tuple(notes))

    # -- helpers ---------------------------------------------------------------------------

    def _themes(self, name: str | None, gaps_only: bool = False) -> tuple[Theme, ...]:
        if name is not None:
            return (self.catalog.theme(name),)
        themes = self.catalog.themes
        return tuple(t for t in themes if t.paired) if gaps_only else themes

    def _wave_result(self, wave: WaveRef, filters: Filters, themes: Sequence[Theme]) -> WaveResult:
        where = self._slice(wave, filters)
        sizes = self.source.group_sizes(where)
        total = int(sizes["respondents"].sum()) if len(sizes) else 0
        if total == 0:
            return WaveResult(wave.label, 0)
        if total < self.min_group_size:
            return WaveResult(wave.label, 0, suppressed=True)
        if revealing_filters(self.source, where, self.min_group_size):
            return WaveResult(wave.label, 0, suppressed=True, near_complete=True)
        return WaveResult(wave.label, total, self._results(where, themes)[""])

    @staticmethod
    def _slice(wave: WaveRef, filters: Filters, by: SegmentRef | None = None) -> Slice:
        return Slice(
            wave_id=wave.id,
            filters={segment.id: values for segment, values in filters},
            by=by.id if by else None,
        )

    def _total(self, where: Slice, filters: Filters) -> int:
        sizes = self.source.group_sizes(where)
        total = int(sizes["respondents"].sum()) if len(sizes) else 0
        if total == 0:
            raise NotFoundError(
                "No respondents match those filters in this wave.",
                suggestion="Try fewer filters, or `segments` to see the values.",
            )
        if total < self.min_group_size:
            raise SuppressedError(
                f"Only a handful of respondents match ({_described(filters)}): fewer than "
                f"{self.min_group_size}, so the answer is hidden to protect their privacy.",
                suggestion="Try a broader group.",
            )
        revealing = revealing_filters(self.source, where, self.min_group_size).get("")
        if revealing is not None:
            raise self._revealing_error(revealing, filters)
        return total

    def _revealing_error(self, why: Revealing, filters: Filters) -> SuppressedError:
        [(segment, values)] = [(s, v) for s, v in filters if s.id == why.segment]
        k = self.min_group_size
        if why.value is not None:
            return SuppressedError(
                f"Only a handful of these respondents have {segment.name} = {why.value}"
                f" (fewer than {k}). Beside the same question without {why.value}, this answer"
                " would show how they answered, so it is hidden to protect their privacy.",
                suggestion=f"Leave {why.value} out, or ask about it with a broader group.",
            )
        return SuppressedError(
            f"The filter {segment.name} = {' or '.join(values)} leaves out fewer than {k} of"
            " the respondents the other filters match. Beside the same question without it,"
            " this answer would show how those few answered, so it is hidden to protect"
            " their privacy.",
            suggestion=f"Drop the {segment.name} filter, or choose other values.",
        )

    def _results(self, where: Slice, themes: Sequence[Theme]) -> dict[str, tuple[ThemeResult, ...]]:
        questions = [q for theme in themes for q in theme.questions]
        counts = self.source.question_counts(where, [q.id for q in questions])
        pairs = [
            (t.personal.id, t.organization.id) for t in themes if t.personal and t.organization
        ]
        paired = self.source.pair_counts(where, pairs)
        answered = _by_group(counts, ["question_id"], ["n", "positive"])
        both = _by_group(paired, ["personal_id"], ["n", "personal_only", "organization_only"])
        return {
            group: tuple(
                self._theme_result(theme, answered.get(group, {}), both.get(group, {}))
                for theme in themes
            )
            for group in set(answered) | {""}
        }

    def _theme_result(
        self,
        theme: Theme,
        answered: dict[int, tuple[int, ...]],
        both: dict[int, tuple[int, ...]],
    ) -> ThemeResult:
        def measure(question: QuestionRef | None) -> Measure | None:
            if question is None:
                return None
            n, positive = answered.get(question.id, (0, 0))
            hidden = 0 < n < self.min_group_size
            return Measure(question, None if hidden else Proportion(positive, n))

        result = ThemeResult(
            theme.name, measure(theme.personal), measure(theme.organization), measure(theme.single)
        )
        if theme.personal is None or result.gap is None or theme.personal.id not in both:
            return result
        n, b, c = both[theme.personal.id]
        return ThemeResult(
            result.theme,
            result.personal,
            result.organization,
            None,
            n,
            mcnemar(b, c),
            personal_only=b,
            organization_only=c,
        )

    def _context(self, wave: WaveRef, filters: Filters, theme: str | None, total: int) -> Context:
        return Context(
            survey=self.catalog.survey.name,
            survey_title=self.catalog.survey.title,
            wave=wave.label,
            respondents=total,
            filters=tuple((segment.name, values) for segment, values in filters),
            theme=theme,
            min_group_size=self.min_group_size,
        )

    @staticmethod
    def _notes(results: Sequence[ThemeResult]) -> tuple[str, ...]:
        shares = [
            m.share
            for r in results
            for m in (r.personal, r.organization, r.single)
            if m is not None and m.share is not None and m.share.n
        ]
        if any(s.directional for s in shares):
            return ("Bases under 30 are marked †: read those figures as directional only.",)
        return ()


def _by_group(
    frame: pd.DataFrame, keys: list[str], values: list[str]
) -> dict[str, dict[int, tuple[int, ...]]]:
    """{group: {key: (value, …)}} as plain ints, from a counts frame."""
    out: dict[str, dict[int, tuple[int, ...]]] = {}
    for record in frame[["group", *keys, *values]].itertuples(index=False, name=None):
        group, key, *rest = record
        out.setdefault(str(group), {})[int(key)] = tuple(int(v or 0) for v in rest)
    return out


def _described(filters: Filters) -> str:
    return describe_filters((segment.name, values) for segment, values in filters)


def _ordered(sizes: pd.DataFrame) -> pd.DataFrame:
    """Largest groups first; "not stated" last."""
    return sizes.assign(_unstated=sizes["group"] == "").sort_values(
        ["_unstated", "respondents", "group"], ascending=[True, False, True]
    )


def _theme_change(before: ThemeResult, after: ThemeResult) -> ThemeChange:
    if after.is_gap:
        if after.gap is None or before.gap is None:
            return ThemeChange(after.theme, before, after, None, None)
        test = change_test(
            before.gap / 100,
            _gap_variance(before),
            after.gap / 100,
            _gap_variance(after),
        )
        return ThemeChange(after.theme, before, after, after.gap - before.gap, test)
    then = before.single.share if before.single else None
    now = after.single.share if after.single else None
    if then is None or now is None or not then.n or not now.n:
        return ThemeChange(after.theme, before, after, None, None)
    return ThemeChange(
        after.theme, before, after, (now.share - then.share) * 100, two_proportion_test(then, now)
    )


def _gap_variance(result: ThemeResult) -> float:
    return paired_difference_variance(
        result.paired_n, result.personal_only, result.organization_only
    )
