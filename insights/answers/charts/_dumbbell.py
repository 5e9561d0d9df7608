"""Dumbbell rows: personal and organization share on one line, the gap in a column beside.

Geometry is in pixels at 150 dpi. Each row is 90 px tall: the value labels sit above the
dots, the whiskers on the dots' line, so nothing from one row reaches into the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes

from insights.answers.charts._canvas import (
    BAND,
    CONNECTOR,
    GRID,
    INK,
    LABEL,
    MARGIN,
    NOTE,
    ORGANIZATION_TEXT,
    PERSONAL_TEXT,
    SMALL,
    SUPPRESSED,
    SUPPRESSED_BAND,
    VALUE,
    WIDTH,
    Ink,
    Sheet,
    Style,
    bare,
    tick_fonts,
)
from insights.answers.charts._frame import MARKERS, Frame
from insights.answers.charts._rows import Dot, Row, Side, gap_words, verdict_word

ROW = 90
LABEL_RIGHT = 378  # row labels end here, right-aligned
AXES_LEFT = 398
GAP_COLUMN = 180  # "+55 pts" / "not significant" to the right of the plot
AXES_RIGHT = WIDTH - MARGIN - GAP_COLUMN
AXES_WIDTH = AXES_RIGHT - AXES_LEFT
TICKS = 44  # room for the 0%…100% labels under the plot
XMIN, XMAX = -3.0, 103.0  # a little room so a dot at 0% or 100% keeps its whisker caps
UNIT_PX = AXES_WIDTH / (XMAX - XMIN)
LABEL_PAD = 10.0  # pixels between two value labels
RISE = 9.0  # points from a dot's centre up to the bottom of its value label
WHISKER_SHIFT: dict[Side, float] = {"personal": -0.085, "organization": 0.085, "single": 0.0}
TEXT_COLOUR: dict[Side, str] = {
    "personal": PERSONAL_TEXT,
    "organization": ORGANIZATION_TEXT,
    "single": INK,
}
GAP_TEXT = Style(13, "bold")
DIM_LABEL = Style(12, color=SUPPRESSED)


def draw(frame: Frame, rows: Sequence[Row]) -> bytes:
    """The whole dumbbell chart as PNG bytes (call with ``drawing()`` held)."""
    ink = Ink()
    plot_height = len(rows) * ROW
    sheet = Sheet(frame.header_height + plot_height + TICKS + frame.footer_height)
    frame.draw_header(sheet)
    sheet.text(AXES_RIGHT + 20, frame.header_height - 6, "Gap", Style(11, "bold"), va="bottom")
    axes = sheet.axes(AXES_LEFT, frame.header_height, AXES_WIDTH, plot_height)
    _prepare(axes, len(rows))
    for index, row in enumerate(rows):
        _draw_row(axes, ink, index, row)
    frame.draw_footer(sheet, frame.header_height + plot_height + TICKS)
    return sheet.png()


def _prepare(axes: Axes, count: int) -> None:
    axes.set_xlim(XMIN, XMAX)
    axes.set_ylim(count - 0.5, -0.5)  # first row on top
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_yticks([])
    axes.set_axisbelow(True)
    axes.xaxis.grid(True, color=GRID, linewidth=0.8)
    bare(axes)
    tick_fonts(axes, SMALL)


def _draw_row(axes: Axes, ink: Ink, index: int, row: Row) -> None:
    if row.suppressed:
        # Inset, so that two hidden groups in a row still read as two rows.
        axes.axhspan(index - 0.45, index + 0.45, color=SUPPRESSED_BAND, linewidth=0, zorder=0)
    elif index % 2:
        axes.axhspan(index - 0.5, index + 0.5, color=BAND, linewidth=0, zorder=0)
    if row.total:
        # The total comes first; a rule sets it apart from the groups below.
        axes.axhline(index + 0.5, color=CONNECTOR, linewidth=1.0)
    _row_label(axes, ink, index, row)
    if row.note is not None:
        _say(axes, 50, index, row.note, NOTE, ha="center", va="center")
        return
    _dots(axes, ink, index, row)
    if row.gap is not None:
        _gap(axes, index, row)


def _row_label(axes: Axes, ink: Ink, index: int, row: Row) -> None:
    """Name (up to two lines) with its detail under it, centred on the row, at the left."""
    style = DIM_LABEL if row.suppressed else LABEL
    name = ink.wrap(row.label, LABEL_RIGHT - MARGIN, style, 2)
    detail = ink.fit(row.detail, LABEL_RIGHT - MARGIN, SMALL) if row.detail else ""
    block = len(name) * style.size * 1.2 + (SMALL.size * 1.25 if detail else 0)
    x = (LABEL_RIGHT - AXES_LEFT) / AXES_WIDTH  # axes fraction, left of the plot
    _say(axes, x, index, "\n".join(name), style, "right", "top", block / 2, plot=False)
    if detail:
        _say(axes, x, index, detail, SMALL, "right", "bottom", -block / 2, plot=False)


def _dots(axes: Axes, ink: Ink, index: int, row: Row) -> None:
    if len(row.dots) == 2:
        left, right = sorted(dot.share.share * 100 for dot in row.dots)
        axes.plot(
            [left, right],
            [index, index],
            color=CONNECTOR,
            linewidth=3,
            # Dashed when the gap could be chance: the picture should not overstate it.
            linestyle="-" if row.significant else (0, (2, 2)),
            solid_capstyle="butt",
            zorder=2,
        )
    for dot in row.dots:
        _dot(axes, index, dot)
    _value_labels(axes, ink, index, row.dots)


def _dot(axes: Axes, index: int, dot: Dot) -> None:
    marker, colour, size = MARKERS[dot.side]
    x = dot.share.share * 100
    low, high = dot.interval
    y = index + WHISKER_SHIFT[dot.side]  # overlapping intervals stay apart
    axes.errorbar(
        [x],
        [y],
        xerr=[[x - low], [high - x]],
        fmt="none",
        ecolor=colour,
        elinewidth=1.6,
        capsize=4,
        capthick=1.6,
        zorder=3,
    )
    axes.plot(
        [x],
        [index],
        marker=marker,
        markersize=size,
        color=colour,
        markeredgecolor="white",
        markeredgewidth=1.2,
        linestyle="none",
        zorder=5 if dot.side == "personal" else 4,
    )


def _value_labels(axes: Axes, ink: Ink, index: int, dots: Sequence[Dot]) -> None:
    ordered = sorted(dots, key=lambda dot: dot.share.share)
    halves = [ink.width(dot.label, VALUE) / 2 / UNIT_PX for dot in ordered]
    centres = spread(
        [dot.share.share * 100 for dot in ordered], halves, XMIN, XMAX, LABEL_PAD / UNIT_PX
    )
    for dot, centre in zip(ordered, centres, strict=True):
        style = Style(VALUE.size, color=TEXT_COLOUR[dot.side])
        _say(axes, centre, index, dot.label, style, "center", "bottom", RISE)


def spread(
    centres: Sequence[float], halves: Sequence[float], low: float, high: float, pad: float
) -> list[float]:
    """Label centres near their dots (``centres``, ascending) without overlapping each other
    or leaving [low, high]. Overlapping neighbours move apart by the same amount."""
    placed = list(centres)
    for i in range(1, len(placed)):
        overlap = placed[i - 1] + halves[i - 1] + pad - (placed[i] - halves[i])
        if overlap > 0:
            placed[i - 1] -= overlap / 2
            placed[i] += overlap / 2
    for i in range(len(placed)):  # keep inside on the left, pushing the rest right
        floor = low + halves[i]
        if i:
            floor = max(floor, placed[i - 1] + halves[i - 1] + pad + halves[i])
        placed[i] = max(placed[i], floor)
    for i in reversed(range(len(placed))):  # and on the right, pushing the rest left
        ceiling = high - halves[i]
        if i + 1 < len(placed):
            ceiling = min(ceiling, placed[i + 1] - halves[i + 1] - pad - halves[i])
        placed[i] = min(placed[i], ceiling)
    return placed


def _gap(axes: Axes, index: int, row: Row) -> None:
    assert row.gap is not None
    x = (AXES_RIGHT + 20 - AXES_LEFT) / AXES_WIDTH
    _say(axes, x, index, gap_words(row.gap), GAP_TEXT, "left", "bottom", 0, plot=False)
    _say(
        axes, x, index, verdict_word(row.test, row.adjustment), SMALL, "left", "top", -3, plot=False
    )


def _say(
    axes: Axes,
    x: float,
    y: float,
    text: str,
    style: Style,
    ha: str,
    va: str,
    rise: float = 0.0,
    plot: bool = True,
) -> None:
    """Text at data ``y``; ``x`` in data units (``plot``) or as a fraction of the axes width,
    raised by ``rise`` points. Never clipped, never parsed as mathtext."""
    axes.annotate(
        text,
        (x, y),
        xycoords=axes.transData if plot else axes.get_yaxis_transform(),
        xytext=(0, rise),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontproperties=style.font,
        color=style.color,
        annotation_clip=False,
        parse_math=False,
        linespacing=1.2,
    )
