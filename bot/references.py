"""References that tie an apology shown in Slack to the traceback logged for it.

Every edge that answers a failure on our side with ``bot.blocks.internal_error_message``
logs the traceback under the same reference, so an admin given the reference finds it.
"""

from __future__ import annotations

import uuid


def new_reference() -> str:
    """A short id, unique enough to find one traceback in the logs."""
    return uuid.uuid4().hex[:10]
