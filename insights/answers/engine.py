"""The gap engine: counts in, findings out.

It asks a ``CountSource`` for a wave's cells (never respondent rows), lets
:mod:`insights.answers.privacy` merge small values and decide what may be shown, and computes the
statistics on exactly the people each figure names. Every figure is a sum over the
selected atoms:

* a theme with a personal and an organization question: both shares, the gap and
  McNemar's test on the respondents who answered **both** (one base for all four, so the
  verdict can never contradict the gap);
* a single question: its share among those who answered it.

A figure privacy hides is kept in the findings without numbers, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from insights.answers.catalog import Catalog, QuestionRef, SegmentRef, Theme, WaveRef
from insights.answers.findings import (
    Adjustment,
    BreakdownReport,
    ChangeReport,
    Comparison,
    Context,
    Except,
    GapReport,
    Group,
    Measure,
    Rank,
    Ranking,
    ThemeChange,
    ThemeResult,
    TrendReport,
    WaveResult,
    WidestReport,
    describe_filters,
    ranked_value,
    widest_gap,
)
from insights.answers.privacy import NOT_STATED, OTHER, Family, Merge, Verdict, WaveView, view
from insights.answers.stats import (
    PairedTable,
    Proportion,
    TestResult,
    holm,
    independent_difference,
    interval_test,
    mcnemar,
    paired_differences,
    percent,
    proportion_difference,
    two_proportion_test,
    whole,
)
from insights.errors import NotFoundError, SuppressedError
from insights.store.counts import (
    CountSource,
    Layout,
    answered_column,
    both_column,
    both_positive_column,
    organization_only_column,
    personal_only_column,
    positive_column,
)

Filters = tuple[tuple[SegmentRef, tuple[str, ...]], ...]
NOT_STATED_LABEL = "(not stated)"
HIDDEN = (Verdict.TOO_FEW, Verdict.REVEALING)
GAP_CHANGE_TEST = "difference of paired gaps"


class Engine:
    """Computes findings for one survey (its ``Catalog``) from a ``CountSource``."""

    def __init__(self, source: CountSource, catalog: Catalog, min_group_size: int = 5) -> None:
        self.source = source
        self.catalog = catalog
        self.min_group_size = min_group_size
        self.layout = Layout(
            segment_ids=tuple(s.id for s in catalog.segments),
            question_ids=tuple(q.id for t in catalog.themes for q in t.questions),
            pairs=tuple(
                (t.personal.id, t.organization.id)
                for t in catalog.themes
                if t.personal and t.organization
            ),
        )

    def view(self, wave: WaveRef) -> WaveView:
        """The wave as answers may see it: merged values and what privacy lets through."""
        counts = self.source.wave(wave.id, self.layout)
        families = [Family(_pair_key(p), both_column(p)) for p, _ in self.layout.pairs]
        families += [Family(_question_key(q), answered_column(q)) for q in self.layout.question_ids]
        # Those who answered one side of a pair only are a few in every group, a different
        # few for each question: audited together, once, rather than once per question.
        families += [
            Family(_only_key(q), column, audited_with="one side only")
            for q, column in _only_families(self.layout)
        ]
        return view(counts, self.layout, families, self.min_group_size, derive=self._one_side)

    def _one_side(self, cells: pd.DataFrame) -> pd.DataFrame:
        """``cells`` with, per side of each pair, how many answered it without the other:
        the base of that side's own-base share."""
        only = {
            _only_column(question): cells[answered_column(question)] - cells[both_column(pid)]
            for pid, oid in self.layout.pairs
            for question in (pid, oid)
        }
        if not only:
            return cells
        return pd.concat([cells, pd.DataFrame(only, index=cells.index)], axis=1)

    def gap(self, wave: WaveRef, filters: Filters = (), theme: str | None = None) -> GapReport:
        themes = self._themes(theme)
        seen = self.view(wave)
        mask = self._select(seen, filters)
        total = self._total(seen, mask, filters)
        results = self._results(seen, [mask], themes)[0]
        self._refuse_if_hidden(results, filters)
        results = _adjusted_results(results, _holm([r.test for r in results]))
        asked = tuple(r for r in results if r.asked)
        notes = list(self._notes(asked))
        unasked = [r.theme for r in results if not r.asked]
        if unasked:
            notes.append(f"Not asked of these respondents: {', '.join(unasked)}.")
        notes += self._one_side_notes(seen, mask, themes)
        notes += self._merge_notes(seen, filters)
        notes += adjustment_notes(asked) + _rounding_notes(asked)
        if not filters:
            notes += self._missing_notes(seen, wave, mask, themes)
        if not asked:
            asked = results
        context = self._context(seen, wave, filters, theme, total)
        return GapReport(context, asked, notes=tuple(notes))

    def breakdown(
        self,
        wave: WaveRef,
        segment: SegmentRef,
        filters: Filters = (),
        theme: str | None = None,
        rank: Rank | None = None,
        top: int | None = None,
    ) -> BreakdownReport:
        """Each theme overall and per group of ``segment``. With ``rank`` (``top`` implies
        "widest"), the groups are ordered by their gap on the theme asked about (with no
        theme, the paired theme whose gap is widest overall), and with ``top`` only the
        first ``top`` ranked groups are kept; see :class:`Ranking`. Every test, the
        ranking's included, is Holm-adjusted across the whole breakdown, groups not kept
        included (they were compared to choose the ones kept)."""
        rank = rank or ("widest" if top else None)
        top = max(top, 1) if top is not None else None
        themes = self._themes(theme, gaps_only=theme is None)
        seen = self.view(wave)
        mask = self._select(seen, filters)
        total = self._total(seen, mask, filters)
        overall = self._results(seen, [mask], themes)[0]
        if any(result.asked for result in overall):
            themes = tuple(t for t, r in zip(themes, overall, strict=True) if r.asked)
            overall = tuple(r for r in overall if r.asked)
        split = _ordered(seen, seen.split(mask, segment.id))
        by_group = self._results(seen, [box for _, box in split], themes)
        rests = self._results(seen, [mask & ~box for _, box in split], themes)
        groups = [
            self._group(seen, segment, value, box, results, rest)
            for (value, box), results, rest in zip(split, by_group, rests, strict=True)
        ]
        index = _ranked_theme(overall, theme) if rank else None
        order = _rank_order(groups, index, rank) if rank and index is not None else []
        difference = _leader_difference(groups, order, index)
        overall, groups, difference = _adjusted_breakdown(overall, groups, difference)
        ranking = None
        if rank and index is not None:
            ranking = _ranking(
                overall[index].theme, groups, order, index, rank, difference, theme is None, top
            )
            groups = _ranked_groups(groups, order, top)
        notes = self._breakdown_notes(seen, mask, filters, segment, themes, overall, groups)
        if ranking is not None and top is not None and len(ranking.ranked) > top:
            notes.append(
                f"Only the first {top} of the {len(ranking.ranked)} ranked groups are shown;"
                " the tests are adjusted for every group compared."
            )
        context = self._context(seen, wave, filters, theme, total)
        return BreakdownReport(context, segment.name, overall, tuple(groups), tuple(notes), ranking)

    def _breakdown_notes(
        self,
        seen: WaveView,
        mask: np.ndarray,
        filters: Filters,
        segment: SegmentRef,
        themes: Sequence[Theme],
        overall: Sequence[ThemeResult],
        groups: Sequence[Group],
    ) -> list[str]:
        shown = tuple(result for group in groups for result in group.themes)
        notes = list(self._notes((*overall, *shown)))
        hidden = [g for g in groups if g.suppressed]
        if hidden:
            notes.append(
                f"{len(hidden)} group(s) hidden to protect privacy: fewer than"
                f" {self.min_group_size} answered, or beside other answers the figures would"
                f" show how fewer than {self.min_group_size} people answered."
            )
        notes += self._one_side_notes(seen, mask, themes)
        notes += self._merge_notes(seen, filters, segment)
        notes += adjustment_notes([*overall, *shown])
        return notes

    def widest(
        self,
        wave: WaveRef,
        filters: Filters = (),
        theme: str | None = None,
        rank: Rank = "widest",
    ) -> WidestReport:
        """``gap widest`` without ``by``: every segment's breakdown ranked on one theme
        (the one asked about, else the paired theme whose gap is widest overall: the same
        for every segment, as the selection is). Each segment's test of its leader
        against its runner-up is Holm-adjusted across the segments; the report leads with
        the leader of the segment whose leader is widest (narrowest) of all, among
        segments that rank at least two groups."""
        if not self.catalog.segments:
            raise NotFoundError(
                "This survey has no segments to compare groups by.",
                suggestion="Ask `gap` for the whole wave.",
            )
        breakdowns = [
            self.breakdown(wave, segment, filters, theme, rank=rank)
            for segment in self.catalog.segments
        ]
        breakdowns = _adjusted_rankings(breakdowns)
        seen = self.view(wave)
        stated = [
            group.themes[b.ranking.theme_index]
            for b in breakdowns
            if b.ranking is not None
            for group in b.groups
            if group.label in b.ranking.ranked
        ]
        notes = list(self._notes(stated))
        for segment in self.catalog.segments:
            notes += [n for n in self._merge_notes(seen, filters, segment) if n not in notes]
        tests = sum(1 for b in breakdowns if b.ranking and b.ranking.difference)
        if tests > 1:
            notes.append(
                f"This answer makes {tests} tests (in each segment, the leading group against"
                " the next): each verdict is Holm-adjusted across them."
            )
        first = breakdowns[0]
        leader = _leading_segment(breakdowns, rank)
        return WidestReport(first.context, rank, tuple(breakdowns), leader, tuple(notes))

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
        now_seen, then_seen = self.view(wave), self.view(previous)
        now_mask, then_mask = self._select(now_seen, filters), self._select(then_seen, filters)
        total = self._total(now_seen, now_mask, filters)
        then_total = self._total(then_seen, then_mask, filters)
        now = self._results(now_seen, [now_mask], themes)[0]
        then = self._results(then_seen, [then_mask], themes)[0]
        changes = tuple(
            _theme_change(before, after) for before, after in zip(then, now, strict=True)
        )
        changes = tuple(
            replace(change, adjustment=adjustment)
            for change, adjustment in zip(changes, _holm([c.test for c in changes]), strict=True)
        )
        context = self._context(now_seen, wave, filters, theme, total)
        notes = [*self._notes(now + then), *self._merge_notes(now_seen, filters)]
        tested = sum(1 for c in changes if c.test is not None)
        if tested > 1:
            notes.append(f"{tested} changes are tested: each verdict is Holm-adjusted across them.")
        return ChangeReport(context, previous.label, then_total, changes, tuple(notes))

    def trend(
        self,
        filters: Filters = (),
        theme: str | None = None,
        until: WaveRef | None = None,
        since: WaveRef | None = None,
    ) -> TrendReport:
        """Every wave of the catalog from ``since`` to ``until`` (default: all), oldest first.

        The latest wave must be answerable as ``gap`` would answer it (same errors); an
        earlier wave where too few respondents match, or whose figures privacy hides, is
        kept, marked suppressed, so a trend never silently drops a wave.
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
        last_seen = self.view(last)
        total = self._total(last_seen, self._select(last_seen, filters), filters)
        results = _adjusted_trend(tuple(self._wave_result(wave, filters, themes) for wave in waves))
        notes = list(self._notes([r for wave in results for r in wave.themes]))
        notes += adjustment_notes([r for wave in results for r in wave.themes])
        small = [w.label for w in results if w.suppressed and not w.revealing]
        if small:
            notes.append(
                f"Wave(s) {', '.join(small)} hidden: fewer than {self.min_group_size}"
                " respondents match."
            )
        revealing = [w.label for w in results if w.revealing]
        if revealing:
            notes.append(
                f"Wave(s) {', '.join(revealing)} hidden: there, beside other answers, these"
                f" figures would show how fewer than {self.min_group_size} people answered."
            )
        notes += self._merge_notes(last_seen, filters)
        context = self._context(last_seen, last, filters, theme, total)
        return TrendReport(context, results, tuple(notes))

    # -- selecting -----------------------------------------------------------------------------

    def _themes(self, name: str | None, gaps_only: bool = False) -> tuple[Theme, ...]:
        """The theme named, else every theme; ``gaps_only`` keeps the paired ones, unless
        the survey has none: then its single questions are what there is to show."""
        if name is not None:
            return (self.catalog.theme(name),)
        themes = self.catalog.themes
        paired = tuple(t for t in themes if t.paired)
        return paired if gaps_only and paired else themes

    @staticmethod
    def _select(seen: WaveView, filters: Filters) -> np.ndarray:
        """The atoms a filter keeps. An exclusion drops the atoms its values are reported
        in: excluding a value merged with other small values drops them all (and the
        context names the merged group), so no excluded person is ever counted."""
        mask = seen.select(
            {s.id: values for s, values in filters if not isinstance(values, Except)}
        )
        for segment, values in filters:
            if isinstance(values, Except):
                mask &= ~seen.select({segment.id: values})
        return mask

    def _total(self, seen: WaveView, mask: np.ndarray, filters: Filters) -> int:
        total = seen.total("respondents", mask)
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
        return total

    def _refuse_if_hidden(self, results: Sequence[ThemeResult], filters: Filters) -> None:
        """A whole answer privacy hides is refused with a sentence, not shown empty."""
        asked = [r for r in results if r.asked]
        if not asked or not all(r.hidden for r in asked):
            return
        k = self.min_group_size
        if filters and any(r.revealing for r in asked):
            raise SuppressedError(
                f"I can't show {_described(filters)}: beside answers to other questions, these"
                f" figures would show how fewer than {k} people answered, so they are hidden to"
                " protect their privacy.",
                suggestion="Ask about a broader group, or break it down with `by SEGMENT`.",
            )
        raise SuppressedError(
            f"Fewer than {k} of these respondents ({_described(filters)}) answered, so the"
            " answer is hidden to protect their privacy.",
            suggestion="Try a broader group.",
        )

    # -- computing -----------------------------------------------------------------------------

    def _results(
        self, seen: WaveView, masks: Sequence[np.ndarray], themes: Sequence[Theme]
    ) -> list[tuple[ThemeResult, ...]]:
        """Each theme's result in each box, one tuple per box."""
        per_theme = [self._theme_results(seen, masks, theme) for theme in themes]
        return (
            [tuple(column) for column in zip(*per_theme, strict=True)]
            if per_theme
            else [() for _ in masks]
        )

    def _theme_results(
        self, seen: WaveView, masks: Sequence[np.ndarray], theme: Theme
    ) -> list[ThemeResult]:
        if theme.personal and theme.organization and _has_pairs(seen, theme.personal.id):
            return self._paired(seen, masks, theme, theme.personal, theme.organization)
        sides = {
            side: self._single(seen, masks, question) if question else [None] * len(masks)
            for side, question in (
                ("personal", theme.personal),
                ("organization", theme.organization),
                ("single", theme.single),
            )
        }
        return [
            ThemeResult(theme.name, personal, organization, single)
            for personal, organization, single in zip(
                sides["personal"], sides["organization"], sides["single"], strict=True
            )
        ]

    def _paired(
        self,
        seen: WaveView,
        masks: Sequence[np.ndarray],
        theme: Theme,
        personal: QuestionRef,
        organization: QuestionRef,
    ) -> list[ThemeResult]:
        pid = personal.id
        verdicts = seen.verdicts(_pair_key(pid), masks)
        shown = [
            mask for mask, verdict in zip(masks, verdicts, strict=True) if verdict not in HIDDEN
        ]
        tables = [
            PairedTable(both, b, c, n - both - b - c)
            for n, both, b, c in (
                (
                    seen.total(both_column(pid), mask),
                    seen.total(both_positive_column(pid), mask),
                    seen.total(personal_only_column(pid), mask),
                    seen.total(organization_only_column(pid), mask),
                )
                for mask in shown
            )
        ]
        intervals = iter(paired_differences(tables))
        own_personal = iter(self._own(seen, shown, personal))
        own_organization = iter(self._own(seen, shown, organization))
        computed = iter(tables)
        results = []
        for verdict in verdicts:
            if verdict in HIDDEN:
                revealing = verdict is Verdict.REVEALING
                results.append(
                    ThemeResult(
                        theme.name,
                        Measure(personal, None, revealing),
                        Measure(organization, None, revealing),
                    )
                )
                continue
            table, interval = next(computed), next(intervals)
            results.append(
                ThemeResult(
                    theme.name,
                    Measure(personal, table.personal, own=next(own_personal)),
                    Measure(organization, table.organization, own=next(own_organization)),
                    None,
                    table.n,
                    mcnemar(table.personal_only, table.organization_only) if table.n else None,
                    personal_only=table.personal_only,
                    organization_only=table.organization_only,
                    both_agree=table.both,
                    interval=interval if table.n else None,
                )
            )
        return results

    def _own(
        self, seen: WaveView, masks: Sequence[np.ndarray], question: QuestionRef
    ) -> list[Proportion | None]:
        """Per box, a side's share among everyone who answered it, when some answered it
        without the other side and privacy lets their answers be shown; else None."""
        verdicts = seen.verdicts(_only_key(question.id), masks)
        return [
            Proportion(
                seen.total(positive_column(question.id), mask),
                seen.total(answered_column(question.id), mask),
            )
            if verdict is Verdict.SHOWN
            else None
            for mask, verdict in zip(masks, verdicts, strict=True)
        ]

    def _single(
        self, seen: WaveView, masks: Sequence[np.ndarray], question: QuestionRef
    ) -> list[Measure]:
        verdicts = seen.verdicts(_question_key(question.id), masks)
        measures = []
        for mask, verdict in zip(masks, verdicts, strict=True):
            if verdict in HIDDEN:
                measures.append(Measure(question, None, verdict is Verdict.REVEALING))
                continue
            n = seen.total(answered_column(question.id), mask)
            positive = seen.total(positive_column(question.id), mask)
            measures.append(Measure(question, Proportion(positive, n)))
        return measures

    def _group(
        self,
        seen: WaveView,
        segment: SegmentRef,
        value: str,
        box: np.ndarray,
        results: tuple[ThemeResult, ...],
        rest: tuple[ThemeResult, ...],
    ) -> Group:
        respondents = seen.total("respondents", box)
        label = _label(seen, segment, value)
        if respondents < self.min_group_size:
            return Group(label, respondents, True)
        asked = [r for r in results if r.asked]
        if asked and all(r.hidden for r in asked):
            return Group(label, respondents, True, revealing=any(r.revealing for r in asked))
        versus = tuple(_compared(mine, others) for mine, others in zip(results, rest, strict=True))
        return Group(label, respondents, False, results, versus_rest=versus)

    def _wave_result(self, wave: WaveRef, filters: Filters, themes: Sequence[Theme]) -> WaveResult:
        seen = self.view(wave)
        mask = self._select(seen, filters)
        total = seen.total("respondents", mask)
        if total == 0:
            return WaveResult(wave.label, 0)
        if total < self.min_group_size:
            return WaveResult(wave.label, 0, suppressed=True)
        results = self._results(seen, [mask], themes)[0]
        asked = [r for r in results if r.asked]
        if asked and all(r.hidden for r in asked):
            revealing = any(r.revealing for r in asked)
            return WaveResult(wave.label, 0, suppressed=True, revealing=revealing)
        return WaveResult(wave.label, total, results)

    # -- describing ----------------------------------------------------------------------------

    def _context(
        self, seen: WaveView, wave: WaveRef, filters: Filters, theme: str | None, total: int
    ) -> Context:
        return Context(
            survey=self.catalog.survey.name,
            survey_title=self.catalog.survey.title,
            wave=wave.label,
            respondents=total,
            filters=tuple(
                (segment.name, _reported(seen, segment, values)) for segment, values in filters
            ),
            theme=theme,
            min_group_size=self.min_group_size,
        )

    def _merge_notes(
        self, seen: WaveView, filters: Filters, by: SegmentRef | None = None
    ) -> list[str]:
        """Say which values an answer reports together, for the segments it uses."""
        used = [segment for segment, _ in filters] + ([by] if by else [])
        notes = []
        for segment in dict.fromkeys(used):
            merge = seen.merges.get(segment.id)
            if merge is not None and merge.merged:
                names = merged_names(merge)
                notes.append(
                    f"In this wave, {segment.name} values with fewer than {merge.below}"
                    f" respondents are reported together as “{OTHER}”: {names}."
                )
        return notes

    def _one_side_notes(
        self, seen: WaveView, mask: np.ndarray, themes: Sequence[Theme]
    ) -> list[str]:
        """How many answered only one of a theme's two questions (not in its gap)."""
        partial = []
        for theme in themes:
            if not (theme.personal and theme.organization and _has_pairs(seen, theme.personal.id)):
                continue
            both = seen.total(both_column(theme.personal.id), mask)
            one = (
                seen.total(answered_column(theme.personal.id), mask)
                + seen.total(answered_column(theme.organization.id), mask)
                - 2 * both
            )
            if one:
                partial.append(f"{theme.name} {one}")
        if not partial:
            return []
        return [
            "Each gap counts the respondents who answered both of its questions; answered"
            f" only one (not counted): {', '.join(partial)}."
        ]

    def _missing_notes(
        self, seen: WaveView, wave: WaveRef, everyone: np.ndarray, themes: Sequence[Theme]
    ) -> list[str]:
        """How many chose a label the codebook declares *not answered* ("Don't know"): they
        are in no base, and the answer says so, within what privacy allows.

        Said only for the whole wave (``everyone``; never for a filter or a group, which
        the audit's boxes would not cover), per question, and only when the number who chose
        a missing label and the number who answered the question are each 0 or at least
        ``min_group_size``. Each label's count is named only when every label's is 0 or at
        least ``min_group_size``; otherwise only their total, with every declared label
        named, chosen or not, so no small count follows by subtraction. These counts say
        who did not answer, never how anyone answered.
        """
        k = self.min_group_size
        chosen_by_question = self.catalog.missing.get(wave.id, {})
        said = []
        for theme in themes:
            for question in theme.questions:
                chosen = chosen_by_question.get(question.id, ())
                total = sum(n for _, n in chosen)
                answered = seen.total(answered_column(question.id), everyone)
                if total < k or 0 < answered < k:
                    continue
                name = theme.name if theme.single else f"{theme.name} ({question.kind})"
                said.append(f"{name}: {_missing_counts(chosen, k)}")
        if not said:
            return []
        return [
            "Not in any base, as the codebook declares them not answered: " + "; ".join(said) + "."
        ]

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


