"""What a person at the terminal gets when an ``empathy`` command fails: the one place a
failure becomes a message on stderr and an exit code.

``empathy`` and ``empathy digests`` are :class:`TranslatingGroup` groups, so every command
(and every subcommand) runs inside :func:`translated`.
"""

from __future__ import annotations

import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from bot.errors.references import new_reference
from insights.errors import (
    ActionNotQuestion,
    EmpathyError,
    ImportFailed,
    NoSubscriptionError,
    NoSurveyError,
)
from insights.safe_text import echo, printable

# An error may quote what was typed (`empathy ask "…"`); past this it is cut.
MAX_ERROR = 4000
# A failure of ours: nothing the person did explains it.
INTERNAL_EXIT = 1


@contextmanager
def translated() -> Iterator[None]:
    """Run the body; turn what it raises into what the person at the terminal reads.

    Invariants:

    * a library error (:mod:`insights.errors`) prints ``Error: `` and its message (with
      its suggestion, and the CLI's own hint where the library left that to the edge:
      :func:`in_cli_words`), bounded, its control characters shown as escapes, on stderr, and
      exits with the error's ``exit_code`` (2 a person's mistake, 3 an import refused,
      4 an unusable database);
    * click's own (usage errors, ``--help``, an aborted prompt) pass through untouched;
    * anything else is a failure of ours: one line on stderr with a reference id and the
      file holding the traceback, exit code :data:`INTERNAL_EXIT`; the terminal never
      shows a traceback.
    """
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except EmpathyError as error:
        _say_error(echo(in_cli_words(error), MAX_ERROR))
        raise SystemExit(error.exit_code) from None
    except Exception as error:
        reference = new_reference()
        kept = _keep_traceback(error, reference)
        _say_error(
            f"something went wrong on our side (reference {reference}). The details are in"
            f" {kept}; please include them when you report it."
        )
        raise SystemExit(INTERNAL_EXIT) from None


def in_cli_words(error: EmpathyError) -> str:
    """``error`` as the terminal says it: the library's words, then what to do next named
    in the CLI's own vocabulary (its flags and commands), where the library left that to
    the edge."""
    hint = _cli_hint(error)
    return f"{error} {hint}" if hint else str(error)


def _cli_hint(error: EmpathyError) -> str | None:
    if isinstance(error, ImportFailed) and error.left_out:
        return (
            "Include them with --include-previews / --include-unfinished if they are real answers."
        )
    if isinstance(error, ActionNotQuestion):
        return f"Use `/empathy {error.action}` in Slack."
    if isinstance(error, NoSurveyError):
        return (
            "An admin can load one with `empathy import FILE --codebook CODEBOOK`"
            " (or `empathy demo` for the demo survey)."
        )
    if isinstance(error, NoSubscriptionError):
        return "Subscribe it in Slack: type `/empathy subscribe weekly monday 09:00` there."
    return None


class TranslatingGroup(click.Group):
    """A click group whose commands' failures are told by :func:`translated`."""

    def invoke(self, ctx: click.Context) -> Any:
        with translated():
            return super().invoke(ctx)


def _say_error(text: str) -> None:
    click.echo(printable(f"Error: {text}"), err=True)


def _keep_traceback(error: Exception, reference: str) -> str:
    """Write ``error``'s traceback to a new file named after ``reference``; its path."""
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"empathy-error-{reference}-", suffix=".txt", delete=False
    ) as kept:
        kept.write(f"reference {reference}\n")
        kept.write("".join(traceback.format_exception(error)))
    return kept.name
