"""A small HTTP proxy on 127.0.0.1 between the app and a test server, for injecting faults.

Rules see each request (method, path, body) and may answer it themselves (a 503 with
``Retry-After``, a 403 refusing sync-collection …), hold it (a slow server), drop the
connection, or forward it and cut the reply half-way (closed or reset). Everything else is
forwarded unchanged. ``requests`` records what passed, with the status the client received
(None when the connection broke before a whole answer). ``stop()`` then ``start()`` takes the
proxy away (connections refused) and brings it back on the same port, rules and log kept.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Fault:
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    drop: bool = False
    """Close the connection without answering."""
    truncate: bool = False
    """Forward the request, then send only half of the server's reply and close."""
    lose_answer: bool = False
    """Forward the request, then close without answering (the write happened; its answer is lost)."""
    reset: bool = False
    """Forward the request, send the head and half of the server's reply, then reset the connection."""
    forward: bool = False
    """Forward the request and pass the answer on unchanged (with ``delay``: a slow server)."""
    delay: float = 0.0
    """Seconds to hold the request before doing the rest."""

    @property
    def forwards(self) -> bool:
        return self.forward or self.truncate or self.lose_answer or self.reset


Rule = Callable[[Request], Fault | None]


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.rules: list[Rule] = []
        self.requests: list[tuple[Request, int | None]] = []
        self._lock = threading.Lock()
        self._server = self._listen(0)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread: threading.Thread | None = None

    def _listen(self, port: int) -> ThreadingHTTPServer:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
                pass

            def handle_any(self) -> None:
                proxy._handle(self)

            do_GET = do_PUT = do_DELETE = do_POST = do_OPTIONS = handle_any
            do_PROPFIND = do_REPORT = do_MKCALENDAR = do_PROPPATCH = handle_any

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        return server

    def start(self) -> FaultProxy:
        """Serve (again, on the same port, after a ``stop()``)."""
        if self._thread is not None:
            return self
        if self._server is None:
            self._server = self._listen(self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until ``start()``."""
        if self._server is None:
            return
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()
        self._server = None

    def fail(self, matches: Callable[[Request], bool], fault: Fault, times: int = 1) -> None:
        """Answer the next ``times`` requests that match with ``fault``."""
        left = [times]

        def rule(request: Request) -> Fault | None:
            with self._lock:
                if left[0] > 0 and matches(request):
                    left[0] -= 1
                    return fault
            return None

        self.rules.append(rule)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        request = Request(handler.command, handler.path, handler.rfile.read(length) if length else b"")
        fault = next((f for rule in list(self.rules) if (f := rule(request)) is not None), None)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        try:
            self._answer(handler, request, fault)
        except OSError:
            pass  # the client gave up (timed out) before the answer: nothing to tell it

    def _answer(self, handler: BaseHTTPRequestHandler, request: Request, fault: Fault | None) -> None:
        if fault is not None and fault.drop:
            self._record(request, None)
            handler.close_connection = True
            return
        if fault is not None and not fault.forwards:
            self._record(request, fault.status)
            self._send(handler, fault.status, fault.headers, fault.body)
            return
        try:
            status, headers, body = self._forward(handler, request)
        except OSError:
            self._record(request, 502)
            self._send(handler, 502, {}, b"upstream unreachable")
            return
        broken = fault is not None and (fault.lose_answer or fault.truncate or fault.reset)
        self._record(request, None if broken else status)
        if fault is not None and fault.lose_answer:
            handler.close_connection = True
            return
        if fault is not None and (fault.truncate or fault.reset):
            handler.send_response(status)
            for name, value in headers:
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            if fault.reset:  # closed at once with SO_LINGER 0: an RST, not a FIN
                handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                handler.connection.close()
            handler.close_connection = True
            return
        self._send(handler, status, dict(headers), body)

    def _forward(self, handler: BaseHTTPRequestHandler, request: Request) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=120)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in {"host", "connection", "content-length"}}
            connection.request(request.method, request.path, body=request.body or None, headers=headers)
            response = connection.getresponse()
            body = response.read()
            kept = [(k, v) for k, v in response.getheaders()
                    if k.lower() not in {"connection", "content-length", "transfer-encoding"}]  # fmt: skip
            return response.status, kept, body
        finally:
            connection.close()

    def _send(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _record(self, request: Request, status: int | None) -> None:
        with self._lock:
            self.requests.append((request, status))