def _missing_counts(chosen: Sequence[tuple[str, int]], k: int) -> str:
    """'2 chose “Don't know”, 6 “Prefer not to say”' when every label's count is 0 or at
    least ``k``; else '7 chose one of “Don't know”, “Prefer not to say”'."""
    if all(n == 0 or n >= k for _, n in chosen):
        (label, n), *others = [(label, n) for label, n in chosen if n]
        return f"{n} chose “{label}”" + "".join(f", {m} “{other}”" for other, m in others)
    labels = ", ".join(f"“{label}”" for label, _ in chosen)
    return f"{sum(n for _, n in chosen)} chose one of {labels}"


def _pair_key(personal_id: int) -> str:
    return f"pair{int(personal_id)}"


def _only_key(question_id: int) -> str:
    return f"only{int(question_id)}"


def _only_column(question_id: int) -> str:
    """Cell column: how many answered this side of a pair without the other."""
    return f"only{int(question_id)}"


def _only_families(layout: Layout) -> list[tuple[int, str]]:
    return [(q, _only_column(q)) for pair in layout.pairs for q in pair]


def _question_key(question_id: int) -> str:
    return f"question{int(question_id)}"


def _has_pairs(seen: WaveView, personal_id: int) -> bool:
    """Whether anyone in the wave answered both questions of the pair."""
    return seen.total(both_column(personal_id), np.ones(len(seen.atoms), dtype=bool)) > 0


