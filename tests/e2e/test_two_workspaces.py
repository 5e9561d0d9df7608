"""Two workspaces installed side by side through OAuth: each sees, changes and receives only
its own surveys, whatever it sends: commands, mentions, crafted buttons, App Home,
subscriptions, imports, forgetting a wave, the audit log and digests. Each is answered with
its own bot token.

Alpha has the demo survey (91% vs 36%); Beta a small survey "pulse" (Care: 100% vs 20%).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_slack import Call
from harness import (
    CLIENT_ID,
    CLIENT_SECRET,
    OAUTH_ENV,
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

from bot.settings import Settings
from bot.slack.digest_sender import tick
from bot.views.admin import ForgetTarget, forget_value
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.schedule import parse_weekly
from insights.ingest import pending as pending_imports
from insights.ingest.codebook import parse_codebook
from insights.ingest.demo_loader import load_demo
from insights.ingest.importer import import_file

ALPHA, BETA = "TALPHA", "TBETA"
ADMIN_A, ADMIN_B = "UADMINA", "UADMINB"
ALPHA_MARKS = ("Empathy in Action", "91%", "empathy-in-action")
# Beta's survey is named "pulse": its marks are the survey named as such and its wave, since
# the word alone is also an action (`pulse start`) every workspace's help lists.
BETA_MARKS = ("Tiny survey", "80 points", "survey pulse", "2026-Q1")


def beta_rows() -> str:
    """40 respondents: all agree personally, 8 say their organization does."""
    rows = []
    for i in range(40):
        organization = "Agree" if i < 8 else "Disagree"
        rows.append((f"r{i}", "ab"[i % 2], "xy"[i % 3 == 0], "Agree", organization, "Yes"))
    return rows_csv(rows)


@dataclass
class Two:
    web: WebProcess
    fake: SlackWithWorkspaces
    alpha: Workspace
    beta: Workspace
    a: SlackClient  # requests from Alpha
    b: SlackClient  # requests from Beta

    def store(self) -> Store:
        return Store.open(self.web.database)


@pytest.fixture(scope="module")
def two(
    tmp_path_factory: pytest.TempPathFactory, workspaces_fake: SlackWithWorkspaces
) -> Iterator[Two]:
    directory = tmp_path_factory.mktemp("two-workspaces")
    database = directory / "empathy.db"
    csv = directory / "pulse.csv"
    csv.write_text(beta_rows())
    store = Store.open(database)
    load_demo(store, ALPHA, actor="cli:test")
    codebook = parse_codebook(TINY_CODEBOOK, name="tiny.toml")
    import_file(
        store, csv, codebook, team_id=BETA, survey="pulse", wave="2026-Q1", actor="cli:test"
    )
    store.close()
    env = {**OAUTH_ENV, "ADMIN_USER_IDS": f"{ADMIN_A},{ADMIN_B}"}
    web = start_web(directory, workspaces_fake, database, env)
    alpha = workspaces_fake.add(ALPHA, "Alpha")
    beta = workspaces_fake.add(BETA, "Beta")
    install(web, workspaces_fake, alpha)
    install(web, workspaces_fake, beta)
    a = SlackClient(web.url, workspaces_fake, team_id=ALPHA)
    yield Two(web, workspaces_fake, alpha, beta, a, a.as_team(BETA))
    stop_web(web)


def ask(slack: SlackClient, text: str, **kwargs: Any) -> str:
    _, key = slack.command(text, **kwargs)
    return str(slack.fake.responded(key)["text"])


def only_alpha(text: str) -> None:
    assert all(mark not in text for mark in BETA_MARKS), text


def only_beta(text: str) -> None:
    assert all(mark not in text for mark in ALPHA_MARKS), text


def test_each_workspace_asks_its_own_survey(two: Two) -> None:
    alpha = ask(two.a, "gap")
    assert "91%" in alpha and "36%" in alpha
    only_alpha(alpha)
    beta = ask(two.b, "gap")
    assert "100%" in beta and "20%" in beta and "80 points" in beta
    only_beta(beta)

    only_alpha(ask(two.a, "surveys"))
    only_beta(ask(two.b, "surveys"))
    naming_the_other = ask(two.a, "gap survey pulse")
    assert "no survey 'pulse'" in naming_the_other
    only_alpha(naming_the_other.replace("'pulse'", ""))
    only_beta(ask(two.b, "gap survey empathy-in-action role=in-house").replace(ALPHA_MARKS[2], ""))


def test_mentions_and_threads_stay_in_their_workspace(two: Two) -> None:
    # The same channel id and thread in both: what one asked is no context for the other.
    channel, ts = "CSAMEID", "1700500000.000100"
    two.a.mention("gap by role", channel=channel, ts=ts)
    [first] = two.fake.posted_in(channel, ts)
    assert two.fake.owner(first) is two.alpha
    assert "91%" in first.payload["text"] or "In-house" in first.payload["text"]
    only_alpha(first.payload["text"])

    two.b.mention("and for consultants?", channel=channel, ts="1700500001.000100", thread_ts=ts)
    [_, follow_up] = two.fake.posted_in(channel, ts, 2)
    assert two.fake.owner(follow_up) is two.beta
    only_beta(json.dumps(follow_up.payload))


def test_crafted_buttons_never_reach_the_other_workspace(two: Two) -> None:
    key = two.a.unique("drill")
    two.a.click("digest_drill_down", "empathy_digest", "gap survey pulse", key)
    drilled = two.fake.responded(key)
    assert "no survey 'pulse'" in drilled["text"]
    only_alpha(json.dumps(drilled).replace("'pulse'", ""))

    key = two.b.unique("share")
    two.b.click("share_in_channel", "empathy_share", "q:gap role=In-house", key)
    shared = two.fake.responded(key)
    only_beta(json.dumps(shared))
    assert "72%" not in json.dumps(shared)


def open_home(slack: SlackClient, user: str) -> dict[str, Any]:
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    assert slack.event(event).status == 200
    [view] = slack.fake.published(user)
    return view


def test_app_home_shows_each_workspace_its_own(two: Two) -> None:
    alpha_view = json.dumps(open_home(two.a, "UHOMEA"))
    assert "*91%*" in alpha_view
    only_alpha(alpha_view)
    beta_view = json.dumps(open_home(two.b, "UHOMEB"))
    assert "*100%*" in beta_view
    only_beta(beta_view)
    [publish_a] = [c for c in two.fake.by(two.alpha, "views.publish")]
    assert publish_a.payload["user_id"] == "UHOMEA"
    [publish_b] = [c for c in two.fake.by(two.beta, "views.publish")]
    assert publish_b.payload["user_id"] == "UHOMEB"


def test_a_workspace_cannot_see_or_cancel_the_others_subscription(two: Two) -> None:
    subscribe = "subscribe weekly monday 09:00 UTC"
    assert "Monday" in ask(two.b, subscribe, channel="CBETANEWS", user=ADMIN_B)
    assert "Monday" not in ask(two.a, "subscriptions", channel="CBETANEWS", user=ADMIN_A)
    ask(two.a, "unsubscribe", channel="CBETANEWS", user=ADMIN_A)
    store = two.store()
    try:
        assert subs.channel_subscription(store, BETA, "CBETANEWS") is not None
        assert subs.channel_subscription(store, ALPHA, "CBETANEWS") is None
        assert subs.channel_subscription(store, BETA, "CBETANEWS").status == "active"  # type: ignore[union-attr]
    finally:
        store.close()
    assert "Monday" in ask(two.b, "subscriptions", channel="CBETANEWS")


def oauth_settings(two: Two) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=two.web.database,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,  # type: ignore[arg-type]
        slack_api_url=two.fake.api_url,
    )


def test_each_digest_has_its_workspaces_numbers_and_is_posted_with_its_token(two: Two) -> None:
    schedule, _ = parse_weekly("weekly monday 09:00 Europe/Berlin", "UTC")
    created = subs.parse_iso("2026-03-28T00:00:00Z")
    store = two.store()
    try:
        subs.subscribe(store, ALPHA, "CALPHADIGEST", schedule, "gap", "UADMINA", created)
        subs.subscribe(store, BETA, "CBETADIGEST", schedule, "gap", "UADMINB", created)
    finally:
        store.close()

    records = tick(
        oauth_settings(two), subs.parse_iso("2026-03-30T07:00:00Z"), sleep=lambda _: None
    )
    assert sorted((r.channel_id, r.status) for r in records) == [
        ("CALPHADIGEST", "sent"),
        ("CBETADIGEST", "sent"),
    ]
    [alpha_digest] = two.fake.posts("CALPHADIGEST")
    assert two.fake.owner(alpha_digest) is two.alpha
    assert "91%" in json.dumps(alpha_digest.payload)
    only_alpha(json.dumps(alpha_digest.payload))
    [beta_digest] = two.fake.posts("CBETADIGEST")
    assert two.fake.owner(beta_digest) is two.beta
    assert "100%" in json.dumps(beta_digest.payload)
    only_beta(json.dumps(beta_digest.payload))


def pending_for_alpha(two: Two, directory: Path) -> str:
    store = two.store()
    try:
        pending = pending_imports.create(
            store,
            team_id=ALPHA,
            user_id=ADMIN_A,
            channel_id="DALPHAADMIN",
            thread_ts="1700600000.000100",
            file_name="alpha.csv",
            content=beta_rows().encode(),
            codebook=TINY_CODEBOOK,
            survey="alpha-upload",
            wave="w1",
        )
    finally:
        store.close()
    return pending.id


def confirm(slack: SlackClient, pending_id: str, user: str) -> None:
    values = {
        "import_survey": {"value": {"type": "plain_text_input", "value": "alpha-upload"}},
        "import_wave": {"value": {"type": "plain_text_input", "value": "w1"}},
    }
    ack = slack.submit_view("import_confirm_modal", values, user=user, private_metadata=pending_id)
    assert ack.status == 200


def surveys_of(two: Two, team: str) -> set[str]:
    store = two.store()
    try:
        rows = store.db.execute("SELECT name FROM surveys WHERE team_id = ?", [team]).fetchall()
    finally:
        store.close()
    return {str(row[0]) for row in rows}


def wait_until(check: Any, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_an_upload_of_one_workspace_cannot_be_imported_or_cancelled_by_the_other(
    two: Two, tmp_path: Path
) -> None:
    pending_id = pending_for_alpha(two, tmp_path)

    key = two.b.unique("imp")
    two.b.click("import_confirm", "empathy_import", pending_id, key, user=ADMIN_B)
    assert "alpha.csv" not in json.dumps(two.fake.responded(key))
    key = two.b.unique("cancel")
    two.b.click("import_cancel", "empathy_import", pending_id, key, user=ADMIN_B)
    assert "Cancelled" not in json.dumps(two.fake.responded(key))
    confirm(two.b, pending_id, ADMIN_B)
    [told] = two.fake.posted_in(f"D{ADMIN_B}", None)  # the submitter is told, by DM
    assert two.fake.owner(told) is two.beta

    confirm(two.a, pending_id, ADMIN_A)  # still there for Alpha
    assert wait_until(lambda: "alpha-upload" in surveys_of(two, ALPHA))
    assert "alpha-upload" not in surveys_of(two, BETA)
    only_beta(ask(two.b, "surveys").replace("pulse", ""))
    assert "alpha-upload" not in ask(two.b, "surveys")
    assert "alpha-upload" not in ask(two.b, "audit", user=ADMIN_B)
    assert "alpha-upload" in ask(two.a, "audit", user=ADMIN_A)


def test_a_forget_button_cannot_delete_the_other_workspaces_wave(two: Two) -> None:
    store = two.store()
    try:
        [(wave_id,)] = store.db.execute(
            "SELECT w.id FROM waves w JOIN surveys s ON s.id = w.survey_id"
            " WHERE s.team_id = ? AND s.name = 'pulse'",
            [BETA],
        ).fetchall()
    finally:
        store.close()
    betas_button = forget_value(ForgetTarget(BETA, "pulse", "2026-Q1", int(wave_id)))
    forged = forget_value(ForgetTarget(ALPHA, "pulse", "2026-Q1", int(wave_id)))
    for value in (betas_button, forged):
        key = two.a.unique("forget")
        two.a.click("forget_wave_delete", "empathy_forget", value, key, user=ADMIN_A)
        reply = json.dumps(two.fake.responded(key))
        assert "nothing was deleted" in reply or "no wave" in reply.lower(), reply
    assert "80 points" in ask(two.b, "gap")  # Beta's wave is intact

    asked = ask(two.a, "forget wave 2026-Q1", user=ADMIN_A)
    assert "2026-Q1" in asked and "pulse" not in asked


def test_no_call_was_made_with_the_wrong_token(two: Two) -> None:
    def team_of(call: Call) -> str | None:
        owner = two.fake.owner(call)
        return owner.team_id if owner else None

    api_calls = [
        c for c in two.fake.calls if c.path.startswith("/api/") and c.method != "oauth.v2.access"
    ]
    assert api_calls and all(team_of(c) in (ALPHA, BETA) for c in api_calls)
    assert all(c.ok for c in api_calls if c.method == "auth.test")


def test_a_payload_naming_another_workspace_than_its_authorization_is_ignored(
    two: Two,
) -> None:
    """Shared channels can deliver an event for one installation that names another
    workspace: it is dropped rather than answered with one's token and the other's data."""
    channel, ts = "CSHARED", "1700900000.000100"
    envelope = event_callback(
        mention_event("gap", channel=channel, ts=ts),
        team_id=ALPHA,
        authorized=(BETA, two.beta.bot_user_id),
        event_id=two.a.unique("Ev"),
    )
    assert two.a.post(json.dumps(envelope).encode(), "application/json").status == 200
    assert wait_until(lambda: "Refusing a request from workspace TALPHA" in two.web.log_text())
    assert two.fake.posts(channel) == []
