"""Loading the bundled synthetic demo survey (see ``insights/ingest/demo``)."""

from __future__ import annotations

from insights.ingest.codebook import load_codebook
from insights.ingest.demo import CODEBOOK_PATH, SURVEY_NAME, WAVES
from insights.ingest.importer import ImportSummary, import_file
from insights.store.database import Store


def demo_is_loaded(store: Store, team_id: str) -> bool:
    row = store.db.execute(
        "SELECT COUNT(*) FROM waves w JOIN surveys s ON s.id = w.survey_id"
        " WHERE s.team_id = ? AND s.name = ?",
        [team_id, SURVEY_NAME],
    ).fetchone()
    return int(row[0]) == len(WAVES)


def load_demo(store: Store, team_id: str, *, actor: str) -> list[ImportSummary]:
    """Import every demo wave, oldest first, each recorded in the audit log as imported by
    ``actor``; loading again changes nothing (and records nothing)."""
    if demo_is_loaded(store, team_id):
        return []
    codebook = load_codebook(CODEBOOK_PATH)
    return [
        import_file(
            store, path, codebook, team_id=team_id, survey=SURVEY_NAME, wave=label, actor=actor
        )
        for label, path in WAVES
    ]
