"""``/empathy import``: a modal with a file input; its submission becomes a pending import
offered in a DM; and an upload's Import button still works after the web process restarts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from harness import PULSE_CODEBOOK, PULSE_CSV

if TYPE_CHECKING:
    from harness import FakeSlack, ImportWeb, Uploads


def opened_view(fake_slack: FakeSlack, trigger: str) -> dict[str, Any]:
    [opened] = fake_slack.wait_for(
        lambda c: c.path == "/api/views.open" and c.payload.get("trigger_id") == trigger
    )
    view = opened.payload["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def test_the_command_opens_a_modal_with_a_file_input(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    trigger = uploads.slack.unique("trig")
    ack, key = uploads.slack.command("import", user="UADMIN", trigger_id=trigger)
    assert ack.status == 200
    view = opened_view(fake_slack, trigger)
    assert view["type"] == "modal" and view["callback_id"] == "import_upload_modal"
    [file_input] = [
        block["element"]
        for block in view["blocks"]
        if block["type"] == "input" and block["element"]["type"] == "file_input"
    ]
    assert file_input["max_files"] == 1
    assert set(file_input["filetypes"]) == {"csv", "tsv", "txt", "xlsx"}
    assert not fake_slack.matching(lambda c: c.path == f"/respond/{key}")


def test_a_non_admin_gets_no_modal(uploads: Uploads, fake_slack: FakeSlack) -> None:
    trigger = uploads.slack.unique("trig")
    _, key = uploads.slack.command("import", user="UBOB", trigger_id=trigger)
    reply = fake_slack.responded(key)
    assert reply["response_type"] == "ephemeral"
    assert "Only the bot's admins" in reply["text"]
    assert not fake_slack.matching(lambda c: c.payload.get("trigger_id") == trigger)


def test_the_modal_submission_offers_the_mapping_in_a_dm(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    url = fake_slack.serve_file("teams.csv", PULSE_CSV)
    user = uploads.slack.unique("UADM")
    fake_slack.users[user] = {"is_owner": True}
    file = {
        "id": "FMODAL",
        "name": "teams.csv",
        "filetype": "csv",
        "size": len(PULSE_CSV),
        "url_private": url,
        "url_private_download": url,
    }
    values = {
        "import_file": {"file": {"type": "file_input", "files": [file]}},
        "import_survey": {"value": {"type": "plain_text_input", "value": "pulse"}},
        "import_wave": {"value": {"type": "plain_text_input", "value": None}},
    }
    ack = uploads.slack.submit_view("import_upload_modal", values, user=user)
    assert ack.status == 200 and ack.body == ""  # an empty ack closes the modal

    [opened] = fake_slack.wait_for(
        lambda c: c.path == "/api/conversations.open" and c.payload.get("users") == user
    )
    assert opened.headers["Authorization"].startswith("Bearer xoxb-")
    [mapping] = fake_slack.posted_in(f"D{user}", None)
    text = mapping.payload["text"]
    assert "survey 'pulse', wave 'teams'" in text  # the form's survey; the file's name as wave
    pending_id = uploads.pending_id(mapping.payload)
    sql = "SELECT COUNT(*) FROM pending_imports WHERE id = ? AND user_id = ? AND thread_ts != ''"
    assert uploads.count_becomes(1, sql, pending_id, user)  # replies go in the mapping's thread

    # A codebook uploaded in that thread applies to this import.
    store = uploads.site.store()
    [(thread_ts,)] = store.db.execute(
        "SELECT thread_ts FROM pending_imports WHERE id = ?", [pending_id]
    ).fetchall()
    store.close()
    uploads.share(
        "pulse.toml",
        PULSE_CODEBOOK,
        user=user,
        channel=f"D{user}",
        thread_ts=thread_ts,
        filetype="toml",
    )
    [remapped] = fake_slack.posted_in(f"D{user}", thread_ts)
    assert "your codebook" in str(remapped.payload["blocks"])
    assert uploads.pending_id(remapped.payload) == pending_id


def test_an_import_button_works_after_a_restart(
    uploads: Uploads, import_web: ImportWeb, fake_slack: FakeSlack
) -> None:
    upload = uploads.share("restart.csv", PULSE_CSV)
    pending_id = uploads.pending_id(uploads.reply(upload))

    import_web.restart(fake_slack)  # nothing the button needs lived in the old process

    modal = uploads.click_import(upload, pending_id)
    assert modal["private_metadata"] == pending_id
    uploads.submit_import(pending_id, "restarted", "after")
    [_, summary] = uploads.replies(upload, 2)
    assert "Imported wave 'after' of survey 'restarted'" in summary.payload["text"]
    assert uploads.count("SELECT COUNT(*) FROM surveys WHERE name = 'restarted'") == 1
