"""Privacy: what an answer may show, so that nobody learns how fewer than ``k`` people
answered (``k`` is MIN_GROUP_SIZE), whatever sequence of questions they ask.

**What is protected, and what is not.** People's answers are protected: how many agreed,
on one question or on both sides of a theme. Group sizes are not: how many respondents,
and how many of them answered a question, are printed beside every figure (they are the
bases that make a figure honest), so an attacker is assumed to know them all.

**The attacker.** Every printed count is a sum over whole *cells* (respondents sharing every
segment value, see :mod:`insights.store.counts`), so whatever anyone can work out from any number
of answers is a linear combination of the printed counts. The rule below makes sure that
no such combination is the count of fewer than ``k`` people. ``tests/test_privacy_attacker.py``
checks it independently: it asks every question a curious colleague could, and solves for
every small group with exact arithmetic.

**The rules**, per wave:

1. *Small values are merged.* A segment value (not stated included) held by fewer than
   ``k`` respondents of the wave is reported, for every question about that wave, as
   ``other (small groups)``, together with the next-smallest values until that group
   reaches ``k``: filters and breakdowns see only the merged value (:class:`Merge`). The
   merged cells are the *atoms* every answer is a sum over.
2. *Families.* Counts printed together over one base form a family: a single question's
   answers among those who answered it, a theme's pair among those who answered both of
   its questions, or one side of a pair among those who answered it alone (for the
   side's own-base share). Families never share people's answers, so each is protected on
   its own, with its own base as the weight of an atom; families asked of the same people
   share one audit (:func:`shared_audits`).
3. *The audit* (:func:`audit`). A fixed list of boxes (the whole wave, then each value of
   each segment, then each combination of two and of three segments' values, larger
   first) is considered in order; a box is *published* when its base is at least ``k``
   and, together with the boxes published before it, it lets nobody determine the counts
   of a set of atoms whose base is below ``k``. Exactly: among the combinations of
   published boxes that vanish on every atom with a base of ``k`` or more, any two small
   atoms that some combination tells apart must each belong to a group (of atoms no
   combination tells apart) with a base of at least ``k``. Since any group of fewer than
   ``k`` people that could be worked out would be such a combination, none can be.
4. *Answering.* A figure is shown when its box is a combination of published boxes (then
   it tells nothing the published boxes don't); otherwise it is hidden, saying whether its
   base is too small or it would reveal others' answers. Which boxes are published
   depends only on the wave's data and ``k``, never on who asked what before.

The audit's cost grows with the number of atoms; it runs once per wave and process
(:func:`view`'s cache) and is skipped for a family without small atoms, where every box
is a sum of atoms of at least ``k`` people and so always safe. A wave with more than
:data:`MAX_AUDIT_ATOMS` atoms merges its widest segments' values further (:func:`_merges`).
"""

from __future__ import annotations

import enum
import hashlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.store.columns import WaveColumns
from insights.store.counts import KnownMerges, Layout, Reported, WaveCounts, segment_column

OTHER = "other (small groups)"
NOT_STATED = ""  # how a cell table writes a value that was not stated
MAX_DEPTH = 3  # the audit considers combinations of up to this many segments' values
MAX_CANDIDATES = 2000  # and at most this many boxes (larger ones first)
# The audit's cost grows with the atoms (about their square per box considered): beyond
# this many, the widest segments merge more values until a wave has no more.
MAX_AUDIT_ATOMS = 600
_REMEMBERED_BOXES = 20_000  # per wave view: which boxes were found in a span
_PRIME = 2_147_483_647  # exact arithmetic modulo a prime: no rounding can hide a leak


class Verdict(enum.Enum):
    SHOWN = "shown"
    NOBODY = "nobody"  # nobody in the box answered: nothing to hide, nothing to show
    TOO_FEW = "too few"  # the box's base is below k
    REVEALING = "revealing"  # beside published answers, it would reveal a small group's


