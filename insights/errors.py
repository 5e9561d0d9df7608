"""Every error the library raises on purpose.

Each kind of edge translates them in one place; nothing else should leak to a user:

* the CLI (:mod:`bot.errors.cli`) prints ``str(error)`` on stderr and exits with
  ``error.exit_code``;
* Slack (:mod:`bot.errors.slack`) replies with a message built from ``error.message`` and
  ``error.suggestion`` (an import refused: its ``problems``);
* HTTP (:mod:`bot.errors.http`) answers ``error.http_status``. A person's mistake never
  reaches HTTP: Slack's requests are acknowledged with 200 and the mistake is told as a
  message, so only a store that cannot be used has a status of its own (503); any other
  library error reaching HTTP is a failure of ours (500).

Hierarchy::

    EmpathyError                 base class, never raised itself
    ├── UserError                the person asked for something we cannot answer
    │   ├── QueryError           a query has words we do not understand
    │   │   ├── RefusedError     a question about individuals: never answered
    │   │   └── ActionNotQuestion  an action (subscribe, import…) asked as a question
    │   ├── NotFoundError        a survey, wave, theme or segment does not exist
    │   │   ├── NoSurveyError    none imported for this team yet
    │   │   └── NoSubscriptionError  the channel gets no digest
    │   ├── SuppressedError      the group asked for is too small to show (privacy)
    │   └── ConflictError        what a confirmation showed changed before it was confirmed
    ├── ImportFailed             a file or codebook cannot be imported; nothing was written
    │   └── CodebookError        the codebook itself is invalid
    └── StoreError               the database is unusable (wrong schema version, locked)
"""

from __future__ import annotations


class EmpathyError(Exception):
    """Base class; carries what the edges need to answer well: ``exit_code`` for the CLI,
    ``http_status`` for HTTP, ``message`` and ``suggestion`` for people."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion

    def __str__(self) -> str:
        if self.suggestion:
            return f"{self.message} {self.suggestion}"
        return self.message


class UserError(EmpathyError):
    """Raised when a request cannot be answered as asked; the person can fix it."""

    exit_code = 2


class QueryError(UserError):
    """Raised by the query parser for words it cannot place; ``suggestion`` says what to try,
    and ``reading``, when there is one, is the closest strict query it could read (an edge
    offers it as a button, never answers it unasked)."""

    def __init__(
        self, message: str, *, suggestion: str | None = None, reading: str | None = None
    ) -> None:
        super().__init__(message, suggestion=suggestion)
        self.reading = reading


class RefusedError(QueryError):
    """Raised for a question about individuals ("who answered no?", "list the
    respondents"): understood, and refused by the anonymity rule."""


class ActionNotQuestion(QueryError):
    """Raised when a text names an action (``subscribe``, ``import``…) where a question was
    expected. ``action`` is the word; how to do it instead is each edge's to say (the CLI
    points to Slack, Slack to its slash command)."""

    def __init__(self, message: str, *, action: str) -> None:
        super().__init__(message)
        self.action = action


class NotFoundError(UserError):
    """Raised when a named survey, wave, theme, segment or value does not exist for this team."""


class NoSurveyError(NotFoundError):
    """Raised when the team has no survey imported yet. It carries no suggestion: how to
    import one is each edge's to say in its own words (a CLI command at the terminal, an
    upload or ``/empathy import`` in Slack)."""


class NoSubscriptionError(NotFoundError):
    """Raised when a channel has no digest subscription. How to subscribe is each edge's to
    say (``subscribe …`` is typed in Slack); the error carries the ``channel_id``."""

    def __init__(self, message: str, *, channel_id: str) -> None:
        super().__init__(message)
        self.channel_id = channel_id


class SuppressedError(UserError):
    """Raised when the whole group asked for is below the minimum group size."""


class ConflictError(UserError):
    """Raised when a confirmed change no longer matches what its confirmation showed: e.g.
    ``forget_wave`` for a wave that was re-imported after the confirmation was shown.
    Nothing was changed; asking again shows what is there now."""


class ImportFailed(EmpathyError):
    """Raised when an import is refused. The database is left exactly as it was."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        problems: list[str] | None = None,
        left_out: dict[str, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        # Rows the export's filters left out, by reason ("unfinished", "survey preview"…),
        # when nothing was left to import because of them: each edge says in its own words
        # how to keep them (the CLI names its flags; Slack uploads cannot keep them).
        self.left_out = dict(left_out or {})

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        listed = "; ".join(self.problems[:20])
        more = len(self.problems) - 20
        tail = f"; and {more} more problem(s)" if more > 0 else ""
        return f"{self.message}: {listed}{tail}. Nothing was imported."


class CodebookError(ImportFailed):
    """Raised when a codebook cannot be read or contradicts itself."""


class StoreError(EmpathyError):
    """Raised when the database cannot be opened or migrated."""

    exit_code = 4
    http_status = 503
