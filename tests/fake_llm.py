"""A fake OpenAI-compatible language model (imported as ``fake_llm``; tests/ is on sys.path).

A threaded HTTP server on 127.0.0.1 answers ``POST /v1/chat/completions`` (and
``POST /chat/completions``, for a base URL without ``/v1``) the way a chat-completions
endpoint does. Each test scripts the next replies with :meth:`FakeModel.script`: a strict
query or prose as the assistant's message (:func:`says`), an HTTP error (:func:`failure`),
a body that is not JSON (:func:`garbage`), any of them after a delay. With nothing
scripted it answers ``NONE``.

Every request is recorded as a :class:`ModelCall` (its path, headers and JSON body), so a
test can check what the bot sent. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from fake_slack import WAIT_SECONDS

PATHS = ("/v1/chat/completions", "/chat/completions")


@dataclass(frozen=True)
class ModelCall:
    """One request made to the model, and the status it got."""

    path: str
    headers: dict[str, str]
    body: bytes = field(repr=False)
    status: int = 200

    def header(self, name: str) -> str | None:
        """A request header, by its name in any case."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    @property
    def payload(self) -> dict[str, Any]:
        """The request's JSON body (``{}`` when it was not JSON)."""
        try:
            loaded = json.loads(self.body)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    @property
    def prompt(self) -> str:
        """Every message's content, one after another."""
        return "\n".join(str(m.get("content", "")) for m in self.payload.get("messages", []))


@dataclass(frozen=True)
class Scripted:
    """A canned reply: the assistant's ``content`` in a chat completion (status 200), or a
    ``status`` with a raw ``body``; sent after ``delay`` seconds."""

    content: str | None = None
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0


def says(content: str, delay: float = 0.0) -> Scripted:
    """A completion whose message is ``content``."""
    return Scripted(content=content, delay=delay)


def failure(status: int = 500) -> Scripted:
    """An HTTP error, with an error body as OpenAI sends one."""
    body = json.dumps({"error": {"message": "the fake model failed", "type": "server_error"}})
    return Scripted(status=status, body=body.encode())


def garbage() -> Scripted:
    """Status 200 whose body is not JSON."""
    return Scripted(status=200, body=b'{"choices": [ not json')


class FakeModel:
    """A loopback chat-completions server; ``api_key``, when set, is required as a bearer
    token (401 otherwise), as a hosted endpoint does."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key
        self.calls: list[ModelCall] = []
        self.scripts: list[Scripted] = []
        self._changed = threading.Condition()
        self._closing = threading.Event()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        """What LLM_BASE_URL is set to: the API root, as for OpenAI or Ollama."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def script(self, *replies: Scripted) -> None:
        """Answer the next requests with ``replies``, in order, then ``NONE``."""
        with self._changed:
            self.scripts.extend(replies)

    def reset(self) -> None:
        """Forget the calls so far and any reply still scripted."""
        with self._changed:
            self.calls.clear()
            self.scripts.clear()

    def wait_for(self, count: int, timeout: float = WAIT_SECONDS) -> list[ModelCall]:
        """The calls once there are ``count``, waiting for them."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.calls) >= count, timeout=timeout)
            found = list(self.calls)
        if not arrived:
            raise AssertionError(f"expected {count} call(s) to the model, got {len(found)}")
        return found

    def close(self) -> None:
        self._closing.set()  # ends any delayed reply now
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeModel:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- serving -------------------------------------------------------------------------------

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, float]:
        """Record the request; the status, body and delay of its reply."""
        with self._changed:
            scripted = self.scripts.pop(0) if self.scripts else says("NONE")
            status = self._status(path, headers, scripted)
            self.calls.append(ModelCall(path, headers, body, status))
            self._changed.notify_all()
        if status != scripted.status:
            return status, json.dumps({"error": {"message": "refused"}}).encode(), 0.0
        if scripted.body is not None:
            return status, scripted.body, scripted.delay
        return status, self._completion(body, scripted.content or ""), scripted.delay

    def _status(self, path: str, headers: dict[str, str], scripted: Scripted) -> int:
        if path not in PATHS:
            return 404
        sent = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if self.api_key is not None and sent != f"Bearer {self.api_key}":
            return 401
        return scripted.status

    def _completion(self, request: bytes, content: str) -> bytes:
        try:
            model = json.loads(request).get("model", "fake")
        except (ValueError, AttributeError):
            model = "fake"
        reply = {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        return json.dumps(reply).encode()


def _handler(fake: FakeModel) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            path = self.path.split("?", 1)[0]
            status, reply, delay = fake.answer(path, dict(self.headers.items()), body)
            if delay and fake._closing.wait(delay):
                return
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except OSError:
                pass  # the client gave up waiting: that is what a delay tests

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
