"""An org-wide install beside a separately installed workspace (issue 13, defect 6).

Globex is an Enterprise Grid org that installed the app org-wide for two of its workspaces,
HQ (with the demo survey: 91% vs 36%) and Branch (nothing imported); Beta installed it on
its own (the small survey "pulse": 100% vs 20%, an 80-point gap). Through a Slack Connect
channel, Globex's install receives payloads whose ``user.team_id`` is Beta's. Which
workspace a request speaks for is decided from the installation Slack's authorization
found and the org's workspaces as Slack lists them, never from what earlier bodies said:
Beta keeps its own answers, whichever worker process serves it, in whatever order.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from harness import (
    OAUTH_ENV,
    Response,
    SlackClient,
    SlackWithWorkspaces,
    WebProcess,
    Workspace,
    event_callback,
    install,
    mention_event,
    start_web,
    stop_web,
)
from support import TINY_CODEBOOK, rows_csv

from insights import Store
from insights.ingest.codebook import parse_codebook
from insights.ingest.demo_loader import load_demo
from insights.ingest.importer import import_file

ORG, HQ, BRANCH, BETA = "EGLOBEX", "TGLOBEXHQ", "TGLOBEXBRANCH", "TBETA"
BETA_GAP = "80 points"  # Beta's own answer to `gap`
NO_SURVEY = "No survey has been imported"
REFUSED = "Refusing a request"


def beta_rows() -> str:
    """40 respondents: all agree personally, 8 say their organization does."""
    rows = []
    for i in range(40):
        organization = "Agree" if i < 8 else "Disagree"
        rows.append((f"r{i}", "ab"[i % 2], "xy"[i % 3 == 0], "Agree", organization, "Yes"))
    return rows_csv(rows)


def surveys_database(directory: Path) -> Path:
    """HQ's data under the org-wide key ``EGLOBEX:TGLOBEXHQ``, Beta's under ``TBETA``."""
    database = directory / "empathy.db"
    csv = directory / "pulse.csv"
    csv.write_text(beta_rows())
    store = Store.open(database)
    try:
        load_demo(store, f"{ORG}:{HQ}", actor="cli:test")
        codebook = parse_codebook(TINY_CODEBOOK, name="tiny.toml")
        import_file(
            store, csv, codebook, team_id=BETA, survey="pulse", wave="2026-Q1", actor="cli:test"
        )
    finally:
        store.close()
    return database


@dataclass
class Site:
    web: WebProcess
    fake: SlackWithWorkspaces
    org: Workspace
    beta: Workspace

    @property
    def hq(self) -> SlackClient:
        return SlackClient(self.web.url, self.fake, team_id=HQ, enterprise_id=ORG, org_wide=True)

    @property
    def branch(self) -> SlackClient:
        return self.hq.as_team(BRANCH, enterprise_id=ORG, org_wide=True)

    @property
    def b(self) -> SlackClient:
        return SlackClient(self.web.url, self.fake, team_id=BETA)


def start_site(
    directory: Path, fake: SlackWithWorkspaces, workers: int
) -> tuple[WebProcess, Workspace, Workspace]:
    web = start_web(
        directory, fake, surveys_database(directory), {**OAUTH_ENV, "WEB_CONCURRENCY": str(workers)}
    )
    org = fake.workspaces.get(HQ) or fake.add(
        HQ, "Globex", enterprise_id=ORG, org_wide=True, teams=(HQ, BRANCH)
    )
    beta = fake.workspaces.get(BETA) or fake.add(BETA, "Beta")
    install(web, fake, org)
    install(web, fake, beta)
    return web, org, beta


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, workspaces_fake: SlackWithWorkspaces
) -> Iterator[Site]:
    """One worker process: every request below is served by the same process."""
    web, org, beta = start_site(tmp_path_factory.mktemp("org-wide"), workspaces_fake, workers=1)
    yield Site(web, workspaces_fake, org, beta)
    stop_web(web)


def ask(slack: SlackClient, text: str = "gap") -> str:
    _, key = slack.command(text)
    return str(slack.fake.responded(key)["text"])


def connect_click(
    slack: SlackClient, key: str, *, team: dict[str, Any] | None, user_team: str
) -> Response:
    """A Drill down click that reaches Globex's org-wide install from a Slack Connect channel:
    ``user.team_id`` is the clicking user's own workspace, ``team`` what Slack names (it may
    send none to an org-wide install)."""
    payload = {
        "type": "block_actions",
        "team": team,
        "enterprise": {"id": ORG, "name": "Globex"},
        "is_enterprise_install": True,
        "user": {"id": "UEXTERNAL", "team_id": user_team},
        "api_app_id": "AE2E",
        "token": "legacy-verification-token",
        "trigger_id": "7.8.9",
        "container": {"type": "message", "is_ephemeral": True},
        "channel": {"id": "CSHARED", "name": "shared"},
        "response_url": slack.fake.response_url(key),
        "actions": [
            {
                "type": "button",
                "action_id": "digest_drill_down",
                "block_id": "empathy_digest",
                "value": "gap",
                "action_ts": "1700000000.000100",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return slack.post(body, "application/x-www-form-urlencoded")


def through_org(slack: SlackClient, workspace: str) -> SlackClient:
    """Requests from ``workspace`` that Slack delivers to Globex's org-wide install."""
    return slack.as_team(workspace, enterprise_id=ORG, org_wide=True)


