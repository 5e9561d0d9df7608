"""The ``empathy`` command: a thin adapter over the ``insights`` library.

Every command's failures are told by :mod:`bot.errors.cli`: a library error becomes a
one-paragraph message on stderr and the error's exit code; no traceback reaches the person
at the terminal.

Everything printed goes through ``_say``: names and labels come from imported files, and a
control character in them (an ANSI escape, a bell, a carriage return) is shown as a visible
escape, never obeyed by the terminal (``insights.safe_text.printable``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.entrypoints.digest_cli import digests
from bot.entrypoints.progress import progress_bar
from bot.errors.cli import TranslatingGroup, translated
from bot.model_reader import reader_from
from bot.routing.actions import ALERT_ACTIONS, CHANNEL_ACTIONS, IMPORT_ACTION, read_action
from bot.routing.forget import parse_forget
from bot.settings import Settings
from insights import Store, UserError, ask, top_misses
from insights.answers import MAX_MISSES_PER_TEAM, to_text
from insights.ingest import (
    FORMATS,
    Format,
    import_file,
    load_codebook,
    load_demo,
    open_export,
    suggest_codebook,
)
from insights.safe_text import printable
from insights.store import AUDIT_LIMIT, cli_actor, forget_wave, read_audit, wave_to_forget


def _say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` with its control characters made visible."""
    click.echo(printable(text), err=err, nl=nl)


# Every command already runs inside it (TranslatingGroup); ``with _translated()`` in a
# command marks where its library calls are, and changes nothing.
_translated = translated


def _open(settings: Settings) -> Store:
    with _translated():
        return Store.open(settings.database_path)


@click.group(cls=TranslatingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="empathy-gap")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Empathy Gap: how far organizational belief in customer empathy trails personal belief.

    Settings come from the environment and .env (see .env.example).
    """
    ctx.obj = Settings()


@cli.command()
@click.option("--team", help="Workspace id to load it for (default: DEFAULT_TEAM_ID).")
@click.pass_obj
def demo(settings: Settings, team: str | None) -> None:
    """Load the bundled synthetic demo survey into DATABASE_PATH (idempotent)."""
    store = _open(settings)
    team_id = team or settings.default_team_id
    with _translated():
        summaries = load_demo(store, team_id, actor=cli_actor())
    if not summaries:
        click.echo("The demo survey is already loaded; nothing changed.")
    for summary in summaries:
        _say(summary.describe())


_FORMAT = click.Choice(FORMATS)


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--codebook",
    "codebook_path",
    required=True,
    type=click.Path(path_type=Path),
    help="TOML or YAML codebook mapping the file's columns (`empathy codebook suggest`).",
)
@click.option("--survey", help="Survey name (default: the codebook's).")
@click.option("--wave", help="Wave label (default: the file name without extension).")
@click.option("--format", "format_", type=_FORMAT, help="Export layout (default: detected).")
@click.option("--include-previews", is_flag=True, help="Keep Qualtrics survey previews/tests.")
@click.option("--include-unfinished", is_flag=True, help="Keep responses marked unfinished.")
@click.option("--team", help="Workspace id to import for (default: DEFAULT_TEAM_ID).")
@click.pass_obj
def import_(
    settings: Settings,
    file: Path,
    codebook_path: Path,
    survey: str | None,
    wave: str | None,
    format_: Format | None,
    include_previews: bool,
    include_unfinished: bool,
    team: str | None,
) -> None:
    """Import a survey export (Qualtrics, SurveyMonkey, Google Forms, CSV/TSV/XLSX); all or
    nothing."""
    store = _open(settings)
    with _translated(), progress_bar(f"Importing {file.name}") as progress:
        codebook = load_codebook(codebook_path)
        team_id = team or settings.default_team_id
        summary = import_file(
            store,
            file,
            codebook,
            team_id=team_id,
            survey=survey,
            wave=wave,
            format=format_,
            include_previews=include_previews,
            include_unfinished=include_unfinished,
            progress=progress,
            limits=settings.export_limits,
            actor=cli_actor(),
            min_group_size=settings.min_group_size,
        )
    _say(summary.describe())


@cli.group()
def codebook() -> None:
    """Codebooks: how an export's columns map onto themes, scales and segments."""


