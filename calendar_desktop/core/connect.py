"""Connect flows shared by the CLI and the window: from the user's input to a ``NewAccount``.

Browser sign-ins (Google, Microsoft) are objects with ``run()`` (blocking: call it from a worker
thread) and ``cancel()``; the CalDAV connect is a single blocking call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import ProviderUnavailable

GOOGLE_CLIENT_SECRET = "google/client_secret"
"""App-level keyring entry for a Google client secret typed into the settings."""


class BrowserSignIn(Protocol):
    def run(self) -> NewAccount: ...

    def cancel(self) -> None: ...


def read_password(source: TextIO) -> str:
    """The first line of ``source`` without its line ending (passwords may contain spaces)."""
    password = source.readline().rstrip("\r\n")
    if not password:
        raise ValueError(
            "No password on standard input. Pipe it in, e.g. `secret-tool lookup … | "
            "calendar-desktop accounts add caldav … --password-stdin`."
        )
    return password


def _require(service: AppService, kind: ProviderKind) -> None:
    if not service.providers.available(kind):
        raise ProviderUnavailable(f"{kind.value} calendars are not available in this version of calendar-desktop yet.")


def google_sign_in(
    service: AppService,
    *,
    read_only: bool = False,
    client_secrets_file: str | Path | None = None,
    client: Any = None,
    timeout_s: float = 300.0,
    url_callback: Callable[[str, bool], None] | None = None,
    **options: Any,
) -> BrowserSignIn:
    """Sign in to Google with ``client`` or the OAuth client from the settings (id in the settings,
    secret in the keyring), a client_secret.json or the environment. ``options`` go to
    ``GoogleSignIn`` (endpoints, open_browser: tests point them at the emulator)."""
    _require(service, ProviderKind.GOOGLE)
    from calendar_desktop.providers.google import AccessMode, GoogleSignIn, resolve_oauth_client

    if client is None:
        settings = service.settings
        secret = service.secrets.get(GOOGLE_CLIENT_SECRET) if settings.google_client_id else None
        client = resolve_oauth_client(
            client_id=settings.google_client_id or None, client_secret=secret, client_secrets_file=client_secrets_file
        )
    mode = AccessMode.READ_ONLY if read_only else AccessMode.TWO_WAY
    return GoogleSignIn(client, mode=mode, timeout_s=timeout_s, url_callback=url_callback, **options)


def microsoft_sign_in(
    service: AppService,
    *,
    read_only: bool = False,
    client_id: str | None = None,
    authority: str | None = None,
    config: Any = None,
    timeout_s: float = 300.0,
    show_url: Callable[[str], None] | None = None,
    **options: Any,
) -> BrowserSignIn:
    """Sign in to Microsoft with ``config`` or the app registration from the arguments, the settings
    or the environment. ``options`` go to ``MicrosoftSignIn`` (open_browser …)."""
    _require(service, ProviderKind.MICROSOFT)
    from calendar_desktop.providers.microsoft.config import MicrosoftConfig
    from calendar_desktop.providers.microsoft.signin import MicrosoftSignIn

    if config is None:
        settings = service.settings
        config = MicrosoftConfig.from_env(client_id=client_id or settings.microsoft_client_id or None)
        if authority or settings.microsoft_authority:
            config = dataclasses.replace(config, authority=(authority or settings.microsoft_authority).rstrip("/"))
    return MicrosoftSignIn(
        config, service.paths.data_dir, read_only=read_only, timeout=timeout_s, show_url=show_url, **options
    )


def caldav_connect(url: str, username: str, password: str, *, name: str | None = None) -> NewAccount:
    from calendar_desktop.providers.caldav.connect import connect_caldav

    return connect_caldav(url, username, password, name=name)
