"""What a digest claims, statistically: a group is named as standing out only when it has
at least 30 answering both and its gap differs from the other groups' beyond chance
(Holm-adjusted); a wave that grew is tested newcomers against earlier respondents, and
not at all when fewer than the minimum group size arrived. Hand-made data on the tiny
survey (``team``, ``site``; the care theme's two questions and a yes/no one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import TEAM, TINY_CODEBOOK, rows_csv

from insights import Store
from insights.digests.content import NEWCOMERS_TEST, Snapshot, build_digest, render_digest
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file

MIN = 5


def people(team: str, count: int, agree_p: int, agree_o: int, start: int = 0) -> list[list[str]]:
    """``count`` of ``team``: the first ``agree_p`` agree personally, the first ``agree_o``
    for their organization."""
    return [
        [
            f"{team}{start + i}",
            team,
            "s1",
            "Agree" if i < agree_p else "Disagree",
            "Agree" if i < agree_o else "Disagree",
            "Yes",
        ]
        for i in range(count)
    ]


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    store = Store.open(":memory:")
    yield store, tmp_path
    store.close()


def load(store: Store, folder: Path, rows: list[list[str]], wave: str = "w1") -> None:
    path = folder / f"{wave}.csv"
    path.write_text(rows_csv(rows), encoding="utf-8")
    import_file(
        store, path, parse_codebook(TINY_CODEBOOK), team_id=TEAM, wave=wave, actor="cli:test"
    )


def test_a_group_whose_gap_differs_beyond_chance_is_named(tiny: tuple[Store, Path]) -> None:
    store, folder = tiny
    # A: 40, all agree personally, none for the organization (gap 100); B: 40, half and
    # half on both sides (gap 0). C: 12 with a gap of 100 too, but fewer than 30 pairs.
    load(store, folder, people("A", 40, 40, 0) + people("B", 40, 20, 20) + people("C", 12, 12, 0))
    digest = build_digest(store, TEAM, "gap", min_group_size=MIN)
    assert digest.widest is not None
    assert (digest.widest.segment, digest.widest.group) == ("team", "A")
    assert digest.widest.result.paired_n == 40
    # A against B and C together: 100 − (12 of 52 more agree personally) ≈ +77 pts.
    assert digest.widest.versus_rest.points == pytest.approx(100 - 100 * 12 / 52)
    text = render_digest(digest).text
    assert "team = A: care gap 100 pts (n = 40), +77 pts against the other groups" in text


def test_a_small_group_with_a_wide_gap_is_not_named(tiny: tuple[Store, Path]) -> None:
    store, folder = tiny
    # C's gap (100 on 12 pairs) is the widest, but too few answered both to rank it.
    load(store, folder, people("A", 40, 20, 20) + people("B", 40, 20, 18) + people("C", 12, 12, 0))
    digest = build_digest(store, TEAM, "gap", min_group_size=MIN)
    assert digest.widest is None
    assert "No group stands out" in render_digest(digest).text


def snapshot(store: Store) -> Snapshot:
    return build_digest(store, TEAM, "gap", min_group_size=MIN).snapshot


def test_a_grown_wave_compares_newcomers_with_earlier_respondents(
    tiny: tuple[Store, Path],
) -> None:
    store, folder = tiny
    earlier = people("A", 30, 28, 10)
    load(store, folder, earlier)
    before = snapshot(store)
    load(store, folder, earlier + people("A", 10, 10, 10, start=100))  # 10 more, gap 0
    digest = build_digest(store, TEAM, "gap", min_group_size=MIN, previous=before)
    assert digest.new_responses == 10
    [moved] = digest.movements
    assert moved.test is not None and moved.test.method == NEWCOMERS_TEST
    # Earlier: gap (28 − 10)/30 = 60 pts; newcomers: 0. Overall now (38 − 20)/40 = 45 pts.
    assert (round(moved.before), round(moved.after)) == (60, 45)
    assert moved.significant  # newcomers' 0 against earlier 60 on these counts
    assert "new responses vs earlier ones" in render_digest(digest).text


def test_fewer_new_answers_than_the_minimum_are_not_compared(tiny: tuple[Store, Path]) -> None:
    store, folder = tiny
    earlier = people("A", 30, 28, 10)
    load(store, folder, earlier)
    before = snapshot(store)
    load(store, folder, earlier + people("A", 3, 3, 3, start=100))
    digest = build_digest(store, TEAM, "gap", min_group_size=MIN, previous=before)
    [moved] = digest.movements
    assert moved.test is None
    assert "not tested: fewer than 5 new answers, not compared to protect their privacy" in (
        render_digest(digest).text
    )


def test_a_replaced_wave_is_not_tested_as_if_it_had_grown(tiny: tuple[Store, Path]) -> None:
    store, folder = tiny
    load(store, folder, people("A", 30, 28, 10))
    before = snapshot(store)
    load(store, folder, people("A", 30, 20, 20))  # same size, other answers
    digest = build_digest(store, TEAM, "gap", min_group_size=MIN, previous=before)
    [moved] = digest.movements
    assert moved.test is None and moved.why == "the wave was replaced, not just added to"


def test_a_snapshot_round_trips_and_old_ones_are_read(tiny: tuple[Store, Path]) -> None:
    store, folder = tiny
    load(store, folder, people("A", 30, 28, 10))
    kept = snapshot(store)
    assert Snapshot.from_json(kept.to_json()) == kept
    old = Snapshot.from_json('{"wave": "w1", "respondents": 30, "gaps": {"care": [60, 30, 18, 0]}}')
    assert old.gaps["care"].table is None  # kept no agreement on both sides: not tested
    digest = build_digest(store, TEAM, "gap", min_group_size=MIN, previous=old)
    [moved] = digest.movements
    assert moved.test is None and "too little to test against" in moved.why
