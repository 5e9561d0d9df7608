"""The bundled demo survey: a codebook and two waves of SYNTHETIC respondent-level data.

The files are written by ``python -m insights.ingest.demo.generate``; see that module for what
the data reproduces and what is invented. This package only says where the files live.
"""

from __future__ import annotations

from pathlib import Path

DEMO_DIR: Path = Path(__file__).resolve().parent
CODEBOOK_PATH: Path = DEMO_DIR / "codebook.toml"
WAVES: list[tuple[str, Path]] = [
    ("2021-pilot", DEMO_DIR / "wave_2021_pilot.csv"),
    ("2022", DEMO_DIR / "wave_2022.csv"),
]
"""Wave label and CSV file, oldest first."""
SURVEY_NAME = "empathy-in-action"

__all__ = ["CODEBOOK_PATH", "DEMO_DIR", "SURVEY_NAME", "WAVES"]
