"""Drawing primitives shared by every chart: palette, fonts, text fitting, PNG output.

Everything is placed in pixels on a fixed-width sheet so the layout is computed, not
guessed: no pyplot, no tight_layout, no rcParams. A chart therefore looks the same in
any process (whatever style another library set) and the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

DPI = 150
WIDTH = 1200  # pixels; Slack shows it full width on a phone
MARGIN = 30  # pixels on the left and right of the sheet
FONT = "DejaVu Sans"  # ships with matplotlib, so glyph widths never depend on the host

# Okabe–Ito colours stay distinct for the common colour-vision deficiencies; markers differ
# too, so a greyscale print still tells the sides apart.
PERSONAL = "#0072B2"
ORGANIZATION = "#D55E00"
SINGLE = "#000000"
# Darker shades of the same hues for text: vermillion on white is below 4.5:1 contrast.
PERSONAL_TEXT = "#005A8C"
ORGANIZATION_TEXT = "#A64A00"
INK = "#222222"
MUTED = "#666666"
SUPPRESSED = "#888888"
CONNECTOR = "#A0A0A0"
BAND = "#F3F3F3"
SUPPRESSED_BAND = "#E9E9E9"
GRID = "#DDDDDD"

# Matplotlib documents no thread-safety for drawing (font and text-layout caches are shared
# between figures), and the web process is threaded: one chart is drawn at a time. A chart
# takes well under a second, so queuing costs little.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Style:
    size: float  # points
    weight: str = "normal"
    color: str = INK
    italic: bool = False

    @property
    def font(self) -> FontProperties:
        return FontProperties(
            family=FONT,
            size=self.size,
            weight=self.weight,
            style="italic" if self.italic else "normal",
        )

    @property
    def line_px(self) -> float:
        """Height of one line of this text, with leading, in pixels."""
        return self.size * 1.3 * DPI / 72


TITLE = Style(15, "bold")
BODY = Style(12)
LABEL = Style(12, "bold")
SMALL = Style(11, color=MUTED)
VALUE = Style(11)
NOTE = Style(11, color=MUTED, italic=True)


class Ink:
    """Measures text as Agg will draw it, to wrap and truncate before anything is placed."""

    def __init__(self) -> None:
        # backend_agg ships no type hints; the calls below are its documented renderer API.
        self._renderer = RendererAgg(16, 16, DPI)  # type: ignore[no-untyped-call]
        self._widths: dict[tuple[str, Style], float] = {}  # measuring is the slow part

    def width(self, text: str, style: Style) -> float:
        """Width in pixels (mathtext off: a '$' in a theme name is just a dollar sign)."""
        key = (text, style)
        if key not in self._widths:
            measured = self._renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
                text, style.font, False
            )
            self._widths[key] = float(measured[0])
        return self._widths[key]

    def fit(self, text: str, width: float, style: Style) -> str:
        """``text``, cut with an ellipsis if it is wider than ``width`` pixels."""
        if self.width(text, style) <= width:
            return text
        shortest, longest = 0, len(text) - 1  # binary search for the longest prefix that fits
        while shortest < longest:
            middle = (shortest + longest + 1) // 2
            if self.width(text[:middle].rstrip() + "…", style) <= width:
                shortest = middle
            else:
                longest = middle - 1
        return text[:shortest].rstrip() + "…"

    def wrap(
        self, text: str, width: float, style: Style, max_lines: int, hyphens: bool = False
    ) -> list[str]:
        """Greedy wrap into at most ``max_lines``, breaking at spaces (and after hyphens if
        asked, for wave labels such as '2021-pilot'); the last line takes the rest and is
        cut if need be."""
        where = r"\s+|-(?=\S)" if hyphens else r"\s+"
        breaks = [m.end() for m in re.finditer(where, text)] + [len(text)]
        lines: list[str] = []
        start = 0
        while start < len(text) and len(lines) < max_lines:
            later = [b for b in breaks if b > start]
            fitting = [b for b in later if self.width(text[start:b].strip(), style) <= width]
            if len(lines) == max_lines - 1:
                end = len(text)  # the last line takes the rest; fit() cuts it below
            elif fitting:
                end = fitting[-1]
            else:
                end = later[0]  # a word wider than a line gets one of its own, cut
            lines.append(text[start:end].strip())
            start = end
        return [self.fit(line, width, style) for line in lines if line] or [""]


class Sheet:
    """A figure addressed in pixels from its top-left corner."""

    def __init__(self, height: float) -> None:
        self.height = round(height)
        self.figure = Figure(figsize=(WIDTH / DPI, self.height / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(self.figure)

    def x(self, px: float) -> float:
        return px / WIDTH

    def y(self, px_from_top: float) -> float:
        return 1 - px_from_top / self.height

    def text(
        self, x: float, y: float, text: str, style: Style, ha: str = "left", va: str = "top"
    ) -> None:
        self.figure.text(
            self.x(x),
            self.y(y),
            text,
            fontproperties=style.font,
            color=style.color,
            ha=ha,
            va=va,
            parse_math=False,
            linespacing=1.2,
        )

    def lines(self, x: float, y: float, lines: list[str], style: Style) -> float:
        """Draws ``lines`` one under the other from ``y``; returns the y below them."""
        for line in lines:
            self.text(x, y, line, style)
            y += style.line_px
        return y

    def axes(self, left: float, top: float, width: float, height: float) -> Axes:
        box = (self.x(left), self.y(top + height), width / WIDTH, height / self.height)
        return self.figure.add_axes(box)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # No "Software" chunk (it names the matplotlib version): same input, same bytes.
        canvas = self.figure.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        # print_png, not savefig: savefig would apply the process's rcParams["savefig.*"].
        canvas.print_png(buffer, metadata={"Software": None})  # type: ignore[no-untyped-call]
        return buffer.getvalue()


def drawing() -> threading.Lock:
    """Hold this while building and drawing a chart (see ``_DRAWING``)."""
    return _DRAWING


def slug(*parts: str) -> str:
    """'empathy-gap-2022-by-region' from ('empathy gap', '2022', 'by region')."""
    words = unicodedata.normalize("NFKD", "-".join(p for p in parts if p))
    ascii_only = words.encode("ascii", "ignore").decode()  # 'Zürich' → 'Zurich'
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_only.casefold()).strip("-")
    if len(cleaned) > 100:  # cut at a word, not inside one
        cleaned = cleaned[:101].rsplit("-", 1)[0]
    return cleaned or "chart"


def tick_fonts(axes: Axes, style: Style) -> None:
    """Tick labels in the chart's own font rather than whatever rcParams says."""
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontproperties(style.font)
        label.set_color(style.color)


def bare(axes: Axes) -> None:
    """No frame except a light baseline: the data carries the chart."""
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(GRID)
    axes.tick_params(length=0, pad=6)