def never_answered(site: Site, key: str) -> bool:
    """Nothing reached response_url ``key`` (checked after a later request was answered,
    so an answer in progress would have had its time)."""
    return not site.fake.matching(lambda c: c.path == f"/respond/{key}")


def rows_naming(database: Path, *needles: str) -> list[tuple[str, str]]:
    """(table, column) of every text cell of the app's own tables that contains a needle."""
    found = []
    with closing(sqlite3.connect(database)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            for column in columns:
                for needle in needles:
                    hit = conn.execute(
                        f'SELECT 1 FROM "{table}" WHERE instr(CAST("{column}" AS TEXT), ?) LIMIT 1',
                        [needle],
                    ).fetchone()
                    if hit:
                        found.append((table, column))
    return found


def wait_for_log(web: WebProcess, text: str, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while text not in web.log_text():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_slack_connect_click_through_the_org_cannot_cut_beta_off_its_data(site: Site) -> None:
    """Defect 6: one click through the org-wide install naming Beta as the user's workspace
    made Beta's own `/empathy gap` answer "No survey has been imported" until a restart."""
    assert BETA_GAP in ask(site.b)  # before

    key = site.hq.unique("connect")
    ack = connect_click(site.hq, key, team=None, user_team=BETA)
    assert (ack.status, ack.body) == (200, "")

    beta_after = ask(site.b)
    assert BETA_GAP in beta_after and NO_SURVEY not in beta_after
    assert never_answered(site, key)
    assert wait_for_log(site.web, f"{REFUSED} from workspace {BETA}")
    assert rows_naming(site.web.database, f"{ORG}:{BETA}") == []  # nothing recorded for it

    # Naming an org workspace as ``team`` and Beta as the user's is answered as HQ's click:
    # HQ's own data, and still nothing about Beta.
    key = site.hq.unique("connect")
    assert connect_click(site.hq, key, team={"id": HQ}, user_team=BETA).status == 200
    answered = json.dumps(site.fake.responded(key))
    assert "91%" in answered and BETA_GAP not in answered
    assert BETA_GAP in ask(site.b)
    assert rows_naming(site.web.database, f"{ORG}:{BETA}") == []


def test_the_org_install_cannot_read_a_workspace_outside_the_org(site: Site) -> None:
    """A command or mention through the org-wide install naming Beta (not one of the org's
    workspaces) is refused: acked empty, logged, nothing answered or recorded."""
    outsider = through_org(site.hq, BETA)
    ack, key = outsider.command("gap")
    assert (ack.status, ack.body) == (200, "")

    channel, ts = site.hq.unique("C"), "1700700000.000100"
    event_id = site.hq.unique("Ev")
    assert outsider.mention("gap", channel=channel, ts=ts, event_id=event_id).status == 200

    assert BETA_GAP in ask(site.b)
    hq_reply = ask(site.hq)
    assert "91%" in hq_reply
    assert never_answered(site, key)
    assert site.fake.posts(channel) == []
    assert wait_for_log(site.web, f"{REFUSED} from workspace {BETA}")
    assert rows_naming(site.web.database, f"{ORG}:{BETA}", event_id) == []


def test_beta_cannot_read_an_org_workspace_through_its_own_install(site: Site) -> None:
    """The other way round: Beta's token never answers with an org workspace's data."""
    naming_hq = event_callback(
        mention_event("gap", channel="CSHAREDWITHBETA", ts="1700700100.000100"),
        team_id=HQ,
        enterprise_id=ORG,
        authorized=(BETA, site.beta.bot_user_id),
        event_id=site.b.unique("Ev"),
    )
    assert site.b.post(json.dumps(naming_hq).encode(), "application/json").status == 200
    assert BETA_GAP in ask(site.b)
    assert wait_for_log(site.web, f"{REFUSED} from workspace {HQ}")
    assert site.fake.posts("CSHAREDWITHBETA") == []


def test_each_workspace_of_the_org_is_served_its_own_data(site: Site) -> None:
    assert "91%" in ask(site.hq)
    assert NO_SURVEY in ask(site.branch)  # the org's other workspace has its own (empty) data

    # An org-wide install may get clicks without ``team``: the user's workspace, one of the
    # org's, is then where it happened.
    key = site.hq.unique("click")
    assert connect_click(site.hq, key, team=None, user_team=HQ).status == 200
    assert "91%" in json.dumps(site.fake.responded(key))

    channel, ts = site.hq.unique("C"), "1700700200.000100"
    site.hq.mention("gap", channel=channel, ts=ts)
    [reply] = site.fake.posted_in(channel, ts)
    assert reply.headers["Authorization"] == f"Bearer {site.org.token}"
    assert "91%" in reply.payload["text"]
    # Slack was asked which workspaces the org's install serves, with the org's token.
    listed = site.fake.by(site.org, "auth.teams.list")
    assert listed and all(call.ok for call in listed)


@pytest.fixture(scope="module")
def two_workers(
    tmp_path_factory: pytest.TempPathFactory, workspaces_fake: SlackWithWorkspaces
) -> Iterator[Site]:
    """A second web process with two worker processes, on a database of its own."""
    directory = tmp_path_factory.mktemp("org-wide-two-workers")
    web, org, beta = start_site(directory, workspaces_fake, workers=2)
    yield Site(web, workspaces_fake, org, beta)
    stop_web(web)


def test_answers_do_not_depend_on_order_or_worker(two_workers: Site) -> None:
    """Slack Connect clicks naming Beta interleaved with Beta's and HQ's own questions, many
    at once on two worker processes: every answer is the asker's own."""
    site = two_workers
    refused_keys: list[str] = []

    def hostile(_: int) -> str:
        key = site.hq.unique("connect")
        refused_keys.append(key)
        assert connect_click(site.hq, key, team=None, user_team=BETA).status == 200
        return "refused"

    def beta(_: int) -> str:
        return ask(site.b)

    def hq(_: int) -> str:
        return ask(site.hq)

    jobs = [hostile, beta, hq] * 8
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda job: (job.__name__, job(0)), jobs))
    for who, text in results:
        if who == "beta":
            assert BETA_GAP in text and NO_SURVEY not in text, text
        elif who == "hq":
            assert "91%" in text and BETA_GAP not in text, text
    assert BETA_GAP in ask(site.b)
    assert all(never_answered(site, key) for key in refused_keys)
    assert rows_naming(site.web.database, f"{ORG}:{BETA}") == []
