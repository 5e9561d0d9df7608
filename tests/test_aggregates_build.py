"""Per-wave aggregates: built at import, replaced with their wave, built again by migration
8 for waves imported before (they had no count of agreement on both sides), and read by
the catalog and every answer."""

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
from insights.counts import Layout, SqlCounts
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
        "SELECT personal_id, organization_id, SUM(n), SUM(both_positive), SUM(personal_only),"
        " SUM(organization_only) FROM aggregate_pairs WHERE rollup = 0 GROUP BY 1, 2"
    ).fetchall()
    # both answered: r1 (+,-) r2 (+,+) r3 (-,+) r6 (-,+) r7 (+,-)
    assert pairs == [(q["p"], q["o"], 5, 1, 2, 2)]


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


def test_migrations_7_and_8_move_a_version_4_database_and_build_its_aggregates(
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

    upgraded = Store.open(path)  # from version 4: 7 moves the rows, 8 builds the aggregates
    assert (answer_rows(upgraded), segment_rows(upgraded)) == (answers, segments)
    assert aggregates_of(upgraded) == built_at_import
    assert backfill(upgraded.db) == []  # nothing left to build
    upgraded.close()


def test_migrations_on_an_empty_database(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db", migrate=False)
    assert store.migrate()[-1] == _MIGRATIONS[-1][0]
    assert all(not rows for rows in aggregates_of(store).values())
    store.close()


def layout_of(store: Store, *pairs: tuple[str, str], extra: tuple[int, ...] = ()) -> Layout:
    q, s = ids(store, "questions"), ids(store, "segments")
    return Layout(
        segment_ids=tuple(sorted(s.values())),
        question_ids=(*sorted(q.values()), *extra),
        pairs=tuple((q[p], q[o]) for p, o in pairs),
    )


def test_a_wave_without_aggregates_is_answered_from_the_respondent_tables(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave, layout = wave_id(store, "w1"), layout_of(store, ("p", "o"))
    fast = AggregateCounts(store)
    before = fast.cells(wave, layout)
    assert before.attrs["version"]  # kept per process under the build's version
    store.db.execute("DELETE FROM wave_aggregates")
    assert not store.db.execute("SELECT 1 FROM aggregate_cells").fetchall()
    after = fast.cells(wave, layout)
    assert "version" not in after.attrs
    columns = layout.segment_columns()
    assert (
        before.sort_values(columns)
        .reset_index(drop=True)
        .equals(after.sort_values(columns).reset_index(drop=True))
    )


def test_an_unforeseen_pair_or_question_still_gets_the_right_counts(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    wave = wave_id(store, "w1")
    # (p, m) is not a theme's pair: not aggregated; 99 999 is a question it never had
    layout = layout_of(store, ("p", "m"), extra=(99_999,))
    fast, plain = AggregateCounts(store), SqlCounts(store)
    columns = layout.segment_columns()
    found = fast.cells(wave, layout).sort_values(columns).reset_index(drop=True)
    assert found.equals(plain.cells(wave, layout).sort_values(columns).reset_index(drop=True))
    assert found["n99999"].sum() == 0
    assert found[f"b{ids(store, 'questions')['p']}"].sum() == 5  # r1 r2 r3 r6 r7


def test_a_replaced_wave_is_never_answered_from_a_kept_table(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS)
    layout = layout_of(store, ("p", "o"))
    first = AggregateCounts(store).cells(wave_id(store, "w1"), layout)
    import_rows(ROWS[:3])  # same survey and wave: replaced
    again = AggregateCounts(store).cells(wave_id(store, "w1"), layout)
    assert (int(first["respondents"].sum()), int(again["respondents"].sum())) == (7, 3)
    assert first.attrs["version"] != again.attrs["version"]


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


def test_migration_8_counts_agreement_on_both_sides_for_waves_built_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v7.db"
    with monkeypatch.context() as patched:
        patched.setattr(store_module, "_MIGRATIONS", _MIGRATIONS[:7])
        old = Store.open(path)
        # A version 7 database's aggregates: no both_positive, no version; written by hand
        # as that version's import wrote them (one wave, one cell, one pair).
        old.db.execute("INSERT INTO surveys (id, team_id, name, title) VALUES (1, 't', 's', 'S')")
        old.db.execute("INSERT INTO waves (id, survey_id, label, ordinal) VALUES (1, 1, 'w', 1)")
        for qid, perspective in ((1, "personal"), (2, "organization")):
            old.db.execute(
                "INSERT INTO questions (id, survey_id, key, text, theme, perspective,"
                " scale_labels, positive_label, ordinal) VALUES (?, 1, ?, ?, 'care', ?,"
                " '[\"No\", \"Yes\"]', 'Yes', ?)",
                [qid, f"q{qid}", f"Q{qid}", perspective, qid],
            )
        old.db.execute(
            "CREATE TABLE responses_1 (respondent_id INTEGER PRIMARY KEY, a1, p1, a2, p2)"
        )
        for rid, (p1, p2) in enumerate([(1, 1), (1, 0), (0, 1), (1, 1)], start=1):
            old.db.execute(
                "INSERT INTO respondents (id, wave_id, external_id) VALUES (?, 1, ?)", [rid, rid]
            )
            old.db.execute("INSERT INTO responses_1 VALUES (?, ?, ?, ?, ?)", [rid, p1, p1, p2, p2])
        old.close()
    upgraded = Store.open(path)
    rows = upgraded.db.execute(
        "SELECT n, both_positive, personal_only, organization_only FROM aggregate_pairs"
        " WHERE rollup = ?",
        [TOTAL],
    ).fetchall()
    assert rows == [(4, 2, 1, 1)]
    (version,) = upgraded.db.execute("SELECT version FROM wave_aggregates").fetchone()
    assert len(version) == 32
    upgraded.close()
