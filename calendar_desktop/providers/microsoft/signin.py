"""Interactive sign-in: MSAL's auth-code flow with PKCE in the system browser, loopback redirect.

MSAL (``acquire_token_interactive``) builds the request (PKCE S256, ``state``, ``nonce``,
``response_mode=form_post``), redeems the code and fills the token cache. It has no cancel API,
and its own loopback listener waits in a loop that only a timeout ends. So we hand MSAL our own
listener, ``LoopbackReceiver``, through the ``auth_code_receiver`` argument that
``acquire_token_interactive`` passes on to ``oauth2cli.Client.obtain_token_by_browser`` (where
it is documented). It speaks the same contract (``get_port()``, ``get_auth_response(...)``)
and adds what the app needs:

- **Cancel** (``MicrosoftSignIn.cancel()``, from any thread): the listener stops at once and
  closes its socket; the blocked ``run()`` returns within a moment with ``SignInCancelled``.
  A browser that completes the flow afterwards finds nobody listening, so no code is ever
  redeemed. If the code had already arrived and is being redeemed, the tokens are discarded
  (nothing is written to disk) and ``SignInCancelled`` is raised all the same.
- **Timeout**: always finite (``timeout``, 5 minutes by default) → ``SignInTimeout``.
- **No browser**: when ``webbrowser`` cannot open one, the URL goes to ``show_url`` so the UI can
  show it (with a copy button). MSAL's undocumented ``auth_uri_callback`` is not used: our
  listener launches the browser itself.

``run()`` blocks: call it in a worker thread.
"""

from __future__ import annotations

import html
import logging
import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import msal
from msal.exceptions import MsalServiceError