def _label(seen: WaveView, segment: SegmentRef, value: str) -> str:
    """How a reported value is named in an answer."""
    if value == NOT_STATED:
        return NOT_STATED_LABEL
    if value == OTHER:
        merge = seen.merges.get(segment.id)
        names = merged_names(merge) if merge is not None else ""
        return f"Other (small groups: {names})" if names else "Other (small groups)"
    return value


def merged_names(merge: Merge) -> str:
    """The values a merge reports together, as an answer names them."""
    return ", ".join(NOT_STATED_LABEL if v == NOT_STATED else v for v in merge.merged)


def _reported(seen: WaveView, segment: SegmentRef, values: Sequence[str]) -> tuple[str, ...]:
    """A filter's values as the answer computed them (merged small values named so); an
    exclusion stays one."""
    labels = tuple(_label(seen, segment, v) for v in seen.reported(segment.id, values))
    return Except(labels) if isinstance(values, Except) else labels


def _described(filters: Filters) -> str:
    return describe_filters((segment.name, values) for segment, values in filters)


def _ordered(
    seen: WaveView, split: Sequence[tuple[str, np.ndarray]]
) -> list[tuple[str, np.ndarray]]:
    """Largest groups first; merged small groups, then "not stated", last."""

    def key(item: tuple[str, np.ndarray]) -> tuple[int, int, str]:
        value, box = item
        rank = 2 if value == NOT_STATED else 1 if value == OTHER else 0
        return (rank, -seen.total("respondents", box), value)

    return sorted(split, key=key)


