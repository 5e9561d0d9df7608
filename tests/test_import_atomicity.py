"""Imports are all or nothing: a failure at any point leaves the database as it was, and
importing a wave again replaces it."""

from __future__ import annotations

import pandas as pd
import pytest
from support import TEAM, Importer, answer_rows, dump, segment_rows, table_counts

import insights.ingest.importer
from insights import ImportFailed, Store, ask
from insights.answers.catalog import WaveRef, load_catalog
from insights.ingest.codebook import Codebook
from insights.ingest.exports import Export

WAVE_1 = [
    ["r1", "A", "s1", "Agree", "Disagree", "Yes"],
    ["r2", "A", "s1", "Agree", "Neutral", "No"],
    ["r3", "B", "s2", "Neutral", "Agree", "Yes"],
]
WAVE_2 = [
    ["q1", "A", "s1", "Agree", "Agree", "Yes"],
    ["q2", "B", "s2", "Disagree", "Disagree", "No"],
]


def answers(store: Store) -> list[tuple[str, str, str, int, int]]:
    """(wave, respondent, question key, value, positive) of every stored answer."""
    names = {
        rid: (str(wave), str(external))
        for rid, wave, external in store.db.execute(
            "SELECT r.id, w.label, r.external_id FROM respondents r JOIN waves w"
            " ON w.id = r.wave_id"
        )
    }
    keys = dict(store.db.execute("SELECT id, key FROM questions").fetchall())
    return sorted(
        (*names[rid], keys[qid], value, positive)
        for rid, qid, value, positive in answer_rows(store)
    )


def test_a_good_import_writes_every_row(store: Store, import_rows: Importer) -> None:
    summary = import_rows(WAVE_1)
    assert (summary.survey, summary.wave, summary.respondents, summary.answers) == (
        "tiny",
        "w1",
        3,
        9,
    )
    assert summary.themes == ["care", "measures"]
    assert not summary.replaced
    assert summary.describe() == (
        "Imported wave 'w1' of survey 'tiny': 3 respondents, 9 answers, themes: care, measures."
    )
    counts = table_counts(store)
    assert {k: counts[k] for k in ("surveys", "waves", "questions", "segments")} == {
        "surveys": 1,
        "waves": 1,
        "questions": 3,
        "segments": 2,
    }
    assert counts["respondents"] == 3
    assert len(segment_rows(store)) == 6
    assert len(answer_rows(store)) == 9


def test_labels_and_numeric_codes_are_the_same_answers(store: Store, import_rows: Importer) -> None:
    import_rows(
        [
            ["a", "A", "s1", "Agree", "Disagree", "Yes"],
            ["b", "A", "s1", "3", "1", "2"],
            ["c", "A", "s1", "  aGrEe ", "DISAGREE", "yes"],
        ]
    )
    by_respondent: dict[str, list[tuple[str, int, int]]] = {}
    for _, rid, key, value, positive in answers(store):
        by_respondent.setdefault(rid, []).append((key, value, positive))
    expected = [("m", 2, 1), ("o", 1, 0), ("p", 3, 1)]
    assert by_respondent == {"a": expected, "b": expected, "c": expected}


def test_blank_answers_are_not_answers(store: Store, import_rows: Importer) -> None:
    import_rows([["a", "A", "s1", "Agree", "", ""], ["b", "", "", "", "", "No"]])
    assert [(rid, key) for _, rid, key, _, _ in answers(store)] == [
        ("a", "p"),
        ("b", "m"),
    ]
    assert len(segment_rows(store)) == 2  # b states neither segment


def test_reimporting_a_wave_replaces_it(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1, wave="w1")
    import_rows(WAVE_2, wave="w2")
    counts = table_counts(store)
    again = import_rows(WAVE_1, wave="w1")
    assert again.replaced
    assert again.describe().startswith("Replaced wave 'w1'")
    recorded = counts | {"audit_log": counts["audit_log"] + 1}  # the replace entry
    assert table_counts(store) == recorded  # nothing doubled
    waves = store.db.execute("SELECT label, ordinal FROM waves ORDER BY ordinal").fetchall()
    assert waves == [("w1", 1), ("w2", 2)]  # the replaced wave keeps its place


def test_reimporting_with_fewer_rows_leaves_no_orphans(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1, wave="w1")
    import_rows(WAVE_1[:1], wave="w1")
    stored = (table_counts(store)["respondents"], len(segment_rows(store)), len(answer_rows(store)))
    assert stored == (1, 2, 3)


def test_a_bad_second_wave_leaves_the_first_intact(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1, wave="w1")
    before = dump(store)
    with pytest.raises(ImportFailed):
        import_rows([*WAVE_2, ["q3", "A", "s1", "Maybe", "Agree", "Yes"]], wave="w2")
    assert dump(store) == before


def test_a_failure_while_writing_rolls_everything_back(
    store: Store, import_rows: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_rows(WAVE_1, wave="w1")
    before = dump(store)

    original = insights.ingest.importer._write_wave

    def fail(*args: object) -> int:
        original(*args)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    # Survey, questions, segments, wave, respondents and answers are written by now.
    monkeypatch.setattr(insights.ingest.importer, "_write_wave", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_rows(WAVE_2, wave="w2")
    assert dump(store) == before
    with pytest.raises(RuntimeError, match="disk full"):
        import_rows(WAVE_2, wave="w1")  # a replacement: the old w1 must survive
    assert dump(store) == before
    assert [w.label for w in _waves(store)] == ["w1"]


def test_a_failed_first_import_leaves_an_empty_database(
    store: Store, import_rows: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = table_counts(store)
    original = insights.ingest.importer._replace_wave

    def fail_after_the_wave(*args: object) -> tuple[int, bool]:
        original(*args)  # type: ignore[arg-type]
        raise RuntimeError("crash")

    monkeypatch.setattr(insights.ingest.importer, "_replace_wave", fail_after_the_wave)
    with pytest.raises(RuntimeError):
        import_rows(WAVE_1)
    assert table_counts(store) == empty
    assert not store.db.conn.in_transaction


def test_store_is_usable_after_a_failed_import(store: Store, import_rows: Importer) -> None:
    with pytest.raises(ImportFailed):
        import_rows([["r1", "A", "s1", "Nope", "Agree", "Yes"]])
    import_rows(WAVE_1)
    assert "Care" in ask(store, TEAM, "gap", min_group_size=1).text


def test_survey_names_are_per_team(
    store: Store, import_rows: Importer, tiny_codebook: Codebook
) -> None:
    import_rows(WAVE_1)
    frame = pd.DataFrame(WAVE_2, columns=["id", "team", "site", "p", "o", "m"], dtype=str)
    frame.index = pd.RangeIndex(2, 4)
    export = Export.from_frame(frame, name="w1")
    insights.ingest.importer.import_export(
        store, export, tiny_codebook, team_id="OTHER", wave="w1", actor="cli:test"
    )
    rows = store.db.execute(
        "SELECT s.team_id, COUNT(*) FROM respondents r JOIN waves w ON w.id = r.wave_id"
        " JOIN surveys s ON s.id = w.survey_id GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("OTHER", 2), (TEAM, 3)]


def _waves(store: Store) -> list[WaveRef]:
    return list(load_catalog(store, TEAM).waves)
