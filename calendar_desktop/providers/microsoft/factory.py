"""``MicrosoftProviderFactory``: sign accounts in, open them, disconnect them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.providers.errors import AuthenticationError, ProviderError
from calendar_desktop.providers.microsoft.auth import TokenSource
from calendar_desktop.providers.microsoft.config import (
    READ_ONLY_SCOPES,
    READ_WRITE_SCOPES,
    MicrosoftConfig,
)
from calendar_desktop.providers.microsoft.graph import GraphClient
from calendar_desktop.providers.microsoft.provider import MicrosoftProvider
from calendar_desktop.providers.microsoft.signin import (
    DEFAULT_TIMEOUT_S,
    MicrosoftSignIn,
    open_system_browser,
)
from calendar_desktop.providers.microsoft.token_cache import (
    KEY_SECRET,
    EncryptedTokenCache,
    cache_path,
)
from calendar_desktop.providers.retry import RetryPolicy
from calendar_desktop.secrets import AccountSecrets

log = logging.getLogger(__name__)

CONSENT_REMOVAL_HELP = (
    "calendar-desktop signed out of this Microsoft account and deleted its saved sign-in. "
    "Microsoft keeps the permission you granted to calendar-desktop until you remove it yourself: "
    "for a personal account at account.microsoft.com (Privacy → App access, or https://account.live.com/consent/Manage), "
    "for a work or school account at https://myapps.microsoft.com (or ask your administrator)."
)
"""Shown after a disconnect: Microsoft has no per-app revocation a public client can call."""

DISCONNECT_TIMEOUT_S = 5.0


class MicrosoftProviderFactory:
    """Implements ``ProviderFactory`` for Outlook.com and Microsoft 365 accounts.

    ``data_dir`` is the profile's data folder (token caches go to ``data_dir/microsoft``);
    ``config`` defaults to ``MicrosoftConfig.from_env()``.
    """

    kind = ProviderKind.MICROSOFT

    def __init__(
        self,
        data_dir: Path,
        config: MicrosoftConfig | None = None,
        *,
        retry_policy: RetryPolicy = RetryPolicy(),
        timeout_s: float | None = None,
    ) -> None:
        """``timeout_s``: network timeout of Graph and token requests of opened accounts (None: the
        clients' defaults, 60 s for Graph and 30 s for sign-in)."""
        self.data_dir = Path(data_dir)
        self.config = config or MicrosoftConfig.from_env()
        self._retry_policy = retry_policy
        self._timeout_s = timeout_s

    def sign_in(
        self,
        *,
        read_only: bool = False,
        timeout: float = DEFAULT_TIMEOUT_S,
        open_browser: Callable[[str], bool] = open_system_browser,
        show_url: Callable[[str], None] | None = None,
    ) -> MicrosoftSignIn:
        """A connect flow: ``.run()`` in a worker thread → ``NewAccount``; ``.cancel()`` from the UI."""
        return MicrosoftSignIn(
            self.config,
            self.data_dir,
            read_only=read_only,
            timeout=timeout,
            open_browser=open_browser,
            show_url=show_url,
        )

    def _account_config(self, account: Account, *, page_size: int | None = None) -> MicrosoftConfig:
        """Tokens belong to the client id and endpoints they were issued for: the account's own wins."""
        options = account.options
        return MicrosoftConfig(
            client_id=options.get("client_id") or self.config.client_id,
            authority=options.get("authority") or self.config.authority,
            graph_root=options.get("graph_root") or self.config.graph_root,
            delta_mode=self.config.delta_mode,
            page_size=page_size or self.config.page_size,
        )

    def _token_source(self, account: Account, secrets: AccountSecrets, *, timeout: float | None = None) -> TokenSource:
        key = secrets.get(KEY_SECRET)
        file_name = account.options.get("token_cache_file")
        home_account_id = account.options.get("home_account_id")
        if not (key and file_name and home_account_id):
            raise AuthenticationError("The Microsoft sign-in for this account is missing; reconnect the account.")
        store = EncryptedTokenCache.in_folder(self.data_dir, file_name, key)
        scopes = account.options.get("scopes", "").split() or list(
            READ_ONLY_SCOPES if account.read_only else READ_WRITE_SCOPES
        )
        return TokenSource(self._account_config(account), store, home_account_id, scopes, http_timeout=timeout)

    def open(self, account: Account, secrets: AccountSecrets) -> MicrosoftProvider:
        config = self._account_config(account)
        tokens = self._token_source(account, secrets, timeout=self._timeout_s)
        timeout = {} if self._timeout_s is None else {"timeout": self._timeout_s}
        graph = GraphClient(
            config.graph_root, tokens, page_size=config.page_size, retry_policy=self._retry_policy, **timeout
        )
        return MicrosoftProvider(graph, tokens, delta_mode=config.delta_mode, read_only=account.read_only)

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        """Sign out (MSAL ``remove_account``, best effort), delete the cache file and its key.

        There is no per-app revocation for public clients: show ``CONSENT_REMOVAL_HELP``.
        """
        try:
            tokens = self._token_source(account, secrets, timeout=DISCONNECT_TIMEOUT_S)
        except ProviderError:
            tokens = None
        if tokens is not None:
            try:
                tokens.forget_account()
            except ProviderError as exc:
                log.info("Microsoft sign-out skipped (%s); deleting the saved sign-in anyway", type(exc).__name__)
            finally:
                tokens.close()
        self.discard_sign_in(account, secrets)

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        """Delete the encrypted token cache file and its key (a reconnect writes new ones)."""
        file_name = account.options.get("token_cache_file")
        if file_name:
            try:
                cache_path(self.data_dir, file_name).unlink(missing_ok=True)
            except AuthenticationError:
                log.warning("Not deleting a token cache with an unexpected name")
        secrets.delete(KEY_SECRET)
