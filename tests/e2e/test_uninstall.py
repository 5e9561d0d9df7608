"""Uninstalling: ``app_uninstalled`` and ``tokens_revoked`` delete that workspace's tokens
and pause its digests; its later requests are refused politely (never answered with a stale
token, never a crash); the other workspace carries on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fake_slack import WAIT_SECONDS
from harness import (
    OAUTH_ENV,
    SlackClient,
    SlackWithWorkspaces,
    WebProcess,
    Workspace,
    install,
    installed_tokens,
    start_web,
    stop_web,
)

from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.schedule import parse_weekly
from insights.ingest.demo_loader import load_demo

STAYS, LEAVES, REVOKES = "TSTAYS", "TLEAVES", "TREVOKES"


@dataclass
class Site:
    web: WebProcess
    fake: SlackWithWorkspaces
    teams: dict[str, Workspace]

    def slack(self, team: str) -> SlackClient:
        return SlackClient(self.web.url, self.fake, team_id=team)

    def subscription(self, team: str) -> subs.Subscription | None:
        store = Store.open(self.web.database)
        try:
            return subs.channel_subscription(store, team, f"C{team}")
        finally:
            store.close()


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, workspaces_fake: SlackWithWorkspaces
) -> Iterator[Site]:
    directory = tmp_path_factory.mktemp("uninstall")
    database = directory / "empathy.db"
    store = Store.open(database)
    schedule, _ = parse_weekly("weekly monday 09:00 UTC", "UTC")
    for team in (STAYS, LEAVES, REVOKES):
        load_demo(store, team, actor="cli:test")
        since = subs.parse_iso("2026-01-01T00:00:00Z")
        subs.subscribe(store, team, f"C{team}", schedule, "gap", "UADMIN", since)
    store.close()
    web = start_web(directory, workspaces_fake, database, OAUTH_ENV)
    teams = {team: workspaces_fake.add(team, team.title()) for team in (STAYS, LEAVES, REVOKES)}
    for workspace in teams.values():
        install(web, workspaces_fake, workspace)
    yield Site(web, workspaces_fake, teams)
    stop_web(web)


def lifecycle_event(slack: SlackClient, event: dict[str, Any]) -> None:
    assert slack.event(event).status == 200


def paused_soon(site: Site, team: str) -> subs.Subscription:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = site.subscription(team)
        assert found is not None
        if found.status == "paused" or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_app_uninstalled_forgets_the_workspace_and_pauses_its_digests(site: Site) -> None:
    leaves = site.teams[LEAVES]
    site.fake.revoke(leaves)  # Slack revokes the tokens, then tells the app
    lifecycle_event(site.slack(LEAVES), {"type": "app_uninstalled"})

    paused = paused_soon(site, LEAVES)
    assert paused.status == "paused" and paused.pause_reason == "app uninstalled"
    assert LEAVES not in installed_tokens(site.web.database)
    assert site.subscription(STAYS).status == "active"  # type: ignore[union-attr]
    assert STAYS in installed_tokens(site.web.database)

    # A late request from the uninstalled workspace: refused politely, no stale token used.
    before = len(site.fake.by(leaves))
    _, key = site.slack(LEAVES).command("gap")
    assert "no longer installed" in site.fake.responded(key)["text"]
    channel, ts = "CLATE", "1700700000.000100"
    assert site.slack(LEAVES).mention("gap", channel=channel, ts=ts).status == 200
    assert len(site.fake.by(leaves)) == before
    assert "Traceback" not in site.web.log_text()

    # The other workspace is unaffected.
    _, key = site.slack(STAYS).command("gap")
    assert "91%" in site.fake.responded(key)["text"]

    # A repeated event changes nothing and breaks nothing.
    lifecycle_event(site.slack(LEAVES), {"type": "app_uninstalled"})
    assert site.subscription(LEAVES).pause_reason == "app uninstalled"  # type: ignore[union-attr]


def test_revoked_bot_tokens_are_forgotten_and_digests_paused(site: Site) -> None:
    revokes = site.teams[REVOKES]
    site.fake.revoke(revokes)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [revokes.bot_user_id]}}
    lifecycle_event(site.slack(REVOKES), event)

    paused = paused_soon(site, REVOKES)
    assert paused.status == "paused" and paused.pause_reason == "Slack tokens revoked"
    assert REVOKES not in installed_tokens(site.web.database)
    assert site.subscription(STAYS).status == "active"  # type: ignore[union-attr]


def test_revoked_user_tokens_alone_change_nothing(site: Site) -> None:
    stays = site.teams[STAYS]
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["USOMEONE"], "bot": []}}
    lifecycle_event(site.slack(STAYS), event)
    _, key = site.slack(STAYS).command("gap")
    assert "91%" in site.fake.responded(key)["text"]
    assert installed_tokens(site.web.database)[STAYS] == stays.token
    assert site.subscription(STAYS).status == "active"  # type: ignore[union-attr]


def test_reinstalling_brings_the_workspace_back(site: Site) -> None:
    leaves = site.teams[LEAVES]
    install(site.web, site.fake, leaves)
    _, key = site.slack(LEAVES).command("gap")
    assert "91%" in site.fake.responded(key)["text"]
    _, key = site.slack(LEAVES).command("subscriptions", channel=f"C{LEAVES}")
    listing = site.fake.responded(key)
    assert "app uninstalled" in listing["text"]  # paused until someone subscribes again


def test_uninstalling_an_org_wide_install_pauses_every_workspace_of_the_org(site: Site) -> None:
    org = site.fake.add("TORGWIDE", "Initech", enterprise_id="EINITECH", org_wide=True)
    install(site.web, site.fake, org)
    schedule, _ = parse_weekly("weekly monday 09:00 UTC", "UTC")
    since = subs.parse_iso("2026-01-01T00:00:00Z")
    store = Store.open(site.web.database)
    try:
        for key in ("EINITECH:TW1", "EINITECH:TW2"):
            subs.subscribe(store, key, f"C{key}", schedule, "gap", "UADMIN", since)
    finally:
        store.close()
    assert "EINITECH" in installed_tokens(site.web.database)

    site.fake.revoke(org)
    from_org = site.slack("TW1").as_team("TW1", enterprise_id="EINITECH", org_wide=True)
    lifecycle_event(from_org, {"type": "app_uninstalled"})

    for key in ("EINITECH:TW1", "EINITECH:TW2"):
        found = paused_soon(site, key)
        assert found.status == "paused" and found.pause_reason == "app uninstalled"
    assert "EINITECH" not in installed_tokens(site.web.database)
    assert site.subscription(STAYS).status == "active"  # type: ignore[union-attr]
