"""Two workers ticking at the same instant send exactly one digest: the claim decides."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from bot.settings import Settings
from bot.slack.digest_sender import tick
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.subscriptions import RunRecord

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack

NOW = "2026-03-30T07:00:00Z"


def test_two_processes_ticking_at_once_post_once(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    subscription = subscribe_channel()
    fake_slack.post_delay = 0.3  # both processes are well inside the same window
    workers = [cli.process("tick", "--now", NOW) for _ in range(2)]
    outputs = [worker.communicate(timeout=60) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert len(fake_slack.posts()) == 1
    assert sum(out.count("sent CCXTEAM 2026-W14") for out, _ in outputs) == 1
    assert subs.run_status(store, subscription.id, "2026-W14") == "sent"


def test_many_threads_with_their_own_connections_post_once(
    settings: Settings, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel()
    fake_slack.post_delay = 0.1
    start = threading.Barrier(6)
    results: list[list[RunRecord]] = []

    def worker() -> None:
        start.wait()
        results.append(tick(settings, subs.parse_iso(NOW)))  # opens its own Store

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 6
    assert len(fake_slack.posts()) == 1
    assert [r.status for rs in results for r in rs] == ["sent"]
