"""A column's distinct texts, each worked on once.

Survey columns repeat a handful of texts (answer labels, segment values, statuses) over
up to a million rows. Stripping, folding and looking up each distinct text once, then
spreading the results back over the rows, is what keeps reading a large export fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.extensions import take


@dataclass(frozen=True)
class Distinct:
    """``texts``: a column's distinct texts; ``cells``: each row's position among them
    (-1 where missing); ``index``: the column's index, for :meth:`spread`."""

    texts: pd.Series
    cells: npt.NDArray[np.intp]
    index: pd.Index

    @classmethod
    def of(cls, values: pd.Series) -> Distinct:
        cells, distinct = pd.factorize(values.to_numpy(dtype=object))
        return cls(pd.Series(distinct, dtype=values.dtype), cells, values.index)

    def spread(self, per_text: pd.Series) -> pd.Series:
        """Values found per distinct text (aligned with ``texts``), put back on every row
        that holds it; NA where the row's value was missing."""
        spread = take(per_text.array, self.cells, allow_fill=True)
        return pd.Series(spread, index=self.index, dtype=per_text.dtype)