def _theme_change(before: ThemeResult, after: ThemeResult) -> ThemeChange:
    """How a theme moved between two waves (independent samples): a gap's change with the
    MOVER interval of the two paired intervals and the test read from it; a single share's
    change with Newcombe's interval and Fisher's exact or the z-test."""
    if after.is_gap:
        if after.gap is None or before.gap is None or not (after.interval and before.interval):
            return ThemeChange(after.theme, before, after, None, None)
        moved = independent_difference(before.interval, after.interval)
        test = interval_test(moved, GAP_CHANGE_TEST)
        return ThemeChange(after.theme, before, after, after.gap - before.gap, test, moved)
    then = before.single.share if before.single else None
    now = after.single.share if after.single else None
    if then is None or now is None or not then.n or not now.n:
        return ThemeChange(after.theme, before, after, None, None)
    change = (now.share - then.share) * 100
    interval = proportion_difference(then, now)
    return ThemeChange(after.theme, before, after, change, two_proportion_test(then, now), interval)


REST_TEST = "difference from the other groups"
RANK_TEST = "difference between the two groups"


def _compared(mine: ThemeResult, others: ThemeResult, method: str = REST_TEST) -> Comparison | None:
    """A group's gap (or share) minus another's (by default: the other groups' together),
    when both are shown: independent samples, so the MOVER interval of the two and the
    test read from it (for shares, Newcombe's interval and Fisher's or the z-test)."""
    if mine.is_gap:
        if mine.interval is None or others.interval is None:
            return None
        difference = independent_difference(others.interval, mine.interval)
        return Comparison(difference.estimate * 100, difference, interval_test(difference, method))
    ours = mine.single.share if mine.single else None
    theirs = others.single.share if others.single else None
    if ours is None or theirs is None or not ours.n or not theirs.n:
        return None
    difference = proportion_difference(theirs, ours)
    return Comparison(difference.estimate * 100, difference, two_proportion_test(theirs, ours))


