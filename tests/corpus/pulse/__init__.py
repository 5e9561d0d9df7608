"""The corpus test's second survey: an employee customer-focus pulse, SYNTHETIC (see
``generate``). Its names differ from the demo's so that no reading is tuned to the demo."""

from __future__ import annotations

from pathlib import Path

PULSE_DIR: Path = Path(__file__).resolve().parent
CODEBOOK_PATH: Path = PULSE_DIR / "codebook.toml"
