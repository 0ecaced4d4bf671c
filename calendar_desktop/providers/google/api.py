"""One authorised connection to the Calendar API: requests executed with our own retries and
Google's errors turned into the provider errors the sync controller understands.

The library's own retry (``num_retries``) stays at 0: it ignores ``Retry-After`` and would retry
inside our backoff. ``call_with_retries`` retries 429, quota 403s, 5xx and network failures.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.client import HTTPException
from typing import Any

import google.auth.exceptions
import google_auth_httplib2
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest

from calendar_desktop.providers.errors import (
    AuthenticationError,
    CursorExpired,
    PermanentError,
    ProviderError,
    TransientError,
    WriteConflict,
)
from calendar_desktop.providers.google.endpoints import GoogleEndpoints
from calendar_desktop.providers.retry import (
    RetryPolicy,
    call_with_retries,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

QUOTA_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})
CURSOR_REASONS = frozenset({"fullSyncRequired", "updatedMinTooLongAgo"})
DEFAULT_TIMEOUT_S = 60.0


class ResourceGone(PermanentError):
    """404, or 410 ``deleted``: the event is not (or no longer) there."""


class DuplicateId(PermanentError):
    """409 ``duplicate``: an event with the id we chose exists already."""


def error_reason(exc: HttpError) -> str | None:
    """The machine reason (``error.errors[0].reason``) of an API error, when the body has one."""
    try:
        body = json.loads(exc.content)
        return body["error"]["errors"][0]["reason"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None



def map_http_error(exc: HttpError) -> ProviderError:
    status = exc.status_code
    reason = error_reason(exc)
    detail = f"Google Calendar answered {status}" + (f" ({reason})" if reason else "")
    code = f"HTTP {status}" + (f" {reason}" if reason else "")
    retry_after = retry_after_seconds(exc.resp.get("retry-after"))
    if status == 401:
        return AuthenticationError("Google no longer accepts this account's sign-in; connect the account again.")
    if status == 403 and reason == "quotaExceeded":
        message = f"Google Calendar's usage limit for calendar-desktop was reached ({code}); will retry later."
        return TransientError(message, retry_after=retry_after, status=status)
    if status == 429 or (status == 403 and reason in QUOTA_REASONS):
        message = f"Google Calendar asked calendar-desktop to slow down ({code}); will retry."
        return TransientError(message, retry_after=retry_after, status=status)
    if status >= 500:
        return TransientError(f"Google Calendar is having trouble ({code}); will retry.", retry_after=retry_after, status=status)
    if status == 403 and reason == "insufficientPermissions":
        return AuthenticationError(
            "Google has not granted calendar-desktop the access this needs; connect the account again and allow it."
        )
    if status == 410 and reason in CURSOR_REASONS:
        return CursorExpired(f"{detail}: the sync position expired, a full resync is needed.")
    if status == 404 or (status == 410 and reason == "deleted"):
        return ResourceGone(f"{detail}: not found.")
    if status == 409 and reason == "duplicate":
        return DuplicateId(f"{detail}: the event id exists already.")
    if status == 412:
        return WriteConflict("The event changed on Google since it was last synced.")
    return PermanentError(f"{detail}: {_short(exc.reason)}")


def _short(text: str | None, limit: int = 200) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def map_transport_error(exc: BaseException, timeout: float | None = None) -> ProviderError:
    if isinstance(exc, google.auth.exceptions.RefreshError):
        if getattr(exc, "retryable", False):
            return TransientError("Google's sign-in service is unavailable; will retry.")
        return AuthenticationError("Google refused to renew this account's sign-in (it was revoked or expired); connect the account again.")
    if isinstance(exc, google.auth.exceptions.TransportError):
        return TransientError("Cannot reach Google's sign-in service; will retry.")
    if isinstance(exc, TimeoutError):
        within = f"within {timeout:g} seconds" if timeout else "in time"
        return TransientError(f"Google Calendar did not answer {within}; will retry.")
    if isinstance(exc, (HTTPException, ConnectionResetError, BrokenPipeError)):
        # Also a body cut short (IncompleteRead) and a connection closed without an answer.
        return TransientError(f"The connection to Google Calendar broke off ({type(exc).__name__}); will retry.")
    return TransientError(
        f"Cannot reach Google Calendar ({type(exc).__name__}); check the internet connection. Will retry."
    )


_TRANSPORT_ERRORS = (
    OSError,  # socket.timeout, ConnectionError and friends
    HTTPException,
    httplib2.HttpLib2Error,
    google.auth.exceptions.RefreshError,
    google.auth.exceptions.TransportError,
)


class CalendarApi:
    """The Calendar v3 service for one set of credentials."""

    def __init__(
        self,
        credentials: Credentials,
        endpoints: GoogleEndpoints,
        *,
        retry_policy: RetryPolicy = RetryPolicy(),
        timeout: float = DEFAULT_TIMEOUT_S,
        cancel: threading.Event | None = None,
        on_token_refreshed: Callable[[Credentials], None] | None = None,
    ) -> None:
        self.credentials = credentials
        self._timeout = timeout
        self._http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))
        self.service = build(
            "calendar",
            "v3",
            http=self._http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": endpoints.calendar_api},
        )
        self._policy = retry_policy
        self.cancel = cancel or threading.Event()
        self._on_token_refreshed = on_token_refreshed
        self._last_token = credentials.token
        # httplib2.Http is not thread-safe; requests of one account go one at a time.
        self._lock = threading.Lock()

    def execute(self, request: HttpRequest, *, headers: dict[str, str] | None = None) -> Any:
        """Run ``request`` (retrying what is safe to retry) and return its JSON body."""
        if headers:
            request.headers.update(headers)
        return call_with_retries(lambda: self._execute_once(request), self._policy, cancel=self.cancel)

    def _execute_once(self, request: HttpRequest) -> Any:
        try:
            with self._lock:
                return request.execute(num_retries=0)
        except HttpError as exc:
            raise map_http_error(exc) from exc
        except _TRANSPORT_ERRORS as exc:
            raise map_transport_error(exc, self._timeout) from exc
        finally:
            self._note_refresh()

    def _note_refresh(self) -> None:
        if self.credentials.token != self._last_token:
            self._last_token = self.credentials.token
            if self._on_token_refreshed is not None:
                self._on_token_refreshed(self.credentials)

    def close(self) -> None:
        with self._lock:
            self.service.close()