# -- ranking -------------------------------------------------------------------------------


def _ranked_theme(overall: Sequence[ThemeResult], theme: str | None) -> int | None:
    """The position of the theme a ranking orders groups by: the one asked about, else
    the paired theme with the widest gap overall (the first, on a tie), else (no theme
    has a gap) the first single question with a share; None if none."""
    if theme is not None:
        return 0 if overall else None
    widest = widest_gap(overall)
    if widest is not None:
        return widest
    shares = [i for i, result in enumerate(overall) if ranked_value(result) is not None]
    return shares[0] if shares else None


def _rank_order(groups: Sequence[Group], index: int, rank: Rank) -> list[int]:
    """The positions of the groups that have a figure to rank, widest (highest) first or
    narrowest first; ties keep the breakdown's order. Hidden groups are never ranked."""
    values = {
        i: ranked_value(group.themes[index])
        for i, group in enumerate(groups)
        if not group.suppressed and group.themes
    }
    ranked = [i for i, value in values.items() if value is not None]
    sign = -1 if rank == "widest" else 1
    return sorted(ranked, key=lambda i: sign * (values[i] or 0.0))


def _leader_difference(
    groups: Sequence[Group], order: Sequence[int], index: int | None
) -> Comparison | None:
    """The leader's figure minus the runner-up's (two disjoint groups: independent)."""
    if index is None or len(order) < 2:
        return None
    leader, runner_up = groups[order[0]].themes[index], groups[order[1]].themes[index]
    return _compared(leader, runner_up, RANK_TEST)