@codebook.command("suggest")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--survey", help="Survey name to put in the codebook (default: from the file).")
@click.option("--format", "format_", type=_FORMAT, help="Export layout (default: detected).")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the codebook here instead of printing it.",
)
@click.pass_obj
def suggest(
    settings: Settings,
    file: Path,
    survey: str | None,
    format_: Format | None,
    output: Path | None,
) -> None:
    """Print a codebook inferred from an export, to review and pass to `empathy import`."""
    with _translated(), progress_bar(f"Reading {file.name}") as progress:
        export = open_export(file, format=format_, limits=settings.export_limits)
        suggestion = suggest_codebook(export, survey=survey, progress=progress)
    toml = suggestion.to_toml()
    if output is None:
        _say(toml, nl=False)  # TOML escapes control characters itself: printable keeps it
    else:
        output.write_text(toml, encoding="utf-8")
        _say(f"Wrote {output}; review it, then: empathy import {file} --codebook {output}")
    for note in suggestion.notes:
        _say(f"Review: {note}", err=True)


@cli.command(name="ask")
@click.argument("query", nargs=-1)
@click.option("--team", help="Workspace id to ask for (default: DEFAULT_TEAM_ID).")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also draw the answer as a PNG chart at this path.",
)
@click.pass_context
def ask_(
    ctx: click.Context, query: tuple[str, ...], team: str | None, chart_path: Path | None
) -> None:
    """Print exactly what `/empathy QUERY` would answer, as text.

    An action runs the command that does it here (`audit`, `misses`, `forget wave LABEL`);
    one that only Slack can do (subscribe, import from a form) names the command to use."""
    settings: Settings = ctx.obj
    text = " ".join(query)
    action = read_action(text)
    if action is not None:
        run_action(ctx, *action, team)
        return
    store = _open(settings)
    with _translated():
        reply = ask(
            store,
            team or settings.default_team_id,
            text,
            min_group_size=settings.min_group_size,
            reader=reader_from(settings),
        )
        chart = None
        if chart_path and reply.finding:
            # Loaded only when asked for: matplotlib takes half a second to import, which
            # every other command (an import among them) would otherwise pay.
            from insights.answers.charts import chart_for

            chart = chart_for(reply.finding)
    # reply.text is Slack's (mrkdwn-escaped); the terminal gets the same answer as plain text.
    _say(to_text(reply.finding) if reply.finding is not None else reply.text, nl=False)
    if reply.reading:
        _say(f"\n{printable(reply.reading)}")
    if chart_path and chart:
        chart_path.write_bytes(chart.png)
        _say(f"Chart written to {chart_path}: {chart.alt_text}", err=True)


def run_action(ctx: click.Context, action: str, text: str, team: str | None) -> None:
    """The command that does ``action`` at the terminal (whoever runs it owns the database,
    so is an admin), or, for one only Slack can do, a usage error naming what to use."""
    with _translated():
        if action == "audit":
            ctx.invoke(audit_, team=team, limit=AUDIT_LIMIT)
        elif action == "misses":
            ctx.invoke(misses_, team=team, limit=DEFAULT_MISSES)
        elif action == "forget":
            survey, label = parse_forget(text.partition(" ")[2])
            ctx.invoke(forget_wave_command, label=label, survey=survey, team=team, yes=False)
        elif action in ALERT_ACTIONS:
            raise UserError(
                "Gap alerts belong to a Slack channel: an admin types `/empathy alert when gap"
                " changes` (or `alerts off`) in it.",
                suggestion="Here, `empathy digests tick` sends the alerts of new waves.",
            )
        elif action in CHANNEL_ACTIONS:
            raise UserError(
                "Digests belong to a Slack channel: type `/empathy subscribe weekly monday"
                " 09:00` (or unsubscribe, subscriptions) in it.",
                suggestion="Here, `empathy digests log` shows what was sent and"
                " `empathy digests preview CHANNEL` what a channel would get.",
            )
        elif action == IMPORT_ACTION:
            raise UserError(
                "Import at the terminal with `empathy import FILE --codebook CODEBOOK`"
                " (`empathy codebook suggest FILE` writes a codebook to start from).",
                suggestion="In Slack, send the file to the bot in a direct message, or type"
                " `/empathy import`.",
            )