@dataclass(frozen=True)
class Family:
    """Counts printed together over one base; ``weight`` is the cell table's column of
    that base (answered a question, or answered both questions of a pair). Families with
    the same ``audited_with`` share one audit whatever atoms they leave out (see
    :func:`shared_audits`)."""

    key: str
    weight: str
    audited_with: str | None = None


# -- merging small values ---------------------------------------------------------------------


@dataclass(frozen=True)
class Merge:
    """How one segment's values are reported in one wave: ``reported[value]`` is the value
    itself, or :data:`OTHER` for the values merged because they have fewer than ``below``
    respondents (``k``, or more for a wave with too many cells to audit)."""

    segment_id: int
    reported: Mapping[str, str]
    below: int

    @property
    def merged(self) -> tuple[str, ...]:
        """The values reported as :data:`OTHER`, not stated last."""
        values = [v for v, r in self.reported.items() if r == OTHER]
        return tuple(sorted(values, key=lambda v: (v == NOT_STATED, v.casefold())))


def merge_small_values(
    sizes: Mapping[str, int], k: int, below: int | None = None
) -> dict[str, str]:
    """{value: reported value}: values with fewer than ``below`` (default ``k``)
    respondents become :data:`OTHER`, with the next-smallest values added until the merged
    group has ``k``."""
    small = {v for v, n in sizes.items() if 0 < n < (below or k)}
    if not small:
        return {v: v for v in sizes}
    total = sum(sizes[v] for v in small)
    rest = sorted((n, v) for v, n in sizes.items() if v not in small and n > 0)
    for n, value in rest:
        if total >= k:
            break
        small.add(value)
        total += n
    return {v: OTHER if v in small else v for v in sizes}


# -- the audit --------------------------------------------------------------------------------


