"""Every worker process of the web answers from the wave as it is now: after a wave is
replaced or forgotten by another process, no worker answers from the columns or the view
it kept (``insights.store.columns.ColumnCounts`` checks the wave's version on every question)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from fake_slack import WAIT_SECONDS
from harness import PULSE_CODEBOOK, PULSE_CSV

from insights import Store
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file
from insights.store.waves import forget_wave

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebControl, WebProcess

ASKED = 16  # concurrent questions: enough that both workers (WEB_CONCURRENCY=2) answer some
MORE = b"6,west,Agree,Agree\n7,west,Disagree,Agree\n8,west,Agree,Agree\n"


def answers(slack: SlackClient, fake_slack: FakeSlack, text: str) -> list[str]:
    with ThreadPoolExecutor(max_workers=ASKED) as pool:
        keys = list(pool.map(lambda _: slack.command(text)[1], range(ASKED)))
    return [str(fake_slack.responded(key)["text"]) for key in keys]


def worker_pids(web: WebProcess) -> set[str]:
    return {
        line.split("[", 1)[1].split("]", 1)[0]
        for line in web.log_text().splitlines()
        if "Started server process [" in line
    }


def both_workers_started(web: WebProcess) -> None:
    """The web answers once one worker is up; on a loaded machine the other may start
    seconds later, and the questions must reach both, so wait for it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while len(worker_pids(web)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(worker_pids(web)) == 2  # two workers answer from one database


def import_pulse(database: Path, directory: Path, csv: bytes) -> None:
    path = directory / "pulse.csv"
    path.write_bytes(csv)
    store = Store.open(database)
    try:
        codebook = parse_codebook(PULSE_CODEBOOK.decode(), name="pulse.toml")
        import_file(
            store, path, codebook, team_id="local", survey="pulse", wave="w1", actor="cli:test"
        )
    finally:
        store.close()


def test_a_replaced_or_forgotten_wave_is_seen_by_every_workers_next_question(
    web_control: WebControl, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    web, slack = web_control.start_demo()
    both_workers_started(web)
    import_pulse(web.database, tmp_path, PULSE_CSV)
    before = answers(slack, fake_slack, "gap survey pulse")
    assert all("n = 5" in text for text in before), before[0]

    import_pulse(web.database, tmp_path, PULSE_CSV + MORE)  # the same wave, replaced
    replaced = answers(slack, fake_slack, "gap survey pulse")
    assert all("n = 8" in text and "n = 5" not in text for text in replaced), replaced

    store = Store.open(web.database)
    try:
        forget_wave(store, "local", "pulse", "w1", actor="UADMIN")
    finally:
        store.close()
    forgotten = answers(slack, fake_slack, "gap survey pulse")
    assert all("n = 8" not in text and "pulse" in text.lower() for text in forgotten), forgotten
    assert len(worker_pids(web)) == 2  # the same two workers: neither was restarted
