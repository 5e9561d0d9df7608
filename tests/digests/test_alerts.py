"""Alerts when the gap moves (``insights.digests.alerts``), with a sender that is not Slack.

Hand-made waves of the tiny survey (tests/support.py: the paired theme *care* and the
yes/no question *measures*), each of 40 or 50 people of one team and site, so privacy
hides nothing and every figure below is worked out by hand:

* care, wave w1: all 40 agree personally, none for the organization (100% vs 0%, gap 100);
  wave w2: 20 agree on both sides, 20 on neither (50% vs 50%, gap 0): a change of
  -100 points, far beyond chance.
* measures, 20 of 40 then 21 of 40 saying yes: pooled share 41/80 = 0.5125, standard error
  sqrt(0.5125 * 0.4875 * (1/40 + 1/40)) = 0.11177, z = 0.025 / 0.11177 = 0.2237,
  two-sided p = 0.823 (every expected cell is at least 5, so the pooled z-test).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from support import TEAM, TINY_CODEBOOK, rows_csv

from insights import Store
from insights.answers.findings import ThemeChange
from insights.digests import Alert, Delivery, Digest, alert_content, channel_alerts, send_due_alerts
from insights.digests import alerts as alert_store
from insights.digests.subscriptions import parse_iso
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file
from insights.store import audit

MIN = 5
CHANNEL = "CALERTS"
NOW = parse_iso("2026-04-01T09:00:00Z")


def people(
    prefix: str, count: int, agree_p: int, agree_o: int, yes: int, both_first: bool = True
) -> list[list[str]]:
    """``count`` people: the first ``agree_p`` agree personally, the first ``agree_o`` for
    their organization (so with ``agree_o <= agree_p`` those agree on both sides), the first
    ``yes`` say their organization measures it."""
    rows = []
    for i in range(count):
        personal = "Agree" if i < agree_p else "Disagree"
        organization = "Agree" if i < agree_o else "Disagree"
        rows.append([f"{prefix}{i}", "A", "s1", personal, organization, "Yes" if i < yes else "No"])
    return rows


def load(store: Store, folder: Path, rows: list[list[str]], wave: str) -> None:
    path = folder / f"{wave}.csv"
    path.write_text(rows_csv(rows), encoding="utf-8")
    import_file(
        store, path, parse_codebook(TINY_CODEBOOK), team_id=TEAM, wave=wave, actor="cli:test"
    )


W1 = people("a", 40, agree_p=40, agree_o=0, yes=20)  # care 100% vs 0%; measures 20/40
MOVED = people("b", 40, agree_p=20, agree_o=20, yes=21)  # care 50% vs 50%; measures 21/40
STILL = people("c", 40, agree_p=40, agree_o=0, yes=20)  # exactly as w1


@dataclass
class Outbox:
    """A sender that keeps the alerts it is given (after ``delay`` seconds) and answers what
    it is told to."""

    answer: Delivery = field(default_factory=lambda: Delivery(ts="1700000000.000200"))
    blocked: Delivery | None = None
    delay: float = 0.0
    alerts: list[tuple[str, str, Alert]] = field(default_factory=list)

    def unavailable(self, team_id: str) -> Delivery | None:
        return self.blocked

    def send(self, team_id: str, channel_id: str, digest: Digest) -> Delivery:
        raise AssertionError("no digest subscription here")

    def send_chart(self, team_id: str, channel_id: str, digest: Digest, thread_ts: str) -> None:
        raise AssertionError("no digest subscription here")

    def send_alert(self, team_id: str, channel_id: str, alert: Alert) -> Delivery:
        time.sleep(self.delay)
        self.alerts.append((team_id, channel_id, alert))
        return self.answer


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def store(folder: Path) -> Iterator[Store]:
    opened = Store.open(folder / "alerts.db")
    yield opened
    opened.close()


def subscribed(store: Store, folder: Path) -> alert_store.AlertSubscription:
    """w1 imported, then the channel subscribed: w1 is older than the subscription."""
    load(store, folder, W1, "w1")
    subscription, changed = alert_store.subscribe_alerts(store, TEAM, CHANNEL, "UADMIN")
    assert changed
    return subscription


def tick(store: Store, outbox: Outbox) -> list[str]:
    return [
        f"{r.status} {r.period}"
        for r in send_due_alerts(store, outbox, NOW, min_group_size=MIN, grace=timedelta(days=3650))
    ]


def test_one_alert_names_only_the_theme_that_moved(store: Store, folder: Path) -> None:
    subscription = subscribed(store, folder)
    load(store, folder, MOVED, "w2")
    outbox = Outbox()
    assert tick(store, outbox) == ["sent alert tiny/w2"]
    [(team, channel, alert)] = outbox.alerts
    assert (team, channel) == (TEAM, CHANNEL)
    assert alert.tested == 2  # care and measures, both tested
    [care] = alert.moved  # measures (p = 0.823) did not move
    assert care.theme == "care" and care.change == pytest.approx(-100.0)
    assert care.adjustment is not None and care.adjustment.tests == 2
    # Holm: the smaller of two p-values is doubled.
    assert care.test is not None
    assert care.adjustment.p_value == pytest.approx(min(1.0, 2 * care.test.p_value))
    assert alert.query == "gap survey tiny wave w2 vs w1"
    text = alert_content.alert_text(alert)
    assert "Wave w2 against wave w1: 1 of 2 themes moved significantly." in text
    assert "• Care: gap 100 → 0 pts (-100 pts)" in text
    assert "wave w1: 100% personal vs 0% organization, n = 40" in text
    assert "wave w2: 50% personal vs 50% organization, n = 40" in text
    assert "difference of paired gaps, p < 0.001, Holm-adjusted across 2 themes: p < 0.001" in (
        text
    )
    assert "Measures" not in text
    assert alert_store.check_status(store, subscription.id, wave_id(store, "w2")) == "sent"


def test_the_theme_that_did_not_move_has_the_hand_computed_p_value(
    store: Store, folder: Path
) -> None:
    subscribed(store, folder)
    load(store, folder, MOVED, "w2")
    compared = alert_content.compare_wave(store, TEAM, wave_id(store, "w2"), MIN)
    assert compared.alert is not None
    report_changes = {c.theme: c for c in _changes(store)}
    measures = report_changes["measures"]
    assert measures.change == pytest.approx(2.5)
    assert measures.test is not None and measures.test.p_value == pytest.approx(0.8230, abs=1e-4)
    # The larger p-value of two keeps its own value under Holm (max with the doubled smaller).
    assert measures.adjustment is not None
    assert measures.adjustment.p_value == pytest.approx(0.8230, abs=1e-4)


def _changes(store: Store) -> tuple[ThemeChange, ...]:
    from insights.answers.catalog import load_catalog
    from insights.answers.engine import Engine
    from insights.store.columns import counts_for

    catalog = load_catalog(store, TEAM, "tiny")
    w1, w2 = catalog.wave("w1"), catalog.wave("w2")
    return Engine(counts_for(store), catalog, MIN).change(w2, w1).changes


def test_holm_keeps_a_raw_p_under_5_percent_from_alerting(store: Store, folder: Path) -> None:
    # measures 20 of 50 then 30 of 50: pooled 0.5, se = sqrt(0.25 * 0.04) = 0.1, z = 2.0,
    # p = 0.0455 < 0.05; care is unchanged (p = 1). Holm doubles the smaller: 0.091.
    load(store, folder, people("a", 50, 50, 0, yes=20), "w1")
    alert_store.subscribe_alerts(store, TEAM, CHANNEL, "UADMIN")
    load(store, folder, people("b", 50, 50, 0, yes=30), "w2")
    measures = {c.theme: c for c in _changes(store)}["measures"]
    assert measures.test is not None and measures.test.p_value == pytest.approx(0.0455, abs=1e-4)
    assert measures.adjustment is not None
    assert measures.adjustment.p_value == pytest.approx(0.0910, abs=2e-4)
    outbox = Outbox()
    assert tick(store, outbox) == ["quiet alert tiny/w2"]
    assert outbox.alerts == []


def test_nothing_is_posted_when_nothing_moved_but_the_wave_is_checked(
    store: Store, folder: Path
) -> None:
    subscription = subscribed(store, folder)
    load(store, folder, STILL, "w2")
    outbox = Outbox()
    [record] = send_due_alerts(store, outbox, NOW, min_group_size=MIN)
    assert (record.status, record.reason) == (
        "quiet",
        "nothing moved significantly (2 themes tested)",
    )
    assert outbox.alerts == []
    assert alert_store.check_status(store, subscription.id, wave_id(store, "w2")) == "quiet"
    assert tick(store, outbox) == []
    assert [e.action for e in audit.read(store, TEAM)].count("alert") == 0


def test_a_wave_older_than_the_subscription_is_never_alerted(store: Store, folder: Path) -> None:
    load(store, folder, W1, "w1")
    load(store, folder, MOVED, "w2")  # moved, but before anyone asked
    subscription, _ = alert_store.subscribe_alerts(store, TEAM, CHANNEL, "UADMIN")
    outbox = Outbox()
    assert tick(store, outbox) == []
    assert outbox.alerts == []
    assert alert_store.check_status(store, subscription.id, wave_id(store, "w2")) == "before"


def test_two_ticks_alert_a_wave_once(store: Store, folder: Path) -> None:
    subscribed(store, folder)
    load(store, folder, MOVED, "w2")
    outbox = Outbox()
    assert tick(store, outbox) == ["sent alert tiny/w2"]
    assert tick(store, outbox) == []
    assert len(outbox.alerts) == 1


def test_a_wave_imported_again_is_checked_again(store: Store, folder: Path) -> None:
    subscribed(store, folder)
    load(store, folder, MOVED, "w2")
    outbox = Outbox()
    tick(store, outbox)
    load(store, folder, MOVED, "w2")  # a replacement is an import like any other
    assert tick(store, outbox) == ["sent alert tiny/w2"]
    assert len(outbox.alerts) == 2


def test_two_workers_with_their_own_connections_alert_once(store: Store, folder: Path) -> None:
    subscribed(store, folder)
    load(store, folder, MOVED, "w2")
    outbox = Outbox(delay=0.3)  # both workers are well inside the same window
    start = threading.Barrier(2)
    done: list[list[str]] = []

    def worker() -> None:
        own = Store.open(folder / "alerts.db")
        try:
            start.wait()
            done.append(tick(own, outbox))
        finally:
            own.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(done) == [[], ["sent alert tiny/w2"]]
    assert len(outbox.alerts) == 1


def test_a_retryable_failure_is_retried_and_a_lost_channel_pauses(
    store: Store, folder: Path
) -> None:
    subscription = subscribed(store, folder)
    load(store, folder, MOVED, "w2")
    failing = Outbox(answer=Delivery(reason="rate limited by Slack", retry=True))
    assert tick(store, failing) == ["failed alert tiny/w2"]
    assert tick(store, Outbox()) == ["sent alert tiny/w2"]

    load(store, folder, W1, "w3")  # back to w1's figures: moved again
    gone = Outbox(answer=Delivery(reason="is_archived", pause=True))
    assert tick(store, gone) == ["failed alert tiny/w3"]
    paused = channel_alerts(store, TEAM, CHANNEL)
    assert paused is not None and (paused.status, paused.pause_reason) == ("paused", "is_archived")
    assert alert_store.check_status(store, subscription.id, wave_id(store, "w3")) == "failed"
    assert tick(store, Outbox()) == []


def test_subscribing_unsubscribing_and_each_alert_are_audited(store: Store, folder: Path) -> None:
    subscribed(store, folder)
    again, changed = alert_store.subscribe_alerts(store, TEAM, CHANNEL, "UOTHER")
    assert not changed and again.created_by == "UADMIN"  # already on: nothing recorded
    load(store, folder, MOVED, "w2")
    tick(store, Outbox())
    assert alert_store.unsubscribe_alerts(store, TEAM, CHANNEL, actor="UADMIN")
    assert not alert_store.unsubscribe_alerts(store, TEAM, CHANNEL, actor="UADMIN")
    entries = [
        (e.actor, e.action, e.target)
        for e in audit.read(store, TEAM, 100)
        if e.action not in ("import", "replace")
    ]
    assert entries == [
        ("UADMIN", "unsubscribe-alerts", CHANNEL),
        ("scheduler", "alert", CHANNEL),
        ("UADMIN", "subscribe-alerts", CHANNEL),
    ]
    [sent] = [e for e in audit.read(store, TEAM, 100) if e.action == "alert"]
    assert sent.detail == "survey tiny, wave w2 vs w1: care -100 pts (of 2 tested)"


REFUSAL = "the audit log cannot be written"


def refuse_audit_entries(store: Store) -> None:
    """From now on every audit insert fails, as a write the disk refuses would."""
    store.db.execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log"
        f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def test_an_audit_entry_that_cannot_be_written_undoes_the_change(
    store: Store, folder: Path
) -> None:
    load(store, folder, W1, "w1")
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        alert_store.subscribe_alerts(store, TEAM, CHANNEL, "UADMIN")
    assert channel_alerts(store, TEAM, CHANNEL) is None
    assert store.db.execute("SELECT COUNT(*) FROM alert_checks").fetchone()[0] == 0

    store.db.execute("DROP TRIGGER refuse_audit")
    subscription, _ = alert_store.subscribe_alerts(store, TEAM, CHANNEL, "UADMIN")
    load(store, folder, MOVED, "w2")
    refuse_audit_entries(store)
    outbox = Outbox()
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        tick(store, outbox)
    # Posted, but neither the sent status nor its entry was committed; the claim stands, so
    # no later tick posts it again.
    assert alert_store.check_status(store, subscription.id, wave_id(store, "w2")) == "claimed"
    store.db.execute("DROP TRIGGER refuse_audit")
    assert tick(store, outbox) == []
    assert len(outbox.alerts) == 1

    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        alert_store.unsubscribe_alerts(store, TEAM, CHANNEL, actor="UADMIN")
    assert channel_alerts(store, TEAM, CHANNEL) is not None


def test_survey_text_is_escaped_in_the_slack_form(store: Store, folder: Path) -> None:
    subscribed(store, folder)
    load(store, folder, MOVED, "<!channel> & *w2*")
    outbox = Outbox()
    tick(store, outbox)
    [(_, _, alert)] = outbox.alerts
    message = alert_content.render_alert(alert, drill_down="/empathy gap")
    shown = message.text + repr(message.blocks)
    assert "<!channel>" not in shown and "&lt;!channel&gt; &amp;" in shown


def wave_id(store: Store, label: str) -> int:
    row = store.db.execute("SELECT id FROM waves WHERE label = ?", [label]).fetchone()
    return int(row[0])
