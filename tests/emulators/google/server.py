"""The HTTP side: a threaded server on 127.0.0.1, routing, fault injection and the request log."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.emulators.google import discovery, fields
from tests.emulators.google.calendar_api import CalendarApi
from tests.emulators.google.errors import ApiError, injected, insufficient_scopes, not_found, unauthenticated
from tests.emulators.google.faults import Fault, Faults
from tests.emulators.google.oauth import OAuthState, Response
from tests.emulators.google.state import AccountState

API_PREFIX = "/calendar/v3/"
AUTH_PATH = "/o/oauth2/auth"
TOKEN_PATH = "/token"
REVOKE_PATH = "/revoke"


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    """The effective method (``GET`` for a POST carrying ``x-http-method-override: GET``)."""
    path: str
    params: dict[str, list[str]]
    status: int
    """0 when the connection was dropped without an answer."""
    overridden: bool = False
    at: float = 0.0
    """``time.monotonic()`` when the request arrived."""


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = False  # so server_close() joins every handler thread
    block_on_close = True

    def __init__(self, emulator: GoogleEmulator, port: int) -> None:
        self.emulator = emulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end by themselves
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        """Silent: the emulator keeps its own request log."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        arrived = time.monotonic()
        emulator = self.server.emulator
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        override = self.headers.get("X-HTTP-Method-Override")
        if method == "POST" and override:
            method = override.upper()
            if method == "GET":
                for name, values in parse_qs(body.decode(), keep_blank_values=True).items():
                    query.setdefault(name, []).extend(values)
                body = b""

        faults = {fault.kind: fault for fault in emulator.faults.take(method, url.path)}
        if "delay" in faults and self.server.stopping.wait(faults["delay"].seconds):
            return
        if "drop" in faults:
            emulator._log(LoggedRequest(method, url.path, query, 0, bool(override), arrived))
            self.close_connection = True
            return
        if "error" in faults:
            fault = faults["error"]
            response = _api_error(injected(fault.status, fault.reason, fault.retry_after))
        else:
            response = emulator._respond(method, url.path, query, body, self.headers)
        if "drop_after" in faults:
            emulator._log(LoggedRequest(method, url.path, query, 0, bool(override), arrived))
            self.close_connection = True
            return
        emulator._log(LoggedRequest(method, url.path, query, response.status, bool(override), arrived))
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if "truncate" in faults:  # the connection breaks halfway through the body
            self.wfile.write(response.body[: len(response.body) // 2])
            self.close_connection = True
            return
        self.wfile.write(response.body)


def _api_error(error: ApiError) -> Response:
    response = Response.json(error.code, error.body())
    response.headers.update(error.headers)
    return response


class GoogleEmulator:
    """Google's OAuth endpoints and Calendar v3 on ``http://127.0.0.1:<random port>/``.

    ``state`` is the account (calendars and events) that tests edit directly; ``oauth`` holds
    clients, tokens and the consent knobs; ``fail`` / ``delay`` / ``drop`` / ``truncate`` inject
    faults; ``requests`` is the log of every request served. ``start()`` after ``stop()`` listens
    on the same port again, like a server back from an outage.
    """

    def __init__(
        self,
        *,
        email: str = "user@example.com",
        client_id: str = "emulator-client.apps.googleusercontent.com",
        client_secret: str = "emulator-secret",
        time_zone: str = "UTC",
        port: int = 0,
    ) -> None:
        self.state = AccountState(email, time_zone)
        self._port = port
        self.oauth = OAuthState()
        self.oauth.add_client(client_id, client_secret)
        self.client_id = client_id
        self.client_secret = client_secret
        self.api = CalendarApi(self.state)
        self.faults = Faults()
        self._log_lock = threading.Lock()
        self._requests: list[LoggedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> GoogleEmulator:
        self._server = _Server(self, self._port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="google-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.stopping.set()
        server.shutdown()
        with server.connections_lock:
            for connection in list(server.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._port = server.server_port  # a restart comes back at the same address

    def __enter__(self) -> GoogleEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ addresses

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def auth_uri(self) -> str:
        return self.base_url + AUTH_PATH

    @property
    def token_uri(self) -> str:
        return self.base_url + TOKEN_PATH

    @property
    def revoke_uri(self) -> str:
        return self.base_url + REVOKE_PATH

    @property
    def api_root(self) -> str:
        return self.base_url + "/"

    def environment(self) -> dict[str, str]:
        """The variables that point calendar-desktop's Google provider at this emulator."""
        return {
            "CALENDAR_DESKTOP_GOOGLE_AUTH_URI": self.auth_uri,
            "CALENDAR_DESKTOP_GOOGLE_TOKEN_URI": self.token_uri,
            "CALENDAR_DESKTOP_GOOGLE_REVOKE_URI": self.revoke_uri,
            "CALENDAR_DESKTOP_GOOGLE_API_ROOT": self.api_root,
        }

    # ------------------------------------------------------------ tokens without a browser

    def grant_offline_access(self, scopes: list[str] | tuple[str, ...]) -> str:
        """A refresh token for the default client, as if the user had consented (for tests)."""
        return self.oauth.grant_offline_access(self.client_id, frozenset(scopes))

    # ------------------------------------------------------------ faults

    def fail(
        self,
        status: int,
        reason: str | None = None,
        *,
        count: int = 1,
        path: str | None = None,
        method: str | None = None,
        retry_after: float | None = None,
        skip: int = 0,
    ) -> None:
        """Answer the next ``count`` matching requests with an error (429, quota 403, 5xx ...).

        ``skip`` (here and in the other knobs) lets that many matching requests through first."""
        self.faults.add(
            Fault("error", count, path, method, status=status, reason=reason, retry_after=retry_after, skip=skip)
        )

    def delay(
        self, seconds: float, *, count: int = 1, path: str | None = None, method: str | None = None, skip: int = 0
    ) -> None:
        self.faults.add(Fault("delay", count, path, method, seconds=seconds, skip=skip))

    def drop(
        self,
        *,
        count: int = 1,
        path: str | None = None,
        method: str | None = None,
        after_processing: bool = False,
        skip: int = 0,
    ) -> None:
        """Close the connection without an answer; ``after_processing`` acts on the request first
        (a lost response). httplib2 retries a drop once by itself: drop twice to make it show."""
        self.faults.add(Fault("drop_after" if after_processing else "drop", count, path, method, skip=skip))

    def truncate(self, *, count: int = 1, path: str | None = None, method: str | None = None, skip: int = 0) -> None:
        """Answer with the full ``Content-Length`` but only half the body, then close the connection."""
        self.faults.add(Fault("truncate", count, path, method, skip=skip))

    def clear_faults(self) -> None:
        self.faults.clear()

    # ------------------------------------------------------------ request log

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._log_lock:
            return list(self._requests)

    def requests_to(self, path_part: str, method: str | None = None) -> list[LoggedRequest]:
        return [r for r in self.requests if path_part in r.path and (method is None or r.method == method)]

    def clear_log(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def _log(self, entry: LoggedRequest) -> None:
        with self._log_lock:
            self._requests.append(entry)

    # ------------------------------------------------------------ routing

    def _respond(self, method: str, path: str, query: dict[str, list[str]], body: bytes, headers: Any) -> Response:
        form = parse_qs(body.decode(errors="replace"), keep_blank_values=True) if body else {}
        if path == AUTH_PATH and method == "GET":
            return self.oauth.authorize(query)
        if path == TOKEN_PATH and method == "POST":
            return self.oauth.token(form, headers.get("Authorization"))
        if path == REVOKE_PATH and method == "POST":
            return self.oauth.revoke({**query, **form})
        if path.startswith(API_PREFIX):
            try:
                return self._api(method, path[len(API_PREFIX) :], query, body, headers)
            except ApiError as error:
                return _api_error(error)
        return _api_error(not_found())

    def _api(self, method: str, path: str, query: dict[str, list[str]], body: bytes, headers: Any) -> Response:
        found = discovery.route(method, path)
        if found is None:
            raise not_found()
        api_method, path_params = found
        scopes = self.oauth.scopes_for(headers.get("Authorization"))
        if scopes is None:
            raise unauthenticated()
        if api_method.scopes and not (api_method.scopes & scopes):
            raise insufficient_scopes()
        typed = discovery.validate_query(api_method, query)
        mask = fields.parse(typed["fields"]) if "fields" in typed else None
        if mask is not None:
            discovery.check_fields(mask, api_method.response)
        payload = None
        if body:
            try:
                payload = json.loads(body)
            except ValueError:
                raise ApiError(400, "parseError", "Parse Error") from None
        status, result = self.api.handle(api_method.id, path_params, typed, payload, headers.get("If-Match"))
        if result is None:
            return Response(status)
        if mask is not None:
            result = fields.apply(result, mask)
        return Response.json(status, result)

