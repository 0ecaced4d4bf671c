"""Requests to Microsoft Graph: headers, token refresh, retries, and errors in our terms.

A synchronous ``httpx.Client``: providers block in worker threads by contract, and a pooled
sync client gives keep-alive, finite timeouts and one exception family for network trouble.

Every request carries ``Prefer: IdType="ImmutableId"`` (ids that survive moves; delta links stay
valid) and ``Prefer: outlook.timezone="UTC"``; listings add ``Prefer: odata.maxpagesize``.
Mapping: 429/5xx and network errors → ``TransientError`` (``Retry-After`` kept, retried here
through ``call_with_retries``); 401 → one forced token refresh, then ``AuthenticationError``;
410, ``syncStateNotFound`` or ``resyncRequired`` on a delta request → ``CursorExpired``;
412 → ``WriteConflict``; other 4xx → ``GraphError`` (a ``PermanentError``).
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import httpx

from calendar_desktop.providers.errors import (
    AuthenticationError,
    CursorExpired,
    PermanentError,
    TransientError,
    WriteConflict,
)
from calendar_desktop.providers.microsoft.auth import TokenSource
from calendar_desktop.providers.microsoft.json_types import Json
from calendar_desktop.providers.microsoft.tls import tls_context
from calendar_desktop.providers.retry import (
    RetryPolicy,
    call_with_retries,
    retry_after_seconds,
)

BASE_PREFERENCES = (("Prefer", 'IdType="ImmutableId"'), ("Prefer", 'outlook.timezone="UTC"'))
CURSOR_ERROR_CODES = frozenset({"syncstatenotfound", "resyncrequired", "syncstateinvalid"})


class GraphError(PermanentError):
    """Graph refused a request for good (4xx). ``status`` and Graph's error ``code`` are kept."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code



def error_code(response: httpx.Response) -> str:
    """Graph's ``error.code`` (never the message: it may quote request content)."""
    try:
        payload = response.json()
    except ValueError:
        return ""
    error = payload.get("error") if isinstance(payload, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else ""


def raise_for_status(response: httpx.Response, *, delta: bool = False) -> None:
    status = response.status_code
    if status < 300:
        return
    code = error_code(response)
    label = f"HTTP {status}{' ' + code if code else ''}"
    if status == 429 or status >= 500:
        raise TransientError(
            f"Microsoft Graph is busy or unavailable ({label}); sync will retry.",
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            status=status,
        )
    if delta and (status == 410 or code.lower() in CURSOR_ERROR_CODES):
        raise CursorExpired(
            f"Microsoft Graph no longer accepts the saved sync position ({label}); a full sync follows."
        )
    if status == 412:
        raise WriteConflict(f"The event changed in Outlook since it was last synced ({label}).")
    if status == 403:
        raise GraphError(f"Microsoft refused access to this calendar ({label}).", status=status, code=code)
    raise GraphError(f"Microsoft Graph rejected the request ({label}).", status=status, code=code)


class GraphClient:
    def __init__(
        self,
        graph_root: str,
        tokens: TokenSource,
        *,
        page_size: int,
        retry_policy: RetryPolicy = RetryPolicy(),
        timeout: float = 60.0,
    ) -> None:
        self.root = graph_root.rstrip("/")
        parts = urlsplit(self.root)
        self._origin = (parts.scheme, parts.netloc)
        self._tokens = tokens
        self._page_size = page_size
        self._policy = retry_policy
        self._closed = threading.Event()
        self._timeout = timeout
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)), verify=tls_context())

    def url(self, path: str, version: str = "v1.0") -> str:
        return f"{self.root}/{version}{path}"

    def is_ours(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == self._origin

    def check_link(self, url: str) -> str:
        """A link from a response, refused unless it points at our Graph root (the token goes with it)."""
        if not self.is_ours(url):
            host = urlsplit(url).netloc
            raise PermanentError(f"Microsoft Graph returned a link to another host ({host}); refusing to follow it.")
        return url

    def get_json(
        self, url: str, *, params: dict[str, str] | None = None, page: bool = False, delta: bool = False
    ) -> Json:
        payload = self.send("GET", url, params=params, page=page, delta=delta).json()
        if not isinstance(payload, dict):
            raise PermanentError("Microsoft Graph answered with something other than a JSON object.")
        return payload

    def send(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        json: object = None,
        if_match: str | None = None,
        page: bool = False,
        delta: bool = False,
    ) -> httpx.Response:
        """One logical request: retried on transient errors, with one token refresh on 401."""
        self.check_link(url)
        headers = list(BASE_PREFERENCES)
        if page:
            headers.append(("Prefer", f"odata.maxpagesize={self._page_size}"))
        if if_match:
            headers.append(("If-Match", if_match))

        def attempt() -> httpx.Response:
            response = self._once(method, url, params, json, headers, self._tokens.access_token())
            if response.status_code == 401:
                response = self._once(method, url, params, json, headers, self._tokens.access_token(force_refresh=True))
                if response.status_code == 401:
                    raise AuthenticationError("Microsoft Graph refused the account's sign-in; reconnect the account.")
            raise_for_status(response, delta=delta)
            return response

        return call_with_retries(attempt, self._policy, cancel=self._closed)

    def _once(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None,
        json: object,
        headers: list[tuple[str, str]],
        token: str,
    ) -> httpx.Response:
        try:
            return self._http.request(
                method, url, params=params, json=json, headers=[*headers, ("Authorization", f"Bearer {token}")]
            )
        except httpx.TimeoutException as exc:
            raise TransientError(f"Microsoft Graph did not answer within {self._timeout:g} seconds; sync will retry.") from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            # A body cut short, or a connection closed without an answer.
            raise TransientError(f"The connection to Microsoft Graph broke off ({type(exc).__name__}); sync will retry.") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"Cannot reach Microsoft Graph ({type(exc).__name__}); sync will retry.") from exc
        except RuntimeError:  # httpx refuses a closed client: a stopped sync closed it
            if self._closed.is_set():
                raise TransientError("The connection to Microsoft Graph was closed.") from None
            raise

    def close(self) -> None:
        """Release the connections; a retry waiting in another thread gives up at once."""
        self._closed.set()
        self._http.close()
