"""An admin imports a survey export by sharing it with the bot in a DM: mapping, Import,
answers from the new data; Cancel; and a codebook of one's own. Through the real web process."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from typing import TYPE_CHECKING

import yaml
from harness import PULSE_CODEBOOK_BY_TEAM, PULSE_CSV
from openpyxl import Workbook

if TYPE_CHECKING:
    from harness import FakeSlack, Uploads


def qualtrics_csv(answers: list[tuple[str, str, str, str, str]]) -> bytes:
    """A Qualtrics CSV export: column ids, question texts and import ids, then responses
    (status, response id, role, personal answer, organization answer)."""
    meta = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId"]
    texts = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Response ID"]
    imports = ["startDate", "endDate", "status", "progress", "finished", "_recordId"]
    questions = {
        "Q1": "What is your role?",
        "Q2": "I personally believe customer empathy is necessary to improve the experience",
        "Q3": "My organization believes customer empathy is necessary to improve the experience",
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*meta, *questions])
    writer.writerow([*texts, *questions.values()])
    qids = [f"QID{n}" for n in range(1, len(questions) + 1)]
    writer.writerow([json.dumps({"ImportId": i}) for i in [*imports, *qids]])
    for n, (status, response, *rest) in enumerate(answers):
        start = f"2024-03-01 09:{n:02d}:00"
        writer.writerow([start, start, status, "100", "True", response, *rest])
    return out.getvalue().encode()


# Five real responses and a survey preview (left out): 4 of 5 personally agree (80%),
# 2 of 5 say their organization does (40%).
QUALTRICS = qualtrics_csv(
    [
        ("IP Address", "R_a1", "In-house", "Agree", "Agree"),
        ("IP Address", "R_a2", "In-house", "Strongly agree", "Disagree"),
        ("IP Address", "R_a3", "Consultant", "Agree", "Disagree"),
        ("IP Address", "R_a4", "In-house", "Agree", "Neither agree nor disagree"),
        ("IP Address", "R_a5", "Consultant", "Disagree", "Strongly agree"),
        ("Survey Preview", "R_p1", "In-house", "Strongly disagree", "Strongly disagree"),
    ]
)


def texts(payload: dict[str, object]) -> str:
    """Everything a message shows: its fallback text and its blocks."""
    return f"{payload.get('text')}\n{payload.get('blocks')}"


def test_an_admin_imports_an_upload_and_the_bot_answers_from_it(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    upload = uploads.share("CX pulse 2024.csv", QUALTRICS)
    mapping = uploads.reply(upload)
    shown = texts(mapping)
    assert "CX pulse 2024.csv" in shown and "Q2" in shown and "Q3" in shown
    assert "5 responses" in shown and "1 left out" in shown
    pending_id = uploads.pending_id(mapping)
    [download] = fake_slack.downloads(upload.url)
    assert download.headers["Authorization"] == "Bearer xoxb-1111-2222-e2eSecretBotToken"

    modal = uploads.click_import(upload, pending_id)
    assert modal["private_metadata"] == pending_id
    prefilled = {
        block["block_id"]: block["element"].get("initial_value")
        for block in modal["blocks"]
        if block["type"] == "input"
    }
    assert prefilled == {"import_survey": "cx-pulse-2024", "import_wave": "CX pulse 2024"}

    assert uploads.submit_import(pending_id, "pulse", "2024").status == 200
    [_, summary] = uploads.replies(upload, 2)
    assert "Imported wave '2024' of survey 'pulse'" in summary.payload["text"]
    assert "5 respondents" in summary.payload["text"]
    assert uploads.count("SELECT COUNT(*) FROM pending_imports") == 0

    _, key = uploads.slack.command("gap")
    answer = fake_slack.responded(key)["text"]
    assert "80%" in answer and "40%" in answer, answer


def test_an_own_codebook_replaces_the_suggested_mapping(uploads: Uploads) -> None:
    upload = uploads.share("teams.csv", PULSE_CSV)
    pending_id = uploads.pending_id(uploads.reply(upload))

    uploads.share(
        "pulse.toml",
        PULSE_CODEBOOK_BY_TEAM,
        channel=upload.channel,
        thread_ts=upload.ts,
        filetype="toml",
    )
    [_, replaced] = uploads.replies(upload, 2)
    shown = texts(replaced.payload)
    assert "your codebook" in shown
    assert "value_personal → business value (personal, scale agree)" in shown
    assert "team → segment team" in shown
    assert uploads.pending_id(replaced.payload) == pending_id  # the same upload, remapped
    assert (
        uploads.count(
            "SELECT COUNT(*) FROM pending_imports WHERE id = ? AND codebook = ? AND survey = ?",
            pending_id,
            PULSE_CODEBOOK_BY_TEAM.decode(),
            "pulse",
        )
        == 1
    )


def test_a_yaml_codebook_and_an_xlsx_export_work_too(uploads: Uploads) -> None:
    sheet = Workbook()
    rows = [line.split(",") for line in PULSE_CSV.decode().splitlines()]
    for row in rows:
        sheet.active.append(row)
    data = io.BytesIO()
    sheet.save(data)
    upload = uploads.share("teams.xlsx", data.getvalue(), filetype="xlsx")
    assert "5 responses" in texts(uploads.reply(upload))

    codebook = yaml.safe_dump(tomllib.loads(PULSE_CODEBOOK_BY_TEAM.decode())).encode()
    uploads.share(
        "pulse.yaml", codebook, channel=upload.channel, thread_ts=upload.ts, filetype="yaml"
    )
    [_, replaced] = uploads.replies(upload, 2)
    assert "value_organization → business value (organization, scale agree)" in texts(
        replaced.payload
    )


def test_an_invalid_codebook_is_explained_and_the_mapping_kept(uploads: Uploads) -> None:
    upload = uploads.share("teams.csv", PULSE_CSV)
    uploads.reply(upload)
    broken = PULSE_CODEBOOK_BY_TEAM.replace(b'positive = ["Agree"]', b'positive = ["Yes"]').replace(
        b'column = "team"', b'column = "squad"'
    )
    uploads.share(
        "pulse.toml", broken, channel=upload.channel, thread_ts=upload.ts, filetype="toml"
    )
    [_, problems] = uploads.replies(upload, 2)
    assert "'Yes'" in problems.payload["text"] or "Yes" in problems.payload["text"]
    assert "Nothing was imported" in problems.payload["text"]
    assert uploads.count("SELECT COUNT(*) FROM pending_imports WHERE codebook LIKE '%Yes%'") == 0


def test_a_codebook_outside_an_import_thread_is_explained(uploads: Uploads) -> None:
    upload = uploads.share("pulse.toml", PULSE_CODEBOOK_BY_TEAM, filetype="toml")
    reply = uploads.reply(upload)["text"]
    assert "upload the export first" in reply


def test_cancel_forgets_the_upload(uploads: Uploads, fake_slack: FakeSlack) -> None:
    upload = uploads.share("teams.csv", PULSE_CSV)
    pending_id = uploads.pending_id(uploads.reply(upload))
    key = uploads.slack.unique("cancel")
    uploads.slack.click(
        "import_cancel", "empathy_import", pending_id, key, user="UADMIN", channel=upload.channel
    )
    cancelled = fake_slack.responded(key)
    assert cancelled["replace_original"] is True  # the buttons go away with the mapping
    assert "Cancelled" in cancelled["text"]
    assert uploads.count("SELECT COUNT(*) FROM pending_imports WHERE id = ?", pending_id) == 0

    key = uploads.slack.unique("late")
    uploads.slack.click(
        "import_confirm", "empathy_import", pending_id, key, user="UADMIN", channel=upload.channel
    )
    assert "no longer waiting" in fake_slack.responded(key)["text"]


def test_a_broken_file_lists_its_problems_and_writes_nothing(uploads: Uploads) -> None:
    bad_rows = b"".join(
        f"{n},north,Maybe,Agree\n".encode() for n in range(6, 30)
    )  # 24 answers the scale does not know
    upload = uploads.share("broken.csv", PULSE_CSV + bad_rows)
    pending_id = uploads.pending_id(uploads.reply(upload))
    uploads.share(
        "pulse.toml",
        PULSE_CODEBOOK_BY_TEAM,
        channel=upload.channel,
        thread_ts=upload.ts,
        filetype="toml",
    )
    uploads.replies(upload, 2)
    before = uploads.count("SELECT COUNT(*) FROM respondents")
    waves = uploads.count("SELECT COUNT(*) FROM waves")

    uploads.submit_import(pending_id, "pulse", "broken")
    [*_, problems] = uploads.replies(upload, 3)
    text = problems.payload["text"]
    assert "Maybe" in text and "Nothing was imported" in text
    assert "Traceback" not in text and "reference" not in text
    assert uploads.count("SELECT COUNT(*) FROM respondents") == before
    assert uploads.count("SELECT COUNT(*) FROM waves") == waves
    # The upload stays pending: fix the codebook and import again.
    assert uploads.count("SELECT COUNT(*) FROM pending_imports WHERE id = ?", pending_id) == 1


def test_a_workspace_admin_may_upload_without_being_listed(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    fake_slack.users["UWSADMIN"] = {"is_admin": True}
    upload = uploads.share("teams.csv", PULSE_CSV, user="UWSADMIN")
    assert uploads.pending_id(uploads.reply(upload))


def test_a_retried_event_is_handled_once(uploads: Uploads, fake_slack: FakeSlack) -> None:
    event_id = uploads.slack.unique("EvUpload")
    upload = uploads.share("teams.csv", PULSE_CSV, event_id=event_id)
    uploads.reply(upload)
    uploads.share(  # Slack's retry: the very same event
        "teams.csv",
        PULSE_CSV,
        channel=upload.channel,
        ts=upload.ts,
        url=upload.url,
        event_id=event_id,
    )
    later = uploads.share("other.csv", PULSE_CSV, channel=upload.channel)  # a fresh event ...
    uploads.reply(later)  # ... is answered, so the retry had its chance to be too
    assert len(fake_slack.downloads(upload.url)) == 1
    assert len(fake_slack.matching(lambda c: c.payload.get("thread_ts") == upload.ts)) == 1


SLANG = b"id,mine,theirs\n1,nah,yep\n2,yep,nah\n3,yep,yep\n4,yep,nah\n5,nah,nah\n"
SLANG_CODEBOOK = b"""
[survey]
name = "slang"
respondent_id = "id"

