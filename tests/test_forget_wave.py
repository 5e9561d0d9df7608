"""insights.store.waves.forget_wave: one wave's responses deleted in one transaction, with its
columns, and its audit entry written in the same transaction."""

from __future__ import annotations

import pytest
from support import TEAM, Importer, Writer, table_counts

from insights import NotFoundError, QueryError, Store, UserError, ask
from insights.answers.catalog import load_catalog
from insights.errors import ConflictError
from insights.ingest.codebook import Codebook
from insights.ingest.demo_loader import load_demo
from insights.ingest.importer import import_file
from insights.store import audit, responses
from insights.store.waves import forget_wave, wave_to_forget

ROWS = [
    [1, "north", "x", "Agree", "Agree", "Yes"],
    [2, "north", "y", "Agree", "Disagree", "No"],
    [3, "south", "x", "Neutral", "Agree", "Yes"],
]
RESPONSES = responses.table_name(1)  # the tiny survey's: it is the first in a new store
WAVE_TABLES = (
    "respondents",
    RESPONSES,
    "wave_column_sets",
    "wave_columns",
)


def rows_of(store: Store, wave: str) -> dict[str, int]:
    """Rows each wave-level table holds for ``wave`` of the tiny survey."""
    wave_id = store.db.execute("SELECT id FROM waves WHERE label = ?", [wave]).fetchone()
    if wave_id is None:
        return dict.fromkeys(WAVE_TABLES, 0)
    respondents = "SELECT id FROM respondents WHERE wave_id = ?"
    counted = {
        "respondents": "SELECT COUNT(*) FROM respondents WHERE wave_id = ?",
        RESPONSES: f"SELECT COUNT(*) FROM {RESPONSES} WHERE respondent_id IN ({respondents})",
        **{table: f"SELECT COUNT(*) FROM {table} WHERE wave_id = ?" for table in WAVE_TABLES[2:]},
    }
    return {table: store.db.execute(sql, wave_id).fetchone()[0] for table, sql in counted.items()}


def test_forgetting_deletes_the_wave_and_everything_under_it(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS[:2], wave="w2")
    kept = rows_of(store, "w2")
    assert all(rows_of(store, "w1").values())  # every table had rows for w1

    summary = forget_wave(store, TEAM, None, "w1", actor="UADMIN")

    assert (summary.survey, summary.wave, summary.respondents) == ("tiny", "w1", 3)
    assert not summary.survey_removed
    assert "Forgot wave 'w1' of survey 'tiny': 3 respondents" in summary.describe()
    assert rows_of(store, "w1") == dict.fromkeys(WAVE_TABLES, 0)
    totals = table_counts(store)
    assert {table: totals[table] for table in WAVE_TABLES} == kept  # only w2's rows are left
    assert [w.label for w in load_catalog(store, TEAM).waves] == ["w2"]
    entry, *imports = audit.read(store, TEAM)
    assert [imported.action for imported in imports] == ["import", "import"]
    assert (entry.actor, entry.action, entry.target) == ("UADMIN", "forget", "tiny/w1")
    assert entry.detail == "3 respondents deleted"


def test_the_label_is_matched_regardless_of_case(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS, wave="Pilot")
    import_rows(ROWS, wave="w2")
    assert forget_wave(store, TEAM, "TINY", "pilot", actor="UADMIN").wave == "Pilot"


def test_forgetting_the_last_wave_removes_the_survey(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS, wave="w1")
    found = wave_to_forget(store, TEAM, None, "w1")
    assert found.last_wave and found.respondents == 3
    summary = forget_wave(store, TEAM, None, "w1", actor="UADMIN")
    assert summary.survey_removed and "survey 'tiny' is gone too" in summary.describe()
    counts = table_counts(store)
    assert counts["surveys"] == counts["questions"] == counts["segments"] == 0
    assert RESPONSES not in counts  # its ids may be handed out again: its columns must go
    assert "survey removed" in audit.read(store, TEAM)[0].detail


