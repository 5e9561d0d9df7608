"""Installing the app in a workspace through OAuth, end to end: the install page, Slack's
redirect back with a code (exchanged with the fake's ``oauth.v2.access``), the installation
in the SQLite file, requests answered with that workspace's token, token rotation, and every
way the redirect can be wrong."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from harness import (
    CLIENT_ID,
    CLIENT_SECRET,
    OAUTH_ENV,
    REPO,
    SlackClient,
    SlackWithWorkspaces,
    WebProcess,
    browse,
    finish_install,
    install,
    installed_tokens,
    start_install,
    start_web,
    stop_web,
)

from bot.settings import BOT_SCOPES
from insights import Store
from insights.ingest.demo_loader import load_demo

ACME = "TACME"


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, workspaces_fake: SlackWithWorkspaces
) -> Iterator[WebProcess]:
    """A web process with OAuth settings only (no SLACK_BOT_TOKEN); Acme's survey loaded."""
    directory = tmp_path_factory.mktemp("oauth-web")
    database = directory / "empathy.db"
    store = Store.open(database)
    load_demo(store, ACME, actor="cli:test")
    store.close()
    web = start_web(directory, workspaces_fake, database, OAUTH_ENV)
    yield web
    stop_web(web)


def ask(slack: SlackClient, text: str = "gap") -> str:
    _, key = slack.command(text)
    return str(slack.fake.responded(key)["text"])


