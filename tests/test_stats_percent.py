"""Whole percentages round halves up, as people expect; p-values format as stated."""

from __future__ import annotations

import pytest

from insights.answers.stats import format_p, percent


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.725, 73),  # 72.5 → 73 (Python's round() would give 72)
        (0.715, 72),  # 71.5 → 72
        (0.345, 35),  # 34.5 → 35, although 0.345·100 is 34.4999… in binary
        (0.125, 13),
        (0.005, 1),
        (0.0049, 0),
        (0.995, 100),
        (0.0, 0),
        (1.0, 100),
        (179 / 197, 91),  # 90.86
        (71 / 197, 36),  # 36.04
        (108 / 150, 72),
        (45 / 150, 30),
    ],
)
def test_percent(share: float, shown: int) -> None:
    assert percent(share) == shown


def test_format_p() -> None:
    assert format_p(0.0009) == "p < 0.001"
    assert format_p(0.001) == "p = 0.001"
    assert format_p(22 / 1024) == "p = 0.021"
    assert format_p(1.0) == "p = 1.000"
