"""Shared fixtures: stores (empty and demo-loaded) and a tiny hand-made survey writer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import TEAM, TINY_CODEBOOK, TINY_COLUMNS, CliRun, Importer, Writer, rows_csv

from bot.entrypoints.cli import cli
from insights import Store
from insights.ingest.codebook import Codebook, parse_codebook
from insights.ingest.demo_loader import load_demo
from insights.ingest.importer import ImportSummary, import_file


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty, migrated in-memory store."""
    opened = Store.open(":memory:")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_store() -> Iterator[Store]:
    """The bundled demo survey loaded for TEAM (read-only: tests must not write to it)."""
    opened = Store.open(":memory:")
    load_demo(opened, TEAM, actor="cli:test")
    yield opened
    opened.close()


@pytest.fixture
def tiny_codebook() -> Codebook:
    return parse_codebook(TINY_CODEBOOK, name="tiny.toml")


@pytest.fixture
def write_csv(tmp_path: Path) -> Writer:
    """write_csv(rows, name="wave.csv", header=TINY_COLUMNS) -> path of a UTF-8 CSV."""

    def write(
        rows: Sequence[Sequence[object]],
        name: str = "wave.csv",
        header: Sequence[str] = TINY_COLUMNS,
    ) -> Path:
        path = tmp_path / name
        path.write_text(rows_csv(rows, header), encoding="utf-8")
        return path

    return write


@pytest.fixture
def import_rows(store: Store, tiny_codebook: Codebook, write_csv: Writer) -> Importer:
    """import_rows(rows, wave="w1") imports hand-made rows of the tiny survey into ``store``."""

    def run(rows: Sequence[Sequence[object]], wave: str = "w1") -> ImportSummary:
        path = write_csv(rows, name=f"{wave}.csv")
        return import_file(store, path, tiny_codebook, team_id=TEAM, wave=wave, actor="cli:test")

    return run


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database the ``empathy`` command uses, in a fresh working folder (so no stray
    .env is read), for the workspace ``local`` with a minimum group size of 5."""
    path = tmp_path / "empathy.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("DEFAULT_TEAM_ID", "local")
    monkeypatch.setenv("MIN_GROUP_SIZE", "5")
    return path


@pytest.fixture
def run(db_path: Path) -> CliRun:
    """run("ask", "gap", input=None) -> the ``empathy`` command's result, on ``db_path``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
