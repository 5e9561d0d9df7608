"""Every admin-only action tried by someone who is not an admin, through the real web
process: refused with the same friendly :lock: message, and nothing changed. Then an admin
forgets a wave (with confirmation, across a restart), imports, subscribes, and reads it
all back in `/empathy audit`.

The web process runs with RESTRICT_SUBSCRIPTIONS=true and no ADMIN_USER_IDS: admins are
the workspace admins Slack names (users.info), and digests are still admins only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import harness as e2e
import pytest
from slack_sdk.models.blocks import Block

if TYPE_CHECKING:
    from harness import FakeSlack, ImportWeb, Upload, Uploads

ADMIN = "UWSADMIN"  # a workspace admin, as users.info says
LOCK = "Only the bot's admins and workspace admins can"
CSV = b"""id,team,value_personal,value_organization
1,north,Agree,Agree
2,north,Agree,Disagree
3,south,Disagree,Disagree
4,south,Agree,Agree
5,east,Agree,Disagree
"""
ADMIN_ENV = {"ADMIN_USER_IDS": "", "RESTRICT_SUBSCRIPTIONS": "true", "MAX_UPLOAD_MB": "1"}


@pytest.fixture(scope="module")
def admin_web(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack
) -> Iterator[ImportWeb]:
    """The demo survey, served by a web process of its own (these tests change its data)."""
    fake_slack.users[ADMIN] = {"is_admin": True, "tz": "Europe/Berlin"}
    directory = tmp_path_factory.mktemp("admin-web")
    web = e2e.start_web(directory, fake_slack, e2e.demo_database(directory), ADMIN_ENV)
    site: ImportWeb = e2e.ImportWeb(web, e2e.SlackClient(web.url, fake_slack))
    yield site
    e2e.stop_web(site.web)


@pytest.fixture
def site(admin_web: ImportWeb, fake_slack: FakeSlack) -> Uploads:
    uploads: Uploads = e2e.Uploads(fake_slack, admin_web)
    return uploads


def nobody(site: Uploads) -> str:
    """A fresh user Slack says is no admin (users.info gives only a time zone)."""
    return site.slack.unique("UNOBODY")


def state(site: Uploads) -> dict[str, int]:
    """What an admin action would change."""
    queries = {
        "surveys": "SELECT COUNT(*) FROM surveys",
        "waves": "SELECT COUNT(*) FROM waves",
        "respondents": "SELECT COUNT(*) FROM respondents",
        "pending": "SELECT COUNT(*) FROM pending_imports",
        "subscriptions": "SELECT COUNT(*) FROM subscriptions WHERE status = 'active'",
        "audit": "SELECT COUNT(*) FROM audit_log",
    }
    return {name: site.count(sql) for name, sql in queries.items()}


def assert_locked(payload: dict[str, Any]) -> None:
    assert payload["text"].startswith(LOCK), payload["text"]
    assert_valid_blocks(payload)
    assert ":lock:" in str(payload["blocks"])


def assert_valid_blocks(payload: dict[str, Any]) -> None:
    blocks = payload["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()


def command(site: Uploads, text: str, user: str, **kwargs: Any) -> dict[str, Any]:
    ack, key = site.slack.command(text, user=user, **kwargs)
    assert ack.status == 200
    reply = site.fake.responded(key)
    assert reply["response_type"] == "ephemeral"
    return reply


def button(payload: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in payload["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} in {payload['blocks']}")


def click(site: Uploads, element: dict[str, Any], user: str) -> dict[str, Any]:
    key = site.slack.unique("click")
    ack = site.slack.click(element["action_id"], "empathy_forget", element["value"], key, user=user)
    assert ack.status == 200
    return site.fake.responded(key)


def share_as_admin(site: Uploads, name: str) -> tuple[Upload, str]:
    upload = site.share(name, CSV, user=ADMIN)
    return upload, site.pending_id(site.reply(upload))


# --- not an admin ------------------------------------------------------------------------


def test_uploading_a_file_is_refused(site: Uploads, fake_slack: FakeSlack) -> None:
    before = state(site)
    upload = site.share("teams.csv", CSV, user=nobody(site))
    assert_locked(site.reply(upload))
    assert fake_slack.downloads(upload.url) == []
    assert state(site) == before


def test_the_import_command_opens_no_form(site: Uploads, fake_slack: FakeSlack) -> None:
    before = state(site)
    trigger = site.slack.unique("trig")
    assert_locked(command(site, "import", nobody(site), trigger_id=trigger))
    assert not fake_slack.matching(lambda c: c.payload.get("trigger_id") == trigger)
    assert state(site) == before


def test_the_import_button_and_both_forms_are_refused(site: Uploads, fake_slack: FakeSlack) -> None:
    upload, pending_id = share_as_admin(site, "admins.csv")
    before = state(site)
    user = nobody(site)

    key = site.slack.unique("click")
    trigger = site.slack.unique("trig")
    site.slack.click(
        "import_confirm", "empathy_import", pending_id, key, user=user, trigger_id=trigger
    )
    assert_locked(fake_slack.responded(key))
    assert not fake_slack.matching(lambda c: c.payload.get("trigger_id") == trigger)

    site.submit_import(pending_id, "hijacked", "w1", user=user)
    [refused] = fake_slack.posted_in(f"D{user}", None)  # privately, not in the admin's thread
    assert_locked(refused.payload)

    url = fake_slack.serve_file("mine.csv", CSV)
    file = {"id": "FNOBODY", "name": "mine.csv", "size": len(CSV), "url_private_download": url}
    values = {
        "import_file": {"file": {"type": "file_input", "files": [file]}},
        "import_survey": {"value": {"type": "plain_text_input", "value": "mine"}},
        "import_wave": {"value": {"type": "plain_text_input", "value": "w1"}},
    }
    site.slack.submit_view("import_upload_modal", values, user=user)
    refusals = fake_slack.posted_in(f"D{user}", None, 2)
    assert_locked(refusals[1].payload)
    assert fake_slack.downloads(url) == []

    assert state(site) == before  # the admin's upload is still pending, nothing imported
    assert len(fake_slack.matching(lambda c: c.payload.get("thread_ts") == upload.ts)) == 1


def test_forgetting_a_wave_is_refused_even_with_a_real_delete_button(site: Uploads) -> None:
    before = state(site)
    user = nobody(site)
    assert_locked(command(site, "forget wave 2022", user))

    # An admin's confirmation; its Delete clicked by someone else does nothing either.
    confirmation = command(site, "forget wave 2022", ADMIN)
    refused = click(site, button(confirmation, "forget_wave_delete"), user)
    assert_locked(refused)
    assert refused.get("replace_original") is False
    assert state(site) == before
    assert "2022" in command(site, "waves", user)["text"]

    cancelled = click(site, button(confirmation, "forget_wave_cancel"), ADMIN)
    assert cancelled["text"] == "Cancelled: nothing was deleted."
    assert cancelled["replace_original"] is True
    assert state(site) == before


def test_the_audit_log_is_refused(site: Uploads) -> None:
    before = state(site)
    reply = command(site, "audit", nobody(site))
    assert_locked(reply)
    assert "cli:" not in reply["text"] and "<@" not in str(reply["blocks"])
    assert state(site) == before


def test_restricted_subscriptions_are_refused(site: Uploads) -> None:
    channel = site.slack.unique("CDIGEST")
    subscribed = command(
        site, "subscribe weekly monday 09:00 Europe/Berlin", ADMIN, channel=channel
    )
    assert subscribed["text"].startswith("Subscribed")
    before = state(site)
    user = nobody(site)

    assert_locked(command(site, "unsubscribe", user, channel=channel))
    assert_locked(command(site, "subscribe weekly friday 16:00 UTC", user, channel=channel))
    other = site.slack.unique("COTHER")
    assert_locked(command(site, "subscribe weekly friday 16:00 UTC", user, channel=other))
    assert state(site) == before
    sql = "SELECT weekday FROM subscriptions WHERE channel_id = ? AND status = 'active'"
    store = site.site.store()
    try:
        assert store.db.execute(sql, [channel]).fetchall() == [(0,)]  # still Monday's
    finally:
        store.close()
    # Seeing the channel's digest needs no rights.
    assert "Monday" in command(site, "subscriptions", user, channel=channel)["text"]


# --- an admin ----------------------------------------------------------------------------


def test_an_admin_forgets_a_wave_imports_subscribes_and_reads_the_audit_log(
    site: Uploads, admin_web: ImportWeb, fake_slack: FakeSlack
) -> None:
    assert "2021-pilot" in command(site, "gap vs 2021-pilot", ADMIN)["text"]
    respondents = site.count("SELECT COUNT(*) FROM respondents")

    confirmation = command(site, "forget wave 2021-pilot", ADMIN)
    assert_valid_blocks(confirmation)
    text = confirmation["text"]
    assert "2021-pilot" in text and "empathy-in-action" in text and "120 respondents" in text
    delete = button(confirmation, "forget_wave_delete")
    assert delete["style"] == "danger" and delete["confirm"]["style"] == "danger"
    assert site.count("SELECT COUNT(*) FROM waves WHERE label = '2021-pilot'") == 1

    admin_web.restart(fake_slack)  # the button carries all it needs
    done = click(site, delete, ADMIN)
    assert done["replace_original"] is True
    assert (
        "Forgot wave '2021-pilot' of survey 'empathy-in-action': 120 respondents" in (done["text"])
    )
    assert site.count("SELECT COUNT(*) FROM waves WHERE label = '2021-pilot'") == 0
    assert site.count("SELECT COUNT(*) FROM respondents") == respondents - 120
    unknown = command(site, "gap vs 2021-pilot", ADMIN)["text"]
    assert "2021-pilot" in unknown and "%" not in unknown
    assert "91%" in command(site, "gap", ADMIN)["text"]  # wave 2022 is untouched
    again = click(site, delete, ADMIN)  # a second click finds nothing to delete
    assert "has no wave '2021-pilot'" in again["text"]

    upload, pending_id = share_as_admin(site, "teams.csv")
    site.click_import(upload, pending_id, user=ADMIN)
    site.submit_import(pending_id, "pulse", "2024", user=ADMIN)
    [_, summary] = site.replies(upload, 2)
    assert "Imported wave '2024' of survey 'pulse'" in summary.payload["text"]

    channel = site.slack.unique("CAUDIT").upper()  # Slack ids are upper case
    command(site, "subscribe weekly monday 09:00 Europe/Berlin", ADMIN, channel=channel)
    command(site, "unsubscribe", ADMIN, channel=channel)

    listing = command(site, "audit", ADMIN)
    assert_valid_blocks(listing)
    lines = listing["text"].splitlines()
    assert lines[0] == "Audit log, newest first:"
    newest = [line.split(" ", 1)[1] for line in lines[1:5]]
    assert newest == [
        f"{ADMIN} unsubscribed {channel}",
        f"{ADMIN} subscribed {channel} (weekly on Monday at 09:00 Europe/Berlin · gap)",
        f"{ADMIN} imported pulse/2024 (5 respondents from teams.csv)",
        f"{ADMIN} forgot empathy-in-action/2021-pilot (120 respondents deleted)",
    ]
    blocks = str(listing["blocks"])
    assert f"<@{ADMIN}> forgot `empathy-in-action/2021-pilot`" in blocks
    assert f"<#{channel}>" in blocks and "<!date^" in blocks
