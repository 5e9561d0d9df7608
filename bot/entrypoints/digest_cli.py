"""``empathy digests …``: the run loop from a terminal or cron (tick, run) and its log and
previews (log, preview); it decides and posts nothing itself.

Register with ``cli.add_command(digests)``. Settings come from the main group's context
object when there is one, else from the environment. Failures are told by
:mod:`bot.errors.cli`, run alone or under ``empathy``.
"""

from __future__ import annotations

import shlex
import signal
import threading
from datetime import UTC, datetime
from types import FrameType

import click

from bot.errors.cli import TranslatingGroup
from bot.settings import Settings
from insights import Store
from insights.digests import (
    RunRecord,
    digest_text,
    iso_utc,
    next_digest,
    read_run_log,
    require_channel_subscription,
)
from insights.safe_text import printable


def _settings() -> Settings:
    found = click.get_current_context().find_object(Settings)
    return found if found is not None else Settings()


def _store(settings: Settings) -> Store:
    return Store.open(settings.database_path)


def _parse_now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 instant.") from None
    if parsed.tzinfo is None:
        raise click.BadParameter("give a time zone offset, e.g. 2026-03-30T07:00:00Z")
    return parsed.astimezone(UTC)


def _echo(records: list[RunRecord]) -> None:
    for record in records:
        click.echo(printable(record.describe()))


@click.group(cls=TranslatingGroup)
def digests() -> None:
    """Weekly digests in Slack channels: send what is due, run the scheduler, read its log."""


@digests.command()
@click.option("--now", "now_text", help="Pretend it is this instant (ISO 8601 with offset).")
def tick(now_text: str | None) -> None:
    """Send every digest due now and not yet sent for its week, then exit (for cron)."""
    from bot.slack.digest_sender import tick as run_tick

    settings = _settings()
    now = _parse_now(now_text)
    if not settings.can_post:
        raise click.ClickException(
            "Neither SLACK_BOT_TOKEN nor SLACK_CLIENT_ID/SECRET is set: digests cannot be posted."
        )
    store = _store(settings)
    try:
        records = run_tick(settings, now, store=store)
    finally:
        store.close()
    _echo(records)
    if not records:
        click.echo(f"Nothing due at {iso_utc(now)}.")


@digests.command()
def run() -> None:
    """Check for due digests every minute until stopped (the Procfile's worker)."""
    from bot.app import configure_logging
    from bot.slack.digest_sender import run_forever

    settings = _settings()
    if not settings.can_post:
        raise click.ClickException(
            "Neither SLACK_BOT_TOKEN nor SLACK_CLIENT_ID/SECRET is set: digests cannot be posted."
        )
    configure_logging(settings)
    _store(settings).close()  # migrate once, before the loop
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    click.echo("Digest scheduler running; stop with Ctrl-C or SIGTERM.")
    run_forever(settings, stop, on_tick=_echo)


@digests.command()
@click.option("--limit", default=50, show_default=True, help="How many recent lines to show.")
@click.option("--team", help="Only this workspace id.")
def log(limit: int, team: str | None) -> None:
    """Show the scheduler's run log: sent, skipped, missed and failed, with reasons."""
    store = _store(_settings())
    try:
        records = read_run_log(store, limit, team)
    finally:
        store.close()
    _echo(records)
    if not records:
        click.echo("No digest runs yet.")


@digests.command()
@click.argument("channel")
@click.option("--team", help="Workspace id (default: DEFAULT_TEAM_ID).")
def preview(channel: str, team: str | None) -> None:
    """Print the digest CHANNEL's subscription would send now, as text (sends nothing)."""
    settings = _settings()
    store = _store(settings)
    try:
        sub = require_channel_subscription(store, team or settings.default_team_id, channel)
        digest = next_digest(store, sub, settings.min_group_size)
    finally:
        store.close()
    chart = " · with chart (posted in the digest's thread)" if sub.chart else ""
    click.echo(f"# {sub.schedule.describe()} · status {sub.status}{chart}")
    drill_down = f"empathy ask {shlex.quote(digest.query)}"
    click.echo(printable(digest_text(digest, drill_down=drill_down)), nl=False)
