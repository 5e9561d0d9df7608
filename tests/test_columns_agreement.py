"""The columns agree with a straightforward recomputation, on random surveys of random
shapes.

A random shape (1–12 segments of 2–600 values, sizes from even to heavily skewed, blank
values, unanswered questions) is filled with random respondents and imported through the
real importer, which builds the wave's columns. Then, for random layouts (any questions,
any pairs, a question the wave never had) and random merges of values:

* the cells ``ColumnCounts`` returns are exactly what ``SqlCounts`` (GROUP BY over the
  respondent table) returns, and what pandas computes from the generated rows;
* the sizes, the number of combinations and the atoms privacy asks for are the same as
  those computed from ``SqlCounts``' cells (``FrameCounts``);
* the engine's view of the wave (merges, atoms, what may be shown) is the same from both.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights import Store
from insights.answers.privacy import OTHER, Family, WaveView
from insights.ingest.codebook import Codebook, parse_codebook
from insights.ingest.exports import open_export
from insights.ingest.importer import import_export
from insights.store.columns import ColumnCounts
from insights.store.counts import (
    FrameCounts,
    Layout,
    SqlCounts,
    answered_column,
    both_column,
    both_positive_column,
    organization_only_column,
    personal_only_column,
    positive_column,
    segment_column,
)

TEAM = "T-AGREE"
LABELS = ["Disagree", "Neutral", "Agree"]
QUESTIONS = ["care_p", "care_o", "trust_p", "trust_o", "measures"]
PAIRS = [("care_p", "care_o"), ("trust_p", "trust_o")]
NEVER_ASKED = 987_654  # a question id no wave has


def codebook(segments: int) -> Codebook:
    lines = ['[survey]\nname = "shapes"\nrespondent_id = "id"\n']
    lines.append(
        '[scales.agree3]\nlabels = ["Disagree", "Neutral", "Agree"]\npositive = ["Agree"]\n'
    )
    for column in QUESTIONS:
        theme, _, side = column.partition("_")
        perspective = {"p": "personal", "o": "organization"}.get(side)
        lines.append(f'[[questions]]\ncolumn = "{column}"\ntheme = "{theme}"\nscale = "agree3"\n')
        if perspective:
            lines.append(f'perspective = "{perspective}"\n')
    lines += [f'[[segments]]\ncolumn = "seg{i}"\n' for i in range(segments)]
    return parse_codebook("\n".join(lines), name="shapes.toml")


shapes = st.fixed_dictionaries(
    {
        "widths": st.lists(st.integers(2, 600), min_size=1, max_size=12),
        "skew": st.sampled_from([0.0, 1.0, 2.0]),  # 0: even sizes; 2: a few values hold most
        "blank": st.sampled_from([0.0, 0.1, 0.5]),
        "unanswered": st.sampled_from([0.0, 0.2, 0.9]),
        "respondents": st.integers(1, 400),
        "seed": st.integers(0, 2**31),
    }
)


def respondents(shape: dict[str, object]) -> pd.DataFrame:
    rng = np.random.default_rng(int(shape["seed"]))  # type: ignore[call-overload]
    n = int(shape["respondents"])  # type: ignore[call-overload]
    frame = pd.DataFrame({"id": [f"R{i}" for i in range(n)]})
    for i, width in enumerate(shape["widths"]):  # type: ignore[attr-defined]
        weights = 1.0 / np.arange(1, width + 1) ** float(shape["skew"])  # type: ignore[arg-type]
        values = rng.choice(width, size=n, p=weights / weights.sum())
        names = np.array([f"v{i}-{v:03d}" for v in range(width)], dtype=object)[values]
        names[rng.random(n) < float(shape["blank"])] = ""  # type: ignore[arg-type]
        frame[f"seg{i}"] = names
    for column in QUESTIONS:
        answers = np.array(LABELS, dtype=object)[rng.integers(0, 3, size=n)]
        answers[rng.random(n) < float(shape["unanswered"])] = ""  # type: ignore[arg-type]
        frame[column] = answers
    return frame


def recount(
    frame: pd.DataFrame, layout: Layout, keys: dict[int, str], segments: dict[int, str]
) -> pd.DataFrame:
    """The wave's cells from the generated rows, with pandas."""
    counts = pd.DataFrame({segment_column(sid): frame[name] for sid, name in segments.items()})
    counts["respondents"] = 1
    answered = {
        qid: frame[key] != "" if key else pd.Series(False, index=frame.index)
        for qid, key in keys.items()
    }
    positive = {
        qid: frame[key] == "Agree" if key else pd.Series(False, index=frame.index)
        for qid, key in keys.items()
    }
    for qid in layout.question_ids:
        counts[answered_column(qid)] = answered[qid].astype(int)
        counts[positive_column(qid)] = positive[qid].astype(int)
    for pid, oid in layout.pairs:
        both = answered[pid] & answered[oid]
        p, o = positive[pid], positive[oid]
        counts[both_column(pid)] = both.astype(int)
        counts[both_positive_column(pid)] = (both & p & o).astype(int)
        counts[personal_only_column(pid)] = (both & p & ~o).astype(int)
        counts[organization_only_column(pid)] = (both & ~p & o).astype(int)
    grouped = counts.groupby(layout.segment_columns(), as_index=False).sum()
    return grouped


