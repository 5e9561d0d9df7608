"""The fast path agrees with a straightforward recomputation, on random data and queries.

Random respondents (blank segment values and unanswered questions included) are imported
through the real importer, which builds the per-wave aggregates. For random slices (any
wave, filters on several segments with several values each, values nobody has, a random
breakdown), ``AggregateCounts`` must return exactly what ``SqlCounts`` (GROUP BY over the
respondent tables) returns, and what pandas computes from the generated rows themselves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights import Store
from insights.aggregates import AggregateCounts
from insights.codebook import parse_codebook
from insights.counts import Slice, SqlCounts
from insights.exports import open_export
from insights.importer import import_export

CODEBOOK = parse_codebook(
    """
[survey]
name = "random"
respondent_id = "id"

[scales.agree3]
labels = ["Disagree", "Neutral", "Agree"]
positive = ["Agree"]

[scales.agree5]
labels = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
positive = ["Agree", "Strongly agree"]

[scales.yesno]
labels = ["No", "Yes"]
positive = ["Yes"]

[[questions]]
column = "care_p"
theme = "care"
perspective = "personal"
scale = "agree3"

[[questions]]
column = "care_o"
theme = "care"
perspective = "organization"
scale = "agree3"

[[questions]]
column = "trust_p"
theme = "trust"
perspective = "personal"
scale = "agree5"

[[questions]]
column = "trust_o"
theme = "trust"
perspective = "organization"
scale = "agree5"

[[questions]]
column = "measures"
theme = "measures"
scale = "yesno"

[[segments]]
column = "team"

[[segments]]
column = "site"

