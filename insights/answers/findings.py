"""The findings model: what an answer says, before it is rendered for Slack or a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from insights.answers.catalog import QuestionRef
from insights.answers.stats import SIGNIFICANCE, Interval, PairedTable, Proportion, TestResult


class Except(tuple[str, ...]):
    """A filter's values that are *excluded*: ``role!=consultant`` keeps everyone else,
    those who did not state a role included. Equal only to another ``Except``."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Except) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("except", tuple(self)))


def describe_filters(filters: Iterable[tuple[str, tuple[str, ...]]]) -> str:
    """'role = In-house, region = Europe or Asia-Pacific, seniority = all but Staff', or
    'all respondents'."""
    described = ", ".join(
        f"{seg} = {'all but ' if isinstance(vals, Except) else ''}{' or '.join(vals)}"
        for seg, vals in filters
    )
    return described or "all respondents"


@dataclass(frozen=True)
class Adjustment:
    """A p-value as it must be read among the ``tests`` tests one answer shows (Holm)."""

    p_value: float
    tests: int

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE


def significant(test: TestResult | None, adjustment: Adjustment | None) -> bool:
    """A verdict as the answer states it: adjusted for the answer's other tests, if any."""
    if test is None:
        return False
    return adjustment.significant if adjustment is not None else test.significant


@dataclass(frozen=True)
class Measure:
    """One question's share agreeing; ``share`` is None when privacy hides it: its base is
    too small, or (``revealing``) beside other answers it would show how a few answered.

    A side of a theme is measured on those who answered both questions; ``own`` is its
    share among everyone who answered this one, when that differs and may be shown."""

    question: QuestionRef
    share: Proportion | None
    revealing: bool = False
    own: Proportion | None = None


@dataclass(frozen=True)
class ThemeResult:
    """A theme in one group: both sides and McNemar's test, or a single-perspective share."""

    theme: str
    personal: Measure | None = None
    organization: Measure | None = None
    single: Measure | None = None
    paired_n: int = 0
    test: TestResult | None = None
    personal_only: int = 0
    organization_only: int = 0
    both_agree: int = 0
    interval: Interval | None = None  # the gap's 95% interval, as fractions
    adjustment: Adjustment | None = None

    @property
    def table(self) -> PairedTable:
        """The ``paired_n`` who answered both questions, by how they answered."""
        neither = self.paired_n - self.both_agree - self.personal_only - self.organization_only
        return PairedTable(self.both_agree, self.personal_only, self.organization_only, neither)

    @property
    def significant(self) -> bool:
        return significant(self.test, self.adjustment)

    @property
    def gap(self) -> float | None:
        """Personal minus organization, in percentage points, among the ``paired_n`` who
        answered both (None when nobody did: the sides' own bases would differ)."""
        if not (self.personal and self.organization) or not self.paired_n:
            return None
        if self.personal.share is None or self.organization.share is None:
            return None
        if not (self.personal.share.n and self.organization.share.n):
            return None
        return (self.personal.share.share - self.organization.share.share) * 100

    @property
    def asked(self) -> bool:
        """False when nobody in the group was asked any of the theme's questions."""
        measures = [m for m in (self.personal, self.organization, self.single) if m]
        return any(m.share is None or m.share.n > 0 for m in measures)

    @property
    def hidden(self) -> bool:
        """Privacy hides every figure of the theme."""
        measures = [m for m in (self.personal, self.organization, self.single) if m]
        return bool(measures) and all(m.share is None for m in measures)

    @property
    def revealing(self) -> bool:
        """Hidden because, beside other answers, it would show how a few people answered."""
        return any(
            m is not None and m.revealing for m in (self.personal, self.organization, self.single)
        )

    @property
    def is_gap(self) -> bool:
        return self.personal is not None and self.organization is not None


@dataclass(frozen=True)
class Context:
    """What every answer must name so a screenshot out of context is still honest."""

    survey: str
    survey_title: str
    wave: str
    respondents: int
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    theme: str | None = None
    min_group_size: int = 5

    @property
    def filter_text(self) -> str:
        return describe_filters(self.filters)


