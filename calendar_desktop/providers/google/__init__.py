"""Google Calendar: sign-in (loopback OAuth with PKCE), sync by sync tokens, conditional writes.

Modules: ``endpoints`` (where Google is, overridable for an emulator), ``client_config`` (which
OAuth client), ``scopes`` (read-only or two-way), ``signin`` (the browser flow), ``credentials``
(keyring secrets <-> google-auth), ``api`` (requests, retries, error mapping), ``normalize``
(event JSON -> ``Event``), ``drafts`` (``EventDraft`` -> event JSON), ``provider`` and ``factory``.
"""

from typing import TYPE_CHECKING

from calendar_desktop.providers.google.client_config import (
    OAuthClient,
    load_client_secrets_file,
    resolve_oauth_client,
)
from calendar_desktop.providers.google.endpoints import GoogleEndpoints
from calendar_desktop.providers.google.factory import GoogleProviderFactory
from calendar_desktop.providers.google.provider import GoogleProvider
from calendar_desktop.providers.google.scopes import AccessMode

if TYPE_CHECKING:
    from calendar_desktop.providers.google.signin import GoogleSignIn, open_system_browser


def __getattr__(name: str) -> object:
    """The sign-in flow is imported on first use: it pulls in requests and oauthlib, which a sync
    (every ``calendar-desktop sync``) never needs."""
    if name in ("GoogleSignIn", "open_system_browser"):
        from calendar_desktop.providers.google import signin

        return getattr(signin, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AccessMode",
    "GoogleEndpoints",
    "GoogleProvider",
    "GoogleProviderFactory",
    "GoogleSignIn",
    "OAuthClient",
    "load_client_secrets_file",
    "open_system_browser",
    "resolve_oauth_client",
]
