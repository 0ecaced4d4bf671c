"""Interactive sign-in: the system browser, a loopback redirect, PKCE, and a refresh token.

google-auth-oauthlib's ``InstalledAppFlow.run_local_server`` does the protocol: a listener on
``http://127.0.0.1:<free port>/``, an S256 PKCE challenge (on by default from 1.3.0), the
``state`` check when the browser comes back, and the code exchange. Around it this module adds
what a desktop app needs: it blocks in a worker thread with a timeout, ``cancel()`` from any
other thread ends the wait (by a request to the loopback port, which the flow then rejects), the
URL goes to a callback so the UI can show it when no browser opens, and the scopes Google
actually granted are checked.
"""

from __future__ import annotations

import logging
import socket
import threading
import webbrowser
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
from oauthlib.oauth2.rfc6749.errors import AccessDeniedError, OAuth2Error

from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import (
    SignInCancelled,
    SignInDenied,
    SignInError,
    SignInTimeout,
)
from calendar_desktop.providers.google.api import CalendarApi
from calendar_desktop.providers.google.client_config import OAuthClient
from calendar_desktop.providers.google.credentials import account_secrets
from calendar_desktop.providers.google.endpoints import GoogleEndpoints
from calendar_desktop.providers.google.oauthlib_env import oauthlib_settings
from calendar_desktop.providers.google.revocation import revoke_token
from calendar_desktop.providers.google.scopes import AccessMode, check_granted
from calendar_desktop.providers.retry import RetryPolicy

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 300.0
TOKEN_EXCHANGE_TIMEOUT_S = 60.0
REVOKE_TIMEOUT_S = 10.0
SUCCESS_PAGE = "calendar-desktop has received Google's answer. You can close this tab and return to the app."

UrlCallback = Callable[[str, bool], None]
"""Called once with the authorization URL and whether a browser was opened on it."""


def open_system_browser(url: str) -> bool:
    """Open ``url`` with Python's ``webbrowser`` (which honours ``$BROWSER``); False if none could be."""
    try:
        return bool(webbrowser.open(url, new=1, autoraise=True))
    except webbrowser.Error:
        return False


