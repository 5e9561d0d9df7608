"""The parts every chart shares: title, context line, legend on top; footnote underneath.

A ``Frame`` is wrapped to the sheet's width when it is made, so its height is known before
the figure is created and the sheet can be exactly as tall as its content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.lines import Line2D

from insights.answers.charts._canvas import (
    MARGIN,
    ORGANIZATION,
    PERSONAL,
    SINGLE,
    SMALL,
    TITLE,
    WIDTH,
    Ink,
    Sheet,
    Style,
)
from insights.answers.charts._rows import Side

TOP = 20
LEGEND = 50  # the legend's line, with room above it and below it
BOTTOM = 16
LEGEND_TEXT = Style(11)

MARKERS: dict[Side, tuple[str, str, float]] = {
    # side: (marker, colour, size in points); shapes differ so greyscale still reads. The
    # circle is drawn over the square: where both sides agree, the square's corners show.
    "personal": ("o", PERSONAL, 9.5),
    "organization": ("s", ORGANIZATION, 9.5),
    "single": ("D", SINGLE, 8),
}
NAMES: dict[Side, str] = {
    "personal": "Personal",
    "organization": "Organization",
    "single": "Organization question",
}


@dataclass(frozen=True)
class Frame:
    title: str
    subtitle: tuple[str, ...]
    footnote: tuple[str, ...]
    legend: tuple[Side, ...]
    legend_widths: tuple[float, ...]

    @property
    def header_height(self) -> float:
        return TOP + TITLE.line_px + len(self.subtitle) * SMALL.line_px + LEGEND

    @property
    def footer_height(self) -> float:
        return len(self.footnote) * SMALL.line_px + BOTTOM

    def draw_header(self, sheet: Sheet) -> None:
        sheet.text(MARGIN, TOP, self.title, TITLE)
        below = sheet.lines(MARGIN, TOP + TITLE.line_px, list(self.subtitle), SMALL)
        self._draw_legend(sheet, below + LEGEND / 2 + 4)

    def draw_footer(self, sheet: Sheet, top: float) -> None:
        sheet.lines(MARGIN, top, list(self.footnote), SMALL)

    def _draw_legend(self, sheet: Sheet, middle: float) -> None:
        x = float(MARGIN)
        for side, width in zip(self.legend, self.legend_widths, strict=True):
            marker, colour, size = MARKERS[side]
            sheet.figure.add_artist(
                Line2D(
                    [sheet.x(x + 9)],
                    [sheet.y(middle)],
                    marker=marker,
                    markersize=size,
                    color=colour,
                    markeredgecolor="white",
                    linestyle="none",
                    transform=sheet.figure.transFigure,
                )
            )
            sheet.text(x + 24, middle, NAMES[side], LEGEND_TEXT, va="center")
            x += 24 + width + 30


def make_frame(
    ink: Ink, title: str, subtitle: Sequence[str], footnote: str, legend: Sequence[Side]
) -> Frame:
    """Wraps the texts to the sheet: title on one line, the rest on as many as they need."""
    width = WIDTH - 2 * MARGIN
    lines = [line for part in subtitle for line in ink.wrap(part, width, SMALL, 3)]
    return Frame(
        title=ink.fit(title, width, TITLE),
        subtitle=tuple(lines),
        footnote=tuple(ink.wrap(footnote, width, SMALL, 6)),
        legend=tuple(legend),
        legend_widths=tuple(ink.width(NAMES[side], LEGEND_TEXT) for side in legend),
    )