def _ranking(
    theme: str,
    groups: Sequence[Group],
    order: Sequence[int],
    index: int,
    rank: Rank,
    difference: Comparison | None,
    chosen: bool,
    top: int | None,
) -> Ranking:
    """The ranking of ``groups`` (already adjusted) in ``order``, naming the others."""
    ranked = set(order)
    hidden = tuple(g.label for g in groups if g.suppressed or (g.themes and g.themes[index].hidden))
    unranked = tuple(
        g.label for i, g in enumerate(groups) if i not in ranked and g.label not in hidden
    )
    return Ranking(
        theme=theme,
        theme_index=index,
        order=rank,
        chosen=chosen,
        ranked=tuple(groups[i].label for i in order),
        hidden=hidden,
        unranked=unranked,
        leader=groups[order[0]] if order else None,
        runner_up=groups[order[1]] if len(order) > 1 else None,
        difference=difference,
        groups=len(groups),
        top=top,
    )


def _ranked_groups(groups: Sequence[Group], order: Sequence[int], top: int | None) -> list[Group]:
    """The ranked groups in order, then (unless only the ``top`` are kept) the others in
    the breakdown's order: hidden ones named as hidden, after every ranked one."""
    if top is not None:
        return [groups[i] for i in order[:top]]
    rest = [g for i, g in enumerate(groups) if i not in set(order)]
    return [*(groups[i] for i in order), *rest]