class _Flow(InstalledAppFlow):
    """``InstalledAppFlow`` with hooks: it reports the authorization URL instead of opening a
    browser itself, and runs oauthlib with the settings our endpoints need."""

    sign_in: GoogleSignIn

    def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
        with oauthlib_settings(self.sign_in.endpoints):
            url, state = super().authorization_url(**kwargs)
        self.sign_in._authorization_ready(url, self.redirect_uri)
        return url, state

    def fetch_token(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("timeout", TOKEN_EXCHANGE_TIMEOUT_S)
        with oauthlib_settings(self.sign_in.endpoints):
            return super().fetch_token(**kwargs)


class GoogleSignIn:
    """One sign-in attempt. ``run()`` blocks (call it in a worker thread); ``cancel()`` may be
    called from any thread at any time.

    ``existing_refresh_token``: when reconnecting an account whose refresh token is still held,
    pass it; Google is then not asked to show the consent screen again (``prompt=consent`` is
    sent only when no refresh token is held, since Google issues one only on consent).
    """

    def __init__(
        self,
        client: OAuthClient,
        *,
        mode: AccessMode = AccessMode.TWO_WAY,
        endpoints: GoogleEndpoints | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        url_callback: UrlCallback | None = None,
        open_browser: Callable[[str], bool] = open_system_browser,
        existing_refresh_token: str | None = None,
        retry_policy: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.client = client
        self.mode = mode
        self.endpoints = endpoints or GoogleEndpoints.from_environment()
        self.timeout_s = timeout_s
        self._url_callback = url_callback
        self._open_browser = open_browser
        self._existing_refresh_token = existing_refresh_token
        self._retry_policy = retry_policy
        self._cancelled = threading.Event()
        self._port: int | None = None

    # ------------------------------------------------------------ public

    def run(self) -> NewAccount:
        if self._cancelled.is_set():
            raise SignInCancelled("Sign-in was cancelled.")
        credentials = self._authorize()
        try:
            if self._cancelled.is_set():
                raise SignInCancelled("Sign-in was cancelled.")
            granted = frozenset(credentials.granted_scopes or self.mode.scopes)
            check_granted(self.mode, granted)
            if not credentials.refresh_token:
                if not self._existing_refresh_token:
                    raise SignInError("Google did not issue a refresh token, so the account could not stay connected. Try again.")
                credentials = _with_refresh_token(credentials, self._existing_refresh_token)
            email, name = self._identify(credentials)
        except BaseException:
            self._revoke_quietly(credentials)
            raise
        return NewAccount(
            provider=ProviderKind.GOOGLE,
            name=name,
            username=email,
            secrets=account_secrets(credentials, self.client),
            read_only=self.mode is AccessMode.READ_ONLY,
            options={"mode": self.mode.value, "scopes": " ".join(sorted(granted)), **self.endpoints.to_options()},
        )

    def cancel(self) -> None:
        """End the sign-in: ``run()`` raises ``SignInCancelled`` soon after."""
        self._cancelled.set()
        port = self._port
        if port is not None:
            _poke(port)

    # ------------------------------------------------------------ steps

    def _authorize(self) -> Credentials:
        flow = _Flow.from_client_config(
            {
                "installed": {
                    "client_id": self.client.client_id,
                    "client_secret": self.client.client_secret,
                    "auth_uri": self.endpoints.auth_uri,
                    "token_uri": self.endpoints.token_uri,
                    "redirect_uris": ["http://127.0.0.1"],
                }
            },
            scopes=list(self.mode.scopes),
            autogenerate_code_verifier=True,
        )
        flow.sign_in = self
        extra = {"access_type": "offline"}
        if not self._existing_refresh_token:
            extra["prompt"] = "consent"
        try:
            return flow.run_local_server(
                host="127.0.0.1",
                port=0,
                open_browser=False,
                authorization_prompt_message=None,
                success_message=SUCCESS_PAGE,
                timeout_seconds=self.timeout_s,
                **extra,
            )
        except SignInError:
            raise
        except BaseException as exc:
            explained = self._explain(exc)
            if explained is exc:
                raise
            raise explained from exc
        finally:
            self._port = None
            flow.oauth2session.close()  # the requests session of the code exchange

    def _authorization_ready(self, url: str, redirect_uri: str) -> None:
        """Called by the flow once it listens: publish the port for ``cancel``, then show the URL."""
        self._port = urlsplit(redirect_uri).port
        if self._cancelled.is_set():
            raise SignInCancelled("Sign-in was cancelled.")
        opened = self._open_browser(url)
        if not opened:
            log.info("No browser could be opened for the Google sign-in; the URL is handed to the app")
        if self._url_callback is not None:
            self._url_callback(url, opened)

    def _explain(self, exc: BaseException) -> BaseException:
        if self._cancelled.is_set():
            return SignInCancelled("Sign-in was cancelled.")
        if isinstance(exc, WSGITimeoutError):
            return SignInTimeout(
                f"Google sign-in did not complete within {self.timeout_s:.0f} seconds. Start it again when you are ready."
            )
        if isinstance(exc, AccessDeniedError):
            return SignInDenied("Google sign-in was declined, so no account was connected.")
        if isinstance(exc, OAuth2Error):
            return SignInError(f"Google sign-in failed ({exc.error}). Start it again.")
        if isinstance(exc, requests.RequestException):
            return SignInError(f"Could not reach Google to complete the sign-in ({type(exc).__name__}). Check the network and try again.")
        return exc

    def _identify(self, credentials: Credentials) -> tuple[str, str]:
        """The account's address: its primary calendar's id (no extra profile scope needed)."""
        api = CalendarApi(credentials, self.endpoints, retry_policy=self._retry_policy)
        try:
            entry = api.execute(api.service.calendarList().get(calendarId="primary", fields="id,summary"))
        finally:
            api.close()
        email = entry.get("id") or ""
        return email, entry.get("summary") or email

    def _revoke_quietly(self, credentials: Credentials) -> None:
        """Leave no grant behind for an account that is not kept."""
        token = credentials.refresh_token or credentials.token
        if token and token != self._existing_refresh_token:
            revoke_token(self.endpoints, token, timeout=REVOKE_TIMEOUT_S)


def _with_refresh_token(credentials: Credentials, refresh_token: str) -> Credentials:
    return Credentials(
        token=credentials.token,
        refresh_token=refresh_token,
        token_uri=credentials.token_uri,
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        granted_scopes=credentials.granted_scopes,
        expiry=credentials.expiry,
    )


def _poke(port: int) -> None:
    """Make the loopback listener's single ``handle_request()`` return: send it a request carrying no code."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"GET /?error=cancelled HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    except OSError:
        pass  # the listener is already gone: the flow has moved on and will see the flag
