"""`empathy codebook suggest` and `empathy import` read within the same limits as Slack
uploads (MAX_COLUMNS and kin, from the environment or .env), and say which one a file
passed; raising a limit lets the file through."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile_files import wide_csv

from bot.entrypoints.cli import cli


@pytest.fixture(autouse=True)
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the repository
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "empathy.db"))
    monkeypatch.setenv("DEFAULT_TEAM_ID", "local")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_max_columns_applies_to_suggest_and_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = wide_csv(tmp_path / "wide.csv", columns=40, rows=5)
    assert run("codebook", "suggest", str(path), "-o", "cb.toml").exit_code == 0
    monkeypatch.setenv("MAX_COLUMNS", "30")
    for args in (
        ["codebook", "suggest", str(path)],
        ["import", str(path), "--codebook", "cb.toml"],
    ):
        refused = run(*args)
        assert refused.exit_code == 3
        assert (
            "Error: File wide.csv has 40 columns; Empathy Gap reads at most 30." in refused.output
        )