def canonical(cells: pd.DataFrame, layout: Layout) -> list[tuple[object, ...]]:
    return sorted(tuple(row) for row in cells[layout.columns()].itertuples(index=False, name=None))


def random_merges(
    sizes: dict[int, dict[str, int]], draw: st.DataObject
) -> dict[int, dict[str, str]]:
    """Some values of some segments reported as OTHER, as privacy would."""
    reported: dict[int, dict[str, str]] = {}
    for sid, values in sizes.items():
        if draw.draw(st.booleans(), label=f"merge {sid}"):
            chosen = draw.draw(
                st.lists(st.sampled_from(sorted(values)), unique=True), label="values"
            )
            reported[sid] = {value: OTHER for value in chosen}
    return reported


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(shape=shapes, draw=st.data())
def test_columns_agree_with_sql_and_pandas_on_random_shapes(
    tmp_path: Path, shape: dict[str, object], draw: st.DataObject
) -> None:
    frame = respondents(shape)
    book = codebook(len(shape["widths"]))  # type: ignore[arg-type]
    path = tmp_path / f"wave-{shape['seed']}.csv"
    frame.to_csv(path, index=False)
    store = Store.open(":memory:")
    try:
        import_export(store, open_export(path), book, team_id=TEAM, wave="w", actor="cli:test")
        wave = int(store.db.execute("SELECT id FROM waves").fetchone()[0])
        qids = dict(store.db.execute("SELECT key, id FROM questions").fetchall())
        segments = {
            int(sid): name for name, sid in store.db.execute("SELECT name, id FROM segments")
        }
        asked = draw.draw(st.lists(st.sampled_from(QUESTIONS), unique=True), label="questions")
        pairs = draw.draw(
            st.lists(st.sampled_from([*PAIRS, ("care_p", "trust_o")]), unique_by=lambda p: p[0]),
            label="pairs",
        )
        layout = Layout(
            segment_ids=tuple(sorted(segments)),
            question_ids=(*(qids[key] for key in asked), NEVER_ASKED),
            pairs=tuple((qids[p], qids[o]) for p, o in pairs),
        )
        keys = {qid: key for key, qid in qids.items()} | {NEVER_ASKED: ""}
        fast, plain = ColumnCounts(store), SqlCounts(store)
        expected = canonical(recount(frame, layout, keys, segments), layout)
        assert canonical(plain.cells(wave, layout), layout) == expected
        assert canonical(fast.cells(wave, layout), layout) == expected

        columns, reference = fast.wave(wave, layout), FrameCounts(plain.cells(wave, layout), layout)
        assert columns.sizes() == reference.sizes()
        reported = random_merges(reference.sizes(), draw)
        assert columns.combinations(reported) == reference.combinations(reported)
        assert columns.atoms(reported).equals(reference.atoms(reported))

        k = draw.draw(st.sampled_from([1, 2, 5, 11]), label="k")
        families = (
            [Family("care", both_column(qids["care_p"]))] if ("care_p", "care_o") in pairs else []
        )
        families += [Family(f"q{qid}", answered_column(qid)) for qid in layout.question_ids]
        one, other = (
            WaveView(columns, layout, families, k),
            WaveView(reference, layout, families, k),
        )
        assert one.merges == other.merges
        assert one.atoms.equals(other.atoms)
        boxes = [
            np.ones(len(one.atoms), dtype=bool),
            *(
                one.select({sid: [v]})
                for sid, merge in list(one.merges.items())[:3]
                for v in list(merge.reported)[:3]
            ),
        ]
        for family in families:
            assert one.verdicts(family.key, boxes) == other.verdicts(family.key, boxes)
    finally:
        store.close()
