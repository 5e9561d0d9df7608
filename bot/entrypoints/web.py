"""The production HTTP edge: an ASGI app around the (sync) Bolt app, served by uvicorn from
:mod:`bot.entrypoints.server`, the Procfile's ``web`` process.

* ``POST /slack/events``: slash commands, events and interactivity, all signed by Slack;
* ``GET /healthz``: 200 when the process is up and the database opens;
* ``GET /slack/install`` and ``GET /slack/oauth_redirect``: the OAuth install of a workspace,
  when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (404 otherwise); see :mod:`bot.slack.oauth`.

What holds, whatever clients do:

* A body is read on the event loop, never in a thread, so a client sending it slowly holds a
  coroutine, not a thread, and only for HTTP_BODY_TIMEOUT_SECONDS: then it gets 408 and its
  connection is closed. (A slow request head is cut off by :mod:`bot.entrypoints.server`.)
* No more than :data:`MAX_BODY_BYTES` of a body is read: a larger Content-Length is refused
  at once, a chunked body as soon as it passes the limit (413, connection closed).
* Only a complete body with a valid, fresh signature reaches a thread: parsing it and
  Bolt's dispatch (which runs the ack) take one of WEB_THREADS threads; the answer then runs
  in Bolt's own pool (ANSWER_THREADS). Unsigned or stale: 401; malformed: 400
  (:mod:`bot.slack.payloads`), before Bolt sees it.
* /healthz waits for neither pool: its database check has a thread of its own.
* A failure is answered by :mod:`bot.errors.http`: 500 with a reference id (503 when the
  database is busy or unusable), never a traceback.
* On SIGTERM uvicorn stops accepting, lets requests in flight finish, and then this app
  waits (up to :data:`SHUTDOWN_GRACE_SECONDS`) for answers already acked: Slack does not
  send an acknowledged request again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.app import MissingCredentials, configure_logging, create_app
from bot.deps import StorePerThread
from bot.errors import http as http_errors
from bot.settings import Settings
from bot.slack import payloads
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
T = TypeVar("T")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kilobytes; anything far larger is not from Slack.
MAX_BODY_BYTES = 1_000_000
# An OAuth redirect carries a code and a state; a query string far longer is not from Slack.
MAX_QUERY_BYTES = 4096
# On shutdown, how long answers already acked may still take to reach Slack.
SHUTDOWN_GRACE_SECONDS = 20.0

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Response:
    """What the app sends back; ``close`` ends the connection after it (for a request whose
    body was not read to its end)."""

    status: int
    body: str = ""
    content_type: str = "text/plain"
    extra_headers: tuple[tuple[str, str], ...] = ()
    close: bool = False

    def messages(self) -> tuple[Message, Message]:
        body = self.body.encode("utf-8")
        headers = [
            ("content-type", f"{self.content_type}; charset=utf-8"),
            ("content-length", str(len(body))),
            *self.extra_headers,
            *([("connection", "close")] if self.close else []),
        ]
        start = {
            "type": "http.response.start",
            "status": self.status,
            "headers": [(name.encode(), value.encode("latin-1")) for name, value in headers],
        }
        return start, {"type": "http.response.body", "body": body, "more_body": False}


class Refused(Exception):
    """A request body that will not be read to its end, with the response that says why."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.body)
        self.response = response


