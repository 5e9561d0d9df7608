"""What a chart shows, before it is drawn: rows of dots, and the words said about them.

The PNG and its alt text are both built from these rows, so the picture and the sentence
a screen reader speaks can never disagree on a figure. Numbers are rounded with the same
``percent``/``whole`` the Slack and text renderers use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from insights.answers.findings import Adjustment, Context, ThemeResult, significant
from insights.answers.render import SMALL_BASE_MARK, change_points
from insights.answers.stats import Proportion, TestResult, percent, whole
from insights.errors import NotFoundError

Side = Literal["personal", "organization", "single"]
MAX_ALT = 1000
NOT_ASKED = "not asked"
TOO_FEW = "suppressed: too few answers"


@dataclass(frozen=True)
class Dot:
    side: Side
    share: Proportion

    @property
    def value(self) -> str:
        """'91%', with † for a base under 30."""
        mark = SMALL_BASE_MARK if self.share.directional else ""
        return f"{percent(self.share.share)}%{mark}"

    @property
    def label(self) -> str:
        """'91% (n = 197)'."""
        return f"{self.value} (n = {self.share.n})"

    @property
    def interval(self) -> tuple[float, float]:
        """The 95% interval in percent, around the share even where rounding says otherwise
        (the Wilson bound at 100% can come out a hair below 100)."""
        low, high = self.share.interval
        centre = self.share.share * 100
        return min(low * 100, centre), max(high * 100, centre)


@dataclass(frozen=True)
class Row:
    """One row of a dumbbell chart, or one wave of a trend."""

    label: str  # drawn at the left (or under the axis, for a wave)
    detail: str = ""  # drawn under the label: "n = 96", "% Yes"
    spoken: str = ""  # how the alt text names the row: "North America (n = 96)"
    dots: tuple[Dot, ...] = ()
    gap: float | None = None
    test: TestResult | None = None
    note: str | None = None  # drawn instead of dots: why there is nothing to show
    counted: str = ""  # what a single share counts ("Yes"), for the alt text
    suppressed: bool = False
    total: bool = False  # the "All" row of a breakdown
    adjustment: Adjustment | None = None  # the test as the answer reads it (Holm)

    @property
    def significant(self) -> bool:
        return significant(self.test, self.adjustment)

    def dot(self, side: Side) -> Dot | None:
        return next((d for d in self.dots if d.side == side), None)


def counted_label(result: ThemeResult) -> str:
    """What the theme's share counts: 'Agree or Strongly agree', 'Yes'."""
    measure = result.personal or result.single or result.organization
    return measure.question.positive_label if measure else ""


def theme_row(
    result: ThemeResult, label: str, detail: str = "", spoken: str = "", total: bool = False
) -> Row:
    """The row for one theme in one group: two dots, one dot, or a note saying why none."""
    base = Row(label, detail, spoken or label, total=total, counted=counted_label(result))
    if not result.asked:
        return replace(base, note=NOT_ASKED)
    if result.is_gap:
        return _gap_row(base, result)
    share = result.single.share if result.single else None
    if share is None:
        return replace(base, note=TOO_FEW)
    return replace(base, dots=(Dot("single", share),))


def _gap_row(base: Row, result: ThemeResult) -> Row:
    assert result.personal and result.organization
    personal, organization = result.personal.share, result.organization.share
    if personal is None or organization is None:
        return replace(base, note=TOO_FEW)
    if result.gap is None:
        return replace(base, note=NOT_ASKED)  # one side has no answers in this group
    dots = (Dot("personal", personal), Dot("organization", organization))
    return replace(base, dots=dots, gap=result.gap, test=result.test, adjustment=result.adjustment)


def suppressed_row(label: str, min_group_size: int, revealing: bool = False) -> Row:
    """A hidden group: its name only, never its size or shares; ``revealing`` when it is
    hidden not for its size but because it would reveal how a few others answered."""
    if revealing:
        note = "suppressed for privacy (it would reveal a few people's answers)"
    else:
        note = f"suppressed for privacy (minimum n = {min_group_size})"
    return Row(label, spoken=label, note=note, suppressed=True)


def pick_theme(results: Sequence[ThemeResult], theme: str | None) -> int:
    """Index of ``theme`` in ``results``; by default the first gap theme (else the first)."""
    names = [r.theme for r in results]
    if theme is not None:
        if theme not in names:
            raise NotFoundError(
                f"This answer has no theme {theme!r} to chart.",
                suggestion=f"Themes in it: {', '.join(names) or 'none'}.",
            )
        return names.index(theme)
    if not results:
        raise NotFoundError("This answer has no theme to chart.")
    gaps = [i for i, r in enumerate(results) if r.is_gap]
    return gaps[0] if gaps else 0


# -- words ---------------------------------------------------------------------------------


def gap_words(gap: float) -> str:
    """'+55 pts' on the chart (the sign says which side is higher)."""
    return change_points(gap)


def verdict_word(test: TestResult | None, adjustment: Adjustment | None = None) -> str:
    if test is None:
        return "no test"
    return "significant" if significant(test, adjustment) else "not significant"


def context_lines(context: Context, waves: str | None = None) -> list[str]:
    """The facts of the Slack context line (survey, wave, filters, base), on two lines so
    that a long survey title never pushes the base onto a line of its own."""
    base = "" if waves else f" · n = {context.respondents}"
    return [
        f"{context.survey_title} · survey {context.survey}",
        f"{waves or f'wave {context.wave}'} · {context.filter_text}{base}",
    ]


def sentence(row: Row) -> str:
    """One row for a screen reader: 'necessity: personal 91% (n = 197), … significant.'"""
    if row.note is not None:
        return f"{row.spoken}: {row.note}."
    if row.gap is None:
        (dot,) = row.dots
        return f"{row.spoken}: {row.counted or 'share'} {_spoken(dot)}."
    personal, organization = row.dot("personal"), row.dot("organization")
    assert personal and organization
    return (
        f"{row.spoken}: personal {_spoken(personal)}, organization {_spoken(organization)},"
        f" gap {points(row.gap)}, {verdict_word(row.test, row.adjustment)}."
    )


def points(gap: float) -> str:
    """'55 points', '-1 point'."""
    rounded = whole(gap)
    return f"{rounded} point" if abs(rounded) == 1 else f"{rounded} points"


def _spoken(dot: Dot) -> str:
    small = ", small base" if dot.share.directional else ""
    return f"{percent(dot.share.share)}% (n = {dot.share.n}{small})"


def alt_text(head: str, rows: Sequence[Row], tail: str = "") -> str:
    """``head``, then one sentence per row while they fit in MAX_ALT characters."""
    text = head
    for index, row in enumerate(rows):
        more = len(rows) - index
        reserve = len(f" {more} more not described.") + len(tail) + 1
        if len(text) + 1 + len(sentence(row)) + reserve > MAX_ALT:
            return f"{text} {more} more not described.{tail}"[:MAX_ALT]
        text = f"{text} {sentence(row)}"
    return f"{text}{tail}"[:MAX_ALT]
