"""The benchmark's chart: query latency against respondents (one panel per shape) and
against the number of segments (every shape at the largest size, in order of
segments), each design a line.

A design's latency at a point is the median time of its slowest question there: the one a
person waits longest for. The y axes are logarithmic (the designs differ by orders of
magnitude).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from benchmarks.measure import DESIGNS, Result

LABELS = {
    "engine": "this engine",
    "sql": "plain SQLite GROUP BY",
    "pandas": "naive pandas",
    "duckdb": "DuckDB as count source",
    "duckdb alone": "DuckDB alone",
}
WIDTH = {"linewidth": 2, "markersize": 7}
STYLES = {"engine": "-o", "sql": "--s", "pandas": "--^", "duckdb": "--D", "duckdb alone": ":v"}


def short(respondents: int) -> str:
    """10000 → 10k, 1000000 → 1M."""
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if respondents >= size and respondents % size == 0:
            return f"{respondents // size}{unit}"
    return f"{respondents:,}"


def slowest_ms(result: Result, design: str) -> float:
    return max(timing.median_ms for timing in result.timings[design].values())


def draw(results: list[Result], path: Path) -> None:
    """Writes the chart as a PNG to ``path`` (readable fonts, whatever the defaults)."""
    with matplotlib.rc_context({"font.size": 12}):
        figure = _figure(results)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=110)


def _figure(results: list[Result]) -> Figure:
    shapes = list(dict.fromkeys(r.shape for r in results))
    figure = Figure(figsize=(5.2 * (len(shapes) + 1), 5.4))
    axes = figure.subplots(1, len(shapes) + 1)
    for axis, shape in zip(axes, shapes, strict=False):
        points = sorted((r for r in results if r.shape == shape), key=lambda r: r.respondents)
        sizes = [r.respondents for r in points]
        for design in DESIGNS:
            axis.plot(sizes, [slowest_ms(r, design) for r in points], STYLES[design], **WIDTH)
        axis.set_xscale("log")
        axis.xaxis.set_minor_locator(NullLocator())
        axis.set_xticks(sizes, [short(n) for n in sizes])
        axis.set_title(f"{shape}: {points[0].segments} segments, {points[0].questions} questions")
        axis.set_xlabel("respondents per wave")
    largest = max(r.respondents for r in results)
    at_largest = [r for r in results if r.respondents == largest]
    by_shape = sorted(at_largest, key=lambda r: (r.segments, r.questions))
    axis = axes[-1]
    places = range(len(by_shape))
    for design in DESIGNS:
        axis.plot(places, [slowest_ms(r, design) for r in by_shape], STYLES[design], **WIDTH)
    axis.set_xticks(places, [f"{r.segments} segments\n({r.shape})" for r in by_shape])
    axis.set_xlim(-0.5, len(by_shape) - 0.5)
    axis.set_title(f"{largest:,} respondents: by number of segments")
    for axis in axes:
        axis.set_yscale("log")
        axis.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("slowest question, median (ms)")
    names = [LABELS[design] for design in DESIGNS]
    figure.legend(axes[0].get_lines(), names, loc="lower center", ncol=len(names), frameon=False)
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    return figure
