"""Per-wave aggregates: built at import, replaced with their wave, backfilled by migration 7
for waves imported before they existed, and read by the catalog and every answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TEAM, Importer, answer_rows, segment_rows

from insights import Store, ask
from insights import answer as answer_module
from insights import store as store_module
from insights.aggregates import (
    FINEST,
    TOTAL,
    AggregateCounts,
    backfill,
    counts_for,
    segment_values,
)
from insights.catalog import load_catalog
from insights.counts import Slice, SqlCounts
from insights.store import _MIGRATIONS

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
AGGREGATE_TABLES = (
    "wave_aggregates",
    "aggregate_cells",
    "aggregate_cell_values",
    "aggregate_answers",
    "aggregate_pairs",
)


def aggregates_of(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every aggregate row, timestamps left out."""
    content = {}
    for table in AGGREGATE_TABLES:
        columns = "*"
        if table == "wave_aggregates":
            columns = "wave_id, respondents, cells, segments, questions, pairs"
        content[table] = sorted(store.db.execute(f"SELECT {columns} FROM {table}").fetchall())
    return content


def cells_of(store: Store, rollup: int) -> list[tuple[str, int]]:
    """("segment=value,…", respondents) per cell of a rollup."""
    rows = store.db.execute(
        "SELECT COALESCE(GROUP_CONCAT(v.segment_id || '=' || v.value), ''), c.respondents"
        " FROM aggregate_cells c LEFT JOIN aggregate_cell_values v USING (wave_id, rollup, cell)"
        " WHERE c.rollup = ? GROUP BY c.cell ORDER BY 1",
        [rollup],
    ).fetchall()
    return [(str(cell), int(size)) for cell, size in rows]


def wave_id(store: Store, label: str) -> int:
    return int(store.db.execute("SELECT id FROM waves WHERE label = ?", [label]).fetchone()[0])


def ids(store: Store, table: str) -> dict[str, int]:
    column = "key" if table == "questions" else "name"
    return dict(store.db.execute(f"SELECT {column}, id FROM {table}").fetchall())