def test_the_install_page_links_to_slack_with_a_one_time_state(site: WebProcess) -> None:
    start = start_install(site)
    assert "Add to Slack" in start.page.body
    assert start.page.header("Cache-Control") == "no-store"
    url = urlsplit(start.authorize_url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://slack.com/oauth/v2/authorize"
    query = parse_qs(url.query)
    assert query["client_id"] == [CLIENT_ID]
    assert set(query["scope"][0].split(",")) == set(BOT_SCOPES)
    assert start.cookie == f"slack-app-oauth-state={start.state}"
    assert start_install(site).state != start.state  # one per visit


def test_an_install_stores_the_token_and_that_workspace_is_answered_with_it(
    site: WebProcess, workspaces_fake: SlackWithWorkspaces
) -> None:
    acme = workspaces_fake.add(ACME, "Acme")
    page = install(site, workspaces_fake, acme)
    assert "installed in <b>Acme</b>" in page.body
    assert "Expires=Thu, 01 Jan 1970" in (page.header("Set-Cookie") or "")  # cookie dropped

    [exchange] = [c for c in workspaces_fake.api("oauth.v2.access") if c.payload.get("code")]
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert exchange.headers["Authorization"] == f"Basic {basic}"
    assert installed_tokens(site.database) == {ACME: acme.token}

    slack = SlackClient(site.url, workspaces_fake, team_id=ACME)
    answer = ask(slack)
    assert "91%" in answer and "36%" in answer  # Acme's own (demo) survey
    channel, ts = slack.unique("C"), "1700200000.000100"
    assert slack.mention("gap by role", channel=channel, ts=ts).status == 200
    [reply] = workspaces_fake.posted_in(channel, ts)
    assert reply.headers["Authorization"] == f"Bearer {acme.token}"
    assert workspaces_fake.by(acme, "auth.test")  # Bolt checked the stored token


def test_a_redirect_without_the_install_pages_state_is_refused(
    site: WebProcess, workspaces_fake: SlackWithWorkspaces
) -> None:
    stranger = workspaces_fake.add("TSTRANGER", "Stranger")
    exchanges = len(workspaces_fake.api("oauth.v2.access"))

    missing = browse(site, "/slack/oauth_redirect?" + urlencode({"code": "x"}))
    assert missing.status == 400 and "Start again" in missing.body
    assert 'href="/slack/install"' in missing.body

    start = start_install(site)
    other_browser = browse(
        site,
        "/slack/oauth_redirect?" + urlencode({"code": "x", "state": start.state}),
        cookie="slack-app-oauth-state=someone-else",
    )
    assert other_browser.status == 400

    forged = browse(
        site,
        "/slack/oauth_redirect?" + urlencode({"code": "x", "state": "forged"}),
        cookie="slack-app-oauth-state=forged",
    )
    assert 400 <= forged.status < 500 and "expired or was already used" in forged.body

    assert len(workspaces_fake.api("oauth.v2.access")) == exchanges  # Slack never asked
    assert "TSTRANGER" not in installed_tokens(site.database)
    assert stranger.tokens == []


def test_a_state_works_once(site: WebProcess, workspaces_fake: SlackWithWorkspaces) -> None:
    once = workspaces_fake.add("TONCE", "Once")
    start = start_install(site)
    assert finish_install(site, start, workspaces_fake.grant(once)).status == 200
    replay = finish_install(site, start, workspaces_fake.grant(once))
    assert 400 <= replay.status < 500 and "expired or was already used" in replay.body
    assert len(once.tokens) == 1


def test_a_code_slack_refuses_or_a_cancelled_install_installs_nothing(
    site: WebProcess, workspaces_fake: SlackWithWorkspaces
) -> None:
    refused = finish_install(site, start_install(site), "code-slack-never-issued")
    assert 400 <= refused.status < 500 and "did not accept" in refused.body

    start = start_install(site)
    cancelled = browse(
        site,
        "/slack/oauth_redirect?" + urlencode({"error": "access_denied", "state": start.state}),
        cookie=start.cookie,
    )
    assert cancelled.status == 200 and "cancelled" in cancelled.body
    assert "code-slack-never-issued" not in str(installed_tokens(site.database))


def test_malformed_install_requests_get_a_4xx(
    site: WebProcess, workspaces_fake: SlackWithWorkspaces
) -> None:
    slack = SlackClient(site.url, workspaces_fake)
    assert slack.post(b"", "text/plain", path="/slack/install", signed=False).status == 405
    long = browse(site, "/slack/oauth_redirect?state=" + "x" * 5000)
    assert long.status == 414
    weird = browse(site, "/slack/oauth_redirect?%zz=%%&state")
    assert 400 <= weird.status < 500


def test_an_expiring_token_is_refreshed_once_before_use(
    site: WebProcess, workspaces_fake: SlackWithWorkspaces
) -> None:
    """Slack's refresh tokens work once: concurrent requests (two worker processes, eight
    request threads each) must refresh the token once, and all be answered with the new one."""
    rotor = workspaces_fake.add("TROTOR", "Rotor", expires_in=60)  # due: < 120 minutes
    install(site, workspaces_fake, rotor)
    first = rotor.token
    rotor.expires_in = 12 * 3600  # the refreshed token lives long
    store = Store.open(site.database)
    load_demo(store, "TROTOR", actor="cli:test")
    store.close()

    slack = SlackClient(site.url, workspaces_fake, team_id="TROTOR")
    channel = slack.unique("C")
    stamps = [f"17003000{i:02d}.000100" for i in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        acks = list(pool.map(lambda ts: slack.mention("gap", channel=channel, ts=ts), stamps))
    assert [a.status for a in acks] == [200] * 6
    replies = [workspaces_fake.posted_in(channel, ts)[0] for ts in stamps]

    [refresh] = workspaces_fake.refreshes()
    assert refresh.ok and refresh.payload["refresh_token"].startswith("xoxe-1-TROTOR-")
    assert len(rotor.tokens) == 2 and rotor.token != first
    assert {r.headers["Authorization"] for r in replies} == {f"Bearer {rotor.token}"}
    assert installed_tokens(site.database)["TROTOR"] == rotor.token

    later = slack.unique("C")
    slack.mention("gap", channel=later, ts="1700300100.000100")
    workspaces_fake.posted_in(later, "1700300100.000100")
    assert len(workspaces_fake.refreshes()) == 1  # not due any more


def test_an_org_wide_install_serves_each_workspace_of_the_org_its_own_data(
    site: WebProcess, workspaces_fake: SlackWithWorkspaces
) -> None:
    org = workspaces_fake.add(
        "TORGHQ", "Globex", enterprise_id="EGLOBEX", org_wide=True, teams=("TORGHQ", "TORGBRANCH")
    )
    install(site, workspaces_fake, org)
    assert installed_tokens(site.database)["EGLOBEX"] == org.token
    store = Store.open(site.database)
    load_demo(store, "EGLOBEX:TORGHQ", actor="cli:test")  # data of one workspace of the org
    store.close()

    hq = SlackClient(
        site.url, workspaces_fake, team_id="TORGHQ", enterprise_id="EGLOBEX", org_wide=True
    )
    assert "91%" in ask(hq)
    branch = hq.as_team("TORGBRANCH", enterprise_id="EGLOBEX", org_wide=True)
    empty = ask(branch)
    assert "No survey has been imported for this workspace" in empty
    assert "/empathy import" in empty and "--codebook" not in empty  # Slack's way, not the CLI's
    channel, ts = hq.unique("C"), "1700400000.000100"
    hq.mention("gap", channel=channel, ts=ts)
    [reply] = workspaces_fake.posted_in(channel, ts)
    assert reply.headers["Authorization"] == f"Bearer {org.token}"


def test_no_token_or_secret_reaches_the_log(site: WebProcess) -> None:
    log = site.log_text()
    assert "DEBUG" in log
    assert CLIENT_SECRET not in log
    assert "e2eWorkspaceToken" not in log and "e2eRefresh" not in log


def test_oauth_settings_win_over_a_bot_token(
    tmp_path: Path, workspaces_fake: SlackWithWorkspaces
) -> None:
    database = tmp_path / "empathy.db"
    store = Store.open(database)
    load_demo(store, "TNOTYET", actor="cli:test")
    store.close()
    both = {**OAUTH_ENV, "SLACK_BOT_TOKEN": "xoxb-9-9-e2eIgnoredBotToken"}
    web = start_web(tmp_path, workspaces_fake, database, both)
    try:
        deadline = time.monotonic() + 10
        while "SLACK_BOT_TOKEN is ignored" not in web.log_text():
            assert time.monotonic() < deadline, web.log_text()
            time.sleep(0.05)
        answer = ask(SlackClient(web.url, workspaces_fake, team_id="TNOTYET"))
        assert "no longer installed" in answer  # not answered with the ignored bot token
        assert not workspaces_fake.matching(
            lambda c: "e2eIgnoredBotToken" in c.headers.get("Authorization", "")
        )
    finally:
        stop_web(web)


def test_a_single_workspace_bot_has_no_install_pages(web: WebProcess) -> None:
    assert browse(web, "/slack/install").status == 404
    assert browse(web, "/slack/oauth_redirect?code=x&state=y").status == 404


def test_the_manifest_is_ready_for_oauth_installs() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text())
    [redirect] = manifest["oauth_config"]["redirect_urls"]
    assert redirect.endswith("/slack/oauth_redirect")
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES  # what installs ask
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_uninstalled", "tokens_revoked"} <= events
