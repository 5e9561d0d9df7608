"""Slack uploads are read and imported in a child process within limits (issue 13, defect
8): past its deadline it is killed, past its memory it fails, and the web process is told
which, in words for the person who sent the file. An import stopped half-way writes
nothing and leaves the upload waiting; at most MAX_CONCURRENT_IMPORTS run at once."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_files import MAIN, huge_shared_string, sheet, workbook
from support import TEAM, dump
from support import pending_upload as upload

from bot.imports import uploads
from bot.imports.jobs import ImportJobs, Stopped, _child_env, run_child
from bot.settings import Settings
from insights import ImportFailed, Store
from insights.ingest import pending as pending_imports


def settings_for(database: Path, **limits: int) -> Settings:
    return Settings(_env_file=None, database_path=database, **limits)  # type: ignore[call-arg]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "empathy.db"
    Store.open(path).close()
    yield path


def import_children() -> list[int]:
    """Upload children this test process started that are still running."""
    mine = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if fields[1] == mine and b"bot.imports.child" in command:
                found.append(int(entry.name))
    return found


def test_a_hostile_workbook_is_refused_by_the_child_with_the_readers_message(
    tmp_path: Path, database: Path
) -> None:
    path = huge_shared_string(tmp_path / "responses.xlsx")
    args = {"path": str(path), "file_name": "responses.xlsx", "survey": "pulse"}
    with pytest.raises(ImportFailed) as refused:
        run_child(settings_for(database), "read", args, "responses.xlsx")
    assert "one cell holds more than 32,767 characters" in refused.value.message


def test_a_child_past_its_deadline_is_killed_and_the_reason_given(
    tmp_path: Path, database: Path
) -> None:
    names = (f'<c t="inlineStr"><is><t>Q{n}</t></is></c>'.encode() for n in range(2000))
    header = b'<row r="1">' + b"".join(names) + b"</row>"
    rows = [header, *([b"<row>" + b"<c><v>1</v></c>" * 2000 + b"</row>"] * 1000)]
    path = workbook(tmp_path / "slow.xlsx", sheet(rows))  # a minute's reading, in 70 KB
    args = {"path": str(path), "file_name": "slow.xlsx", "survey": "pulse"}
    with pytest.raises(Stopped) as stopped:
        run_child(settings_for(database, import_timeout_seconds=3), "read", args, "slow.xlsx")
    assert stopped.value.message.startswith(
        "Reading slow.xlsx took longer than 3 seconds, the most one upload may take"
    )
    assert import_children() == []  # killed and reaped


def test_a_child_out_of_memory_says_so(tmp_path: Path, database: Path) -> None:
    # 90 MB of different texts: within the reader's limits, but openpyxl holds them all.
    texts = [f"<si><t>{n:08d}{'w' * 30_000}</t></si>".encode() for n in range(3_000)]
    shared = [f'<sst xmlns="{MAIN}">'.encode(), *texts, b"</sst>"]
    path = workbook(tmp_path / "wordy.xlsx", sheet([b'<row r="1"><c><v>1</v></c></row>']), shared)
    args = {"path": str(path), "file_name": "wordy.xlsx", "survey": "pulse"}
    settings = settings_for(database, import_memory_mb=256)
    with pytest.raises(uploads.UploadRefused) as refused:
        run_child(settings, "read", args, "wordy.xlsx")
    assert refused.value.message.startswith(
        "Reading wordy.xlsx needed more than 256 MB of memory, the most one upload may use"
    )


def test_an_import_stopped_half_way_writes_nothing_and_leaves_the_upload_waiting(
    database: Path,
) -> None:
    rows = "".join(f"{n},Agree,Disagree\n" for n in range(200_000))
    store = Store.open(database)
    pending = upload(store, "big.csv", f"id,mine,theirs\n{rows}".encode())
    before = dump(store)
    settings = settings_for(database, import_timeout_seconds=1)  # less than starting takes

    outcome = uploads._import(settings, store, "UADMIN", pending, "pulse", "w1")

    assert outcome.message.text.startswith("Importing big.csv took longer than 1 second,")
    assert dump(store) == before  # nothing written, the upload still there
    assert pending_imports.claim(store, TEAM, pending.id)  # and not left claimed
    store.close()


def test_an_import_in_the_child_forgets_the_upload_in_its_transaction(database: Path) -> None:
    store = Store.open(database)
    pending = upload(store, "pulse.csv", b"id,mine,theirs\n1,Agree,Disagree\n2,Agree,Agree\n")
    outcome = uploads._import(settings_for(database), store, "UADMIN", pending, "pulse", "w1")
    assert outcome.message.text.startswith("Imported wave 'w1' of survey 'pulse': 2 respondents")
    assert pending_imports.get(store, TEAM, pending.id) is None
    [(actor, detail)] = store.db.execute("SELECT actor, detail FROM audit_log").fetchall()
    assert (actor, detail) == ("UADMIN", "2 respondents from pulse.csv")
    store.close()


def test_a_running_import_cannot_be_cancelled(database: Path) -> None:
    store = Store.open(database)
    pending = upload(store, "pulse.csv", b"id\n")
    assert pending_imports.claim(store, TEAM, pending.id)
    assert not pending_imports.cancel(store, TEAM, pending.id)
    pending_imports.release(store, TEAM, pending.id)
    assert pending_imports.cancel(store, TEAM, pending.id)
    store.close()


def test_the_child_gets_no_slack_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-for-children")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "not-for-children")
    assert not any(key.startswith("SLACK_") for key in _child_env())


def test_at_most_the_set_number_of_uploads_are_handled_at_once() -> None:
    jobs = ImportJobs(2)
    release = threading.Event()
    started = threading.Semaphore(0)

    def hold() -> None:
        started.release()
        release.wait(30)

    assert jobs.start(hold) and jobs.start(hold)
    assert started.acquire(timeout=30) and started.acquire(timeout=30)
    assert not jobs.start(hold)  # both slots taken: refused, not queued
    release.set()
    done = threading.Event()
    for _ in range(100):  # a slot comes free once a job has finished
        if jobs.start(done.set):
            break
        time.sleep(0.05)
    assert done.wait(30)


def test_a_slot_is_free_again_before_the_outcome_is_delivered() -> None:
    # Whoever is told an upload was stopped may send the next one at once: with the slot
    # still taken while the outcome was posted, that next upload was told "busy".
    jobs = ImportJobs(1)
    again: list[bool] = []
    delivered = threading.Event()

    def deliver(result: str) -> None:
        again.append(jobs.start(lambda: None))
        delivered.set()

    assert jobs.start(lambda: "stopped", deliver)
    assert delivered.wait(30)
    assert again == [True]