def test_import_builds_one_cell_per_combination_of_segment_values(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave = wave_id(store, "w1")
    q, s = ids(store, "questions"), ids(store, "segments")
    respondents, cells = store.db.execute(
        "SELECT respondents, cells FROM wave_aggregates WHERE wave_id = ?", [wave]
    ).fetchone()
    # (red, north) x2, (red, -), (blue, south) x2, (-, north), (blue, north)
    assert (respondents, cells) == (7, 5)
    team, site = s["team"], s["site"]
    sizes = cells_of(store, FINEST)
    assert sorted(sizes, key=str) == sorted(
        [
            (f"{team}=red,{site}=north", 2),
            (f"{team}=red", 1),
            (f"{team}=blue,{site}=south", 2),
            (f"{site}=north", 1),
            (f"{team}=blue,{site}=north", 1),
        ],
        key=str,
    )
    totals = store.db.execute(
        "SELECT question_id, SUM(n), SUM(positive) FROM aggregate_answers"
        " WHERE rollup = 0 GROUP BY question_id"
    ).fetchall()
    assert sorted(totals) == sorted([(q["p"], 6, 4), (q["o"], 6, 3), (q["m"], 6, 4)])
    pairs = store.db.execute(
        "SELECT personal_id, organization_id, SUM(n), SUM(personal_only),"
        " SUM(organization_only) FROM aggregate_pairs WHERE rollup = 0 GROUP BY 1, 2"
    ).fetchall()
    # both answered: r1 (+,-) r2 (+,+) r3 (-,+) r6 (-,+) r7 (+,-)
    assert pairs == [(q["p"], q["o"], 5, 2, 2)]


def test_rollups_sum_the_cells_over_the_other_segments(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    q, s = ids(store, "questions"), ids(store, "segments")
    team, site = s["team"], s["site"]
    assert cells_of(store, TOTAL) == [("", 7)]
    assert sorted(cells_of(store, team)) == [("", 1), (f"{team}=blue", 3), (f"{team}=red", 3)]
    assert sorted(cells_of(store, site)) == [("", 1), (f"{site}=north", 4), (f"{site}=south", 2)]
    for rollup in (FINEST, TOTAL, team, site):
        sums = store.db.execute(
            "SELECT question_id, SUM(n), SUM(positive) FROM aggregate_answers"
            " WHERE rollup = ? GROUP BY question_id ORDER BY question_id",
            [rollup],
        ).fetchall()
        assert sums == sorted([(q["p"], 6, 4), (q["o"], 6, 3), (q["m"], 6, 4)])
        pairs = store.db.execute(
            "SELECT SUM(n), SUM(personal_only), SUM(organization_only) FROM aggregate_pairs"
            " WHERE rollup = ?",
            [rollup],
        ).fetchall()
        assert pairs == [(5, 2, 2)]


def test_reimporting_a_wave_replaces_its_aggregates(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    import_rows(ROWS[:3])
    assert store.db.execute("SELECT respondents, cells FROM wave_aggregates").fetchall() == [(3, 2)]
    assert store.db.execute("SELECT COUNT(DISTINCT wave_id) FROM aggregate_cells").fetchone() == (
        1,
    )


def test_deleting_a_survey_leaves_no_aggregates(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS)
    store.db.execute("DELETE FROM surveys")
    assert all(not rows for rows in aggregates_of(store).values())


def test_migration_7_moves_a_version_4_database_and_builds_its_aggregates(
    tmp_path: Path, import_rows: Importer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS[2:], wave="w2")
    built_at_import = aggregates_of(store)
    answers, segments = answer_rows(store), segment_rows(store)
    # A database as migration 4 left it, holding the same survey data one row per answer.
    path = tmp_path / "v4.db"
    with monkeypatch.context() as patched:
        patched.setattr(store_module, "_MIGRATIONS", _MIGRATIONS[:4])
        Store.open(path).close()
    old = Store.open(path, migrate=False)
    for table in RAW_TABLES:
        old.db[table].insert_all(store.db[table].rows)
    old.db["answers"].insert_all(
        dict(zip(("respondent_id", "question_id", "value", "positive"), row, strict=True))
        for row in answers
    )
    old.db["respondent_segments"].insert_all(
        dict(zip(("respondent_id", "segment_id", "value"), row, strict=True)) for row in segments
    )
    old.close()

    upgraded = Store.open(path)  # migrates from version 4: moves the rows, builds aggregates
    assert (answer_rows(upgraded), segment_rows(upgraded)) == (answers, segments)
    assert aggregates_of(upgraded) == built_at_import
    assert backfill(upgraded.db) == []  # nothing left to build
    upgraded.close()


def test_migrations_on_an_empty_database(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db", migrate=False)
    assert store.migrate()[-1] == _MIGRATIONS[-1][0]
    assert all(not rows for rows in aggregates_of(store).values())
    store.close()


def test_a_wave_without_aggregates_is_answered_from_the_respondent_tables(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave, q, s = wave_id(store, "w1"), ids(store, "questions"), ids(store, "segments")
    where = Slice(wave, {s["site"]: ["north"]}, by=s["team"])
    fast = AggregateCounts(store)
    before = (
        fast.group_sizes(where),
        fast.question_counts(where, list(q.values())),
        fast.pair_counts(where, [(q["p"], q["o"])]),
    )
    store.db.execute("DELETE FROM wave_aggregates")
    assert not store.db.execute("SELECT 1 FROM aggregate_cells").fetchall()
    after = (
        fast.group_sizes(where),
        fast.question_counts(where, list(q.values())),
        fast.pair_counts(where, [(q["p"], q["o"])]),
    )
    for a, b in zip(before, after, strict=True):
        assert sorted(map(tuple, a.astype(str).values)) == sorted(map(tuple, b.astype(str).values))


def test_an_unforeseen_pair_or_question_still_gets_the_right_counts(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave, q = wave_id(store, "w1"), ids(store, "questions")
    where = Slice(wave, {})
    fast, plain = AggregateCounts(store), SqlCounts(store)
    odd_pair = [(q["p"], q["m"])]  # not a theme's pair: not aggregated
    assert fast.pair_counts(where, odd_pair).values.tolist() == (
        plain.pair_counts(where, odd_pair).values.tolist()
    )
    unknown = [q["p"], 99_999]  # a question this wave never had
    assert fast.question_counts(where, unknown).values.tolist() == (
        plain.question_counts(where, unknown).values.tolist()
    )


def test_catalog_reads_sizes_and_values_from_the_aggregates(
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
    store.db.execute("DELETE FROM wave_aggregates WHERE wave_id = ?", [wave_id(store, "w2")])
    assert load_catalog(store, TEAM) == fast  # one wave counted from the respondent tables
    store.db.execute("DELETE FROM wave_aggregates")
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
        "gap necessity by seniority",
        "gap vs 2021-pilot",
        "gap role=in-house vs 2021-pilot",
        "gap wave 2021-pilot by role",
    ],
)
def test_every_answer_is_the_same_as_from_the_respondent_tables(
    demo_store: Store, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(counts_for(demo_store), AggregateCounts)
    fast = ask(demo_store, TEAM, query)
    monkeypatch.setattr(answer_module, "counts_for", SqlCounts)
    plain = ask(demo_store, TEAM, query)
    assert fast == plain