@dataclass(frozen=True)
class Comparison:
    """How much wider a group's gap is than the rest's (the other groups together), in
    points, with its 95% interval and test; adjusted like every test of the answer."""

    points: float
    interval: Interval
    test: TestResult
    adjustment: Adjustment | None = None

    @property
    def significant(self) -> bool:
        return significant(self.test, self.adjustment)


@dataclass(frozen=True)
class Group:
    """A breakdown's group; ``suppressed`` when privacy hides all its figures (``revealing``
    when not for its size but because they would show how a few others answered).
    ``versus_rest`` compares each theme's gap with the other groups' (None where it can't
    be shown), in the order of ``themes``."""

    label: str
    respondents: int
    suppressed: bool
    themes: tuple[ThemeResult, ...] = ()
    revealing: bool = False
    versus_rest: tuple[Comparison | None, ...] = ()


@dataclass(frozen=True)
class GapReport:
    """``gap``: each theme for the selected respondents. ``overview`` when nothing narrower
    was asked; ``count`` when the question was how many answered (the same figures, read
    for their base). ``study``: one line naming the published study's figures, on a survey
    with a theme mapped to it (text only: a pointer to ``gap vs benchmark``, no chart's)."""

    context: Context
    themes: tuple[ThemeResult, ...]
    overview: bool = False
    notes: tuple[str, ...] = ()
    count: bool = False
    study: str | None = None


Rank = Literal["widest", "narrowest"]


def ranked_value(result: ThemeResult) -> float | None:
    """What a ranking orders groups by: a gap theme's gap in points, a single question's
    share in percent; None when the group has none to rank (hidden, not asked, nobody
    answered both questions)."""
    if result.is_gap:
        return result.gap
    share = result.single.share if result.single else None
    return share.share * 100 if share is not None and share.n else None


def widest_gap(results: Sequence[ThemeResult]) -> int | None:
    """The position of the theme whose gap is widest (the first, on a tie); None when no
    theme has a gap to show. What an answer about several themes leads with."""
    gaps = [(result.gap, -i) for i, result in enumerate(results) if result.gap is not None]
    return -max(gaps)[1] if gaps else None


@dataclass(frozen=True)
class Ranking:
    """A breakdown's groups in order of their gap on one theme (a single question's: its
    share), widest (highest) first, or narrowest (lowest) first.

    Only groups with a figure to rank are ranked (``ranked``, in order); groups privacy
    hides are named in ``hidden`` and groups with nothing to rank (not asked, nobody
    answered both) in ``unranked``, never ranked. ``difference`` is the leader's figure
    minus the runner-up's, tested as independent samples and adjusted with the answer's
    other tests; None with fewer than two ranked groups. ``theme_index`` is the theme's
    position in the report's ``total`` and in every group's ``themes``. ``chosen`` when no
    theme was asked: the ranking is then on the paired theme whose gap is widest overall.
    ``groups`` counts every group of the breakdown, before ``top`` kept the first ones."""

    theme: str
    theme_index: int
    order: Rank
    chosen: bool
    ranked: tuple[str, ...]
    hidden: tuple[str, ...]
    unranked: tuple[str, ...]
    leader: Group | None
    runner_up: Group | None
    difference: Comparison | None
    groups: int
    top: int | None = None

    @property
    def leader_result(self) -> ThemeResult | None:
        return self.leader.themes[self.theme_index] if self.leader else None

    @property
    def runner_up_result(self) -> ThemeResult | None:
        return self.runner_up.themes[self.theme_index] if self.runner_up else None


@dataclass(frozen=True)
class BreakdownReport:
    """``gap by SEGMENT``: each theme overall and for each group (in ``ranking``'s order
    when the question asked for one; only its first ``top`` ranked groups when it said so)."""

    context: Context
    segment: str
    total: tuple[ThemeResult, ...]
    groups: tuple[Group, ...]
    notes: tuple[str, ...] = ()
    ranking: Ranking | None = None


