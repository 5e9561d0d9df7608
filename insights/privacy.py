"""Privacy rules: which groups an answer must not show.

Two rules, both about working out what a few respondents answered:

* **Small groups.** A group of fewer than ``min_group_size`` respondents is hidden; when a
  breakdown would hide exactly one group, the next-smallest goes too, so the hidden one
  cannot be worked out by subtracting the shown groups from the total
  (:func:`suppressed_groups`).
* **Near-complete filters.** Two answers that differ by one filter differ by the people
  that filter leaves out: ``gap region=europe`` minus ``gap region=europe role=in-house``
  is what Europe's other respondents answered. So a filter must leave out nobody or at
  least ``min_group_size`` respondents (of those matching the other filters, in each
  group shown), and each value of a filter naming several must itself match nobody or at
  least that many (:func:`revealing_filters`). This closes differences between two
  questions; like any rule short of adding noise, it cannot close every combination of
  many.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from insights.counts import CountSource, Slice


def suppressed_groups(
    sizes: pd.DataFrame, min_group_size: int, also: set[str] | None = None
) -> set[str]:
    """Groups to hide: the small ones and ``also``, plus the next-smallest when only one
    would be hidden."""
    small = set(sizes.loc[sizes["respondents"] < min_group_size, "group"].astype(str))
    small |= also or set()
    if len(small) == 1 and len(sizes) > 1:
        rest = sizes[~sizes["group"].astype(str).isin(small)].sort_values(["respondents", "group"])
        small.add(str(rest.iloc[0]["group"]))
    return small


@dataclass(frozen=True)
class Revealing:
    """Why a group is hidden: filter ``segment`` (a segment id) leaves out too few
    respondents, or (``value`` set) one of its values matches too few."""

    segment: int
    value: str | None = None


def revealing_filters(
    source: CountSource, where: Slice, min_group_size: int
) -> dict[str, Revealing]:
    """{group: why} for the groups of ``where`` (``""`` without a breakdown) that another
    question differing by one filter would single out fewer than ``min_group_size`` of."""
    if min_group_size <= 1 or not where.filters:
        return {}
    found: dict[str, Revealing] = {}
    shown = _sizes(source, where)
    for segment, values in where.filters.items():
        broader = _sizes(source, _with(where, segment, None))
        for group, size in broader.items():
            if _too_few(size - shown.get(group, 0), min_group_size):
                found.setdefault(group, Revealing(segment))
        if len(values) > 1:
            for value in values:
                alone = _sizes(source, _with(where, segment, [value]))
                for group, size in alone.items():
                    if _too_few(size, min_group_size):
                        found.setdefault(group, Revealing(segment, value))
    return found


def _too_few(respondents: int, min_group_size: int) -> bool:
    return 0 < respondents < min_group_size


def _sizes(source: CountSource, where: Slice) -> dict[str, int]:
    sizes = source.group_sizes(where)
    return {str(g): int(n) for g, n in sizes[["group", "respondents"]].itertuples(index=False)}


def _with(where: Slice, segment: int, values: Sequence[str] | None) -> Slice:
    """``where`` with filter ``segment`` set to ``values``, or dropped (None)."""
    filters: Mapping[int, Sequence[str]] = {
        key: kept for key, kept in where.filters.items() if key != segment
    }
    if values is not None:
        filters = {**filters, segment: values}
    return Slice(where.wave_id, filters, where.by)