[[segments]]
column = "level"
""",
    name="random.toml",
)
SEGMENTS: dict[str, list[str]] = {
    "team": ["red", "blue", "green"],
    "site": ["north", "south"],
    "level": ["1", "2", "3", "4"],
}
SCALES = {q.column: CODEBOOK.scales[q.scale] for q in CODEBOOK.questions}
QUESTIONS = list(SCALES)
PAIRS = [("care_p", "care_o"), ("trust_p", "trust_o")]
TEAM = "T-AGREE"

respondent = st.fixed_dictionaries(
    {
        **{name: st.sampled_from(["", *values]) for name, values in SEGMENTS.items()},
        **{q: st.sampled_from(["", *scale.labels]) for q, scale in SCALES.items()},
    }
)
waves = st.lists(st.lists(respondent, min_size=1, max_size=40), min_size=1, max_size=2)


def write_wave(path: Path, rows: Sequence[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *SEGMENTS, *QUESTIONS])
    for i, row in enumerate(rows):
        writer.writerow([f"R{i}", *(row[c] for c in [*SEGMENTS, *QUESTIONS])])
    path.write_text(out.getvalue(), encoding="utf-8")


def load(store: Store, directory: Path, data: list[list[dict[str, str]]]) -> dict[str, Any]:
    """Import every wave; returns the ids the queries need."""
    wave_ids = []
    for k, rows in enumerate(data):
        path = directory / f"w{k}.csv"
        write_wave(path, rows)
        import_export(store, open_export(path), CODEBOOK, team_id=TEAM, wave=f"w{k}")
        row = store.db.execute("SELECT id FROM waves WHERE label = ?", [f"w{k}"]).fetchone()
        wave_ids.append(int(row[0]))
    questions = dict(store.db.execute("SELECT key, id FROM questions").fetchall())
    segments = dict(store.db.execute("SELECT name, id FROM segments").fetchall())
    return {"waves": wave_ids, "questions": questions, "segments": segments}


def recount(
    rows: Sequence[dict[str, str]],
    filters: dict[str, list[str]],
    by: str | None,
    ids: dict[str, Any],
    question_keys: Sequence[str],
    pair_keys: Sequence[tuple[str, str]],
) -> dict[str, pd.DataFrame]:
    """The counts computed from the generated respondents directly, with pandas."""
    frame = pd.DataFrame(list(rows)).replace("", pd.NA)
    for name, values in filters.items():
        frame = frame[frame[name].isin(values)]
    group = frame[by].fillna("") if by else pd.Series("", index=frame.index)
    frame = frame.assign(group=group.astype(str))
    sizes = frame.groupby("group").size().rename("respondents").reset_index()

    def positive(column: str) -> pd.Series:
        scale = SCALES[column]
        return frame[column].isin([scale.labels[code - 1] for code in scale.positive_codes])

    counts = []
    for key in question_keys:
        answered = frame[key].notna()
        part = pd.DataFrame(
            {"group": frame["group"], "n": answered, "positive": answered & positive(key)}
        )
        summed = part.groupby("group")[["n", "positive"]].sum().reset_index()
        counts.append(summed.assign(question_id=ids["questions"][key]))
    pairs = []
    for personal, organization in pair_keys:
        both = frame[personal].notna() & frame[organization].notna()
        p, o = positive(personal), positive(organization)
        part = pd.DataFrame(
            {
                "group": frame["group"],
                "n": both,
                "personal_only": both & p & ~o,
                "organization_only": both & ~p & o,
            }
        )
        summed = part.groupby("group")[["n", "personal_only", "organization_only"]].sum()
        pairs.append(summed.reset_index().assign(personal_id=ids["questions"][personal]))
    return {
        "sizes": sizes,
        "questions": pd.concat(counts) if counts else pd.DataFrame(),
        "pairs": pd.concat(pairs) if pairs else pd.DataFrame(),
    }


def nonzero(frame: pd.DataFrame, count: str, columns: list[str]) -> list[tuple[object, ...]]:
    if frame.empty:
        return []
    kept = frame[frame[count] > 0][columns]
    return sorted(
        (str(r[0]), *(int(v or 0) for v in r[1:])) for r in kept.itertuples(index=False, name=None)
    )


SIZE_COLUMNS = ["group", "respondents"]
QUESTION_COLUMNS = ["group", "question_id", "n", "positive"]
PAIR_COLUMNS = ["group", "personal_id", "n", "personal_only", "organization_only"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=waves, queries=st.data())
def test_fast_counts_agree_with_sql_and_pandas(
    tmp_path: Path, data: list[list[dict[str, str]]], queries: st.DataObject
) -> None:
    store = Store.open(":memory:")
    try:
        ids = load(store, tmp_path, data)
        fast, plain = AggregateCounts(store), SqlCounts(store)
        assert fast.store is store
        for _ in range(4):
            k = queries.draw(st.integers(0, len(data) - 1), label="wave")
            filtered = queries.draw(
                st.lists(st.sampled_from(list(SEGMENTS)), unique=True, max_size=3),
                label="filtered segments",
            )
            filters = {
                name: queries.draw(
                    st.lists(
                        st.sampled_from([*SEGMENTS[name], "nobody"]),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    ),
                    label=f"{name} values",
                )
                for name in filtered
            }
            by = queries.draw(st.sampled_from([None, *SEGMENTS]), label="by")
            question_keys = queries.draw(
                st.lists(st.sampled_from(QUESTIONS), unique=True), label="questions"
            )
            pair_keys = queries.draw(
                # pairs are keyed by their personal question, as the engine asks for them
                st.lists(
                    st.sampled_from([*PAIRS, ("care_p", "trust_o")]), unique_by=lambda p: p[0]
                ),
                label="pairs",
            )
            where = Slice(
                wave_id=ids["waves"][k],
                filters={ids["segments"][name]: values for name, values in filters.items()},
                by=ids["segments"][by] if by else None,
            )
            question_ids = [ids["questions"][key] for key in question_keys]
            pair_ids = [(ids["questions"][p], ids["questions"][o]) for p, o in pair_keys]
            expected = recount(data[k], filters, by, ids, question_keys, pair_keys)

            sizes = nonzero(fast.group_sizes(where), "respondents", SIZE_COLUMNS)
            assert sizes == nonzero(plain.group_sizes(where), "respondents", SIZE_COLUMNS)
            assert sizes == nonzero(expected["sizes"], "respondents", SIZE_COLUMNS)

            counts = nonzero(fast.question_counts(where, question_ids), "n", QUESTION_COLUMNS)
            assert counts == nonzero(
                plain.question_counts(where, question_ids), "n", QUESTION_COLUMNS
            )
            assert counts == nonzero(expected["questions"], "n", QUESTION_COLUMNS)

            pairs = nonzero(fast.pair_counts(where, pair_ids), "n", PAIR_COLUMNS)
            assert pairs == nonzero(plain.pair_counts(where, pair_ids), "n", PAIR_COLUMNS)
            assert pairs == nonzero(expected["pairs"], "n", PAIR_COLUMNS)
    finally:
        store.close()
