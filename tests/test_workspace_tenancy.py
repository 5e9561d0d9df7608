"""bot.slack.workspaces and the org list of bot.slack.oauth: which workspace a request speaks
for, by payload kind; which store team its authorization lets it use; and which workspaces an
org-wide install serves, as Slack last listed them (the end-to-end checks are in
tests/e2e/test_org_wide_tenancy.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from slack_bolt import BoltContext

from bot.slack import oauth
from bot.slack.oauth import InstallationStore
from bot.slack.workspaces import Refusal, authorized_store_team, request_workspace

ORG, HQ, BRANCH, BETA = "EGLOBEX", "THQ", "TBRANCH", "TBETA"


def command(team_id: str) -> dict[str, Any]:
    return {"command": "/empathy", "team_id": team_id, "enterprise_id": ORG, "text": "gap"}


def event(team_id: str) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "team_id": team_id,
        "authorizations": [{"enterprise_id": ORG, "team_id": None, "is_enterprise_install": True}],
        "event": {"type": "app_mention", "user": "U1", "team": BETA},
    }


def interaction(
    team: Any, user_team: str, view_team: str | None = None, kind: str = "block_actions"
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind, "team": team, "user": {"id": "U1", "team_id": user_team}}
    if view_team is not None:
        body["view"] = {"id": "V1", "team_id": view_team}
    return body


def test_commands_and_events_speak_for_the_workspace_slack_names_at_the_top() -> None:
    assert request_workspace(command(HQ)) == HQ
    assert request_workspace(event(HQ)) == HQ  # not the user's workspace inside the event


def test_an_interaction_speaks_for_team_then_view_then_user() -> None:
    assert request_workspace(interaction({"id": HQ}, user_team=BETA)) == HQ
    assert request_workspace(interaction(HQ, user_team=BETA)) == HQ
    assert request_workspace(interaction(None, BETA, view_team=HQ, kind="view_submission")) == HQ
    assert request_workspace(interaction(None, user_team=BETA)) == BETA


def test_a_payload_naming_no_workspace_speaks_for_none() -> None:
    assert request_workspace({"command": "/empathy"}) is None
    assert request_workspace({"type": "block_actions", "team": None, "user": {"id": "U1"}}) is None
    assert request_workspace({"type": "block_actions", "team": {"id": ""}}) is None


def org_context() -> BoltContext:
    return BoltContext({"enterprise_id": ORG, "is_enterprise_install": True, "token": "xoxb-org"})


def workspace_context(team_id: str) -> BoltContext:
    return BoltContext({"team_id": team_id, "is_enterprise_install": False, "token": "xoxb-w"})


class Org:
    """Answers whether a workspace is one of the org's, recording what it was asked."""

    def __init__(self, *teams: str) -> None:
        self.teams = set(teams)
        self.asked: list[tuple[str, str, str | None]] = []

    def __call__(self, enterprise_id: str, team_id: str, token: str | None) -> bool:
        self.asked.append((enterprise_id, team_id, token))
        return enterprise_id == ORG and team_id in self.teams


def test_an_org_wide_install_serves_the_orgs_workspaces_each_under_its_own_key() -> None:
    org = Org(HQ, BRANCH)
    assert authorized_store_team(command(HQ), org_context(), org) == f"{ORG}:{HQ}"
    assert authorized_store_team(interaction(None, BRANCH), org_context(), org) == f"{ORG}:{BRANCH}"
    assert org.asked == [(ORG, HQ, "xoxb-org"), (ORG, BRANCH, "xoxb-org")]


def test_an_org_wide_install_refuses_a_workspace_outside_the_org() -> None:
    org = Org(HQ)
    for body in (command(BETA), event(BETA), interaction(None, user_team=BETA)):
        with pytest.raises(Refusal, match="not a workspace of the org-wide install"):
            authorized_store_team(body, org_context(), org)


def test_a_workspace_install_serves_its_own_workspace_only() -> None:
    never = Org()
    assert authorized_store_team(command(BETA), workspace_context(BETA), never) == BETA
    with pytest.raises(Refusal, match=f"authorized for workspace {BETA}"):
        authorized_store_team(command(HQ), workspace_context(BETA), never)
    with pytest.raises(Refusal, match="names no workspace"):
        authorized_store_team({"command": "/empathy"}, workspace_context(BETA), never)
    assert never.asked == []  # a workspace install never asks about orgs


class Slack:
    """Stands in for auth.teams.list: the org's workspaces now, or None (Slack unreachable)."""

    def __init__(self, *teams: str) -> None:
        self.teams: list[str] | None = list(teams)
        self.calls = 0

    def __call__(self) -> list[str] | None:
        self.calls += 1
        return None if self.teams is None else list(self.teams)


@pytest.fixture
def installations(tmp_path: Path) -> InstallationStore:
    store = InstallationStore(tmp_path / "empathy.db", "client")
    store.init()
    return store


def test_the_org_list_is_asked_once_then_read_from_the_database(
    installations: InstallationStore, tmp_path: Path
) -> None:
    slack = Slack(HQ, BRANCH)
    assert installations.org_serves(ORG, HQ, slack)
    assert installations.org_serves(ORG, BRANCH, slack)
    assert slack.calls == 1
    another_process = InstallationStore(tmp_path / "empathy.db", "client")
    assert another_process.org_serves(ORG, HQ, slack) and slack.calls == 1


def test_a_stranger_is_refused_and_asks_slack_at_most_once_per_interval(
    installations: InstallationStore,
) -> None:
    slack = Slack(HQ)
    assert installations.org_serves(ORG, HQ, slack)
    for _ in range(5):
        assert not installations.org_serves(ORG, BETA, slack)
    assert slack.calls == 1  # Slack answered moments ago


def test_a_newly_approved_workspace_is_served_once_slack_lists_it(
    installations: InstallationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack = Slack(HQ)
    assert installations.org_serves(ORG, HQ, slack)
    slack.teams = [HQ, BRANCH]
    monkeypatch.setattr(oauth, "ORG_TEAMS_REFRESH_SECONDS", 0.0)
    assert installations.org_serves(ORG, BRANCH, slack)
    assert slack.calls == 2
    slack.teams = [BRANCH]  # HQ's approval withdrawn: gone from the list at the next ask
    assert not installations.org_serves(ORG, BETA, slack)
    assert not installations.org_serves(ORG, HQ, slack)


def test_when_slack_cannot_say_nothing_is_stored_and_the_next_request_asks(
    installations: InstallationStore,
) -> None:
    slack = Slack(HQ)
    slack.teams = None
    assert not installations.org_serves(ORG, HQ, slack)
    slack.teams = [HQ]
    assert installations.org_serves(ORG, HQ, slack)
    assert slack.calls == 2


def test_uninstalling_the_org_forgets_its_workspaces(installations: InstallationStore) -> None:
    slack = Slack(HQ)
    assert installations.org_serves(ORG, HQ, slack)
    assert installations.org_serves("EOTHER", HQ, Slack(HQ))
    installations.forget(ORG, None)
    slack.teams = []
    assert not installations.org_serves(ORG, HQ, slack)  # asked again: Slack lists none now
    assert slack.calls == 2
    assert installations.org_serves("EOTHER", HQ, Slack())  # another org's list is kept
