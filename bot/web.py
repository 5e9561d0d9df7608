"""The production HTTP entry point: a tiny WSGI router around the Bolt app, for gunicorn.

* ``POST /slack/events``: slash commands, events and interactivity, all signed by Slack;
* ``GET /healthz``: 200 when the process is up and the database opens;
* ``GET /slack/install`` and ``GET /slack/oauth_redirect``: the OAuth install of a workspace,
  when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (404 otherwise); see :mod:`bot.oauth`.

The Procfile runs ``gunicorn 'bot.web:create_web_app()'``. Unsigned, stale or malformed
requests (see :mod:`bot.payloads`) are refused here with a 4xx before Bolt sees them; a
failure of ours is a 500 with a reference id in the log, never a traceback in the response.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot import payloads
from bot.app import MissingCredentials, configure_logging, create_app
from bot.listeners import StorePerThread, new_reference
from bot.oauth import INSTALL_PATH, REDIRECT_PATH
from bot.settings import Settings

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kilobytes; anything far larger is not from Slack.
MAX_BODY_BYTES = 1_000_000
# An OAuth redirect carries a code and a state; a query string far longer is not from Slack.
MAX_QUERY_BYTES = 4096

logger = logging.getLogger(__name__)


class Response:
    def __init__(
        self,
        status: int,
        body: str = "",
        content_type: str = "text/plain",
        extra_headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.status = status
        self.body = body.encode("utf-8")
        self.headers = [
            ("Content-Type", f"{content_type}; charset=utf-8"),
            ("Content-Length", str(len(self.body))),
            *extra_headers,
        ]


_REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    414: "URI Too Long",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers = {}
    for key, value in environ.items():
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.lower().replace("_", "-")] = str(value)
        elif key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = str(value)
    return headers


class SlackWebApp:
    """A WSGI application serving one Bolt app at :data:`EVENTS_PATH` plus a health check."""

    def __init__(self, app: App, signing_secret: str, stores: StorePerThread) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.stores = stores

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            response = self.route(environ)
        except Exception:
            reference = new_reference()
            logger.exception("Unexpected error serving a request (reference %s)", reference)
            response = Response(500, f"Internal error, reference {reference}")
        reason = _REASONS.get(response.status, "Unknown")
        start_response(f"{response.status} {reason}", response.headers)
        return [response.body]

    def route(self, environ: WSGIEnvironment) -> Response:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return Response(405, "Use GET.")
            return self.health()
        if path == EVENTS_PATH:
            if method != "POST":
                return Response(405, "Use POST.")
            return self.slack(environ)
        if path in (INSTALL_PATH, REDIRECT_PATH):
            if method != "GET":
                return Response(405, "Use GET.")
            return self.install(environ, path)
        return Response(404, "Not found.")

    def health(self) -> Response:
        try:
            self.stores().db.execute("SELECT 1").fetchone()
        except Exception:
            logger.exception("Health check: the database does not answer")
            return Response(503, "database unavailable")
        return Response(200, "ok")

    def slack(self, environ: WSGIEnvironment) -> Response:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return Response(400, "Bad Content-Length.")
        if length < 0:
            return Response(400, "Bad Content-Length.")
        if length > MAX_BODY_BYTES:
            return Response(413, "Request too large.")
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = _headers(environ)
        if not self.signed(raw, headers):
            return Response(401, "Invalid signature.")
        try:
            request = payloads.parse(raw, str(environ.get("QUERY_STRING", "")), headers)
        except payloads.Malformed as problem:
            return Response(400, f"Malformed request: {problem}")
        result = self.app.dispatch(request)
        content_type = result.headers.get("content-type", ["text/plain"])[0].split(";")[0]
        body_text = result.body if isinstance(result.body, str) else str(result.body)
        return Response(result.status, body_text, content_type)

    def install(self, environ: WSGIEnvironment, path: str) -> Response:
        """The OAuth install page, or Slack's redirect back to us with a code and a state."""
        flow = self.app.oauth_flow
        if flow is None:
            return Response(404, "Not found: this app runs in one workspace, with SLACK_BOT_TOKEN.")
        query = str(environ.get("QUERY_STRING", ""))
        if len(query) > MAX_QUERY_BYTES:
            return Response(414, "Request too long.")
        request = BoltRequest(body="", query=query, headers=dict(_headers(environ)))
        if path == INSTALL_PATH:
            return _page(flow.handle_installation(request))
        return _page(flow.handle_callback(request))

    def signed(self, raw: bytes, headers: dict[str, str]) -> bool:
        timestamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        try:
            return self.verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)
        except (ValueError, UnicodeDecodeError):
            return False


def _page(result: BoltResponse) -> Response:
    """A Bolt response for a browser: its page, cookies and redirect, never cached."""
    content_type = result.headers.get("content-type", ["text/plain"])[0].split(";")[0]
    extra = [
        (name.title(), str(value))
        for name in ("location", "set-cookie")
        for value in result.headers.get(name, [])
    ]
    body = result.body if isinstance(result.body, str) else str(result.body)
    return Response(result.status, body, content_type, [*extra, ("Cache-Control", "no-store")])


def create_web_app(settings: Settings | None = None) -> WSGIApplication:
    """The WSGI application gunicorn serves; reads the settings from the environment."""
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
    return SlackWebApp(app, settings.slack_signing_secret.get_secret_value(), stores)