@dataclass(frozen=True)
class Request:
    """An HTTP request as far as its head: the body is read separately, by :func:`read_body`."""

    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "

    @classmethod
    def of(cls, scope: Scope) -> Request:
        headers: dict[str, list[str]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        return cls(
            method=scope["method"],
            path=scope["path"],
            query=scope["query_string"].decode("latin-1"),
            headers={name: ", ".join(values) for name, values in headers.items()},
        )

    @property
    def has_body(self) -> bool:
        return self.headers.get("content-length", "0") != "0" or "transfer-encoding" in self.headers

    @property
    def reads_body(self) -> bool:
        """Whether its route reads the body (only Slack's requests have one)."""
        return self.path == EVENTS_PATH and self.method == "POST"


async def read_body(receive: Receive, request: Request, timeout: float) -> bytes:
    """The whole body, at most :data:`MAX_BODY_BYTES`, complete within ``timeout`` seconds.

    Raises :class:`Refused` with 413 (too large: announced, or once past the limit), 408
    (too slow) or 400 (the client left); each closes the connection. uvicorn has already
    refused a malformed Content-Length."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refused(Response(413, "Request too large.", close=True))
    try:
        async with asyncio.timeout(timeout):
            return await _receive_all(receive)
    except TimeoutError:
        raise Refused(Response(408, "Request body not received in time.", close=True)) from None


async def _receive_all(receive: Receive) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(Response(400, "Request body incomplete.", close=True))
        body += message.get("body", b"")
        if len(body) > MAX_BODY_BYTES:
            raise Refused(Response(413, "Request too large.", close=True))
        if not message.get("more_body", False):
            return bytes(body)


class SlackWebApp:
    """The ASGI application: one Bolt app at :data:`EVENTS_PATH`, its OAuth install pages and
    a health check (the module says what holds)."""

    def __init__(self, app: App, signing_secret: str, stores: StorePerThread, settings: Settings):
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.stores = stores
        self.body_timeout = settings.http_body_timeout_seconds
        self.requests = ThreadPoolExecutor(settings.web_threads, thread_name_prefix="request")
        self.health_checks = ThreadPoolExecutor(1, thread_name_prefix="health")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":  # bot.entrypoints.server serves no websockets
            return
        request = Request.of(scope)
        response = await self.respond(request, receive)
        for message in response.messages():
            await send(message)

    async def respond(self, request: Request, receive: Receive) -> Response:
        try:
            response = await self.route(request, receive)
        except Refused as refused:
            return refused.response
        except Exception as error:
            failed = http_errors.failure(error, doing="serve an HTTP request")
            return Response(failed.status, failed.body, close=True)
        if request.has_body and not request.reads_body:
            return replace(response, close=True)  # rather than wait for a body nobody reads
        return response

    async def route(self, request: Request, receive: Receive) -> Response:
        path, method = request.path, request.method
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return Response(405, "Use GET.")
            return await self.health()
        if path == EVENTS_PATH:
            if method != "POST":
                return Response(405, "Use POST.")
            return await self.slack(request, receive)
        if path in (INSTALL_PATH, REDIRECT_PATH):
            if method != "GET":
                return Response(405, "Use GET.")
            return await self.in_thread(self.requests, self.install, request)
        return Response(404, "Not found.")

    async def in_thread(self, pool: ThreadPoolExecutor, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, work, *args)

    async def health(self) -> Response:
        try:
            await self.in_thread(self.health_checks, self.ping_database)
        except Exception as error:
            failed = http_errors.unhealthy(error)
            return Response(failed.status, failed.body)
        return Response(200, "ok")

    def ping_database(self) -> None:
        self.stores().db.execute("SELECT 1").fetchone()

    async def slack(self, request: Request, receive: Receive) -> Response:
        raw = await read_body(receive, request, self.body_timeout)
        if not self.signed(raw, request.headers):
            return Response(401, "Invalid signature.")
        return await self.in_thread(self.requests, self.dispatch, raw, request)

    def signed(self, raw: bytes, headers: dict[str, str]) -> bool:
        timestamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        try:
            return self.verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)
        except (ValueError, UnicodeDecodeError):
            return False

    def dispatch(self, raw: bytes, request: Request) -> Response:
        """Bolt's answer to a verified body (in a request thread: Bolt runs the ack here)."""
        try:
            bolt_request = payloads.parse(raw, request.query, request.headers)
        except payloads.Malformed as problem:
            return Response(400, f"Malformed request: {problem}")
        result = self.app.dispatch(bolt_request)
        return Response(result.status, _text(result), _content_type(result))

    def install(self, request: Request) -> Response:
        """The OAuth install page, or Slack's redirect back to us with a code and a state."""
        flow = self.app.oauth_flow
        if flow is None:
            return Response(404, "Not found: this app runs in one workspace, with SLACK_BOT_TOKEN.")
        if len(request.query) > MAX_QUERY_BYTES:
            return Response(414, "Request too long.")
        bolt_request = BoltRequest(body="", query=request.query, headers=dict(request.headers))
        if request.path == INSTALL_PATH:
            return _page(flow.handle_installation(bolt_request))
        return _page(flow.handle_callback(bolt_request))

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.finish_answers()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def finish_answers(self) -> None:
        """Wait for the acks and then the answers still running, up to the grace period."""
        pools: Iterable[Executor] = (
            self.requests,
            self.app.listener_runner.listener_executor,
            self.health_checks,
        )

        def drain() -> None:
            for pool in pools:
                pool.shutdown(wait=True)

        try:
            await asyncio.wait_for(asyncio.to_thread(drain), SHUTDOWN_GRACE_SECONDS)
        except TimeoutError:
            logger.warning("Stopping with answers still running after %ss", SHUTDOWN_GRACE_SECONDS)


def _text(result: BoltResponse) -> str:
    return result.body if isinstance(result.body, str) else str(result.body)


def _content_type(result: BoltResponse) -> str:
    return str(result.headers.get("content-type", ["text/plain"])[0]).split(";")[0]


def _page(result: BoltResponse) -> Response:
    """A Bolt response for a browser: its page, cookies and redirect, never cached."""
    extra = tuple(
        (name.title(), str(value))
        for name in ("location", "set-cookie")
        for value in result.headers.get(name, [])
    )
    return Response(
        result.status, _text(result), _content_type(result), (*extra, ("Cache-Control", "no-store"))
    )


def create_web_app(settings: Settings | None = None) -> SlackWebApp:
    """The ASGI application :mod:`bot.entrypoints.server` serves; reads the settings from
    the environment."""
    settings = settings or Settings()
    configure_logging(settings)
    if settings.slack_signing_secret is None:
        raise SystemExit("SLACK_SIGNING_SECRET is not set; the web process cannot verify Slack.")
    stores = StorePerThread(settings.database_path)
    try:
        app = create_app(settings, stores)
    except MissingCredentials as missing:
        raise SystemExit(
            f"{missing} See 'Install in your Slack workspace' in the README."
        ) from None
    secret = settings.slack_signing_secret.get_secret_value()
    return SlackWebApp(app, secret, stores, settings)
