"""Charts of findings as PNG bytes, for Slack uploads and the CLI.

Pure functions of the findings model: no Slack, no files, no pyplot (its global state is
not thread-safe, and the web process is threaded). Each returns a ``Chart``: the PNG, an
alt text that states the same numbers, a title and a file name.

* ``gap_chart``: a dumbbell per theme. Gap themes show a personal and an organization dot
  joined by a line, the gap in points beside; single-perspective (organization-only)
  themes are kept as one black diamond, so "gap" and its chart list the same themes.
* ``breakdown_chart``: the same dumbbell for one theme, the "All" row first, then each
  group; a suppressed group is a grey row that shows no number at all.
* ``trend_chart``: each side's share per wave as a line with its 95% band.
* ``change_chart``: a two-wave trend for a ``ChangeReport`` (before, then after), with
  the change and its test in the footnote.

Every chart states its survey, wave, filters and bases, marks bases under 30 with †, and
draws 95% Wilson intervals. Colours are Okabe–Ito (blue personal, vermillion
organization) and the markers differ in shape, so the charts survive colour blindness and
greyscale. The same input gives the same bytes.
"""

from insights.answers.charts._charts import (
    MAX_ROWS,
    Chart,
    breakdown_chart,
    change_chart,
    chart_for,
    gap_chart,
    trend_chart,
)

__all__ = [
    "MAX_ROWS",
    "Chart",
    "breakdown_chart",
    "change_chart",
    "chart_for",
    "gap_chart",
    "trend_chart",
]
