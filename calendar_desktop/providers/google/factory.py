"""``ProviderFactory`` for Google: opens stored accounts, and disconnects them (revocation)."""

from __future__ import annotations

import logging
import threading

from google.oauth2.credentials import Credentials

from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.providers.google.api import DEFAULT_TIMEOUT_S, CalendarApi
from calendar_desktop.providers.google.credentials import (
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    build_credentials,
    token_secrets,
)
from calendar_desktop.providers.google.endpoints import GoogleEndpoints
from calendar_desktop.providers.google.provider import GoogleProvider
from calendar_desktop.providers.google.revocation import revoke_token
from calendar_desktop.providers.google.scopes import AccessMode
from calendar_desktop.providers.retry import RetryPolicy
from calendar_desktop.secrets import AccountSecrets, SecretStoreError

log = logging.getLogger(__name__)


class GoogleProviderFactory:
    kind = ProviderKind.GOOGLE

    def __init__(self, *, retry_policy: RetryPolicy = RetryPolicy(), timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._retry_policy = retry_policy
        self._timeout_s = timeout_s

    def open(self, account: Account, secrets: AccountSecrets) -> GoogleProvider:
        """No network here: the first API call refreshes the access token if it has expired."""
        endpoints = GoogleEndpoints.from_options(account.options)
        credentials = build_credentials(secrets.all(), endpoints.token_uri)

        def store_refreshed(refreshed: Credentials) -> None:
            try:
                secrets.update(token_secrets(refreshed))
            except SecretStoreError as exc:
                # Usually only the access token changed: losing it costs one refresh later.
                log.warning("Could not store the refreshed Google access token: %s", exc)

        api = CalendarApi(
            credentials,
            endpoints,
            retry_policy=self._retry_policy,
            timeout=self._timeout_s,
            cancel=threading.Event(),
            on_token_refreshed=store_refreshed,
        )
        read_only = account.read_only or account.options.get("mode") == AccessMode.READ_ONLY.value
        return GoogleProvider(api, read_only=read_only)

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        """The tokens are all there is, and they live in the keyring."""

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        """Revoke the grant at Google (best effort), then delete the secrets whatever Google said."""
        try:
            stored = secrets.all()
            token = stored.get(REFRESH_TOKEN) or stored.get(ACCESS_TOKEN)
            if token:
                revoke_token(GoogleEndpoints.from_options(account.options), token, timeout=self._timeout_s)
        finally:
            secrets.clear()