@cli.command()
@click.pass_obj
def console(settings: Settings) -> None:
    """Ask questions as you would in Slack, at a prompt (through the Slack listeners)."""
    from bot.entrypoints.console import run_console

    sys.exit(run_console(settings, sys.stdin, sys.stdout))


@cli.command()
@click.pass_obj
def socket(settings: Settings) -> None:
    """Run the Slack app in Socket Mode (needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN)."""
    from bot.entrypoints.socket import run_socket_mode

    sys.exit(run_socket_mode(settings))  # it says what is missing, if anything


@cli.command()
@click.pass_context
def start(ctx: click.Context) -> None:
    """Load the demo if the database is empty, then answer: Slack if configured, else a console."""
    settings: Settings = ctx.obj
    store = _open(settings)
    with _translated():
        summaries = load_demo(store, settings.default_team_id, actor=cli_actor())
    for summary in summaries:
        _say(summary.describe())
    store.close()
    if settings.slack_app_token and settings.slack_bot_token:
        ctx.invoke(socket)
    else:
        if settings.has_slack_credentials:
            click.echo("Slack tokens found: serve HTTP with the Procfile's web process.")
        ctx.invoke(console)


@cli.command(name="audit")
@click.option("--team", help="Workspace id to list for (default: DEFAULT_TEAM_ID).")
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=AUDIT_LIMIT,
    show_default=True,
    help="How many entries to show, newest first.",
)
@click.pass_obj
def audit_(settings: Settings, team: str | None, limit: int) -> None:
    """List who imported, replaced or forgot survey data and changed digests, and when."""
    store = _open(settings)
    with _translated():
        entries = read_audit(store, team or settings.default_team_id, limit)
    if not entries:
        click.echo("The audit log is empty.")
        return
    rows: list[tuple[str, ...]] = [("when (UTC)", "who", "action", "target", "detail")]
    for e in entries:
        shown = (e.at.replace("T", " ").removesuffix("Z"), e.actor, e.action, e.target, e.detail)
        # Made visible before measuring, so the columns line up with what is shown.
        rows.append(tuple(map(printable, shown)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[4]]).rstrip())


DEFAULT_MISSES = 10


@cli.command(name="misses")
@click.option("--team", help="Workspace id to list for (default: DEFAULT_TEAM_ID).")
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_MISSES_PER_TEAM),
    default=DEFAULT_MISSES,
    show_default=True,
    help="How many questions to show, most frequent first.",
)
@click.pass_obj
def misses_(settings: Settings, team: str | None, limit: int) -> None:
    """List the questions the bot could not answer, most often asked first (never who)."""
    store = _open(settings)
    with _translated():
        listing = top_misses(store, team or settings.default_team_id, limit)
    _say(to_text(listing), nl=False)


@cli.command(name="forget-wave")
@click.argument("label")
@click.option("--survey", help="Survey the wave belongs to (needed when several have it).")
@click.option("--team", help="Workspace id whose wave it is (default: DEFAULT_TEAM_ID).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def forget_wave_command(
    settings: Settings, label: str, survey: str | None, team: str | None, yes: bool
) -> None:
    """Delete every response of one wave (recorded in the audit log); asks first."""
    store = _open(settings)
    team_id = team or settings.default_team_id
    with _translated():
        wave = wave_to_forget(store, team_id, survey, label)
    if not yes:
        also = " It is the survey's only wave, so the survey goes too." if wave.last_wave else ""
        question = (
            f"Forget wave {wave.wave!r} of survey {wave.survey!r}: {wave.respondents}"
            f" respondent(s) and their answers, for everyone?{also}"
        )
        if not click.confirm(printable(question), default=False):
            click.echo("Nothing was deleted.")
            return
    with _translated():
        summary = forget_wave(
            store, team_id, wave.survey, wave.wave, actor=cli_actor(), wave_id=wave.wave_id
        )
    _say(summary.describe())


cli.add_command(digests)


def main() -> None:
    cli()