def _adjusted_rankings(breakdowns: Sequence[BreakdownReport]) -> list[BreakdownReport]:
    """Each breakdown's ranking test adjusted across the breakdowns (Holm), not within its
    breakdown: the rankings' tests are the ones an answer about every segment states."""
    differences = [b.ranking.difference if b.ranking else None for b in breakdowns]
    adjusted = _holm([d.test if d else None for d in differences])
    found = []
    for breakdown, difference, adjustment in zip(breakdowns, differences, adjusted, strict=True):
        if breakdown.ranking is not None and difference is not None:
            ranking = replace(
                breakdown.ranking, difference=replace(difference, adjustment=adjustment)
            )
            breakdown = replace(breakdown, ranking=ranking)
        found.append(breakdown)
    return found


def _leading_segment(breakdowns: Sequence[BreakdownReport], rank: Rank) -> int | None:
    """The position of the breakdown whose leader leads across segments, among those that
    rank at least two groups (a single group is not a ranking); the first on a tie."""
    sign = -1 if rank == "widest" else 1
    leaders = []
    for position, breakdown in enumerate(breakdowns):
        ranking = breakdown.ranking
        if ranking is None or ranking.runner_up is None or ranking.leader_result is None:
            continue
        value = ranked_value(ranking.leader_result)
        if value is not None:
            leaders.append((sign * value, position))
    return min(leaders)[1] if leaders else None


