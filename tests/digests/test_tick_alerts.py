"""Gap alerts through the digest worker as it runs (``empathy digests tick``) and the fake
Slack: a wave imported after the channel subscribed, whose care gap moved, is alerted in
exactly one chat.postMessage to that channel, with the survey's own text escaped; the
demo survey's waves, imported before, never are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from support import TINY_CODEBOOK, mrkdwn_fields, rows_csv

from insights import Store
from insights.digests import subscribe_alerts
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack

TEAM = "local"
ALERTED = "CALERTED"
NOW = "2026-04-01T09:00:00Z"
# Survey text a person typed, with Slack markup in it.
CODEBOOK = TINY_CODEBOOK.replace('title = "Tiny survey"', 'title = "Tiny <!here> & *survey*"')


def people(prefix: str, count: int, agree_o: int) -> list[list[str]]:
    """``count`` people all agreeing personally; the first ``agree_o`` for the organization."""
    organization = ["Agree" if i < agree_o else "Disagree" for i in range(count)]
    return [[f"{prefix}{i}", "A", "s1", "Agree", organization[i], "Yes"] for i in range(count)]


def load(store: Store, folder: Path, rows: list[list[str]], wave: str) -> None:
    path = folder / "wave.csv"
    path.write_text(rows_csv(rows), encoding="utf-8")
    import_file(store, path, parse_codebook(CODEBOOK), team_id=TEAM, wave=wave, actor="cli:test")


def test_a_tick_posts_one_escaped_alert_to_the_subscribed_channel(
    cli: DigestsCli, fake_slack: FakeSlack, store: Store, tmp_path: Path
) -> None:
    load(store, tmp_path, people("a", 40, agree_o=0), "w1")  # gap 100
    subscribe_alerts(store, TEAM, ALERTED, "UADMIN")
    load(store, tmp_path, people("b", 40, agree_o=40), "<b>w2</b>")  # gap 0

    result = cli("tick", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "sent CALERTED alert tiny/<b>w2</b>" in result.output

    [post] = fake_slack.posts()
    assert post.payload["channel"] == ALERTED
    # Every field Slack reads as mrkdwn (the Drill down button's value is plain text).
    fields = mrkdwn_fields(post.payload)
    assert len(fields) >= 4  # the fallback text, the context lines and the section
    for where, shown in fields:
        assert "<!here>" not in shown and "<b>" not in shown, where
    assert "Tiny &lt;!here&gt; &amp;" in post.payload["text"]
    assert "&lt;b&gt;w2&lt;/b&gt;" in post.payload["text"]
    assert "gap 100 → 0 pts (-100 pts)" in post.payload["text"]
    assert "Holm-adjusted across 2 themes" in post.payload["text"]

    again = cli("tick", "--now", "2026-04-01T09:01:00Z")
    assert "alert" not in again.output
    assert len(fake_slack.posts()) == 1
