"""Trend lines: each side's share per wave, with its 95% band, waves in order left to right.

Each wave's base and gap are written under its name on the x axis, so every figure the
lines show has its n next to it. A wave with nothing to show breaks the line rather than
being bridged, and says why in the plot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.axes import Axes

from insights.answers.charts._canvas import (
    GRID,
    MARGIN,
    NOTE,
    SMALL,
    VALUE,
    WIDTH,
    Ink,
    Sheet,
    Style,
    bare,
    tick_fonts,
)
from insights.answers.charts._dumbbell import TEXT_COLOUR
from insights.answers.charts._frame import MARKERS, Frame
from insights.answers.charts._rows import Row, Side, gap_words

AXES_LEFT = 100
AXES_RIGHT = WIDTH - MARGIN - 10
AXES_WIDTH = AXES_RIGHT - AXES_LEFT
PLOT_HEIGHT = 440
FIGURE_LINES = 2  # base and gap, under the wave's name
YMIN, YMAX = -10.0, 110.0  # room above 100% and below 0% for the value labels
LABEL_GAP = 4.0  # points between an interval's end and its value label
WAVE = Style(11, "bold")
SIDES: tuple[Side, ...] = ("personal", "organization", "single")


def draw(frame: Frame, rows: Sequence[Row]) -> bytes:
    """The whole trend chart as PNG bytes (call with ``drawing()`` held)."""
    ink = Ink()
    slot = AXES_WIDTH / len(rows) - 12
    ticks = [_tick_lines(ink, row, slot) for row in rows]
    depth = max(len(names) for names, _ in ticks)  # wave names may take two lines
    ticks_height = (depth + FIGURE_LINES) * SMALL.line_px + 30
    sheet = Sheet(frame.header_height + PLOT_HEIGHT + ticks_height + frame.footer_height)
    frame.draw_header(sheet)
    axes = sheet.axes(AXES_LEFT, frame.header_height, AXES_WIDTH, PLOT_HEIGHT)
    _prepare(axes, len(rows))
    for side in SIDES:
        _line(axes, rows, side)
    for index, (row, (names, figures)) in enumerate(zip(rows, ticks, strict=True)):
        _under(axes, index, [(line, WAVE) for line in names], 0)
        _under(axes, index, [(line, SMALL) for line in figures], depth)
        _value_labels(axes, index, row)
        if row.note is not None:
            _note(axes, ink, index, row.note, slot)
    frame.draw_footer(sheet, frame.header_height + PLOT_HEIGHT + ticks_height)
    return sheet.png()


def _prepare(axes: Axes, count: int) -> None:
    axes.set_xlim(-0.5, count - 0.5)
    axes.set_ylim(YMIN, YMAX)
    axes.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_xticks([])
    axes.set_axisbelow(True)
    axes.yaxis.grid(True, color=GRID, linewidth=0.8)
    bare(axes)
    axes.spines["bottom"].set_visible(False)  # the 0% grid line is the baseline
    tick_fonts(axes, SMALL)


def _tick_lines(ink: Ink, row: Row, slot: float) -> tuple[list[str], list[str]]:
    """(wave name lines, ['n = 197', 'gap +55 pts']), each fitted to the wave's slot."""
    figures = [row.detail] if row.detail else []
    if row.gap is not None:
        figures.append(f"gap {gap_words(row.gap)}")
    if any(ink.width(line, SMALL) > slot for line in figures):
        figures = [_short(line) for line in figures]  # many waves: the short forms fit
    names = ink.wrap(row.label, slot, WAVE, 2, hyphens=True)
    return names, [ink.fit(line, slot, SMALL) for line in figures]


def _under(axes: Axes, index: int, lines: list[tuple[str, Style]], first: int) -> None:
    """Lines under wave ``index`` from line number ``first``, one text per line so that
    every wave's lines share the same baselines."""
    for number, (line, style) in enumerate(lines, start=first):
        axes.annotate(
            line,
            (index, YMIN),
            xytext=(0, -6 - number * SMALL.size * 1.3),
            textcoords="offset points",
            ha="center",
            va="top",
            fontproperties=style.font,
            color=style.color,
            annotation_clip=False,
            parse_math=False,
        )


def _short(line: str) -> str:
    return line.replace(" = ", "=").replace("gap ", "").replace(" pts", "")


def _line(axes: Axes, rows: Sequence[Row], side: Side) -> None:
    dots = [row.dot(side) for row in rows]
    if not any(dots):
        return
    marker, colour, size = MARKERS[side]
    xs = list(range(len(rows)))
    ys = [dot.share.share * 100 if dot else math.nan for dot in dots]
    lows = [dot.interval[0] if dot else math.nan for dot in dots]
    highs = [dot.interval[1] if dot else math.nan for dot in dots]
    shown = [dot is not None for dot in dots]
    axes.fill_between(xs, lows, highs, where=shown, color=colour, alpha=0.14, linewidth=0)
    axes.vlines(xs, lows, highs, color=colour, linewidth=1.4, alpha=0.7, zorder=2)
    axes.plot(
        xs,
        ys,
        color=colour,
        linewidth=2.4,
        marker=marker,
        markersize=size,
        markeredgecolor="white",
        markeredgewidth=1.2,
        zorder=3,
    )


def _value_labels(axes: Axes, index: int, row: Row) -> None:
    """The higher share's label above its interval, the lower one's below: never crossing."""
    ordered = sorted(row.dots, key=lambda dot: dot.share.share, reverse=True)
    for rank, dot in enumerate(ordered):
        low, high = dot.interval
        above = rank == 0
        axes.annotate(
            dot.value,  # its n is under the axis
            (index, high if above else low),
            xytext=(0, LABEL_GAP if above else -LABEL_GAP),
            textcoords="offset points",
            ha="center",
            va="bottom" if above else "top",
            fontproperties=Style(VALUE.size, "bold").font,
            color=TEXT_COLOUR[dot.side],
            annotation_clip=False,
            parse_math=False,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.8, "lw": 0},
        )


def _note(axes: Axes, ink: Ink, index: int, note: str, slot: float) -> None:
    axes.text(
        index,
        50,
        "\n".join(ink.wrap(note, slot, NOTE, 4)),
        ha="center",
        va="center",
        fontproperties=NOTE.font,
        color=NOTE.color,
        parse_math=False,
        linespacing=1.2,
    )
