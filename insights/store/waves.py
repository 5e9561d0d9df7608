"""Forgetting a wave: every response of one wave of a survey deleted, all or nothing.

:func:`wave_to_forget` says what :func:`forget_wave` would delete (for a confirmation);
:func:`forget_wave` deletes it in one transaction together with its audit entry. Deleting
the ``waves`` row removes the rest by ON DELETE CASCADE: its respondents, their rows in the
survey's response table, and its columns (migration 11's tables hang off
``wave_column_sets``, which hangs off ``waves``). A survey left without any wave goes too
(its questions, segments and response table with it), so it cannot become the default
survey with nothing to answer from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from insights.errors import ConflictError, NoSurveyError, NotFoundError, QueryError
from insights.store import audit, responses
from insights.store.database import Store


@dataclass(frozen=True)
class WaveToForget:
    """One wave as a confirmation shows it. ``last_wave``: the survey has no other wave, so
    forgetting it removes the survey too."""

    survey: str
    wave: str
    wave_id: int
    respondents: int
    imported_at: str
    last_wave: bool

    @property
    def target(self) -> str:
        return audit.import_target(self.survey, self.wave)


@dataclass(frozen=True)
class ForgetSummary:
    survey: str
    wave: str
    respondents: int
    survey_removed: bool

    def describe(self) -> str:
        plural = "s" if self.respondents != 1 else ""
        text = (
            f"Forgot wave {self.wave!r} of survey {self.survey!r}: {self.respondents}"
            f" respondent{plural} and their answers deleted."
        )
        if self.survey_removed:
            text += f" It was the survey's only wave, so survey {self.survey!r} is gone too."
        return text


def wave_to_forget(store: Store, team_id: str, survey: str | None, label: str) -> WaveToForget:
    """The wave ``label`` (of ``survey``, or of whichever survey has it): what forgetting
    it would delete. Raises NotFoundError (listing the known waves) or QueryError (the label
    is in several surveys and none was named)."""
    return _locate(store.db, team_id, survey, label)


def forget_wave(
    store: Store,
    team_id: str,
    survey: str | None,
    label: str,
    *,
    actor: str,
    wave_id: int | None = None,
    now: datetime | None = None,
) -> ForgetSummary:
    """Delete wave ``label`` and all its responses, and record who did it, in one
    transaction. ``wave_id``: the wave a confirmation showed; when the label now names
    another wave (imported again since), ConflictError and nothing is deleted."""
    with store.transaction() as db:
        found = _locate(db, team_id, survey, label)
        if wave_id is not None and found.wave_id != wave_id:
            raise ConflictError(
                f"Wave {found.wave!r} of survey {found.survey!r} was imported again after"
                " this was confirmed, so nothing was deleted.",
                suggestion="Ask to forget it again to see what it holds now.",
            )
        respondents = int(
            db.execute(
                "SELECT COUNT(*) FROM respondents WHERE wave_id = ?", [found.wave_id]
            ).fetchone()[0]
        )
        survey_id = responses.survey_of_wave(db, found.wave_id)
        db.execute("DELETE FROM waves WHERE id = ?", [found.wave_id])
        removed = db.execute(
            "DELETE FROM surveys WHERE id = ?"
            " AND NOT EXISTS (SELECT 1 FROM waves w WHERE w.survey_id = surveys.id)",
            [survey_id],
        ).rowcount
        if removed and survey_id is not None:
            responses.drop_table(db, survey_id)
        summary = ForgetSummary(found.survey, found.wave, respondents, bool(removed))
        detail = f"{respondents} respondent{'s' if respondents != 1 else ''} deleted"
        if summary.survey_removed:
            detail += "; survey removed (no waves left)"
        audit.record(store, team_id, actor, "forget", found.target, detail, now=now)
    return summary


def _locate(
    db: sqlite_utils.Database, team_id: str, survey: str | None, label: str
) -> WaveToForget:
    label = label.strip()
    if not label:
        raise QueryError("Say which wave to forget.", suggestion=_known(db, team_id, None))
    names = [str(row[0]) for row in db.execute(_SURVEYS, [team_id])]
    if not names:
        raise NoSurveyError("No survey has been imported for this workspace yet.")
    if survey is not None:
        chosen = [name for name in names if name.casefold() == survey.strip().casefold()]
        if not chosen:
            raise NotFoundError(
                f"There is no survey {survey!r}.", suggestion=f"Surveys: {', '.join(names)}."
            )
        names = chosen
    matches = [w for w in _waves(db, team_id, names) if w.label.casefold() == label.casefold()]
    if not matches:
        missing = (
            f"Survey {names[0]!r} has no wave {label!r}."
            if len(names) == 1
            else f"No survey has a wave {label!r}."
        )
        raise NotFoundError(missing, suggestion=_known(db, team_id, names))
    if len(matches) > 1:
        listed = ", ".join(w.survey for w in matches)
        raise QueryError(
            f"Wave {label!r} is in more than one survey ({listed}).",
            suggestion="Name the survey too.",
        )
    [found] = matches
    respondents = db.execute(
        "SELECT COUNT(*) FROM respondents WHERE wave_id = ?", [found.id]
    ).fetchone()[0]
    return WaveToForget(
        found.survey,
        found.label,
        found.id,
        int(respondents),
        found.imported_at,
        found.waves_in_survey == 1,
    )


_SURVEYS = "SELECT name FROM surveys WHERE team_id = ? ORDER BY name"


@dataclass(frozen=True)
class _Wave:
    survey: str
    label: str
    id: int
    imported_at: str
    waves_in_survey: int


def _waves(db: sqlite_utils.Database, team_id: str, surveys: list[str]) -> list[_Wave]:
    """The waves of the named surveys, each with how many waves its survey has."""
    marks = ", ".join("?" for _ in surveys)
    rows = db.execute(
        "SELECT s.name, w.label, w.id, w.imported_at,"
        " (SELECT COUNT(*) FROM waves o WHERE o.survey_id = s.id)"
        " FROM waves w JOIN surveys s ON s.id = w.survey_id"
        f" WHERE s.team_id = ? AND s.name IN ({marks}) ORDER BY s.name, w.ordinal",
        [team_id, *surveys],
    ).fetchall()
    return [_Wave(str(a), str(b), int(c), str(d), int(e)) for a, b, c, d, e in rows]


def _known(db: sqlite_utils.Database, team_id: str, surveys: list[str] | None) -> str:
    """'Waves: 2021-pilot, 2022.' (one survey) or 'Waves: a: w1, w2; b: w3.'"""
    names = surveys or [str(row[0]) for row in db.execute(_SURVEYS, [team_id])]
    if not names:
        return "No survey has been imported for this workspace yet."
    by_survey: dict[str, list[str]] = {name: [] for name in names}
    for wave in _waves(db, team_id, names):
        by_survey[wave.survey].append(wave.label)
    if len(by_survey) == 1:
        [labels] = by_survey.values()
        return f"Waves: {', '.join(labels)}." if labels else "It has no waves."
    listed = "; ".join(
        f"{name}: {', '.join(labels) or '(none)'}" for name, labels in by_survey.items()
    )
    return f"Waves: {listed}."
