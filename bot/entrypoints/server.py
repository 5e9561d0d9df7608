"""The web process (the Procfile's ``web`` line: ``python -m bot.entrypoints.server``):
uvicorn serving :func:`bot.entrypoints.web.create_web_app` on 0.0.0.0:$PORT.

uvicorn reads every connection on an event loop, so a client that sends slowly costs a
socket and a coroutine, not one of a few threads as under gunicorn's gthread workers (where
eight connections dribbling a body stopped the process). What uvicorn leaves unbounded is
bounded here or in :mod:`bot.entrypoints.web`:

* a request head (request line and headers) must arrive within HTTP_HEADER_TIMEOUT_SECONDS
  of the connection opening, or of the previous response on it; otherwise the connection is
  closed (:class:`HeadDeadlineProtocol`). uvicorn's own keep-alive timeout only runs between
  requests and stops at the next byte, so without this a client sending nothing, or its
  headers a byte at a time, would keep its socket for ever;
* a head is at most 16 kB (h11's limit on an incomplete event: 400 beyond it);
* a body must arrive within HTTP_BODY_TIMEOUT_SECONDS, and be at most 1 MB (bot.entrypoints.web).

There is deliberately no ``limit_concurrency``: uvicorn counts open connections against it,
so a few dozen slow clients would turn every real request into a 503.

WEB_CONCURRENCY worker processes (uvicorn's supervisor replaces one that dies); SIGTERM stops
them gracefully (:mod:`bot.entrypoints.web` finishes acked answers first).
"""

from __future__ import annotations

import asyncio
import functools

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from bot.settings import Settings

# Seconds an idle keep-alive connection stays open between two requests.
KEEP_ALIVE_SECONDS = 5
# Seconds requests in flight get to finish after SIGTERM, before they are cancelled.
GRACEFUL_SHUTDOWN_SECONDS = 20


@functools.cache
def head_timeout() -> float:
    """HTTP_HEADER_TIMEOUT_SECONDS, read once per worker process (workers are spawned, and
    read the same environment)."""
    return Settings().http_header_timeout_seconds


class HeadDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose next request head has not arrived
    within :func:`head_timeout` of the connection opening or of the previous response.

    A new request head is what makes uvicorn start a new request cycle, so the deadline is
    met exactly when ``self.cycle`` has changed since it was set."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head(after=None)

    def on_response_complete(self) -> None:
        # Set before uvicorn handles a pipelined request, which starts the next cycle.
        self._await_head(after=self.cycle)
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)

    def _await_head(self, after: RequestResponseCycle | None) -> None:
        self._cancel_head_deadline()
        self._head_deadline = self.loop.call_later(head_timeout(), self._head_overdue, after)

    def _head_overdue(self, after: RequestResponseCycle | None) -> None:
        if self.cycle is after and not self.transport.is_closing():
            self.logger.debug("Closing a connection that sent no request head in time")
            self.transport.close()

    def _cancel_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None


def main() -> None:
    """Serve until SIGTERM or SIGINT; the settings come from the environment and ``.env``."""
    from bot.app import configure_logging  # here: workers import this module before they ping

    settings = Settings()
    configure_logging(settings)  # uvicorn's own log lines go through it too (log_config=None)
    uvicorn.run(
        "bot.entrypoints.web:create_web_app",
        factory=True,
        host="0.0.0.0",  # the platform's router or proxy reaches it on $PORT
        port=settings.port,
        workers=settings.web_concurrency,
        http=HeadDeadlineProtocol,
        ws="none",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        log_config=None,
        server_header=False,
    )


if __name__ == "__main__":
    main()