def test_an_unknown_wave_lists_the_known_ones_and_changes_nothing(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS, wave="w2")
    before = table_counts(store)
    with pytest.raises(NotFoundError) as caught:
        forget_wave(store, TEAM, None, "w9", actor="UADMIN")
    assert caught.value.message == "Survey 'tiny' has no wave 'w9'."
    assert caught.value.suggestion == "Waves: w1, w2."
    with pytest.raises(NotFoundError, match="There is no survey 'huge'") as unknown:
        forget_wave(store, TEAM, "huge", "w1", actor="UADMIN")
    assert unknown.value.suggestion == "Surveys: tiny."
    with pytest.raises(NotFoundError, match="No survey has been imported"):
        forget_wave(store, "T-EMPTY", None, "w1", actor="UADMIN")
    with pytest.raises(QueryError, match="Say which wave"):
        forget_wave(store, TEAM, None, " ", actor="UADMIN")
    assert table_counts(store) == before  # no audit entry either


def test_a_label_in_two_surveys_needs_the_survey_named(
    store: Store, import_rows: Importer, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    import_rows(ROWS, wave="2024")
    other = write_csv(ROWS, name="2024.csv")
    import_file(
        store, other, tiny_codebook, team_id=TEAM, survey="pulse", wave="2024", actor="cli:test"
    )
    with pytest.raises(QueryError, match=r"Wave '2024' is in more than one survey \(pulse, tiny\)"):
        wave_to_forget(store, TEAM, None, "2024")
    with pytest.raises(NotFoundError) as caught:
        wave_to_forget(store, TEAM, None, "1999")
    assert caught.value.message == "No survey has a wave '1999'."
    assert caught.value.suggestion == "Waves: pulse: 2024; tiny: 2024."
    assert forget_wave(store, TEAM, "pulse", "2024", actor="UADMIN").survey == "pulse"
    assert [w.label for w in load_catalog(store, TEAM, "tiny").waves] == ["2024"]


def test_another_workspaces_wave_is_out_of_reach(
    store: Store, import_rows: Importer, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    import_rows(ROWS, wave="w1")
    theirs = write_csv(ROWS, name="theirs.csv")
    import_file(store, theirs, tiny_codebook, team_id="T-OTHER", wave="w2", actor="cli:test")
    with pytest.raises(NotFoundError):
        forget_wave(store, TEAM, None, "w2", actor="UADMIN")
    forget_wave(store, "T-OTHER", None, "w2", actor="UELSE")
    assert [w.label for w in load_catalog(store, TEAM).waves] == ["w1"]
    assert [entry.action for entry in audit.read(store, TEAM)] == ["import"]  # only w1's
    theirs_recorded = [(e.actor, e.action) for e in audit.read(store, "T-OTHER")]
    assert theirs_recorded == [("UELSE", "forget"), ("cli:test", "import")]


def test_a_wave_imported_again_since_the_confirmation_is_kept(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS, wave="w2")
    shown = wave_to_forget(store, TEAM, None, "w1")
    import_rows(ROWS[:1], wave="w1")  # replaced: a new wave row under the same label
    before = table_counts(store)
    with pytest.raises(ConflictError, match="imported again"):
        forget_wave(store, TEAM, None, "w1", actor="UADMIN", wave_id=shown.wave_id)
    assert table_counts(store) == before
    fresh = wave_to_forget(store, TEAM, None, "w1")
    assert fresh.respondents == 1
    forget_wave(store, TEAM, None, "w1", actor="UADMIN", wave_id=fresh.wave_id)


def test_when_the_audit_entry_fails_nothing_is_deleted(
    store: Store, import_rows: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS, wave="w2")
    before = table_counts(store)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        forget_wave(store, TEAM, None, "w1", actor="UADMIN")
    assert table_counts(store) == before
    assert not store.db.conn.in_transaction


def test_answers_change_accordingly(store: Store) -> None:
    load_demo(store, TEAM, actor="cli:test")
    assert "2021-pilot" in ask(store, TEAM, "gap vs 2021-pilot", min_group_size=5).text
    summary = forget_wave(store, TEAM, None, "2021-pilot", actor="UADMIN")
    assert summary.respondents == 120
    with pytest.raises(UserError, match="2021-pilot"):
        ask(store, TEAM, "gap vs 2021-pilot", min_group_size=5)
    assert "91%" in ask(store, TEAM, "gap", min_group_size=5).text  # 2022 is untouched
