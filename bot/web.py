"""The production HTTP entry point: a tiny WSGI router around the Bolt app, for gunicorn.

* ``POST /slack/events``: slash commands, events and interactivity, all signed by Slack;
* ``GET /healthz``: 200 when the process is up and the database opens;
* ``GET /slack/install`` and ``GET /slack/oauth_redirect``: the OAuth install of a workspace,
  when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (404 otherwise); see :mod:`bot.oauth`.

The Procfile runs ``gunicorn 'bot.web:create_web_app()'``. Unsigned, stale or malformed
requests are refused here with a 4xx before Bolt parses them; a failure of ours is a 500
with a reference id in the log, never a traceback in the response.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

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
            body = raw.decode("utf-8")
            request = BoltRequest(
                body=body, query=environ.get("QUERY_STRING", ""), headers=dict(headers)
            )
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return Response(400, "Malformed request body.")
        problem = malformed(request.body)
        if problem is not None:
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


OBJECT_FIELDS = ("event", "view", "container", "message")
ID_FIELDS = ("team", "user", "channel", "enterprise")


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def malformed(body: object) -> str | None:
    """What is missing from a signed payload that Bolt would choke on, or ``None``.

    Slack always sends these fields; a request without them is not one we can answer, and
    must get a 4xx rather than an exception deep in Bolt's matchers (a 5xx).
    """
    if not isinstance(body, dict):
        return "the body is not an object"
    for key in OBJECT_FIELDS:  # Bolt's middleware reads into these without checking
        if key in body and not isinstance(body[key], dict):
            return f"{key} is not an object"
    for key in ID_FIELDS:
        if body.get(key) is not None and not isinstance(body[key], str | dict):
            return f"{key} is neither an id nor an object"
    if "command" in body:
        return _malformed_command(body)
    kind = body.get("type")
    if kind == "event_callback":
        return _malformed_event(body)
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "actions are missing"
        if not all(isinstance(a, dict) and _is_text(a.get("action_id")) for a in actions):
            return "an action has no action_id"
    if kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
        return "view is missing"
    if kind in ("shortcut", "message_action") and not _is_text(body.get("callback_id")):
        return "callback_id is missing"
    return None


def _malformed_command(body: dict[str, Any]) -> str | None:
    if not _is_text(body.get("command")):
        return "command is not text"
    url = body.get("response_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return "response_url is missing"
    if not isinstance(body.get("text", ""), str):
        return "text is not text"
    return None


def _malformed_event(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not _is_text(event.get("type")):
        return "event is missing"
    if not _is_text(body.get("event_id")):
        return "event_id is missing"
    if event["type"] in ("app_mention", "message") and not (
        _is_text(event.get("channel")) and _is_text(event.get("ts"))
    ):
        return "the message has no channel or ts"
    return None


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