class _Span:
    """A published span in reduced row echelon form modulo :data:`_PRIME`, over one
    family's atoms, with pivots taken among the big atoms' columns whenever a row has a
    nonzero there. Rows whose big-atom part is zero (``_small_rows``) then span exactly the
    combinations of published boxes that vanish on every big atom."""

    def __init__(self, big: np.ndarray) -> None:
        self.big = big
        self._rows = np.zeros((len(big), len(big)), dtype=np.int64)  # rank <= atoms
        self.pivots: list[int] = []
        self.small_rows: list[bool] = []
        # The small atoms the small rows tell apart, as a partition kept as rows come: it
        # depends only on the space the small rows span (atoms a and b are told apart iff
        # some vector of it differs on them), so eliminations never change it.
        small = int((~big).sum())
        self._group = np.zeros(small, dtype=np.int64)
        self._touched = np.zeros(small, dtype=bool)

    @property
    def rows(self) -> np.ndarray:
        return self._rows[: len(self.pivots)]

    def reduce(self, boxes: np.ndarray) -> np.ndarray:
        """The 0/1 ``boxes`` (one per row) reduced by the span: all zero when in it."""
        vectors = boxes.astype(np.int64)
        if not self.pivots:
            return vectors
        # 0/1 coefficients times entries below the prime: the sum cannot overflow.
        reduced: np.ndarray = (vectors - vectors[:, self.pivots] @ self.rows) % _PRIME
        return reduced

    def reduce_one(self, box: np.ndarray) -> np.ndarray:
        """One 0/1 ``box`` reduced by the span: the sum of the rows whose pivot it holds
        (a box holds few atoms, so few rows), taken from it."""
        reduced = box.astype(np.int64)
        held = np.flatnonzero(box[self.pivots]) if self.pivots else np.zeros(0, dtype=np.int64)
        if len(held):
            reduced = (reduced - self.rows[held].sum(axis=0)) % _PRIME
        return reduced

    def insert(self, reduced: np.ndarray) -> None:
        nonzero = np.flatnonzero(reduced)
        on_big = nonzero[self.big[nonzero]]
        pivot = int(on_big[0] if len(on_big) else nonzero[0])
        row = reduced * pow(int(reduced[pivot]), _PRIME - 2, _PRIME) % _PRIME
        rows = self.rows
        touched = np.flatnonzero(rows[:, pivot])
        if len(touched):
            rows[touched] = (rows[touched] - rows[touched, pivot, None] * row) % _PRIME
        self._rows[len(self.pivots)] = row
        self.pivots.append(pivot)
        self.small_rows.append(not len(on_big))
        if not len(on_big):
            self._group, self._touched = self._refined(row[~self.big])

    def _refined(self, small_part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The partition of small atoms, and which are touched, with one more small row."""
        _, group = np.unique(self._group * _PRIME + small_part, return_inverse=True)
        return group.ravel(), self._touched | (small_part != 0)

    def groups_big_enough(self, small_part: np.ndarray, weights: np.ndarray, k: int) -> bool:
        """Whether, with one more small row, the atoms the small rows tell apart come in
        groups with a base of ``k`` (atoms no row touches are told apart from nothing)."""
        group, touched = self._refined(small_part)
        if not touched.any():
            return True
        sums = np.bincount(group[touched], weights=weights[touched])
        return bool((sums[np.unique(group[touched])] >= k).all())


@dataclass(frozen=True)
class Audit:
    """What one family may show: every box when ``span`` is None (no small atoms), else
    the boxes in the span of the published ones."""

    space: np.ndarray  # atoms with a nonzero base, as a mask over all atoms
    span: _Span | None

    def in_span(self, boxes: np.ndarray) -> np.ndarray:
        """For 0/1 ``boxes`` over all atoms (one per row): whether each may be shown."""
        if self.span is None:
            return np.ones(len(boxes), dtype=bool)
        reduced = self.span.reduce(boxes[:, self.space])
        return np.asarray((reduced == 0).all(axis=1), dtype=bool)


def audit(
    weights: np.ndarray, candidates: Iterable[np.ndarray], k: int, space: np.ndarray | None = None
) -> Audit:
    """Publish ``candidates`` (0/1 boxes over the atoms, in order) under the rule in this
    module's docstring, for atoms with the bases ``weights``, over the atoms of ``space``
    (default: those with a nonzero base; an atom of the space with base 0 is a small one)."""
    space = weights > 0 if space is None else space
    base = weights[space]
    big = base >= k
    if big.all():
        return Audit(space, None)
    span = _Span(big)
    for box in candidates:
        vector = box[space]
        if base[vector].sum() < k:
            continue
        reduced = span.reduce_one(vector)
        if not reduced.any():
            continue  # already a combination of published boxes
        if not reduced[big].any() and not span.groups_big_enough(reduced[~big], base[~big], k):
            continue
        span.insert(reduced)
    return Audit(space, span)


def shared_audits(
    families: Mapping[str, np.ndarray],
    respondents: np.ndarray,
    candidates: Sequence[np.ndarray],
    k: int,
    together: Mapping[str, str] | None = None,
) -> dict[str, Audit]:
    """One audit for each group of families asked of the same people, instead of one each.

    Families form a group when they leave out the same atoms: those of ``k`` or more
    respondents where nobody answered (a question asked of some roles only), and those of
    ``2 k`` or more where fewer than ``k`` did (a question few answer); for questions most
    people answer, none. A group is audited once, over every atom any of them has, with each
    atom's smallest base among them (zero included), so random gaps in small atoms cost a
    little, and only there.
    That is safe for each family: a combination vanishing on the family's big atoms
    vanishes on the group's (a group-big atom is big in every family), so it is constant
    on the group's blocks, and a block's base in the family is at least its group base.
    It costs one audit per group; it hides a little more than one audit per family would.
    Families ``together`` names (key: group name) form the named groups instead, whatever
    they leave out: by the same argument, any grouping is safe.
    """
    groups: dict[bytes, list[str]] = {}
    for key, weights in families.items():
        if together and key in together:
            groups.setdefault(b"named " + together[key].encode(), []).append(key)
            continue
        unasked = (weights == 0) & (respondents >= k)
        sparse = (weights < k) & (respondents >= 2 * k)
        groups.setdefault(np.flatnonzero(unasked | sparse).tobytes(), []).append(key)
    audits: dict[str, Audit] = {}
    for members in groups.values():
        stacked = np.vstack([families[key] for key in members])
        space = np.asarray((stacked > 0).any(axis=0), dtype=bool)
        shared = audit(stacked.min(axis=0), candidates, k, space) if k > 1 else Audit(space, None)
        audits.update(dict.fromkeys(members, shared))
    return audits


# -- a wave, as answers may see it ----------------------------------------------------------


class WaveView:
    """One wave's cells, merged into atoms, with each family's audit.

    Filters name stated values (or :data:`NOT_STATED`); each selects the atoms of the
    values it is reported as, so ``region=europe`` selects every merged value when Europe
    is one of them, and the answer says so (:meth:`reported`).
    """

    def __init__(
        self,
        counts: WaveCounts,
        layout: Layout,
        families: Sequence[Family],
        k: int,
        derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    ) -> None:
        self.layout = layout
        self.k = k
        self.segments = layout.segment_columns()
        self.merges = choose_merges(counts, layout, k)
        atoms = counts.atoms({sid: merge.reported for sid, merge in self.merges.items()})
        self.atoms = derive(atoms) if derive else atoms
        counted = [c for c in self.atoms.columns if c not in self.segments]
        self._counts = {c: self.atoms[c].to_numpy(dtype=np.int64) for c in counted}
        self._values = {c: self.atoms[c].to_numpy(dtype=object) for c in self.segments}
        self.families = {family.key: family for family in families}
        self._candidates = _candidates(self.atoms, self.segments) if k > 1 else []
        self._spanned: dict[tuple[int, bytes], bool] = {}
        self._audits = shared_audits(
            {family.key: self._counts[family.weight] for family in families},
            self._counts["respondents"],
            self._candidates,
            k,
            {family.key: family.audited_with for family in families if family.audited_with},
        )

    # -- selecting atoms --

    def select(self, filters: Mapping[int, Collection[str]]) -> np.ndarray:
        """The atoms matching every filter (values of one segment OR-ed)."""
        mask = np.ones(len(self.atoms), dtype=bool)
        for sid, values in filters.items():
            reported = self.reported(sid, values)
            column = self._column(sid)
            if column is None:
                mask &= False
                continue
            mask &= np.isin(self._values[column], reported)
        return mask

    def reported(self, segment_id: int, values: Iterable[str]) -> tuple[str, ...]:
        """What filter values are reported as, in order, without repeats."""
        merge = self.merges.get(segment_id)
        found: dict[str, None] = {}
        for value in values:
            found.setdefault(merge.reported.get(value, value) if merge else value)
        return tuple(found)

    def split(self, mask: np.ndarray, segment_id: int) -> list[tuple[str, np.ndarray]]:
        """The selected atoms grouped by one segment's reported value."""
        column = self._column(segment_id)
        if column is None:
            return [(NOT_STATED, mask)] if mask.any() else []
        values = self._values[column]
        return [(str(v), mask & (values == v)) for v in pd.unique(values[mask])]

    def _column(self, segment_id: int) -> str | None:
        column = segment_column(segment_id)
        return column if column in self.atoms.columns else None

    # -- counting and deciding --

    def total(self, column: str, mask: np.ndarray) -> int:
        return int(self._counts[column][mask].sum())

    def verdicts(self, family: str, masks: Sequence[np.ndarray]) -> list[Verdict]:
        """Whether each box's counts of the family may be shown."""
        if not masks:
            return []
        weights = self._counts[self.families[family].weight]
        boxes = np.vstack(masks)
        bases = boxes.astype(np.int64) @ weights
        shown = self._in_span(self._audits[family], boxes)
        return [self._decide(int(base), bool(ok)) for base, ok in zip(bases, shown, strict=True)]

    def _in_span(self, audit: Audit, boxes: np.ndarray) -> list[bool]:
        """``audit.in_span``, remembered per box: families sharing an audit, and questions
        asking about the same groups, reduce each box once."""
        keys = [(id(audit), box.tobytes()) for box in boxes]
        missing = [i for i, key in enumerate(keys) if key not in self._spanned]
        if missing:
            found = audit.in_span(boxes[missing])
            if len(self._spanned) > _REMEMBERED_BOXES:
                self._spanned.clear()
            self._spanned.update({keys[i]: bool(ok) for i, ok in zip(missing, found, strict=True)})
        return [self._spanned[key] for key in keys]

    def _decide(self, base: int, in_span: bool) -> Verdict:
        if base == 0:
            return Verdict.NOBODY
        if base < self.k:
            return Verdict.TOO_FEW
        return Verdict.SHOWN if in_span else Verdict.REVEALING

    def verdict(self, family: str, mask: np.ndarray) -> Verdict:
        return self.verdicts(family, [mask])[0]


def choose_merges(counts: WaveCounts, layout: Layout, k: int) -> dict[int, Merge]:
    """Each segment's merge: small values first; then, while the wave has more atoms than
    the audit can afford, the segment with the most values merges values of twice as many
    respondents, and again, so the cost stays bounded and each step is said.

    The steps depend only on the values' sizes, so they are laid out first and a step
    with few enough atoms, after one with too many, is found by bisection: a handful of
    counts instead of one per step (merging more values seldom makes more atoms, and the
    answer is the same for every source). What was chosen is kept with the wave's counts
    (``WaveCounts.keep_merges``), so that the next process starting up reads it."""
    sizes = counts.sizes()
    known = counts.known_merges(k)
    if known is not None and set(known) == set(layout.segment_ids):
        return {
            sid: Merge(sid, {v: OTHER if v in merged else v for v in sizes[sid]}, below)
            for sid, (below, merged) in known.items()
        }
    steps = _merge_steps(sizes, layout, k)
    if k <= 1:
        return steps[0]
    chosen = steps[_first_few_enough(counts, steps)]
    counts.keep_merges(k, {sid: (m.below, m.merged) for sid, m in chosen.items()})
    return chosen


def _first_few_enough(counts: WaveCounts, steps: Sequence[Mapping[int, Merge]]) -> int:
    """A step with few enough atoms, the first when they only ever fall, by bisection (the
    last step has one atom)."""
    if _few_enough(counts, steps[0]):
        return 0
    low, high = 0, len(steps) - 1  # steps[low] has too many atoms; steps[high] is the last
    while high - low > 1:
        middle = (low + high) // 2
        if _few_enough(counts, steps[middle]):
            high = middle
        else:
            low = middle
    return high


def _merge_steps(
    sizes: Mapping[int, Mapping[str, int]], layout: Layout, k: int
) -> list[dict[int, Merge]]:
    """Every step :func:`_merges` may stop at, in order: the widest segment's threshold
    doubles at each, until every segment is down to one value."""
    below = dict.fromkeys(layout.segment_ids, k)
    steps = []
    while True:
        merges = {
            sid: Merge(sid, merge_small_values(sizes[sid], k, below[sid]), below[sid])
            for sid in layout.segment_ids
        }
        steps.append(merges)
        if k <= 1:
            return steps
        values = {sid: len(set(m.reported.values())) for sid, m in merges.items()}
        if not values or max(values.values()) <= 1:
            return steps
        widest = max(layout.segment_ids, key=lambda sid: (values[sid], sid))
        below[widest] *= 2


def _few_enough(counts: WaveCounts, merges: Mapping[int, Merge]) -> bool:
    """Whether the merged values leave at most :data:`MAX_AUDIT_ATOMS` atoms: certainly
    when their product does, else counted."""
    product = 1
    for merge in merges.values():
        product *= max(len(set(merge.reported.values())), 1)
    if product <= MAX_AUDIT_ATOMS:
        return True
    reported = {sid: merge.reported for sid, merge in merges.items()}
    return counts.combinations(reported) <= MAX_AUDIT_ATOMS


def _candidates(atoms: pd.DataFrame, segments: Sequence[str]) -> list[np.ndarray]:
    """The boxes the audit considers, in order: the whole wave, then every combination of
    one, two and three segments' values, by depth, larger boxes first (ties by the
    segments' names, then by their values in order)."""
    sizes = atoms["respondents"].to_numpy(dtype=np.int64)
    codes = {}
    for column in segments:
        found, _ = pd.factorize(atoms[column].to_numpy(dtype=object), sort=True)
        codes[column] = found.astype(np.int64)
    order: list[tuple[int, int, tuple[str, ...], int, int]] = []
    members: list[np.ndarray] = []  # per combination of segments, each atom's box
    for depth in range(min(MAX_DEPTH, len(segments)) + 1):
        for chosen in itertools.combinations(segments, depth):
            key = np.zeros(len(atoms), dtype=np.int64)
            for column in chosen:  # the first segment most significant: boxes in value order
                key = key * (int(codes[column].max(initial=0)) + 1) + codes[column]
            _, box_of_atom = np.unique(key, return_inverse=True)
            box_of_atom = box_of_atom.ravel()
            totals = np.bincount(box_of_atom, weights=sizes).astype(np.int64)
            order += [(depth, -int(n), chosen, i, len(members)) for i, n in enumerate(totals)]
            members.append(box_of_atom)
    order.sort(key=lambda item: item[:4])
    return [members[combination] == i for *_, i, combination in order[:MAX_CANDIDATES]]


# -- one view per wave and process ------------------------------------------------------------

_CACHE_SIZE = 32
_cache: OrderedDict[str, WaveView] = OrderedDict()
_cache_lock = threading.Lock()


def view(
    counts: WaveCounts,
    layout: Layout,
    families: Sequence[Family],
    k: int,
    derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> WaveView:
    """The wave's view, from a per-process cache keyed by the counts' version (see
    :class:`insights.store.counts.WaveCounts`): a replaced or forgotten wave has another version,
    so no stale view can answer for it. ``derive`` adds columns the families need, once per
    view."""
    digest = hashlib.sha256()
    digest.update(repr((layout, tuple(families), k, counts.version)).encode())
    key = digest.hexdigest()
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    built = WaveView(counts, layout, families, k, derive)
    with _cache_lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built


# -- merges worked out at import -------------------------------------------------------------


def merges_for(columns: WaveColumns, k: int) -> KnownMerges:
    """The values privacy merges in these columns (keyed by position, see
    :meth:`WaveColumns.keyed`) for ``k``: what a wave's first question would work out,
    worked out by its import instead, before it takes the write lock."""
    segments = tuple(range(len(columns.segments)))
    layout = Layout(segment_ids=segments, question_ids=(), pairs=())
    chosen = choose_merges(_InMemory(columns, layout), layout, k)
    return {sid: (merge.below, merge.merged) for sid, merge in chosen.items()}


class _InMemory(WaveCounts):
    """Counts of columns not stored yet (nothing to keep merges with)."""

    def __init__(self, columns: WaveColumns, layout: Layout) -> None:
        self.columns, self.layout, self.version = columns, layout, "in memory"

    def sizes(self) -> dict[int, dict[str, int]]:
        return self.columns.sizes(self.layout.segment_ids)

    def combinations(self, reported: Reported) -> int:
        return self.columns.combinations(self.layout.segment_ids, reported)

    def atoms(self, reported: Reported) -> pd.DataFrame:
        return self.columns.atoms(self.layout, reported)
