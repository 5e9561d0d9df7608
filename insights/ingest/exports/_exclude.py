"""Which respondents an export leaves out, and why: previews, tests and partial responses.

Survey owners preview and test their own survey; those answers, and responses abandoned
halfway, would skew every percentage, so they are left out unless asked for. Qualtrics
writes the status as text or as a numeric code depending on the export option.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from insights.ingest.distinct import Distinct

PREVIEW = "survey preview"
TEST = "survey test"
UNFINISHED = "unfinished"
BLANK = "blank"
STATUS_REASONS = {"survey preview": PREVIEW, "1": PREVIEW, "survey test": TEST, "2": TEST}
NOT_FINISHED = frozenset({"false", "0"})


@dataclass(frozen=True)
class Exclusions:
    """The columns to look at (ids; None where the layout has none) and what to keep."""

    status: str | None = None
    finished: str | None = None
    include_previews: bool = False
    include_unfinished: bool = False

    def reasons(self, frame: pd.DataFrame) -> pd.Series:
        """The reason each row is left out, "" where it is kept.

        A preview or test is counted as such even when unfinished: previews are often
        abandoned halfway, and "unfinished" should count real respondents only.
        """
        reasons = pd.Series("", index=frame.index, dtype=object)
        if self.finished and not self.include_unfinished:
            unfinished = _per_text(
                frame[self.finished], lambda texts: texts.isin(NOT_FINISHED).astype("boolean")
            )
            reasons[unfinished.fillna(False).astype(bool)] = UNFINISHED
        if self.status and not self.include_previews:
            status = _per_text(frame[self.status], lambda texts: texts.map(STATUS_REASONS))
            reasons[status.notna()] = status[status.notna()]
        return reasons

    def keep(self, frame: pd.DataFrame, excluded: Counter[str]) -> pd.DataFrame:
        """The rows kept, counting the others in ``excluded`` by reason."""
        if not (self.status or self.finished) or frame.empty:
            return frame
        reasons = self.reasons(frame)
        excluded.update(reasons[reasons != ""].tolist())
        return frame[reasons == ""]


def _per_text(values: pd.Series, decide: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``decide`` on each distinct stripped, case-folded text of ``values``, spread back
    over the rows (a status column holds two or three texts over a whole export)."""
    distinct = Distinct.of(values)
    return distinct.spread(decide(distinct.texts.str.strip().str.casefold()))