from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import (
    AuthenticationError,
    SignInCancelled,
    SignInTimeout,
    TransientError,
)
from calendar_desktop.providers.microsoft.auth import (
    OFFLINE_MESSAGE,
    build_app,
    http_client_for,
    raise_for_oauth_error,
)
from calendar_desktop.providers.microsoft.config import (
    READ_ONLY_SCOPES,
    READ_WRITE_SCOPES,
    MicrosoftConfig,
)
from calendar_desktop.providers.microsoft.json_types import Json
from calendar_desktop.providers.microsoft.token_cache import (
    KEY_SECRET,
    EncryptedTokenCache,
    new_cache_file_name,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 300.0
_DONE_PAGE = "<html><body><p>Signed in. You can close this tab and return to calendar-desktop.</p></body></html>"
_FAILED_PAGE = "<html><body><p>Sign-in did not complete ({}). You can close this tab and return to calendar-desktop.</p></body></html>"


def open_system_browser(url: str) -> bool:
    """``webbrowser.open`` (honours ``$BROWSER``) that reports failure instead of raising."""
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


class _Handler(BaseHTTPRequestHandler):
    server: _ReceiverServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8", "replace")).items()}
        if not (form.get("code") or form.get("error")):
            self._reply(400, "<html><body><p>Not a sign-in response.</p></body></html>")
            return
        if not self.server.receiver.accept(form):
            self._reply(400, "<html><body><p>This response was ignored (a wrong state, or one came already).</p></body></html>")
            return
        if "code" in form:
            self._reply(200, _DONE_PAGE)
        else:
            self._reply(200, _FAILED_PAGE.format(html.escape(form.get("error", "error"))))

    def do_GET(self) -> None:  # noqa: N802
        self._reply(400, "<html><body><p>This sign-in listener accepts form_post responses only.</p></body></html>")

    def _reply(self, status: int, page: str) -> None:
        body = page.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: request lines carry the authorization code."""


class _ReceiverServer(HTTPServer):
    receiver: LoopbackReceiver


class LoopbackReceiver:
    """A cancellable ``form_post`` listener on 127.0.0.1 (MSAL's ``auth_code_receiver`` contract)."""

    def __init__(
        self,
        *,
        open_browser: Callable[[str], bool] = open_system_browser,
        show_url: Callable[[str], None] | None = None,
    ) -> None:
        self._open_browser = open_browser
        self._show_url = show_url
        self._state: str | None = None
        self._response: dict[str, str] | None = None
        self._finished = threading.Event()
        self.cancelled = False
        self._closed = False
        self._close_lock = threading.Lock()
        self._accept_lock = threading.Lock()
        self._server = _ReceiverServer(("127.0.0.1", 0), _Handler)
        self._server.receiver = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="ms-signin-listener", daemon=True
        )
        self._thread.start()

    def get_port(self) -> int:
        return int(self._server.server_address[1])

    def accept(self, form: dict[str, str]) -> bool:
        """Take the first authorization response whose ``state`` is ours (called by the handler)."""
        with self._accept_lock:
            if self._finished.is_set() or (self._state is not None and form.get("state") != self._state):
                return False
            self._response = form
            self._finished.set()
            return True

    def get_auth_response(
        self, *, auth_uri: str | None = None, state: str | None = None, timeout: float | None = None, **_: object
    ) -> dict[str, str] | None:
        """Open the browser at ``auth_uri`` and wait for the response; None on timeout or cancel."""
        self._state = state
        try:
            if auth_uri and not self._finished.is_set():
                self._launch(auth_uri)
            self._finished.wait(timeout)
            return None if self.cancelled else self._response
        finally:
            self.close()

    def _launch(self, auth_uri: str) -> None:
        if self._open_browser(auth_uri):
            return
        if self._show_url is not None:
            self._show_url(auth_uri)
        else:
            log.warning("No browser could be opened for the Microsoft sign-in, and no one to show its address to.")

    def cancel(self) -> None:
        self.cancelled = True
        self._finished.set()
        self.close()

    def close(self) -> None:
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class MicrosoftSignIn:
    """One interactive connect: ``run()`` in a worker thread, ``cancel()`` from any thread."""

    def __init__(
        self,
        config: MicrosoftConfig,
        data_dir: Path,
        *,
        read_only: bool = False,
        timeout: float = DEFAULT_TIMEOUT_S,
        open_browser: Callable[[str], bool] = open_system_browser,
        show_url: Callable[[str], None] | None = None,
    ) -> None:
        if not timeout or timeout <= 0:
            raise ValueError("a sign-in needs a finite, positive timeout")
        self._config = config
        self._data_dir = data_dir
        self._scopes = READ_ONLY_SCOPES if read_only else READ_WRITE_SCOPES
        self._timeout = timeout
        self._open_browser = open_browser
        self._show_url = show_url
        self._lock = threading.Lock()
        self._cancelled = False
        self._receiver: LoopbackReceiver | None = None

    def cancel(self) -> None:
        """Stop waiting for the browser; ``run()`` raises ``SignInCancelled``."""
        with self._lock:
            self._cancelled = True
            receiver = self._receiver
        if receiver is not None:
            receiver.cancel()

    def run(self) -> NewAccount:
        """Sign in and return the new account; its token cache is already saved (encrypted)."""
        self._config.require_client_id()
        cache = msal.SerializableTokenCache()
        http = http_client_for(self._config)
        try:
            self._check_cancelled()
            app = build_app(self._config, cache, http)
            result = self._interact(app)
            self._check_cancelled()
            if "access_token" not in result:
                if result.get("error") == "access_denied":
                    raise AuthenticationError("The Microsoft sign-in was declined, so the account was not added.")
                raise_for_oauth_error(result)
            return self._new_account(app, cache, result)
        finally:
            http.close()

    def _check_cancelled(self) -> None:
        if self._cancelled:
            raise SignInCancelled("The Microsoft sign-in was cancelled.")

    def _interact(self, app: msal.PublicClientApplication) -> Json:
        receiver = LoopbackReceiver(open_browser=self._open_browser, show_url=self._show_url)
        with self._lock:
            self._receiver = receiver
            if self._cancelled:
                receiver.cancel()
        try:
            result: Json = app.acquire_token_interactive(
                list(self._scopes),
                prompt="select_account",
                timeout=self._timeout,
                port=receiver.get_port(),
                auth_code_receiver=receiver,
            )
            return result
        except msal.BrowserInteractionTimeoutError:
            self._check_cancelled()
            raise SignInTimeout(
                f"The Microsoft sign-in was not completed in the browser within {self._timeout:g} seconds."
            ) from None
        except httpx.TransportError as exc:
            raise TransientError(OFFLINE_MESSAGE.format(detail=type(exc).__name__)) from exc
        except MsalServiceError as exc:
            raise TransientError(OFFLINE_MESSAGE.format(detail=str(exc))) from exc
        finally:
            receiver.close()

    def _new_account(
        self, app: msal.PublicClientApplication, cache: msal.SerializableTokenCache, result: Json
    ) -> NewAccount:
        claims = result.get("id_token_claims") or {}
        oid = claims.get("oid")
        account = next((a for a in app.get_accounts() if a.get("local_account_id") == oid), None)
        if account is None:
            raise AuthenticationError("Microsoft did not say which account signed in; try again.")
        granted = {s.lower() for s in str(result.get("scope", "")).split()}
        if "calendars.readwrite" in granted:
            read_only = self._scopes == READ_ONLY_SCOPES
        elif "calendars.read" in granted:
            read_only = True
        else:
            raise AuthenticationError("Access to your calendars was not granted, so the account was not added.")
        key = EncryptedTokenCache.new_key()
        file_name = new_cache_file_name()
        EncryptedTokenCache.in_folder(self._data_dir, file_name, key).save(cache, force=True)
        username = str(claims.get("preferred_username") or account.get("username") or "")
        scopes = READ_ONLY_SCOPES if read_only else self._scopes
        return NewAccount(
            provider=ProviderKind.MICROSOFT,
            name=str(claims.get("name") or username),
            username=username,
            secrets={KEY_SECRET: key},
            read_only=read_only,
            options={
                "client_id": self._config.require_client_id(),
                "authority": self._config.authority,
                "graph_root": self._config.graph_root,
                "home_account_id": str(account["home_account_id"]),
                "tenant_id": str(claims.get("tid") or ""),
                "scopes": " ".join(scopes),
                "token_cache_file": file_name,
            },
        )
