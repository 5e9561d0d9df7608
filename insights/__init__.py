"""Empathy Gap's library, by stage: ``ingest`` (exports in) → ``store`` (SQLite) →
``answers`` (a question in, findings out) → ``digests`` (what is sent without asking);
``pulse`` asks a survey in Slack itself and closes it into a wave through ``ingest``.

Three modules serve every stage: ``errors`` (every error the library raises on purpose, one
tree), ``safe_text`` (text from surveys and people made safe for where it is shown) and
``blocks`` (the Block Kit primitives). No Slack transport lives here; ``bot/`` and the CLI
are edges that import each package's ``__init__`` (its public face) and these three modules,
never a package's inner modules.
"""

from insights.answers import Reply, ask, record_miss, top_misses
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