[scales.slang]
labels = ["nah", "yep"]
positive = ["yep"]

[[questions]]
column = "mine"
theme = "empathy"
perspective = "personal"
scale = "slang"

[[questions]]
column = "theirs"
theme = "empathy"
perspective = "organization"
scale = "slang"
"""


def test_a_file_without_a_suggestion_can_be_imported_with_an_own_codebook(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    upload = uploads.share("slang.csv", SLANG)
    unmapped = uploads.reply(upload)
    assert "No survey questions were found" in unmapped["text"]
    assert "Upload a codebook" in unmapped["text"]
    actions = [b for b in unmapped["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == ["import_cancel"]
    pending_id = actions[0]["elements"][0]["value"]

    key = uploads.slack.unique("early")
    uploads.slack.click(
        "import_confirm", "empathy_import", pending_id, key, user="UADMIN", channel=upload.channel
    )
    assert "no mapping yet" in fake_slack.responded(key)["text"]

    uploads.share(
        "slang.toml", SLANG_CODEBOOK, channel=upload.channel, thread_ts=upload.ts, filetype="toml"
    )
    [_, mapped] = uploads.replies(upload, 2)
    assert uploads.pending_id(mapped.payload) == pending_id
    uploads.submit_import(pending_id, "slang", "w1")
    [*_, summary] = uploads.replies(upload, 3)
    assert "Imported wave 'w1' of survey 'slang': 5 respondents" in summary.payload["text"]
