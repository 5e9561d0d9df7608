"""What a gap alert says: a wave compared with its survey's previous wave, theme by theme,
with the same test as ``gap … vs`` (:meth:`Engine.change`), Holm-adjusted across the themes
tested, and the alert's text and Block Kit forms (never when or how it is sent: that is
:mod:`insights.digests.alerts`' and the edge sender's).

Only changes significant after the adjustment are named; the figures are those the engine
shows, so privacy (``min_group_size``) holds as for any answer. Theme and wave names and the
survey's title are data: every mrkdwn line is escaped as it is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from insights.answers.catalog import Catalog, WaveRef, load_catalog
from insights.answers.engine import Engine
from insights.answers.findings import ChangeReport, Context, ThemeChange, ThemeResult
from insights.answers.query import Query
from insights.answers.render import Message, change_points
from insights.answers.stats import format_p, percent, whole
from insights.blocks import Block, context, section
from insights.errors import UserError
from insights.safe_text import escape_mrkdwn
from insights.store.columns import counts_for
from insights.store.database import Store

TITLE = "The empathy gap moved"


@dataclass(frozen=True)
class Alert:
    """The themes that moved significantly between two waves of a survey, as ``gap … vs``
    shows them: ``moved`` are significant after Holm's adjustment across ``tested``."""

    context: Context
    previous_wave: str
    previous_respondents: int
    moved: tuple[ThemeChange, ...]
    tested: int
    query: str  # the canonical `gap survey S wave W vs P` that shows the whole comparison


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing a wave with its predecessor: an alert, or why not."""

    alert: Alert | None
    reason: str = ""


def compare_wave(store: Store, team_id: str, wave_id: int, min_group_size: int) -> Comparison:
    """Compare the wave with its survey's previous wave, theme by theme (``Engine.change``).

    Raises a ``UserError`` when the wave cannot be read (e.g. gone since it was listed)."""
    catalog = _catalog_of_wave(store, team_id, wave_id)
    wave = next(w for w in catalog.waves if w.id == wave_id)
    earlier = [w for w in catalog.waves if w.ordinal < wave.ordinal]
    if not earlier:
        return Comparison(None, "the survey's first wave: nothing to compare with")
    previous = max(earlier, key=lambda w: w.ordinal)
    report = Engine(counts_for(store), catalog, min_group_size).change(wave, previous)
    return _comparison(report, catalog, wave, previous)


def _catalog_of_wave(store: Store, team_id: str, wave_id: int) -> Catalog:
    row = store.db.execute(
        "SELECT s.name FROM waves w JOIN surveys s ON s.id = w.survey_id"
        " WHERE w.id = ? AND s.team_id = ?",
        [wave_id, team_id],
    ).fetchone()
    if row is None:
        raise UserError("The wave was forgotten before it could be compared.")
    return load_catalog(store, team_id, str(row[0]))


def _comparison(
    report: ChangeReport, catalog: Catalog, wave: WaveRef, previous: WaveRef
) -> Comparison:
    tested = sum(1 for change in report.changes if change.test is not None)
    moved = tuple(c for c in report.changes if c.change is not None and c.significant)
    if not moved:
        plural = "s" if tested != 1 else ""
        return Comparison(None, f"nothing moved significantly ({tested} theme{plural} tested)")
    query = Query(
        command="gap", survey=catalog.survey.name, wave=wave.label, versus=previous.label
    ).canonical()
    alert = Alert(
        report.context, report.previous_wave, report.previous_respondents, moved, tested, query
    )
    return Comparison(alert)


def _moved_line(change: ThemeChange, alert: Alert, bold: bool) -> str:
    """'Necessity: gap 55 → 40 pts (-15 pts); wave 2021: 90% personal vs 35% organization,
    n = 60; wave 2022: …; difference of paired gaps, p = 0.004, Holm-adjusted …'."""
    name = change.theme[:1].upper() + change.theme[1:]
    label = f"*{name}*" if bold else name
    before, after = change.before, change.after
    waves = (
        f"wave {alert.previous_wave}: {_figures(before)};"
        f" wave {alert.context.wave}: {_figures(after)}"
    )
    assert change.change is not None and change.test is not None
    if after.is_gap:
        assert before.gap is not None and after.gap is not None
        moved = f"gap {whole(before.gap)} → {whole(after.gap)} pts"
    else:
        moved = "share agreeing"
    test = f"{change.test.method}, {format_p(change.test.p_value)}"
    if change.adjustment is not None and change.adjustment.tests > 1:
        test += (
            f", Holm-adjusted across {change.adjustment.tests} themes:"
            f" {format_p(change.adjustment.p_value)}"
        )
    return f"• {label}: {moved} ({change_points(change.change)}); {waves}; {test}"


def _figures(result: ThemeResult) -> str:
    """One wave's shown figures with their base: both sides and the pairs, or the share."""
    if result.is_gap:
        assert result.personal and result.organization
        p, o = result.personal.share, result.organization.share
        assert p is not None and o is not None
        return (
            f"{percent(p.share)}% personal vs {percent(o.share)}% organization,"
            f" n = {result.paired_n}"
        )
    assert result.single is not None and result.single.share is not None
    share = result.single.share
    return f"{percent(share.share)}% agreeing, n = {share.n}"


def _summary(alert: Alert) -> str:
    count = len(alert.moved)
    themes = "theme" if alert.tested == 1 else "themes"
    return (
        f"Wave {alert.context.wave} against wave {alert.previous_wave}: {count} of"
        f" {alert.tested} {themes} moved significantly."
    )


def _method_note(alert: Alert) -> str:
    correction = (
        f" Holm-adjusted across the {alert.tested} themes tested, so the chance of any false"
        " alert stays under 5%."
        if alert.tested > 1
        else ""
    )
    return (
        "Each theme is tested as `vs` tests it: the waves are independent samples, a gap's"
        " change has the MOVER interval of the two waves' paired intervals and the p-value"
        f" read from it.{correction}"
    )


def _context_line(alert: Alert) -> str:
    c = alert.context
    return (
        f"{c.survey_title} · survey {c.survey} · wave {c.wave} (n = {c.respondents})"
        f" vs {alert.previous_wave} (n = {alert.previous_respondents})"
    )


def alert_text(alert: Alert, *, drill_down: str | None = None) -> str:
    """The alert as plain text; ``drill_down`` is how the edge's people ask its query."""
    lines = [TITLE, _context_line(alert), "", _summary(alert)]
    lines += [_moved_line(change, alert, bold=False) for change in alert.moved]
    lines += ["", _method_note(alert)]
    if drill_down:
        lines.append(f"Whole comparison: {drill_down}")
    return "\n".join(lines) + "\n"


def render_alert(alert: Alert, *, drill_down: str | None = None) -> Message:
    """The alert for Slack: Block Kit (every line of survey text escaped) and its text."""
    moved = "\n".join(_moved_line(change, alert, bold=True) for change in alert.moved)
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": TITLE}},
        context(escape_mrkdwn(_context_line(alert))),
        section(escape_mrkdwn(f"{_summary(alert)}\n{moved}")),
        context(escape_mrkdwn(_method_note(alert))),
    ]
    text = escape_mrkdwn(alert_text(alert, drill_down=drill_down))
    return Message(text=text, blocks=blocks)
