"""The App Home tab's view: the latest wave's headline gaps, the workspace's digest
subscriptions, and how to ask (in Slack's words: ``/empathy``, a DM, the ``empathy`` CLI).
A pure function of the store: a Block Kit ``home`` view out, no Slack call
(:mod:`bot.slack.home` publishes it).

The figures come from the same ``ask`` every answer uses and are worded by the same
``insights.answers.render`` helpers, so the Home tab and ``/empathy gap`` never disagree.

Survey titles, theme and wave names, a subscription's query and a pause's reason are data:
each is escaped (``insights.safe_text.escape_mrkdwn``) where it joins a mrkdwn text, since
these texts also hold our own markup (``<#channel>`` links, bold, code).
"""

from __future__ import annotations

from typing import Any

from insights import Store, UserError, ask
from insights.answers import (
    EXAMPLES,
    MRKDWN,
    Context,
    GapReport,
    ThemeResult,
    figure,
    help_finding,
    list_surveys,
    verdict,
    whole,
)
from insights.blocks import MAX_SECTION_TEXT, Block, context, section
from insights.digests import Subscription, team_subscriptions
from insights.safe_text import clip, escape_mrkdwn

View = dict[str, Any]

CALLBACK_ID = "empathy_home"
MAX_BLOCKS = 100  # Slack refuses a view with more
MAX_HEADER = 150
MAX_THEMES = 40  # a section each; far beyond any real survey, but the view must still fit
NO_SURVEY = (
    "No survey has been imported for this workspace yet. An admin can import one:\n"
    "• type `/empathy import` in any channel and pick the export in the form,\n"
    "• send the export (CSV, TSV, TXT or XLSX) to me in a direct message, or\n"
    "• run `empathy import FILE --codebook CODEBOOK` where the bot runs"
    " (`empathy demo` loads the demo survey)."
)
NO_PAIRED_THEME = (
    "This survey has no theme with both a personal and an organization question,"
    " so there is no gap to show."
)
NO_SUBSCRIPTIONS = (
    "No channel gets a weekly digest yet. In a channel I am a member of, type"
    " `/empathy subscribe weekly monday 09:00` (add filters, or `chart` for its chart)."
)


def home_view(store: Store, team_id: str, *, min_group_size: int = 5) -> View:
    """The Home tab for ``team_id``: at most MAX_BLOCKS blocks, every text within limits."""
    blocks = [
        _header("Empathy Gap"),
        section(help_finding().intro or ""),
        _divider(),
        *headline_blocks(store, team_id, min_group_size),
        _divider(),
        *subscription_blocks(team_subscriptions(store, team_id)),
        _divider(),
        *how_to_ask_blocks(),
    ]
    return {"type": "home", "callback_id": CALLBACK_ID, "blocks": blocks[:MAX_BLOCKS]}


# -- headline gaps -------------------------------------------------------------------------


def headline_blocks(store: Store, team_id: str, min_group_size: int) -> list[Block]:
    """Every paired theme of the latest wave, or how to import when there is no survey."""
    if not list_surveys(store, team_id):
        return [_header("Headline gaps"), section(NO_SURVEY)]
    try:
        finding = ask(store, team_id, "gap", min_group_size=min_group_size).finding
    except UserError as error:  # e.g. the whole wave is below the minimum group size
        hint = f"\n{error.suggestion}" if error.suggestion else ""
        return [_header("Headline gaps"), section(escape_mrkdwn(error.message + hint))]
    if not isinstance(finding, GapReport):
        return []
    return report_blocks(finding)


def report_blocks(report: GapReport) -> list[Block]:
    """A header, the context, a section per paired theme (at most MAX_THEMES), a footer."""
    paired = [r for r in report.themes if r.is_gap]
    blocks = [
        _header(f"Headline gaps · latest wave {report.context.wave}"),
        context(_context_line(report.context)),
    ]
    blocks += [section(theme_text(r)) for r in paired[:MAX_THEMES]]
    if not paired:
        blocks.append(section(NO_PAIRED_THEME))
    hidden = len(paired) - MAX_THEMES
    singles = [r.theme for r in report.themes if not r.is_gap]
    footer = [*report.notes]
    if hidden > 0:
        footer.append(f"{hidden} more theme(s) not shown; ask `/empathy gap`.")
    if singles:
        footer.append(f"Also asked (single questions): {', '.join(singles)}.")
    footer.append("`/empathy gap` shows every theme; `/empathy segments` what to break it down by.")
    blocks.append(context(escape_mrkdwn(" ".join(footer))))
    return blocks


def theme_text(result: ThemeResult) -> str:
    """One paired theme: both sides with base and interval, the gap and its verdict."""
    assert result.personal is not None and result.organization is not None
    title = escape_mrkdwn(result.theme[:1].upper() + result.theme[1:])
    lines = [
        f"*{title}*",
        f"Personal: {figure(result.personal.share, MRKDWN)}",
        f"Organization: {figure(result.organization.share, MRKDWN)}",
    ]
    if result.gap is None:
        lines.append("Gap: not available (too few answers)")
    else:
        lines.append(
            f"Gap: *{whole(result.gap)} points* —"
            f" {escape_mrkdwn(verdict(result.test, result.adjustment))};"
            f" n = {result.paired_n} answered both"
        )
    return "\n".join(lines)


def _context_line(context: Context) -> str:
    return escape_mrkdwn(
        f"{context.survey_title} · survey {context.survey} · wave {context.wave}"
        f" · {context.filter_text} · n = {context.respondents}"
    )


# -- subscriptions -------------------------------------------------------------------------


def subscription_blocks(subscriptions: list[Subscription]) -> list[Block]:
    """The workspace's digests, one line each, in one section (trimmed with a count)."""
    lines = [subscription_line(sub) for sub in subscriptions]
    return [_header("Weekly digests"), section(_fit(lines) if lines else NO_SUBSCRIPTIONS)]


def subscription_line(sub: Subscription) -> str:
    line = f"• <#{sub.channel_id}> — {sub.schedule.describe()} · `{escape_mrkdwn(sub.gap_query)}`"
    if sub.chart:
        line += " · with chart"
    if sub.status == "paused":
        line += f" · *paused* ({escape_mrkdwn(sub.pause_reason or 'unknown')})"
    return line


def _fit(lines: list[str]) -> str:
    """As many whole lines as fit in a section, then how many were left out."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if len("\n".join([*kept, line])) > MAX_SECTION_TEXT - 60:
            return "\n".join([*kept, f"…and {len(lines) - index} more."])
        kept.append(line)
    return "\n".join(kept)


# -- how to ask ----------------------------------------------------------------------------


def how_to_ask_blocks() -> list[Block]:
    lines = [f"`{example}` — {meaning}" for example, meaning in EXAMPLES]
    intro = (
        "Type `/empathy` and a question in any channel, mention @Empathy in a thread,"
        " or send me a direct message. For example:"
    )
    return [
        _header("How to ask"),
        section(intro + "\n" + _fit(lines)),
        context("`/empathy help` lists everything I understand."),
    ]


# -- blocks --------------------------------------------------------------------------------


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER)}}


def _divider() -> Block:
    return {"type": "divider"}
