"""Digest fixtures: the scriptable fake Slack (tests/fake_slack.py) on loopback, a demo
database, settings, and a way to run ``empathy digests …`` as the CLI runs it.

Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fake_slack import FakeSlack
from fake_slack import Scripted as Scripted  # the tests import it from here

from bot.entrypoints.digest_cli import digests
from bot.settings import Settings
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.schedule import parse_weekly
from insights.ingest.demo_loader import load_demo

BOT_TOKEN = "xoxb-test"
TEAM = "local"
CHANNEL = "CCXTEAM"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(BOT_TOKEN)
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo survey, built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "empathy.db"
    store = Store.open(path)
    load_demo(store, TEAM, actor="cli:test")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "empathy.db"
    path.write_bytes(demo_template.read_bytes())
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path)
    yield opened
    opened.close()


@pytest.fixture
def settings(db_path: Path, fake_slack: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=db_path,
        slack_bot_token=BOT_TOKEN,  # type: ignore[arg-type]
        slack_api_url=fake_slack.api_url,
        default_team_id=TEAM,
        admin_user_ids=[],
        default_timezone="UTC",
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def subscribe_channel(store: Store) -> Any:
    """Subscribe a channel directly in the store: (spec, created_at, channel, filters)."""

    def make(
        spec: str = "weekly monday 09:00 Europe/Berlin",
        created: str = "2026-03-28T00:00:00Z",
        channel: str = CHANNEL,
        query: str = "gap",
    ) -> subs.Subscription:
        schedule, _ = parse_weekly(spec, "UTC")
        return subs.subscribe(store, TEAM, channel, schedule, query, "UADMIN", utc(created))

    return make


@dataclass
class DigestsCli:
    """Runs ``empathy digests ARGS`` in-process, configured through the environment."""

    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str) -> Result:
        runner = CliRunner()
        previous = Path.cwd()
        os.chdir(self.cwd)  # no stray .env from the repository
        try:
            return runner.invoke(digests, list(args), env=self.env, catch_exceptions=False)
        finally:
            os.chdir(previous)

    def process(self, *args: str) -> subprocess.Popen[str]:
        """The same command in a separate OS process (its own database connection)."""
        code = (
            "from bot.entrypoints.digest_cli import digests; digests(prog_name='empathy digests')"
        )
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@pytest.fixture
def cli(tmp_path: Path, db_path: Path, fake_slack: FakeSlack) -> DigestsCli:
    env = {
        "DATABASE_PATH": str(db_path),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake_slack.api_url,
        "DEFAULT_TEAM_ID": TEAM,
        "ADMIN_USER_IDS": "",
        "DEFAULT_TIMEZONE": "UTC",
    }
    return DigestsCli(env, tmp_path)


@pytest.fixture
def client(fake_slack: FakeSlack) -> Any:
    from slack_sdk import WebClient

    return WebClient(base_url=fake_slack.api_url, token=BOT_TOKEN)
