"""Reference ids: how a failure of ours is told to a person without its traceback.

Every edge (Slack, the CLI, HTTP) answers an unexpected exception the same way: the
traceback goes to the log (or, at a terminal, to a file) under a new reference, and the
person is shown only the reference, which finds the traceback again.
"""

from __future__ import annotations

import logging
import uuid


def new_reference() -> str:
    """A short random id (ten hex digits): easy to read out, and unique enough to find
    the one log record it was given to."""
    return uuid.uuid4().hex[:10]


def log_failure(logger: logging.Logger, error: BaseException, doing: str) -> str:
    """Log ``error`` with its traceback as a failure to ``doing`` (\"answer a Slack
    request\"), and return the reference the record carries."""
    reference = new_reference()
    logger.error("Could not %s (reference %s)", doing, reference, exc_info=error)
    return reference
