"""A progress bar for long reads, shown only when stderr is a terminal (not in logs/pipes)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import click

from insights.ingest import Progress


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """Yield a ``progress(done, total)`` callback drawing a bar, or None off a terminal.

    The bar is created on the first report, when the total (bytes or rows) is known.
    """
    if not sys.stderr.isatty():
        yield None
        return
    with ExitStack() as stack:
        bars: list[Any] = []

        def report(done: int, total: int) -> None:
            if not bars:
                bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
                bars.append(stack.enter_context(bar))
            bars[0].update(max(done - bars[0].pos, 0))

        yield report
