"""Empathy Gap's library: store, import, statistics, query language, gap engine, rendering.

No Slack transport lives here; ``bot/`` and the CLI are thin edges over this surface.
"""

from insights.answer import Reply, ask
from insights.errors import (
    CodebookError,
    EmpathyError,
    ImportFailed,
    NotFoundError,
    QueryError,
    RefusedError,
    StoreError,
    SuppressedError,
    UserError,
)
from insights.misses import record_miss, top_misses
from insights.store import Store

__all__ = [
    "CodebookError",
    "EmpathyError",
    "ImportFailed",
    "NotFoundError",
    "QueryError",
    "RefusedError",
    "Reply",
    "Store",
    "StoreError",
    "SuppressedError",
    "UserError",
    "ask",
    "record_miss",
    "top_misses",
]
