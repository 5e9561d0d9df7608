"""One fake Slack for every test suite (imported as ``fake_slack``; tests/ is on sys.path).

A threaded HTTP server on 127.0.0.1 stands in for everything the bot talks to:

- the Web API, ``POST`` (or ``GET``) ``/api/<method>``, form or JSON arguments (query-string
  arguments are merged in), answered only for ``Authorization: Bearer <token>``;
- response_urls, ``POST /respond/<key>`` (see :meth:`FakeSlack.response_url`);
- the private file host, ``GET /files/…``, serving what :meth:`FakeSlack.serve_file` put there
  to the bot token only;
- the upload URLs ``files.getUploadURLExternal`` hands out, ``POST /upload/<file_id>``, which
  take the file's raw bytes as the request body (that is how slack_sdk's ``files_upload_v2``
  sends them: a bare ``urllib`` POST of the bytes, no multipart, no token).

Every request is recorded as a :class:`Call` with the reply it got. Any endpoint's next replies
can be scripted (429 with Retry-After, 5xx, ``{"ok": false, "error": …}``) with
:meth:`FakeSlack.script`, keyed by :attr:`Call.method`.

Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

# Generous upper bound for something to arrive; tests wait for an event, they do not time it.
WAIT_SECONDS = 30.0

# Script keys (and Call.method values) of the endpoints that are not Web API methods.
UPLOAD = "upload"  # POST /upload/<file_id>
RESPOND = "respond"  # POST /respond/<key>
FILES = "files"  # GET /files/…

DEFAULT_IDENTITY: dict[str, Any] = {
    "url": "https://fake.slack.invalid/",
    "team": "Fake",
    "team_id": "TFAKE",
    "user": "empathy",
    "user_id": "UBOTFAKE",
    "bot_id": "BFAKE",
}

Payload = dict[str, Any]
MethodHandler = Callable[[Payload], Payload]


@dataclass
class Call:
    """One request made to 'Slack', and what the fake answered."""

    path: str  # without the query string: "/api/chat.postMessage", "/respond/k", "/upload/F1"
    payload: dict[str, Any]  # the arguments: JSON body, form body and query string merged
    headers: dict[str, str] = field(default_factory=dict)
    verb: str = "POST"  # the HTTP method
    status: int = 200  # the HTTP status answered
    reply: Any = None  # the JSON body answered (a dict), or the text body; None for downloads
    body: bytes = field(default=b"", repr=False)  # the raw request body

    @property
    def method(self) -> str:
        """The Web API method ("chat.postMessage"), else the endpoint: upload, respond, files."""
        kind, _, rest = self.path.lstrip("/").partition("/")
        return rest if kind == "api" else kind

    @property
    def ok(self) -> bool:
        """Answered 2xx and, for a JSON reply, ``"ok": true``."""
        if not 200 <= self.status < 300:
            return False
        return not isinstance(self.reply, dict) or self.reply.get("ok") is True


@dataclass
class Scripted:
    """A canned reply: HTTP ``status``, ``body`` (a dict is sent as JSON, text as text/plain),
    extra ``headers``, sent after ``delay`` seconds. A scripted reply replaces the fake's own
    handling entirely: no auth check, no side effects (nothing stored, no ts issued)."""

    status: int = 200
    body: dict[str, Any] | str | bytes = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def api_error(error: str) -> Scripted:
    """HTTP 200 with ``{"ok": false, "error": error}``: how Slack refuses a call."""
    return Scripted(200, {"ok": False, "error": error})


def rate_limited(retry_after: int | str = 1) -> Scripted:
    """HTTP 429 with ``Retry-After`` (whole seconds, as Slack sends it)."""
    return Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})


def server_error(status: int = 503, error: str = "service_unavailable") -> Scripted:
    """An HTTP 5xx."""
    return Scripted(status, {"ok": False, "error": error})


@dataclass(frozen=True)
class ServedFile:
    """A file the fake's file host serves at ``GET /files/…`` to the bot token only."""

    content: bytes
    status: int = 200
    content_type: str = "text/csv"
    declare_length: bool = True  # False: no Content-Length, the body ends when the socket does
    location: str | None = None  # a redirect's target (with a 3xx status)


