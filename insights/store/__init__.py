"""The store: one SQLite file holding surveys, respondents, each wave's columns, the audit
log and the bot's conversation state, behind versioned migrations.

* ``database`` opens it (:class:`Store`: pragmas, migrations; ``migrations/`` holds the
  frozen code of the migrations that rebuild data).
* ``responses`` is the respondent-level table, the source of truth; ``columns`` is each
  wave's answers as small integer columns, derived from it in the same transaction.
* ``counts`` is the one door to respondent data (:class:`~insights.store.counts.CountSource`):
  every count the answers show comes through it.
* ``audit`` records who changed what, written by the library inside the change's own
  transaction; ``waves`` forgets a wave; ``bot_state`` keeps threads' context and the
  events already handled.

The edge imports the names below and nothing else from this package.
"""

from insights.store.audit import DEFAULT_LIMIT as AUDIT_LIMIT
from insights.store.audit import AuditEntry, cli_actor
from insights.store.audit import read as read_audit
from insights.store.bot_state import claim_event, load_context, save_context
from insights.store.database import Store
from insights.store.waves import ForgetSummary, WaveToForget, forget_wave, wave_to_forget

__all__ = [
    "AUDIT_LIMIT",
    "AuditEntry",
    "ForgetSummary",
    "Store",
    "WaveToForget",
    "claim_event",
    "cli_actor",
    "forget_wave",
    "load_context",
    "read_audit",
    "save_context",
    "wave_to_forget",
]
