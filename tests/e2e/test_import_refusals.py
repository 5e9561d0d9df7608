"""Uploads the bot refuses, politely and without storing anything: non-admins, files too
large (declared, or only found out while downloading), the wrong type, downloads Slack
refuses, and files on any host but Slack's (the bot token must not travel there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, Uploads

CSV = b"id,team,value_personal,value_organization\n1,north,Agree,Agree\n2,south,Agree,Disagree\n"
MB = 1024 * 1024  # the import tests' web process allows uploads up to 1 MB


def nothing_pending(uploads: Uploads, upload_channel: str) -> bool:
    sql = "SELECT COUNT(*) FROM pending_imports WHERE channel_id = ?"
    return uploads.count(sql, upload_channel) == 0


def test_a_non_admin_is_refused_and_nothing_is_downloaded_or_stored(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    fake_slack.users["UBOB"] = {"is_admin": False, "is_owner": False}
    upload = uploads.share("teams.csv", CSV, user="UBOB")
    reply = uploads.reply(upload)
    assert "Only the bot's admins and workspace admins can import" in reply["text"]
    assert ":lock:" in str(reply["blocks"])
    assert fake_slack.downloads(upload.url) == []
    assert nothing_pending(uploads, upload.channel)


def test_a_file_declared_too_large_is_not_downloaded(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    upload = uploads.share("huge.csv", CSV, size=3 * MB)
    reply = uploads.reply(upload)["text"]
    assert "huge.csv is 3.0 MB; the limit is 1 MB" in reply
    assert fake_slack.downloads(upload.url) == []
    assert nothing_pending(uploads, upload.channel)


def test_a_file_larger_than_declared_is_cut_off_while_downloading(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    big = CSV + b"".join(b"%d,north,Agree,Agree\n" % n for n in range(3, 80_000))
    assert len(big) > MB
    # Slack said it was small, and the file host sends no Content-Length either.
    upload = uploads.share("liar.csv", big, size=len(CSV), declare_length=False)
    reply = uploads.reply(upload)["text"]
    assert "liar.csv is too large; the limit is 1 MB" in reply
    assert len(fake_slack.downloads(upload.url)) == 1
    assert nothing_pending(uploads, upload.channel)


def test_a_content_length_over_the_limit_stops_the_download(uploads: Uploads) -> None:
    big = b"x" * (MB + 10)
    upload = uploads.share("long.csv", big, size=100)
    assert "the limit is 1 MB" in uploads.reply(upload)["text"]
    assert nothing_pending(uploads, upload.channel)


def test_the_wrong_type_is_refused_before_downloading(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    upload = uploads.share("results.pdf", b"%PDF-1.7", filetype="pdf")
    reply = uploads.reply(upload)["text"]
    assert "I can only read CSV, TSV, TXT, XLSX files here; results.pdf is not one." in reply
    assert fake_slack.downloads(upload.url) == []


def test_slack_refusing_the_download_is_explained(uploads: Uploads, fake_slack: FakeSlack) -> None:
    forbidden = fake_slack.serve_file("secret.csv", b"nope", status=403, content_type="text/plain")
    upload = uploads.share("secret.csv", CSV, url=forbidden)
    reply = uploads.reply(upload)["text"]
    assert "would not let me download secret.csv (HTTP 403)" in reply
    assert "files:read" in reply

    missing = f"{fake_slack.url}/files/FGONE/gone.csv"
    upload = uploads.share("gone.csv", CSV, url=missing)
    assert "gone.csv is no longer in Slack (HTTP 404)" in uploads.reply(upload)["text"]
    assert nothing_pending(uploads, upload.channel)


def test_a_sign_in_page_instead_of_the_file_is_explained(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    page = fake_slack.serve_file("page.csv", b"<html>Sign in</html>", content_type="text/html")
    upload = uploads.share("page.csv", CSV, url=page)
    assert "Slack sent a web page instead of page.csv" in uploads.reply(upload)["text"]


def test_a_file_on_another_host_is_not_fetched_and_the_token_stays_home(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    port = fake_slack.url.rsplit(":", 1)[1]
    served = fake_slack.serve_file("elsewhere.csv", CSV)
    path = served.removeprefix(fake_slack.url)
    # Both reach the fake (loopback), but neither is the host Slack's API is configured at.
    foreign = [
        f"http://localhost:{port}{path}",
        f"http://127.0.0.1:{port}@localhost:{port}{path}",
    ]
    for url in foreign:
        upload = uploads.share("elsewhere.csv", CSV, url=url)
        reply = uploads.reply(upload)["text"]
        assert "not stored on Slack's file server" in reply
        assert nothing_pending(uploads, upload.channel)
    assert fake_slack.downloads(path) == []  # no request at all, so no token sent anywhere


def test_a_non_admin_cannot_click_or_submit_an_admins_import(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    fake_slack.users["UMALLORY"] = {"is_admin": False}
    upload = uploads.share("teams.csv", CSV)
    pending_id = uploads.pending_id(uploads.reply(upload))

    key = uploads.slack.unique("click")
    uploads.slack.click(
        "import_confirm", "empathy_import", pending_id, key, user="UMALLORY", channel="CGENERAL"
    )
    refused = fake_slack.responded(key)
    assert refused["response_type"] == "ephemeral" and "Only the bot's admins" in refused["text"]

    uploads.submit_import(pending_id, "hijacked", "w1", user="UMALLORY")
    [reply] = fake_slack.posted_in("DUMALLORY", None)  # told privately, not in the admin's DM
    assert "Only the bot's admins" in reply.payload["text"]
    assert len(fake_slack.matching(lambda c: c.payload.get("thread_ts") == upload.ts)) == 1
    assert uploads.count("SELECT COUNT(*) FROM surveys WHERE name = 'hijacked'") == 0
    assert uploads.count("SELECT COUNT(*) FROM pending_imports WHERE id = ?", pending_id) == 1


def test_redirects_are_followed_only_to_slacks_hosts(
    uploads: Uploads, fake_slack: FakeSlack
) -> None:
    port = fake_slack.url.rsplit(":", 1)[1]
    target = fake_slack.serve_file("target.csv", CSV)
    path = target.removeprefix(fake_slack.url)
    away = f"http://localhost:{port}{path}"
    moved = fake_slack.serve_file("moved.csv", b"", status=302, location=away)
    upload = uploads.share("moved.csv", CSV, url=moved)
    assert "not stored on Slack's file server" in uploads.reply(upload)["text"]
    assert fake_slack.downloads(path) == []  # the token did not follow the redirect

    # A redirect that stays on Slack's host is followed (a relative Location, too).
    nearby = fake_slack.serve_file("nearby.csv", b"", status=302, location=path)
    upload = uploads.share("nearby.csv", CSV, url=nearby)
    assert uploads.pending_id(uploads.reply(upload))
    assert len(fake_slack.downloads(path)) == 1