@dataclass(frozen=True)
class UploadedFile:
    """A file announced with ``files.getUploadURLExternal`` (and its bytes, once posted)."""

    id: str
    filename: str
    length: int  # as announced; compare with len(content)
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = field(default=None, repr=False)  # None until POST /upload/<id>
    title: str | None = None  # set in the copies :class:`SharedUpload` carries


@dataclass(frozen=True)
class SharedUpload:
    """One accepted ``files.completeUploadExternal``: which files went where."""

    call: Call
    files: list[UploadedFile]  # in the order the call listed them, with title and content
    channel: str | None  # channel_id
    channels: tuple[str, ...]  # channel_id and the comma-separated ``channels``, if any
    thread_ts: str | None
    initial_comment: str | None

    @property
    def file(self) -> UploadedFile:
        """The only file of a single-file upload."""
        [only] = self.files
        return only


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True
    recorded: Any = None  # what Call.reply records

    @classmethod
    def json(
        cls, body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
    ) -> _Reply:
        raw = json.dumps(body).encode()
        return cls(status, raw, "application/json", dict(headers or {}), recorded=body)

    @classmethod
    def text(cls, status: int, text: str) -> _Reply:
        return cls(status, text.encode(), "text/plain", recorded=text)

    @classmethod
    def scripted(cls, scripted: Scripted) -> _Reply:
        if isinstance(scripted.body, dict):
            return cls.json(scripted.body, scripted.status, scripted.headers)
        raw = scripted.body if isinstance(scripted.body, bytes) else scripted.body.encode()
        text = raw.decode("utf-8", "replace")
        return cls(scripted.status, raw, "text/plain", dict(scripted.headers), recorded=text)


def json_arg(value: Any) -> Any:
    """An argument slack_sdk may send JSON-encoded in a form (``view``, ``files``)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _parsed(fields: dict[str, Any]) -> dict[str, Any]:
    """A message's fields as sent (JSON-encoded in a form, or not), without the absent."""
    return {key: json_arg(value) for key, value in fields.items() if value is not None}


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


