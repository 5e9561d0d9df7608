"""The privacy rules on their own: merging small values, and the audit of published boxes.
Each case is small enough to check by hand; the comment says what an attacker could do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.answers.privacy import (
    MAX_AUDIT_ATOMS,
    OTHER,
    Family,
    WaveView,
    audit,
    merge_small_values,
)
from insights.store.counts import FrameCounts, Layout, answered_column

K = 5


@pytest.mark.parametrize(
    ("sizes", "merged"),
    [
        ({"a": 10, "b": 8, "c": 9}, set()),  # nothing small
        ({"a": 10, "b": 8, "c": 3}, {"b", "c"}),  # c alone is 3: the next smallest joins
        ({"a": 10, "b": 3, "c": 2}, {"b", "c"}),  # 5 together: enough already
        ({"a": 10, "b": 8, "d": 8, "c": 4}, {"b", "c"}),  # ties broken by name
        ({"a": 10, "c": 4}, {"a", "c"}),  # two values: both go, the segment tells nothing
        ({"a": 4}, {"a"}),  # nothing else to take
        ({"a": 10, "b": 5}, set()),  # exactly the minimum stays
        ({"a": 10, "": 2, "b": 9}, {"", "b"}),  # not stated is a value like any other
        ({"a": 10, "b": 0}, set()),  # nobody: nothing to merge
    ],
)
def test_merge_small_values(sizes: dict[str, int], merged: set[str]) -> None:
    reported = merge_small_values(sizes, K)
    assert {value for value, shown in reported.items() if shown == OTHER} == merged
    assert all(shown == value for value, shown in reported.items() if value not in merged)


def boxes(*rows: list[int]) -> list[np.ndarray]:
    return [np.array(row, dtype=bool) for row in rows]


def shown(weights: list[int], candidates: list[np.ndarray], asked: list[list[int]]) -> list[bool]:
    result = audit(np.array(weights, dtype=np.int64), candidates, K)
    return result.in_span(np.array(asked, dtype=bool)).tolist()


def test_a_family_without_small_atoms_shows_every_box() -> None:
    result = audit(np.array([5, 9, 0, 12]), [], K)
    assert result.span is None
    assert result.in_span(np.array([[1, 0, 1, 0], [1, 1, 1, 1]], dtype=bool)).tolist() == [
        True,
        True,
    ]


def test_two_by_two_with_one_small_cell_hides_every_cell() -> None:
    # Atoms AX (2), AY, BX, BY (8 each). The margins are safe, but any one cell with them
    # gives AX: A - AY, X - BX, or the total minus the other three.
    weights = [2, 8, 8, 8]
    margins = boxes([1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1])
    cells = boxes([0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0])
    asked = [[1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    assert shown(weights, margins + cells, asked) == [True, True, False, False, False, False]


def test_a_nearly_nested_value_is_caught_across_segments() -> None:
    # Consultants: 10 in Europe and 1 in Asia; nobody else is in Europe. "consultant" and
    # "Europe" are each big, but consultant minus Europe is the one in Asia.
    # Atoms: (consultant, Europe) 10, (consultant, Asia) 1, (in-house, Asia) 20.
    weights = [10, 1, 20]
    consultant, europe, asia = [1, 1, 0], [1, 0, 0], [0, 1, 1]
    candidates = boxes([1, 1, 1], consultant, europe, asia)
    assert shown(weights, candidates, [consultant, europe, asia]) == [True, False, False]


def test_a_union_of_small_atoms_that_is_big_is_shown() -> None:
    # A region whose every combination with the other segments is small (3 + 4 + 4 + 4),
    # beside a big one: the region itself, 15 people, is safe to show, and so is the
    # total; only the small combinations are not.
    weights = [3, 4, 4, 4, 30]
    region, rest, total = [1, 1, 1, 1, 0], [0, 0, 0, 0, 1], [1, 1, 1, 1, 1]
    half = [1, 1, 0, 0, 0]  # 7 people: big enough, and it splits the region in two groups
    candidates = boxes(total, region, rest, half, [1, 0, 0, 0, 0])
    assert shown(weights, candidates, [total, region, rest, half, [0, 0, 1, 1, 0]]) == [
        True,
        True,
        True,
        True,
        True,  # 8 people: the region minus its published half
    ]


def test_two_halves_that_would_each_be_small_are_not_both_published() -> None:
    # The same region, 3 + 4 + 4 + 4: publishing {3, 4} (7) and {3, 4, 4} (11) would give
    # the third atom (4) by difference: the second is refused.
    weights = [3, 4, 4, 4, 30]
    candidates = boxes([1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 0, 0, 0], [1, 1, 1, 0, 0])
    assert shown(weights, candidates, [[1, 1, 0, 0, 0], [1, 1, 1, 0, 0]]) == [True, False]


def test_three_by_three_with_one_small_cell_hides_a_rectangle() -> None:
    # Rows A, B, C by columns X, Y, Z; AX has 2, every other cell 8. With the margins, the
    # cells are published in order (largest first, ties by position) until one more would
    # close a cycle through AX: a rectangle of four cells stays hidden, as in classic cell
    # suppression, and the other five are shown.
    weights = [2, 8, 8, 8, 8, 8, 8, 8, 8]  # AX AY AZ BX BY BZ CX CY CZ

    def cell(i: int) -> list[int]:
        return [int(j == i) for j in range(9)]

    rows = [[int(j // 3 == r) for j in range(9)] for r in range(3)]
    columns = [[int(j % 3 == c) for j in range(9)] for c in range(3)]
    candidates = boxes([1] * 9, *rows, *columns, *(cell(i) for i in range(1, 9)), cell(0))
    visible = shown(weights, candidates, [cell(i) for i in range(9)])
    assert visible.count(False) == 4 and not visible[0]
    hidden = [i for i, seen in enumerate(visible) if not seen]
    rows_of, columns_of = {i // 3 for i in hidden}, {i % 3 for i in hidden}
    assert len(rows_of) == len(columns_of) == 2  # a rectangle


def test_a_wave_with_too_many_combinations_merges_its_widest_segment_more() -> None:
    """Three segments of 30 values over 6,000 respondents: thousands of combinations, more
    than the audit affords. The widest segments merge values of more and more respondents
    until the atoms are few enough; each merge says its threshold, and the values kept are
    the larger ones."""
    rng = np.random.default_rng(5)
    n = 6000
    people = pd.DataFrame(
        {
            f"s{sid}": rng.choice([f"v{i}" for i in range(30)], n, p=weights)
            for sid, weights in ((1, _zipf(30)), (2, _zipf(30)), (3, np.full(30, 1 / 30)))
        }
    )
    people["respondents"] = 1
    people["n9"] = 1
    cells = people.groupby(["s1", "s2", "s3"], as_index=False).sum()
    assert len(cells) > MAX_AUDIT_ATOMS
    layout = Layout(segment_ids=(1, 2, 3), question_ids=(9,), pairs=())
    view = WaveView(
        FrameCounts(cells, layout), layout, [Family("question9", answered_column(9))], K
    )
    assert len(view.atoms) <= MAX_AUDIT_ATOMS
    assert max(merge.below for merge in view.merges.values()) > K
    for sid, merge in view.merges.items():
        sizes = people.groupby(f"s{sid}").size()
        kept = [v for v, shown in merge.reported.items() if shown != OTHER]
        if merge.merged and kept:
            assert sizes[list(merge.merged)].max() <= sizes[kept].min()
    assert int(view.atoms["respondents"].sum()) == n  # nobody dropped, only merged


def _zipf(count: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1)
    return weights / weights.sum()
