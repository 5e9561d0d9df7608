"""What an HTTP client gets when the web process (:mod:`bot.entrypoints.web`) fails to serve a
request: the one place a failure becomes a status code and a body.

The web process serves Slack, whose requests are acknowledged with 200 and whose people
read every failure of theirs as a message (:mod:`bot.errors.slack`); malformed and
unsigned requests are refused before any of this (4xx, :mod:`bot.entrypoints.web`). So the library's
errors reach HTTP only as failures: the status is the error's ``http_status``
(:mod:`insights.errors`: 503 for a store that is busy or unusable, 500 otherwise).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.errors.references import log_failure
from insights.errors import EmpathyError

logger = logging.getLogger(__name__)

# A failed health check always says this: a balancer needs the status, not the cause.
UNHEALTHY = "database unavailable"
_WORDS = {500: "Internal error", 503: "Service unavailable"}


@dataclass(frozen=True)
class Failure:
    """A status code and a plain-text body for a request that failed."""

    status: int
    body: str


def status_of(error: BaseException) -> int:
    """A library error's ``http_status``; 500 for anything else (a bug of ours)."""
    return error.http_status if isinstance(error, EmpathyError) else 500


def failure(error: BaseException, *, doing: str) -> Failure:
    """The response for ``error``, raised while trying to ``doing`` (for the log).

    Invariant: the status is :func:`status_of` ``error``; the body is a few words and a
    reference id, never a traceback nor anything from the error (a path, SQL, a name);
    the traceback is logged under that reference.
    """
    status = status_of(error)
    reference = log_failure(logger, error, doing)
    return Failure(status, f"{_WORDS.get(status, 'Error')}, reference {reference}")


def unhealthy(error: BaseException) -> Failure:
    """The health check's answer when the database does not answer: always 503 with
    :data:`UNHEALTHY` (whatever failed, this process cannot serve just now); the cause is
    logged with its traceback."""
    logger.error("Health check: the database does not answer", exc_info=error)
    return Failure(503, UNHEALTHY)
