"""The emulator's HTTP server: one loopback port for the identity platform and Graph.

Real HTTP/1.1 with keep-alive on 127.0.0.1, a random free port, one thread per connection.
``stop()`` closes the listening socket and every open connection and joins all threads;
``start()`` after ``stop()`` listens on the same port again (a server back from an outage).
Fault injection (``fail``/``drop``/``delay``/``truncate``) applies to any path; the request log
never keeps tokens, ``Authorization`` values or bodies.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.emulators.microsoft.graph import GraphApi
from tests.emulators.microsoft.http import Request, Response, graph_error
from tests.emulators.microsoft.identity import IdentityPlatform, User
from tests.emulators.microsoft.mailbox import Mailbox, Person

DEFAULT_CLIENT_ID = "5e3b1f4a-0c2d-4e8f-9a6b-7c1d2e3f4a5b"
_GRAPH_PATH = re.compile(r"^/(v1\.0|beta)/")


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    status: int
    prefer: tuple[str, ...]
    if_match: str | None
    authorized: bool


@dataclass(slots=True)
class _Fault:
    status: int | None
    """None drops the connection without answering."""
    method: str | None
    path: re.Pattern[str] | None
    remaining: int
    retry_after: str | None
    code: str | None
    after: bool = False
    """For a drop: serve the request first, then lose the answer."""
    delay: float = 0.0
    """Wait this long, then serve the request normally (a slow server)."""
    truncate: bool = False
    """Serve the request, but break the connection halfway through the body."""
    skip: int = 0
    """Matching requests to let through untouched before the fault starts (e.g. the second page)."""

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and (self.method is None or self.method == method)
            and (self.path is None or self.path.search(path) is not None)
        )


class MicrosoftEmulator:
    """Microsoft identity platform + Graph calendar endpoints on loopback.

    ``start()``/``stop()`` or a ``with`` block. Then point clients at ``authority()`` (through an
    HTTP client that routes ``login.microsoftonline.com`` here, see ``identity``) and ``base_url``
    as the Graph root. State: ``mailbox`` (calendars and events), ``identity`` (users, tokens,
    consent knobs), ``graph`` (delta knobs).
    """

    def __init__(
        self,
        *,
        user: User | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        latency: float = 0.0,
    ) -> None:
        self.user = user or User()
        self.client_id = client_id
        self.identity = IdentityPlatform(self.user)
        self.identity.register_client(client_id)
        self.mailbox = Mailbox(Person(self.user.name, self.user.username))
        self.graph = GraphApi(self.mailbox, self.identity)
        self.latency = latency
        self._log: list[LoggedRequest] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._stopping = threading.Event()

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> MicrosoftEmulator:
        self._stopping.clear()
        server = _Server(("127.0.0.1", self._port), _Handler)
        server.emulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="ms-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._port = int(server.server_address[1])  # a restart comes back at the same address
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()  # joins the connection threads
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> MicrosoftEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "emulator not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def authority(self, tenant: str = "common") -> str:
        return f"{self.base_url}/{tenant}"

    # --- faults and log --------------------------------------------------------------

    def fail(
        self,
        status: int,
        *,
        path: str | None = None,
        method: str | None = None,
        times: int = 1,
        retry_after: float | None = None,
        code: str | None = None,
        skip: int = 0,
    ) -> None:
        """Answer the next ``times`` matching requests (``path`` is a regex searched in the path)
        with ``status`` (and ``Retry-After`` when given) instead of serving them. ``skip`` (here and
        in the other knobs) lets that many matching requests through first."""
        retry = None if retry_after is None else f"{retry_after:g}"
        self._add_fault(_Fault(status, method, _pattern(path), times, retry, code, skip=skip))

    def drop(
        self, *, path: str | None = None, method: str | None = None, times: int = 1, after: bool = False, skip: int = 0
    ) -> None:
        """Close the next ``times`` matching connections without an answer (a network failure);
        with ``after`` the request is carried out first and only its answer is lost."""
        self._add_fault(_Fault(None, method, _pattern(path), times, None, None, after, skip=skip))

    def delay(
        self, seconds: float, *, path: str | None = None, method: str | None = None, times: int = 1, skip: int = 0
    ) -> None:
        """Hold the next ``times`` matching requests for ``seconds`` before serving them."""
        self._add_fault(_Fault(None, method, _pattern(path), times, None, None, delay=seconds, skip=skip))

    def truncate(self, *, path: str | None = None, method: str | None = None, times: int = 1, skip: int = 0) -> None:
        """Serve the next ``times`` matching requests with the full ``Content-Length`` but half the body."""
        self._add_fault(_Fault(None, method, _pattern(path), times, None, None, truncate=True, skip=skip))

    def _add_fault(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def count(self, *, method: str | None = None, path: str | None = None) -> int:
        """How many logged requests match (``path`` is a regex searched in the path)."""
        pattern = re.compile(path) if path else None
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method) and (pattern is None or pattern.search(r.path))
        )

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # --- serving ---------------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.remaining -= 1
                    return fault
        return None

    def respond(self, request: Request) -> Response | None:
        """The response to ``request``; None means drop the connection."""
        if self.latency:
            time.sleep(self.latency)
        fault = self._take_fault(request.method, request.path)
        if fault is not None and fault.delay:
            if self._stopping.wait(fault.delay):
                return None
            fault = None
        if fault is not None and fault.status is not None:
            return _fault_response(request.path, fault)
        if fault is not None and not (fault.after or fault.truncate):
            return None
        response = self.identity.handle(request) or self.graph.handle(request)
        if response is None:
            response = graph_error(404, "NotFound", f"No endpoint at {request.path}")
        if fault is not None and fault.truncate:
            response.truncated = True
        elif fault is not None:
            return None
        return response

    def record(self, request: Request, status: int) -> None:
        entry = LoggedRequest(
            method=request.method,
            path=request.path,
            query=dict(parse_qsl(request.raw_query, keep_blank_values=True)),
            status=status,
            prefer=tuple(request.headers.get_all("Prefer") or ()),
            if_match=request.header("If-Match"),
            authorized=request.header("Authorization") is not None,
        )
        with self._lock:
            self._log.append(entry)


def _pattern(path: str | None) -> re.Pattern[str] | None:
    return re.compile(path) if path else None


def _fault_response(path: str, fault: _Fault) -> Response:
    status = fault.status or 500
    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
    if _GRAPH_PATH.match(path):
        code = fault.code or {429: "TooManyRequests", 503: "ServiceNotAvailable", 504: "GatewayTimeout"}.get(
            status, "generalException"
        )
        return graph_error(status, code, "Injected by the emulator.", headers)
    error = fault.code or ("temporarily_unavailable" if status in (429, 503) else "server_error")
    return Response.json(
        status, {"error": error, "error_description": f"AADSTS50196: Injected by the emulator ({status})."}, headers
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    emulator: MicrosoftEmulator

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        """Quiet: the emulator keeps its own log (without secrets)."""

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        request = Request(self.command, parts.path, parts.query, self.headers, body, f"http://{host}")
        emulator = self.server.emulator
        response = emulator.respond(request)
        if response is None:
            emulator.record(request, 0)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        emulator.record(request, response.status)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.truncated:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _dispatch