def _holm(tests: Sequence[TestResult | None]) -> list[Adjustment | None]:
    """Every test of one answer, adjusted among the others (Holm); None where no test."""
    present = [i for i, test in enumerate(tests) if test is not None]
    adjusted = holm([tests[i].p_value for i in present])  # type: ignore[union-attr]
    found: list[Adjustment | None] = [None] * len(tests)
    for i, p_value in zip(present, adjusted, strict=True):
        found[i] = Adjustment(p_value, len(present))
    return found


def _adjusted_results(
    results: Sequence[ThemeResult], adjustments: Sequence[Adjustment | None]
) -> tuple[ThemeResult, ...]:
    return tuple(
        replace(result, adjustment=adjustment)
        for result, adjustment in zip(results, adjustments, strict=True)
    )


def _adjusted_breakdown(
    overall: Sequence[ThemeResult], groups: Sequence[Group], ranking: Comparison | None = None
) -> tuple[tuple[ThemeResult, ...], list[Group], Comparison | None]:
    """Holm across every test a breakdown shows: each theme overall, within each group,
    each group against the rest, and a ranking's leader against its runner-up."""
    tests: list[TestResult | None] = [r.test for r in overall]
    for group in groups:
        tests += [r.test for r in group.themes]
        tests += [c.test if c else None for c in group.versus_rest]
    tests.append(ranking.test if ranking else None)
    adjusted = iter(_holm(tests))
    new_overall = _adjusted_results(overall, [next(adjusted) for _ in overall])
    new_groups = []
    for group in groups:
        themes = _adjusted_results(group.themes, [next(adjusted) for _ in group.themes])
        versus = tuple(
            replace(c, adjustment=adjustment) if c else None
            for c, adjustment in zip(
                group.versus_rest, [next(adjusted) for _ in group.versus_rest], strict=True
            )
        )
        new_groups.append(replace(group, themes=themes, versus_rest=versus))
    last = next(adjusted)
    return new_overall, new_groups, replace(ranking, adjustment=last) if ranking else None


def adjustment_notes(results: Sequence[ThemeResult]) -> list[str]:
    tests = max((r.adjustment.tests for r in results if r.adjustment), default=0)
    if tests < 2:
        return []
    return [
        f"This answer makes {tests} tests: each verdict is Holm-adjusted across them, so"
        " that the chance of any false “significant” stays under 5%."
    ]


def _adjusted_trend(waves: tuple[WaveResult, ...]) -> tuple[WaveResult, ...]:
    """Holm across every wave's every gap test the trend shows."""
    adjusted = iter(_holm([r.test for wave in waves for r in wave.themes]))
    return tuple(
        replace(wave, themes=_adjusted_results(wave.themes, [next(adjusted) for _ in wave.themes]))
        for wave in waves
    )


def _rounding_notes(results: Sequence[ThemeResult]) -> list[str]:
    """Say so when a printed gap is not the difference of the printed percentages."""
    for result in results:
        p = result.personal.share if result.personal else None
        o = result.organization.share if result.organization else None
        if (
            result.gap is not None
            and p is not None
            and o is not None
            and whole(result.gap) != percent(p.share) - percent(o.share)
        ):
            return [
                "Gaps are computed from the unrounded shares, so a gap can differ by a"
                " point from the difference of the rounded percentages."
            ]
    return []
