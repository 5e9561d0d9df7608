"""What an HTTP client gets from the web process for each kind of failure
(bot.errors.http): a store that cannot be used is 503, anything else 500, and the body is
a few words and a reference id, never the error's text or its traceback."""

from __future__ import annotations

import logging

import pytest

from bot.errors.http import UNHEALTHY, failure, status_of, unhealthy
from insights.errors import (
    CodebookError,
    ConflictError,
    EmpathyError,
    ImportFailed,
    NotFoundError,
    QueryError,
    RefusedError,
    StoreError,
    SuppressedError,
    UserError,
)

SECRET_DETAIL = "/srv/empathy/empathy.db"  # what a body must never carry

# A person's mistake never reaches HTTP (Slack's requests are answered with 200 and a
# message): if one does, a route forgot to tell it, and that is ours to fix.
STATUSES = [
    (UserError(f"no {SECRET_DETAIL}"), 500),
    (QueryError(f"no {SECRET_DETAIL}"), 500),
    (RefusedError(f"no {SECRET_DETAIL}"), 500),
    (NotFoundError(f"no {SECRET_DETAIL}"), 500),
    (SuppressedError(f"no {SECRET_DETAIL}"), 500),
    (ConflictError(f"no {SECRET_DETAIL}"), 500),
    (ImportFailed(f"no {SECRET_DETAIL}", problems=["x"]), 500),
    (CodebookError(f"no {SECRET_DETAIL}"), 500),
    (StoreError(f"Cannot open the database at {SECRET_DETAIL}."), 503),
    (RuntimeError(SECRET_DETAIL), 500),
]


@pytest.mark.parametrize(("error", "status"), STATUSES, ids=lambda v: type(v).__name__)
def test_each_failure_gets_its_status_and_a_reference_never_its_text(
    error: Exception, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        failed = failure(error, doing="serve a test")
    assert failed.status == status == status_of(error)
    assert SECRET_DETAIL not in failed.body and "Traceback" not in failed.body
    reference = failed.body.rsplit("reference ", 1)[1]
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[1] is error


def test_a_bug_keeps_the_words_it_always_had() -> None:
    assert failure(ValueError("x"), doing="serve a test").body.startswith("Internal error, ")


def test_the_status_is_read_from_the_library_error() -> None:
    class Unavailable(EmpathyError):
        http_status = 507

    assert failure(Unavailable("full"), doing="serve a test").status == 507


@pytest.mark.parametrize("error", [StoreError(SECRET_DETAIL), OSError(SECRET_DETAIL)])
def test_a_failed_health_check_is_503_whatever_failed(error: Exception) -> None:
    failed = unhealthy(error)
    assert (failed.status, failed.body) == (503, UNHEALTHY)