class FakeSlack:
    """A threaded loopback HTTP server standing in for Slack (see the module docstring).

    ``token``: the only bearer token the Web API and the file host accept.
    ``default_user``: fields every ``users.info`` user has (``users`` entries override them).
    ``identity``: fields of the ``auth.test`` reply (over :data:`DEFAULT_IDENTITY`).
    """

    def __init__(
        self,
        token: str = "xoxb-fake",
        *,
        default_user: dict[str, Any] | None = None,
        identity: dict[str, Any] | None = None,
    ) -> None:
        self.token = token
        self.identity: dict[str, Any] = {**DEFAULT_IDENTITY, **(identity or {})}
        self.default_user: dict[str, Any] = dict(default_user or {})
        self.calls: list[Call] = []
        self.scripts: dict[str, list[Scripted]] = {}
        # users.info profiles by user id (e.g. {"is_admin": True, "tz": "Europe/Berlin"}).
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, ServedFile] = {}  # by path, for GET /files/…
        self.uploads: dict[str, UploadedFile] = {}  # by file id, from getUploadURLExternal
        self.post_delay = 0.0  # seconds chat.postMessage takes (widens race windows)
        # conversations.members by channel id, and usergroups.users.list by user group id.
        self.members: dict[str, list[str]] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.member_page = 100  # members per page at most, whatever ``limit`` asks
        # Web API methods the fake answers (payload -> JSON reply); add or replace freely.
        self.handlers: dict[str, MethodHandler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.members": self._conversations_members,
            "usergroups.users.list": self._usergroup_users,
            "views.open": self._view,
            "views.update": self._view,
            "views.publish": self._view,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "assistant.threads.setStatus": self._set_status,
            "assistant.threads.setSuggestedPrompts": self._set_suggested_prompts,
            "assistant.threads.setTitle": self._set_title,
            "conversations.replies": self._replies,
            "chat.update": self._update,
        }
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.api_url = f"{self.url}/api/"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeSlack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- scripting ---------------------------------------------------------------------------

    def script(self, method: str, *replies: Scripted) -> None:
        """Answer the next calls of ``method`` with ``replies``, in order, then as usual.

        ``method`` is a Web API method ("chat.postMessage", "files.completeUploadExternal", …)
        or one of :data:`UPLOAD`, :data:`RESPOND`, :data:`FILES`.
        """
        if "." not in method and method not in (UPLOAD, RESPOND, FILES):
            raise ValueError(f"not a Web API method nor {UPLOAD}/{RESPOND}/{FILES}: {method!r}")
        with self._changed:
            self.scripts.setdefault(method, []).extend(replies)

    def unscript(self, method: str) -> None:
        """Forget the replies still scripted for ``method``: ``method`` is answered as usual."""
        with self._changed:
            self.scripts.pop(method, None)

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get ``{"ok": false, "error": error}``."""
        self.script(method, *(api_error(error) for _ in range(times)))

    def rate_limit(self, method: str, retry_after: int | str = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get a 429 with ``Retry-After``."""
        self.script(method, *(rate_limited(retry_after) for _ in range(times)))

    def break_down(self, method: str, status: int = 503, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get an HTTP ``status`` (a 5xx)."""
        self.script(method, *(server_error(status) for _ in range(times)))

    def _next_script(self, method: str) -> Scripted | None:
        with self._changed:
            queued = self.scripts.get(method)
            return queued.pop(0) if queued else None

    # -- recorded calls ----------------------------------------------------------------------

    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def matching(self, predicate: Callable[[Call], bool]) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if predicate(call)]

    def wait_for(
        self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = WAIT_SECONDS
    ) -> list[Call]:
        """All calls matching ``predicate`` once there are ``count``, waiting for them."""
        with self._changed:
            arrived = self._changed.wait_for(
                lambda: len([c for c in self.calls if predicate(c)]) >= count, timeout=timeout
            )
            found = [call for call in self.calls if predicate(call)]
        if not arrived:
            raise AssertionError(f"expected {count} matching call(s), got {len(found)}: {found}")
        return found

    def api(self, method: str) -> list[Call]:
        """The calls of Web API ``method`` so far (not waiting)."""
        return self.matching(lambda c: c.path == f"/api/{method}")

    def posted_in(self, channel: str, thread_ts: str | None, count: int = 1) -> list[Call]:
        """chat.postMessage calls to ``channel`` in ``thread_ts`` (None: not in a thread)."""
        return self.wait_for(
            lambda c: (
                c.path == "/api/chat.postMessage"
                and c.payload.get("channel") == channel
                and c.payload.get("thread_ts") == thread_ts
            ),
            count,
        )

    def in_assistant_thread(self, channel: str, thread_ts: str) -> list[Call]:
        """What was done in an assistant thread so far, in order: its ``assistant.threads.*``
        calls and the messages posted in it (not waiting)."""
        return self.matching(
            lambda c: (
                (
                    (
                        c.method.startswith("assistant.threads.")
                        and c.payload.get("channel_id") == channel
                    )
                    or (c.method == "chat.postMessage" and c.payload.get("channel") == channel)
                )
                and c.payload.get("thread_ts") == thread_ts
            )
        )

    def ephemeral_in(
        self, channel: str, thread_ts: str | None, user: str, count: int = 1
    ) -> list[Call]:
        """chat.postEphemeral calls to ``user`` in ``channel`` and ``thread_ts``, waiting."""
        return self.wait_for(
            lambda c: (
                c.path == "/api/chat.postEphemeral"
                and c.payload.get("channel") == channel
                and c.payload.get("thread_ts") == thread_ts
                and c.payload.get("user") == user
            ),
            count,
        )

    def posts(self, channel: str | None = None) -> list[Call]:
        """Every chat.postMessage call so far (optionally to one channel), refused ones too."""
        return self.matching(
            lambda c: (
                c.method == "chat.postMessage"
                and (channel is None or c.payload.get("channel") == channel)
            )
        )

    def delivered(self, channel: str | None = None) -> int:
        """How many posts Slack accepted (the ones answered ok with a ts)."""
        return sum(
            1
            for c in self.posts(channel)
            if c.ok and isinstance(c.reply, dict) and c.reply.get("ts")
        )

    # -- response_urls -----------------------------------------------------------------------

    def response_url(self, key: str) -> str:
        return f"{self.url}/respond/{key}"

    def responded(self, key: str) -> dict[str, Any]:
        """The payload posted to the response_url ``key`` (waiting for it)."""
        return self.wait_for(lambda c: c.path == f"/respond/{key}")[0].payload

    # -- the file host -----------------------------------------------------------------------

    def serve_file(
        self,
        name: str,
        content: bytes,
        *,
        status: int = 200,
        content_type: str = "text/csv",
        declare_length: bool = True,
        location: str | None = None,
    ) -> str:
        """Serve ``content`` as Slack's file host would; returns its url_private_download."""
        path = f"/files/{self._new_file_id()}/{quote(name)}"
        served = ServedFile(content, status, content_type, declare_length, location)
        with self._changed:
            self.files[path] = served
        return self.url + path

    def downloads(self, url_or_path: str = "") -> list[Call]:
        """The GET requests made to the file host (optionally for one file)."""
        path = url_or_path.removeprefix(self.url)
        return self.matching(lambda c: c.verb == "GET" and c.path.startswith(path))

    # -- uploads (files_upload_v2) and App Home ----------------------------------------------

    def uploaded(self, file_id: str, timeout: float = WAIT_SECONDS) -> bytes:
        """The bytes posted to ``file_id``'s upload URL (waiting for them)."""
        with self._changed:
            self._changed.wait_for(lambda: self._content(file_id) is not None, timeout=timeout)
            content = self._content(file_id)
        if content is None:
            known = "announced but never posted" if file_id in self.uploads else "unknown"
            raise AssertionError(f"no bytes uploaded for {file_id} ({known})")
        return content

    def _content(self, file_id: str) -> bytes | None:
        known = self.uploads.get(file_id)
        return None if known is None else known.content

    def uploads_in(
        self,
        channel: str,
        thread_ts: str | None = None,
        count: int = 1,
        timeout: float = WAIT_SECONDS,
    ) -> list[SharedUpload]:
        """Accepted files.completeUploadExternal calls sharing to ``channel`` in ``thread_ts``
        (None: not in a thread), waiting for ``count`` of them (0: just what is there now)."""
        calls = self.wait_for(
            lambda c: (
                c.method == "files.completeUploadExternal"
                and c.ok
                and channel in self._destinations(c.payload)
                and c.payload.get("thread_ts") == thread_ts
            ),
            count,
            timeout,
        )
        return [self._shared(call) for call in calls]

    @staticmethod
    def _destinations(payload: dict[str, Any]) -> tuple[str, ...]:
        listed = str(payload.get("channels") or "").split(",")
        found = [str(payload["channel_id"])] if payload.get("channel_id") else []
        return tuple(found + [c.strip() for c in listed if c.strip()])

    def _shared(self, call: Call) -> SharedUpload:
        files = []
        with self._changed:
            for item in call.payload["files"]:
                known = self.uploads[str(item["id"])]
                files.append(replace(known, title=item.get("title") or known.filename))
        return SharedUpload(
            call,
            files,
            call.payload.get("channel_id"),
            self._destinations(call.payload),
            call.payload.get("thread_ts"),
            call.payload.get("initial_comment"),
        )

    def published(self, user_id: str, count: int = 1) -> list[dict[str, Any]]:
        """The App Home views published for ``user_id`` (accepted views.publish calls, oldest
        first), waiting for ``count`` of them."""
        calls = self.wait_for(
            lambda c: c.method == "views.publish" and c.ok and c.payload.get("user_id") == user_id,
            count,
        )
        return [dict(json_arg(call.payload.get("view")) or {}) for call in calls]

    # -- the Web API's answers ---------------------------------------------------------------

    def _new_file_id(self) -> str:
        return f"F{next(self._file_ids)}x{os.getpid()}"

    def _new_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _auth_test(self, payload: Payload) -> Payload:
        return {"ok": True, **self.identity}

    def _post_message(self, payload: Payload) -> Payload:
        if self.post_delay:
            time.sleep(self.post_delay)  # widens the window two racing workers share
        return {"ok": True, "channel": payload.get("channel"), "ts": self._new_ts()}

    def _post_ephemeral(self, payload: Payload) -> Payload:
        if not payload.get("channel") or not payload.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "message_ts": self._new_ts()}

    @staticmethod
    def _in_assistant_thread(payload: Payload) -> bool:
        return bool(payload.get("channel_id")) and bool(payload.get("thread_ts"))

    def _set_status(self, payload: Payload) -> Payload:
        if not self._in_assistant_thread(payload) or "status" not in payload:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _set_suggested_prompts(self, payload: Payload) -> Payload:
        prompts = json_arg(payload.get("prompts"))
        if not self._in_assistant_thread(payload) or not isinstance(prompts, list):
            return {"ok": False, "error": "invalid_arguments"}
        payload["prompts"] = prompts  # recorded parsed
        wellformed = all(
            isinstance(p, dict) and p.get("title") and p.get("message") for p in prompts
        )
        if not prompts or len(prompts) > 4 or not wellformed:  # Slack's limits
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _set_title(self, payload: Payload) -> Payload:
        if not self._in_assistant_thread(payload) or not payload.get("title"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _replies(self, payload: Payload) -> Payload:
        """The bot's messages posted in thread ``ts`` of ``channel``, as last updated (what
        Bolt's default assistant thread-context store reads; people's messages are not
        posted through the API, so the fake does not know them)."""
        channel, thread_ts = payload.get("channel"), payload.get("ts")
        if not channel or not thread_ts:
            return {"ok": False, "error": "invalid_arguments"}
        with self._changed:
            posted = [
                c
                for c in self.calls
                if c.method == "chat.postMessage"
                and c.ok
                and c.payload.get("channel") == channel
                and c.payload.get("thread_ts") == thread_ts
            ]
            updates = [c for c in self.calls if c.method == "chat.update" and c.ok]
        messages = {}
        for call in posted:
            message = {  # Slack gives every message blocks (rich text, if none were sent)
                "ts": call.reply["ts"],
                "user": self.identity["user_id"],
                "thread_ts": thread_ts,
                "blocks": [],
            }
            fields = {k: call.payload.get(k) for k in ("text", "blocks", "metadata")}
            messages[call.reply["ts"]] = {**message, **_parsed(fields)}
        for call in updates:
            ts = call.payload.get("ts")
            if call.payload.get("channel") == channel and ts in messages:
                fields = {k: call.payload.get(k) for k in ("text", "blocks", "metadata")}
                messages[ts].update(_parsed(fields))
        return {"ok": True, "messages": list(messages.values()), "has_more": False}

    def _update(self, payload: Payload) -> Payload:
        if not payload.get("channel") or not payload.get("ts"):
            return {"ok": False, "error": "invalid_arguments"}
        for key in ("blocks", "metadata"):
            if key in payload:
                payload[key] = json_arg(payload[key])  # recorded parsed
        return {"ok": True, "channel": payload["channel"], "ts": payload["ts"]}

    def _users_info(self, payload: Payload) -> Payload:
        user = str(payload.get("user"))
        return {"ok": True, "user": {"id": user, **self.default_user, **self.users.get(user, {})}}

    def _conversations_open(self, payload: Payload) -> Payload:
        return {"ok": True, "channel": {"id": f"D{payload.get('users')}"}}

    def _conversations_members(self, payload: Payload) -> Payload:
        """One page of a channel's members; ``next_cursor`` is the offset of the next page
        ("" after the last), as opaque to the caller as Slack's."""
        channel = str(payload.get("channel") or "")
        if channel not in self.members:
            return {"ok": False, "error": "channel_not_found"}
        members = self.members[channel]
        start = int(str(payload.get("cursor") or "0") or "0")
        size = min(int(str(payload.get("limit") or "100")), self.member_page)
        page = members[start : start + size]
        after = start + size
        cursor = str(after) if after < len(members) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _usergroup_users(self, payload: Payload) -> Payload:
        group = str(payload.get("usergroup") or "")
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _view(self, payload: Payload) -> Payload:
        view = json_arg(payload.get("view"))
        view_id = payload.get("view_id") or f"V{next(self._ts):06d}"
        return {"ok": True, "view": {"id": view_id, **(view if isinstance(view, dict) else {})}}

    def _get_upload_url(self, payload: Payload) -> Payload:
        filename, length = payload.get("filename"), payload.get("length")
        try:
            size = int(str(length))
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not filename or size < 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._new_file_id()
        announced = UploadedFile(
            file_id, str(filename), size, payload.get("alt_txt"), payload.get("snippet_type")
        )
        with self._changed:
            self.uploads[file_id] = announced
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, payload: Payload) -> Payload:
        files = json_arg(payload.get("files"))
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            return {"ok": False, "error": "invalid_arguments"}
        payload["files"] = files  # recorded parsed
        answered = []
        with self._changed:
            for item in files:
                known = self.uploads.get(str(item.get("id")))
                if known is None or known.content is None:  # unknown, or its bytes never came
                    return {"ok": False, "error": "file_not_found"}
                title = item.get("title") or known.filename
                answered.append(
                    {"id": known.id, "title": title, "name": known.filename, "size": known.length}
                )
        return {"ok": True, "files": answered}

    def _receive_upload(self, call: Call) -> _Reply:
        file_id = call.path.split("/")[2] if call.path.count("/") >= 2 else ""
        call.payload = {"file_id": file_id}
        with self._changed:
            known = self.uploads.get(file_id)
            if known is None or call.verb != "POST":
                return _Reply.text(404, "not found")
            self.uploads[file_id] = replace(known, content=call.body)
            self._changed.notify_all()
        return _Reply.text(200, f"OK - {len(call.body)}")

    def _download(self, call: Call) -> _Reply:
        with self._changed:
            served = self.files.get(call.path)
        if _header(call.headers, "Authorization") != f"Bearer {self.token}":
            return _Reply.text(403, "forbidden")
        if served is None:
            return _Reply.text(404, "not found")
        headers = {"Location": served.location} if served.location else {}
        return _Reply(
            served.status, served.content, served.content_type, headers, served.declare_length
        )

    def _api(self, call: Call) -> _Reply:
        if _header(call.headers, "Authorization") != f"Bearer {self.token}":
            return _Reply.json({"ok": False, "error": "invalid_auth"})
        handler = self.handlers.get(call.method)
        if handler is None:
            return _Reply.json({"ok": False, "error": "unknown_method"})
        return _Reply.json(handler(call.payload))

    def _respond(self, call: Call) -> _Reply:
        scripted = self._next_script(call.method)
        if scripted is not None:
            if scripted.delay:
                time.sleep(scripted.delay)
            return _Reply.scripted(scripted)
        if call.path.startswith("/api/"):
            return self._api(call)
        if call.method == RESPOND and call.verb == "POST":
            return _Reply.text(200, "ok")
        if call.method == UPLOAD:
            return self._receive_upload(call)
        if call.verb == "GET":
            return self._download(call)
        return self._api(call)  # a POST to no known endpoint: refused like an unknown method

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def _handle(self, verb: str) -> None:
                url = urlsplit(self.path)
                raw = self._read_body() if verb == "POST" else b""
                call = Call(url.path, {}, dict(self.headers.items()), verb, body=raw)
                try:
                    if not call.path.startswith(("/upload/", "/files/")):  # raw bytes there
                        call.payload = self._arguments(url.query, raw)
                except ValueError:
                    reply = _Reply.text(400, "invalid_json")
                else:
                    reply = fake._respond(call)
                call.status, call.reply = reply.status, reply.recorded
                fake.record(call)
                self._send(reply)

            @staticmethod
            def _arguments(query: str, raw: bytes) -> dict[str, Any]:
                arguments: dict[str, Any] = dict(parse_qsl(query))
                text = raw.decode("utf-8", "replace")
                if text.lstrip().startswith("{"):
                    body = json.loads(text)
                    if not isinstance(body, dict):
                        raise ValueError("a JSON body must be an object")
                    arguments.update(body)
                else:
                    arguments.update(parse_qsl(text))
                return arguments

            def _read_body(self) -> bytes:
                if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
                    chunks = []
                    while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _send(self, reply: _Reply) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.declare_length:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    # HTTP/1.0 without Content-Length: the body is whatever comes until close.
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(reply.body)

        return Handler
