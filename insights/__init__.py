"""Empathy Gap's library: store, import, statistics, query language, gap engine, rendering.

No Slack transport lives here; ``bot/`` and the CLI are thin edges over this surface.
"""

from insights.answers.misses import record_miss, top_misses
from insights.answers.reply import Reply, ask
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
from insights.store.database import Store

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
