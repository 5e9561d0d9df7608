"""A fake Slack Socket Mode server on loopback (imported as ``fake_socket_mode``; tests/ is on
sys.path).

In Socket Mode the app opens a WebSocket to the URL ``apps.connections.open`` gave it; Slack
greets each connection with ``{"type": "hello", …}`` and then sends *envelopes*
(``events_api``, ``slash_commands``, ``interactive``), each of which the app acknowledges by
sending back ``{"envelope_id": …}`` (plus a ``payload`` when the envelope says
``accepts_response_payload``).

What it fakes, written from RFC 6455 with the standard library only:

- the opening handshake (section 4.2): an HTTP/1.1 ``GET`` with ``Upgrade: websocket``,
  ``Sec-WebSocket-Version: 13`` and a ``Sec-WebSocket-Key`` is answered ``101 Switching
  Protocols`` with its ``Sec-WebSocket-Accept``; any other request gets a ``400``;
- ``hello`` on every new connection, then envelopes on the newest one (:meth:`FakeSocketMode.send`);
- frames (section 5): the server's text frames go unmasked, with 7-, 16- or 64-bit lengths;
  the client's frames must be masked (an unmasked one closes the connection with 1002, as
  section 5.1 requires). Text messages are recorded (acknowledgements by envelope id), a ping
  is answered with a pong carrying its payload, a close with a close.

What it leaves out: TLS (slack_sdk's builtin client speaks plain ``ws://`` to any port but
443), fragmented messages and binary frames (closed with 1003), extensions such as
permessage-deflate and subprotocols, any check of the URL's ticket, Slack's ``disconnect``
messages (``warning``, ``refresh_requested``), its re-delivery of envelopes left
unacknowledged, and spreading envelopes over several open connections.

Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from fake_slack import WAIT_SECONDS

# RFC 6455 section 1.3: appended to the client's key before hashing it into the accept value.
_ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

# Opcodes (section 5.2).
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

# Close codes (section 7.4.1).
GOING_AWAY, PROTOCOL_ERROR, UNSUPPORTED_DATA = 1001, 1002, 1003


def accept_value(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` that proves the server read ``Sec-WebSocket-Key``."""
    digest = hashlib.sha1((key + _ACCEPT_GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, final frame: a server never masks (section 5.1) nor needs to fragment."""
    head = bytes([0x80 | opcode])
    size = len(payload)
    if size < 126:
        head += bytes([size])
    elif size < 1 << 16:
        head += bytes([126]) + struct.pack("!H", size)
    else:
        head += bytes([127]) + struct.pack("!Q", size)
    return head + payload


def unmask(data: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte masking key, repeated (section 5.3); masking twice unmasks."""
    return bytes(byte ^ key[index % 4] for index, byte in enumerate(data))


@dataclass(frozen=True)
class Frame:
    fin: bool
    opcode: int
    masked: bool
    reserved: int  # RSV1-3: must be 0 without a negotiated extension
    payload: bytes  # unmasked


class _Reader:
    """Buffered reads from a socket: the handshake's end and a frame's parts need exact
    boundaries, and ``recv`` may return less, or more, than one of them."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the client closed the connection")
        self.buffer += chunk

    def until(self, marker: bytes, limit: int = 65536) -> bytes:
        """Everything up to and including ``marker``."""
        while marker not in self.buffer:
            if len(self.buffer) > limit:
                raise ConnectionError("no end of the handshake in sight")
            self._fill()
        head, _, self.buffer = self.buffer.partition(marker)
        return head + marker

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def read_frame(reader: _Reader) -> Frame:
    """One frame (section 5.2): two header bytes, an extended length, a masking key, data."""
    first, second = reader.exactly(2)
    size = second & 0x7F
    if size == 126:
        (size,) = struct.unpack("!H", reader.exactly(2))
    elif size == 127:
        (size,) = struct.unpack("!Q", reader.exactly(8))
    masked = bool(second & 0x80)
    key = reader.exactly(4) if masked else b""
    data = reader.exactly(size)
    return Frame(
        fin=bool(first & 0x80),
        opcode=first & 0x0F,
        masked=masked,
        reserved=first & 0x70,
        payload=unmask(data, key) if masked else data,
    )


def parse_message(payload: bytes) -> dict[str, Any]:
    """A client's text message; kept as ``{"unparsed": text}`` if it is no JSON object, so a
    test sees what the client sent instead of the reader thread dying on it."""
    text = payload.decode("utf-8", "replace")
    try:
        message = json.loads(text)
    except ValueError:
        return {"unparsed": text}
    return message if isinstance(message, dict) else {"unparsed": text}


@dataclass(frozen=True)
class Handshake:
    """The client's opening request."""

    path: str  # with the query string: "/link/?ticket=…"
    headers: dict[str, str]  # names in lower case

    @classmethod
    def parse(cls, raw: bytes) -> Handshake:
        request, *lines = raw.decode("latin-1").split("\r\n")
        verb, path, *_rest = [*request.split(" "), "", ""]
        headers = {}
        for line in lines:
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        return cls(path if verb == "GET" else "", headers)

    def is_websocket(self) -> bool:
        return (
            bool(self.path)
            and self.headers.get("upgrade", "").lower() == "websocket"
            and "upgrade" in self.headers.get("connection", "").lower()
            and self.headers.get("sec-websocket-version") == "13"
            and bool(self.headers.get("sec-websocket-key"))
        )

    def response(self) -> bytes:
        if not self.is_websocket():
            return b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        accept = accept_value(self.headers["sec-websocket-key"])
        return (
            "HTTP/1.1 101 Switching Protocols\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
        ).encode("ascii")


@dataclass
class Connection:
    """One accepted WebSocket: what the client asked for and what it did."""

    sock: socket.socket
    handshake: Handshake
    opened_at: float  # time.monotonic() once the 101 and the hello were sent
    pings: int = 0  # pings answered
    closed_by_client: int | None = None  # the close code of a client's close frame
    ended: bool = False  # the connection is over (closed, dropped or refused)
    _send_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def path(self) -> str:
        return self.handshake.path

    def send_frame(self, opcode: int, payload: bytes) -> None:
        # One writer at a time: the reader thread's pongs must not split an envelope's frame.
        with self._send_lock:
            self.sock.sendall(encode_frame(opcode, payload))

    def send_json(self, message: dict[str, Any]) -> None:
        self.send_frame(TEXT, json.dumps(message).encode("utf-8"))

    def close(self, code: int, reason: str = "") -> None:
        """Send a close frame (if the socket still takes one) and drop the connection."""
        with contextlib.suppress(OSError):  # already gone: nothing to tell the client
            self.send_frame(CLOSE, struct.pack("!H", code) + reason.encode("utf-8"))
        self.drop()

    def drop(self) -> None:
        self.ended = True
        with contextlib.suppress(OSError):  # wakes the reader thread blocked in recv
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


@dataclass(frozen=True)
class Ack:
    """A client's acknowledgement of an envelope."""

    envelope_id: str
    message: dict[str, Any]  # all of it: {"envelope_id": …} and perhaps "payload"
    sent_at: float  # time.monotonic() when the envelope went out (nan if it never did)
    at: float  # time.monotonic() when the acknowledgement arrived

    @property
    def seconds(self) -> float:
        """How long the client took to acknowledge."""
        return self.at - self.sent_at


def hello(app_id: str, connections: int) -> dict[str, Any]:
    """The greeting Slack sends first on every Socket Mode connection."""
    return {
        "type": "hello",
        "num_connections": connections,
        "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 0},
        "connection_info": {"app_id": app_id},
    }


class FakeSocketMode:
    """A threaded loopback WebSocket server standing in for Slack's Socket Mode endpoint (see
    the module docstring). ``url()`` is what ``apps.connections.open`` should answer."""

    def __init__(self, app_id: str = "AE2E") -> None:
        self.app_id = app_id
        self.connections: list[Connection] = []
        self.acks: dict[str, Ack] = {}
        self.messages: list[dict[str, Any]] = []  # the client's other text messages, parsed
        self.refused: list[Handshake] = []  # requests that were not WebSocket handshakes
        self._sent: dict[str, float] = {}  # envelope id -> time.monotonic() it went out
        self._serial = itertools.count(1)
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)  # so the accept loop notices close() soon
        self.port = int(self._listener.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._start(self._accept_loop)

    def url(self, ticket: str = "e2e-ticket") -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}"

    # -- lifecycle ---------------------------------------------------------------------------

    def _start(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def close(self) -> None:
        """Close every open connection (1001, going away) and stop listening."""
        self._stopping.set()
        with self._changed:
            open_ones = [c for c in self.connections if not c.ended]
        for connection in open_ones:
            connection.close(GOING_AWAY, "the fake is shutting down")
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSocketMode:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- connections -------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed
            sock.settimeout(None)  # accepted sockets inherit the listener's timeout
            self._start(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        reader = _Reader(sock)
        try:
            connection = self._open(sock, reader)
        except (ConnectionError, OSError):
            sock.close()
            return
        if connection is not None:
            self._read_frames(connection, reader)

    def _open(self, sock: socket.socket, reader: _Reader) -> Connection | None:
        """The handshake, then hello: None (and the socket closed) if it was no handshake."""
        handshake = Handshake.parse(reader.until(b"\r\n\r\n"))
        sock.sendall(handshake.response())
        if not handshake.is_websocket():
            with self._changed:
                self.refused.append(handshake)
            sock.close()
            return None
        connection = Connection(sock, handshake, opened_at=0.0)
        with self._changed:
            count = len([c for c in self.connections if not c.ended]) + 1
        connection.send_json(hello(self.app_id, count))
        connection.opened_at = time.monotonic()
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        return connection

    def _read_frames(self, connection: Connection, reader: _Reader) -> None:
        try:
            while not connection.ended:
                if not self._handle(connection, read_frame(reader)):
                    break
        except (ConnectionError, OSError):
            pass  # the client went away (slack_sdk closes its socket without a close frame)
        finally:
            connection.drop()
            with self._changed:
                self._changed.notify_all()

    def _handle(self, connection: Connection, frame: Frame) -> bool:
        """React to one client frame; False once the connection is over."""
        if not frame.masked or frame.reserved:
            connection.close(PROTOCOL_ERROR, "client frames must be masked, without RSV bits")
            return False
        if frame.opcode == PING:
            connection.send_frame(PONG, frame.payload)  # section 5.5.3: echo its data
            with self._changed:
                connection.pings += 1
                self._changed.notify_all()
            return True
        if frame.opcode == PONG:
            return True  # unsolicited pongs are allowed (section 5.5.3) and mean nothing
        if frame.opcode == CLOSE:
            code = struct.unpack("!H", frame.payload[:2])[0] if len(frame.payload) >= 2 else 1005
            connection.closed_by_client = code
            connection.close(code if code != 1005 else 1000)  # section 5.5.1: echo the close
            return False
        if frame.opcode != TEXT or not frame.fin:
            connection.close(UNSUPPORTED_DATA, "only unfragmented text frames are understood")
            return False
        self._received(parse_message(frame.payload))
        return True

    def _received(self, message: dict[str, Any]) -> None:
        arrived = time.monotonic()
        with self._changed:
            envelope_id = message.get("envelope_id")
            if isinstance(envelope_id, str):
                sent_at = self._sent.get(envelope_id, float("nan"))
                self.acks.setdefault(envelope_id, Ack(envelope_id, message, sent_at, arrived))
            else:
                self.messages.append(message)
            self._changed.notify_all()

    def wait_for_connection(self, count: int = 1, timeout: float = WAIT_SECONDS) -> Connection:
        """The newest of ``count`` connections opened so far (waiting for them)."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.connections) >= count, timeout)
            if not arrived:
                raise AssertionError(
                    f"expected {count} Socket Mode connection(s), got {len(self.connections)}"
                )
            return self.connections[-1]

    def wait_for_pings(
        self, connection: Connection, count: int = 1, timeout: float = WAIT_SECONDS
    ) -> int:
        """How many pings ``connection`` has had answered, once there are ``count``."""
        with self._changed:
            if not self._changed.wait_for(lambda: connection.pings >= count, timeout):
                raise AssertionError(f"expected {count} ping(s), got {connection.pings}")
            return connection.pings

    def current(self) -> Connection | None:
        """The newest connection still open, if any."""
        with self._changed:
            return next((c for c in reversed(self.connections) if not c.ended), None)

    # -- envelopes ---------------------------------------------------------------------------

    def send(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        timeout: float = WAIT_SECONDS,
    ) -> str:
        """Send an envelope on the newest open connection (waiting for one); its envelope_id.

        ``type`` is ``events_api``, ``slash_commands`` or ``interactive``; Slack adds
        ``retry_attempt`` and ``retry_reason`` to ``events_api`` envelopes only.
        """
        envelope_id = f"{uuid.uuid4()}-{next(self._serial)}"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason or ""
        connection = self._open_connection(timeout)
        with self._changed:
            # Stamped before sending: an ack can arrive before sendall returns.
            self._sent[envelope_id] = time.monotonic()
        connection.send_json(envelope)
        return envelope_id

    def _open_connection(self, timeout: float) -> Connection:
        with self._changed:
            self._changed.wait_for(lambda: self.current() is not None, timeout)
        connection = self.current()
        if connection is None:
            raise AssertionError("no open Socket Mode connection to send an envelope on")
        return connection

    def wait_for_ack(self, envelope_id: str, timeout: float = WAIT_SECONDS) -> Ack:
        """The acknowledgement of ``envelope_id`` (waiting for it)."""
        with self._changed:
            self._changed.wait_for(lambda: envelope_id in self.acks, timeout)
            ack = self.acks.get(envelope_id)
        if ack is None:
            raise AssertionError(f"envelope {envelope_id} was not acknowledged in {timeout} s")
        return ack