@dataclass(frozen=True)
class WidestReport:
    """``gap widest`` / ``gap narrowest``: every segment's breakdown, ranked on one theme.

    The rankings' tests (each segment's leader against its runner-up) are Holm-adjusted
    across the segments: they are the tests this answer states. ``leader`` is the position
    in ``breakdowns`` of the segment whose leading group leads across segments (widest or
    narrowest of all), among segments that rank at least two groups; None when none does."""

    context: Context
    order: Rank
    breakdowns: tuple[BreakdownReport, ...]
    leader: int | None
    notes: tuple[str, ...] = ()

    @property
    def rankings(self) -> tuple[tuple[str, Ranking], ...]:
        """(segment, ranking) of every segment that has a ranking."""
        return tuple((b.segment, b.ranking) for b in self.breakdowns if b.ranking is not None)


@dataclass(frozen=True)
class ThemeChange:
    theme: str
    before: ThemeResult
    after: ThemeResult
    change: float | None  # points: gap change for a gap theme, share change otherwise
    test: TestResult | None
    interval: Interval | None = None  # the change's 95% interval, as fractions
    adjustment: Adjustment | None = None

    @property
    def significant(self) -> bool:
        return significant(self.test, self.adjustment)


@dataclass(frozen=True)
class ChangeReport:
    context: Context
    previous_wave: str
    previous_respondents: int
    changes: tuple[ThemeChange, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WaveResult:
    """One wave of a trend. A suppressed wave keeps no counts, so its size cannot leak."""

    label: str
    respondents: int  # 0 when suppressed or when nobody in the wave matches
    themes: tuple[ThemeResult, ...] = ()
    suppressed: bool = False
    # Suppressed not for its size but because, beside other answers, its figures would show
    # how a few people answered.
    revealing: bool = False


@dataclass(frozen=True)
class TrendReport:
    """Every wave up to ``context.wave``, oldest first; ``context`` describes the latest."""

    context: Context
    waves: tuple[WaveResult, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Listing:
    """themes / segments / surveys / waves: a titled list of lines."""

    title: str
    items: tuple[tuple[str, str], ...]  # (name, description)
    survey: str | None = None
    footer: str | None = None


@dataclass(frozen=True)
class Help:
    examples: tuple[tuple[str, str], ...] = field(default=())
    intro: str | None = None


@dataclass(frozen=True)
class StudyFigure:
    """One of the study's figures beside the team's. ``side``: personal, organization, or
    share (a single question). ``exact`` when the study printed the percentage; otherwise
    ``wording`` is all it said and nothing is tested. ``team`` is None when privacy hides
    the team's figure (nothing is then tested either). ``difference`` is the team's share
    minus the study's (independent samples, the study's base), with its ``test`` adjusted
    (Holm) across every figure the answer tests."""

    side: str
    study: float
    exact: bool
    wording: str
    team: Proportion | None
    difference: Interval | None = None
    test: TestResult | None = None
    adjustment: Adjustment | None = None

    @property
    def significant(self) -> bool:
        return significant(self.test, self.adjustment)


@dataclass(frozen=True)
class StudyTheme:
    """A team theme beside the study theme it maps to. ``population`` names whom the
    study's figures are about and ``base`` the study base the tests use (``estimated``
    when the study did not print it, ``base_note`` why this number); ``matches`` is False
    when the team's filters select a different population than the study's."""

    result: ThemeResult
    study_theme: str
    population: str
    base: int
    estimated: bool
    base_note: str
    figures: tuple[StudyFigure, ...]
    matches: bool

    @property
    def study_gap(self) -> float | None:
        """The study's personal minus organization share in points, when both are exact."""
        sides = {f.side: f for f in self.figures if f.exact}
        if "personal" in sides and "organization" in sides:
            return (sides["personal"].study - sides["organization"].study) * 100
        return None


@dataclass(frozen=True)
class BenchmarkReport:
    """``gap vs benchmark``: each mapped theme's figures beside the published study's."""

    context: Context
    themes: tuple[StudyTheme, ...]
    source: str
    notes: tuple[str, ...] = ()

    @property
    def tested(self) -> int:
        return sum(1 for t in self.themes for f in t.figures if f.test is not None)


Finding = (
    GapReport
    | BreakdownReport
    | WidestReport
    | ChangeReport
    | TrendReport
    | BenchmarkReport
    | Listing
    | Help
)
