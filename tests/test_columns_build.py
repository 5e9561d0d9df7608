"""Per-wave columns: built at import, replaced with their wave, built by migration 11 for
waves imported before, and read by the catalog and every answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from support import TEAM, Importer, answer_rows, segment_rows

from insights import Store, ask
from insights.answers import reply as answer_module
from insights.answers.catalog import load_catalog
from insights.store import database as store_module
from insights.store.columns import (
    NEGATIVE,
    POSITIVE,
    UNANSWERED,
    ColumnCounts,
    counts_for,
    read,
    segment_values,
)
from insights.store.counts import Layout, SqlCounts
from insights.store.database import _MIGRATIONS

ROWS = [
    # id, team, site, p, o, m
    ("r1", "red", "north", "Agree", "Disagree", "Yes"),
    ("r2", "red", "north", "Agree", "Agree", "No"),
    ("r3", "red", "", "Neutral", "Agree", ""),
    ("r4", "blue", "south", "Agree", "", "Yes"),
    ("r5", "blue", "south", "", "Disagree", "Yes"),
    ("r6", "", "north", "Disagree", "Agree", "No"),
    ("r7", "blue", "north", "Agree", "Neutral", "Yes"),
]
RAW_TABLES = ("surveys", "waves", "questions", "segments", "respondents")
_, N, P = UNANSWERED, NEGATIVE, POSITIVE


def columns_of(store: Store) -> dict[int, dict[str, object]]:
    """Per wave: respondents, answers, and each column as labels and codes (lists)."""
    found: dict[int, dict[str, object]] = {}
    for (wave,) in store.db.execute("SELECT wave_id FROM wave_column_sets ORDER BY 1"):
        columns = read(store.db, wave)
        assert columns is not None
        answers = store.db.execute(
            "SELECT answers FROM wave_column_sets WHERE wave_id = ?", [wave]
        ).fetchone()[0]
        found[wave] = {
            "respondents": columns.respondents,
            "answers": answers,
            **{f"s{k}": (s.labels, s.codes.tolist()) for k, s in columns.segments.items()},
            **{f"q{k}": codes.tolist() for k, codes in columns.questions.items()},
        }
    return found


def wave_id(store: Store, label: str) -> int:
    return int(store.db.execute("SELECT id FROM waves WHERE label = ?", [label]).fetchone()[0])


def ids(store: Store, table: str) -> dict[str, int]:
    column = "key" if table == "questions" else "name"
    return dict(store.db.execute(f"SELECT {column}, id FROM {table}").fetchall())


def test_import_writes_a_code_per_respondent_in_the_file_order(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    q, s = ids(store, "questions"), ids(store, "segments")
    built = columns_of(store)[wave_id(store, "w1")]
    assert built["respondents"] == 7
    assert built["answers"] == 18  # 6 + 6 + 6 answered
    # labels sorted; 0 is "not stated"
    assert built[f"s{s['team']}"] == (("blue", "red"), [2, 2, 2, 1, 1, 0, 1])
    assert built[f"s{s['site']}"] == (("north", "south"), [1, 1, 0, 2, 2, 1, 1])
    # "Agree" is positive on the agreement scale, "Yes" on the yes/no one
    assert built[f"q{q['p']}"] == [P, P, N, P, _, N, P]
    assert built[f"q{q['o']}"] == [N, P, P, _, N, P, N]
    assert built[f"q{q['m']}"] == [P, N, _, P, P, N, P]


def test_segment_codes_use_the_narrowest_type_for_their_values(store: Store) -> None:
    from insights.ingest.column_builder import _sorted_segment

    few = _sorted_segment(np.array([2, 1, 0], dtype=np.uint32), ["b", "a"])
    assert (few.codes.dtype, few.labels, few.codes.tolist()) == (np.uint8, ("a", "b"), [1, 2, 0])
    many = _sorted_segment(np.arange(301, dtype=np.uint32), [f"v{i:03d}" for i in range(300)])
    assert many.codes.dtype == np.uint16 and many.codes[-1] == 300


def test_reimporting_a_wave_replaces_its_columns(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    first = store.db.execute("SELECT version FROM wave_column_sets").fetchone()
    import_rows(ROWS[:3])
    rows = store.db.execute("SELECT respondents, version FROM wave_column_sets").fetchall()
    assert len(rows) == 1 and rows[0][0] == 3 and (rows[0][1],) != first
    assert store.db.execute("SELECT COUNT(DISTINCT wave_id) FROM wave_columns").fetchone() == (1,)


def test_deleting_a_survey_leaves_no_columns(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    store.db.execute("DELETE FROM surveys")
    for table in ("wave_column_sets", "wave_columns"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)


def test_migrations_7_to_11_move_a_version_4_database_and_build_its_columns(
    tmp_path: Path, import_rows: Importer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS[2:], wave="w2")
    built_at_import = columns_of(store)
    answers, segments = answer_rows(store), segment_rows(store)
    # A database as migration 4 left it, holding the same survey data one row per answer.
    path = tmp_path / "v4.db"
    with monkeypatch.context() as patched:
        patched.setattr(store_module, "_MIGRATIONS", _MIGRATIONS[:4])
        Store.open(path).close()
    old = Store.open(path, migrate=False)
    for table in RAW_TABLES:
        kept = set(old.db[table].columns_dict)  # columns added by later migrations wait
        old.db[table].insert_all(
            {k: v for k, v in row.items() if k in kept} for row in store.db[table].rows
        )
    old.db["answers"].insert_all(
        dict(zip(("respondent_id", "question_id", "value", "positive"), row, strict=True))
        for row in answers
    )
    old.db["respondent_segments"].insert_all(
        dict(zip(("respondent_id", "segment_id", "value"), row, strict=True)) for row in segments
    )
    old.close()

    upgraded = Store.open(path)  # from version 4: 7 moves the rows, 11 builds the columns
    assert (answer_rows(upgraded), segment_rows(upgraded)) == (answers, segments)
    assert columns_of(upgraded) == built_at_import
    unbuilt = "SELECT COUNT(*) FROM waves WHERE id NOT IN (SELECT wave_id FROM wave_column_sets)"
    assert upgraded.db.execute(unbuilt).fetchone() == (0,)  # nothing left to build
    assert not upgraded.db["aggregate_cells"].exists()
    upgraded.close()


def test_migrations_on_an_empty_database(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db", migrate=False)
    assert store.migrate()[-1] == _MIGRATIONS[-1][0]
    assert columns_of(store) == {}
    store.close()


def layout_of(store: Store, *pairs: tuple[str, str], extra: tuple[int, ...] = ()) -> Layout:
    q, s = ids(store, "questions"), ids(store, "segments")
    return Layout(
        segment_ids=tuple(sorted(s.values())),
        question_ids=(*sorted(q.values()), *extra),
        pairs=tuple((q[p], q[o]) for p, o in pairs),
    )


def sorted_cells(cells: object, layout: Layout) -> object:
    import pandas as pd

    assert isinstance(cells, pd.DataFrame)
    return cells.sort_values(layout.segment_columns()).reset_index(drop=True)


def test_a_wave_without_columns_is_answered_from_the_respondent_tables(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave, layout = wave_id(store, "w1"), layout_of(store, ("p", "o"))
    fast = ColumnCounts(store)
    before = fast.wave(wave, layout)
    assert before.version.startswith("columns ")  # kept per process under its version
    counted = before.atoms({})
    store.db.execute("DELETE FROM wave_column_sets")
    assert not store.db.execute("SELECT 1 FROM wave_columns").fetchall()
    after = fast.wave(wave, layout)
    assert after.version.startswith("cells ")  # from SqlCounts' cells
    assert sorted_cells(counted, layout).equals(sorted_cells(after.atoms({}), layout))


def test_any_pair_and_a_question_the_wave_never_had_get_the_right_counts(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave = wave_id(store, "w1")
    # (p, m) is not a theme's pair; 99 999 is a question it never had
    layout = layout_of(store, ("p", "m"), extra=(99_999,))
    found = sorted_cells(ColumnCounts(store).cells(wave, layout), layout)
    assert found.equals(sorted_cells(SqlCounts(store).cells(wave, layout), layout))
    assert found["n99999"].sum() == 0
    assert found[f"b{ids(store, 'questions')['p']}"].sum() == 5  # r1 r2 r4 r6 r7


def test_a_replaced_wave_is_never_answered_from_kept_columns(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    layout = layout_of(store, ("p", "o"))
    first = ColumnCounts(store).wave(wave_id(store, "w1"), layout)
    assert int(first.atoms({})["respondents"].sum()) == 7
    import_rows(ROWS[:3])  # same survey and wave: replaced
    again = ColumnCounts(store).wave(wave_id(store, "w1"), layout)
    assert int(again.atoms({})["respondents"].sum()) == 3
    assert first.version != again.version


def test_catalog_reads_sizes_and_values_from_the_columns(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows([("x1", "green", "west", "Agree", "Agree", "Yes")], wave="w2")
    fast = load_catalog(store, TEAM)
    survey = fast.survey.id
    assert segment_values(store, survey) == {
        ids(store, "segments")["team"]: ["blue", "green", "red"],
        ids(store, "segments")["site"]: ["north", "south", "west"],
    }
    store.db.execute("DELETE FROM wave_column_sets WHERE wave_id = ?", [wave_id(store, "w2")])
    assert load_catalog(store, TEAM) == fast  # one wave counted from the respondent tables
    store.db.execute("DELETE FROM wave_column_sets")
    assert load_catalog(store, TEAM) == fast
    assert [w.respondents for w in fast.waves] == [7, 1]
    assert [s.values for s in fast.segments] == [
        ("blue", "green", "red"),
        ("north", "south", "west"),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "gap",
        "gap by role",
        "gap by region",
        "gap role=in-house seniority=senior leader",
        "gap role=in-house by region",
        "gap region=europe,north america by seniority",
        "gap region!=europe by role",
        "gap necessity by seniority",
        "gap vs 2021-pilot",
        "gap role=in-house vs 2021-pilot",
        "gap wave 2021-pilot by role",
        "trend",
        "gap by region widest top 2",
    ],
)
def test_every_answer_is_the_same_as_from_the_respondent_tables(
    demo_store: Store, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(counts_for(demo_store), ColumnCounts)
    fast = ask(demo_store, TEAM, query)
    monkeypatch.setattr(answer_module, "counts_for", SqlCounts)
    plain = ask(demo_store, TEAM, query)
    assert fast == plain


def test_migration_11_builds_columns_for_a_version_10_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v10.db"
    with monkeypatch.context() as patched:
        patched.setattr(store_module, "_MIGRATIONS", _MIGRATIONS[:10])
        old = Store.open(path)
        # A version 10 database, written by hand as that version's import did: one wave of
        # four respondents, one pair, one segment (one value not stated).
        old.db.execute("INSERT INTO surveys (id, team_id, name, title) VALUES (1, 't', 's', 'S')")
        old.db.execute("INSERT INTO waves (id, survey_id, label, ordinal) VALUES (1, 1, 'w', 1)")
        old.db.execute("INSERT INTO segments (id, survey_id, name, ordinal) VALUES (1, 1, 'x', 0)")
        for qid, perspective in ((1, "personal"), (2, "organization")):
            old.db.execute(
                "INSERT INTO questions (id, survey_id, key, text, theme, perspective,"
                " scale_labels, positive_label, ordinal) VALUES (?, 1, ?, ?, 'care', ?,"
                " '[\"No\", \"Yes\"]', 'Yes', ?)",
                [qid, f"q{qid}", f"Q{qid}", perspective, qid],
            )
        old.db.execute(
            "CREATE TABLE responses_1 (respondent_id INTEGER PRIMARY KEY, s1, a1, p1, a2, p2)"
        )
        rows = [("b", 1, 1), ("a", 1, 0), (None, 0, 1), ("b", 1, None)]
        for rid, (value, p1, p2) in enumerate(rows, start=1):
            old.db.execute(
                "INSERT INTO respondents (id, wave_id, external_id) VALUES (?, 1, ?)", [rid, rid]
            )
            a2 = None if p2 is None else p2 + 1
            old.db.execute(
                "INSERT INTO responses_1 VALUES (?, ?, ?, ?, ?, ?)",
                [rid, value, p1 + 1, p1, a2, p2],
            )
        old.close()
    upgraded = Store.open(path)
    assert columns_of(upgraded) == {
        1: {
            "respondents": 4,
            "answers": 7,
            "s1": (("a", "b"), [2, 1, 0, 2]),
            "q1": [P, P, N, P],
            "q2": [P, N, P, _],
        }
    }
    catalog = load_catalog(upgraded, "t")
    assert [w.respondents for w in catalog.waves] == [4]
    upgraded.close()
