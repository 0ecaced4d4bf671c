"""MSAL for one connected account: a lazily built app, silent token acquisition, write-back.

``PublicClientApplication``'s constructor does network I/O (OIDC discovery), so it is built on
first use, and network failures there or in a token refresh become ``TransientError`` (offline)
rather than escaping as library exceptions. A refused refresh (``invalid_grant``: expired,
revoked, consent withdrawn) or an account missing from the cache is ``AuthenticationError``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import httpx
import msal
from msal.exceptions import MsalServiceError

from calendar_desktop.providers.errors import (
    AuthenticationError,
    PermanentError,
    TransientError,
)
from calendar_desktop.providers.microsoft.config import MicrosoftConfig
from calendar_desktop.providers.microsoft.http_client import MsalHttpClient
from calendar_desktop.providers.microsoft.json_types import Json
from calendar_desktop.providers.microsoft.token_cache import EncryptedTokenCache

OFFLINE_MESSAGE = "Cannot reach Microsoft sign-in ({detail}). Check the internet connection; sync will retry."
REAUTH_MESSAGE = "Microsoft refused the saved sign-in ({detail}). Reconnect the account to continue syncing."
_TRANSIENT_OAUTH_ERRORS = frozenset({"temporarily_unavailable", "server_error"})


def build_app(
    config: MicrosoftConfig, cache: msal.TokenCache, http_client: MsalHttpClient
) -> msal.PublicClientApplication:
    """A ``PublicClientApplication`` (network I/O: OIDC discovery); network trouble → ``TransientError``."""
    authority, _ = config.msal_authority()
    try:
        return msal.PublicClientApplication(
            config.require_client_id(),
            authority=authority,
            token_cache=cache,
            http_client=http_client,
        )
    except httpx.TransportError as exc:
        raise TransientError(OFFLINE_MESSAGE.format(detail=type(exc).__name__)) from exc
    except MsalServiceError as exc:  # MSAL's raise_for_status on a 5xx answer
        raise TransientError(OFFLINE_MESSAGE.format(detail=str(exc))) from exc
    except ValueError as exc:  # MSAL: authority or tenant not known to the identity platform
        raise PermanentError(f"The Microsoft sign-in address {authority} was not accepted: {exc}") from exc


def http_client_for(config: MicrosoftConfig, timeout: float | None = None) -> MsalHttpClient:
    if timeout is None:
        return MsalHttpClient(config.msal_authority()[1])
    return MsalHttpClient(config.msal_authority()[1], timeout=timeout)


def raise_for_oauth_error(result: Json) -> None:
    """Turn an MSAL error dict into our errors (messages carry the AADSTS code, no secrets)."""
    error = str(result.get("error"))
    description = str(result.get("error_description") or "")
    code = description.split(":", 1)[0] if description.startswith("AADSTS") else error
    if error in _TRANSIENT_OAUTH_ERRORS:
        raise TransientError(OFFLINE_MESSAGE.format(detail=code))
    raise AuthenticationError(REAUTH_MESSAGE.format(detail=code))


class TokenSource:
    """Access tokens for one account, from its encrypted MSAL cache."""

    def __init__(
        self,
        config: MicrosoftConfig,
        store: EncryptedTokenCache,
        home_account_id: str,
        scopes: Sequence[str],
        *,
        http_timeout: float | None = None,
    ) -> None:
        self._config = config
        self._store = store
        self._home_account_id = home_account_id
        self._scopes = list(scopes)
        self._lock = threading.Lock()
        self._cache: msal.SerializableTokenCache | None = None
        self._app: msal.PublicClientApplication | None = None
        self._http = http_client_for(config, http_timeout)

    def _application(self) -> msal.PublicClientApplication:
        if self._app is None:
            if self._cache is None:
                self._cache = self._store.load()
            self._app = build_app(self._config, self._cache, self._http)
        return self._app

    def _account(self, app: msal.PublicClientApplication) -> Json:
        accounts: list[Json] = app.get_accounts()
        for account in accounts:
            if account.get("home_account_id") == self._home_account_id:
                return account
        raise AuthenticationError(REAUTH_MESSAGE.format(detail="account not in the token cache"))

    def access_token(self, *, force_refresh: bool = False) -> str:
        """A valid access token (refreshed when due, or at once with ``force_refresh``)."""
        with self._lock:
            app = self._application()
            try:
                result = app.acquire_token_silent_with_error(
                    self._scopes, self._account(app), force_refresh=force_refresh
                )
            except httpx.TransportError as exc:
                raise TransientError(OFFLINE_MESSAGE.format(detail=type(exc).__name__)) from exc
            except MsalServiceError as exc:  # MSAL's raise_for_status on a 5xx answer
                raise TransientError(OFFLINE_MESSAGE.format(detail=str(exc))) from exc
            finally:
                assert self._cache is not None
                self._store.save(self._cache)
            if result is None:
                raise AuthenticationError(REAUTH_MESSAGE.format(detail="no usable token in the cache"))
            if "access_token" not in result:
                raise_for_oauth_error(result)
            return str(result["access_token"])

    def forget_account(self) -> None:
        """MSAL's "sign me out and forget me", written back; needs the app (network)."""
        with self._lock:
            app = self._application()
            for account in app.get_accounts():
                if account.get("home_account_id") == self._home_account_id:
                    app.remove_account(account)
            assert self._cache is not None
            self._store.save(self._cache)

    def close(self) -> None:
        self._http.close()
