"""`/empathy audit` as a function, and the audit entries subscribe/unsubscribe write."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from support import TEAM

from bot.routing import subscribe
from bot.routing.forget import handle
from bot.settings import Settings
from bot.views import admin as ui
from insights import Store
from insights.ingest.demo_loader import load_demo
from insights.store import audit
from insights.store.audit import AuditEntry

NOW = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
AT = "2026-03-28T10:00:00Z"
SETTINGS = Settings(_env_file=None, admin_user_ids=["UADMIN"])  # type: ignore[call-arg]


class Users:
    def users_info(self, *, user: str) -> dict[str, Any]:
        return {"ok": True, "user": {"id": user, "tz": "Europe/Berlin"}}


CLIENT = cast(WebClient, Users())


def blocks_valid(blocks: list[dict[str, Any]]) -> None:
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()


def test_the_listing_is_newest_first_with_people_channels_and_local_times(store: Store) -> None:
    audit.record(store, TEAM, "cli:ana", "import", "pulse/2024", "197 respondents", now=NOW)
    audit.record(store, TEAM, "UADMIN", "subscribe", "CGENERAL", "weekly on Monday", now=NOW)
    audit.record(store, TEAM, "UADMIN", "forget", "pulse/<b>&", now=NOW)
    message = handle(SETTINGS, store, CLIENT, TEAM, "UADMIN", "audit")
    blocks_valid(message.blocks)
    listing = "\n".join(b["text"]["text"] for b in message.blocks)
    assert listing.index("forgot") < listing.index("subscribed") < listing.index("imported")
    stamp = int(NOW.timestamp())
    assert f"<!date^{stamp}^{{date_short_pretty}} {{time}}|2026-03-28 10:00 UTC>" in listing
    assert "<@UADMIN> subscribed <#CGENERAL> — weekly on Monday" in listing
    assert "`cli:ana` (command line) imported `pulse/2024` — 197 respondents" in listing
    assert "`pulse/&lt;b&gt;&amp;`" in listing  # names are escaped, never markup
    assert "2026-03-28T10:00:00Z UADMIN forgot pulse/&lt;b&gt;&amp;" in message.text


def test_only_the_latest_25_of_this_workspace(store: Store) -> None:
    for n in range(30):
        audit.record(store, TEAM, "UADMIN", "subscribe", f"C{n:02d}", now=NOW)
    audit.record(store, "T-OTHER", "UELSE", "subscribe", "CTHEIRS", now=NOW)
    message = handle(SETTINGS, store, CLIENT, TEAM, "UADMIN", "audit")
    blocks_valid(message.blocks)
    listing = "\n".join(b["text"]["text"] for b in message.blocks)
    assert listing.count("• ") == ui.AUDIT_LIMIT == 25
    assert "<#C29>" in listing and "<#C05>" in listing and "<#C04>" not in listing
    assert "CTHEIRS" not in listing and "UELSE" not in listing


def test_an_empty_log_says_so(store: Store) -> None:
    message = handle(SETTINGS, store, CLIENT, TEAM, "UADMIN", "audit")
    assert "The audit log is empty" in message.text


def test_many_long_entries_fit_slacks_limits() -> None:
    entries = [
        AuditEntry(n, TEAM, "UADMIN", "import", "s" * 200, "d" * 400, "2026-03-28T10:00:00Z")
        for n in range(25)
    ]
    message = ui.audit_message(entries)
    blocks_valid(message.blocks)
    assert len(message.blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in message.blocks)


def test_an_entry_too_long_for_a_section_is_cut_without_half_an_escape() -> None:
    """Every cut position within an escape is tried: the detail shifts by one each time."""
    for shift in range(5):
        entry = AuditEntry(1, TEAM, "UADMIN", "import", "s/w", "x" * shift + "&" * 1000, AT)
        (_, listed) = ui.audit_message([entry]).blocks
        text = listed["text"]["text"]
        assert len(text) <= 3000 and re.search(r"&(a|am|amp|l|lt|g|gt)?…?$", text) is None


@pytest.fixture
def demo(store: Store) -> Store:
    load_demo(store, TEAM, actor="cli:test")
    return store


def test_subscribe_and_unsubscribe_are_recorded(demo: Store) -> None:
    def run(text: str) -> str:
        return subscribe.handle(SETTINGS, demo, CLIENT, TEAM, "CCX", "UADMIN", text, now=NOW).text

    assert run("subscribe weekly monday 09:00 Europe/Berlin role=in-house").startswith("Subscribed")
    assert run("unsubscribe").startswith("Unsubscribed")
    assert run("unsubscribe").startswith("This channel has no")  # nothing changed: no entry
    run("subscriptions")
    newest, oldest, *loading = audit.read(demo, TEAM)
    assert [entry.actor for entry in loading] == ["cli:test", "cli:test"]  # the demo's waves
    assert (oldest.actor, oldest.action, oldest.target) == ("UADMIN", "subscribe", "CCX")
    assert oldest.detail == "weekly on Monday at 09:00 Europe/Berlin · gap role=In-house"
    assert (newest.action, newest.target, newest.detail) == ("unsubscribe", "CCX", "")


def test_refused_subscription_changes_are_not_recorded(demo: Store) -> None:
    restricted = Settings(_env_file=None, restrict_subscriptions=True)  # type: ignore[call-arg]
    before = audit.read(demo, TEAM)
    reply = subscribe.handle(
        restricted, demo, CLIENT, TEAM, "CCX", "UBOB", "subscribe weekly monday 09:00 UTC"
    )
    assert reply.text.startswith("Only the bot's admins and workspace admins can change digest")
    assert audit.read(demo, TEAM) == before
