"""Outlook.com and Microsoft 365 calendars: MSAL sign-in, Microsoft Graph delta sync, writes.

Modules, one job each: ``config`` (endpoints, client id, environment), ``http_client`` (MSAL's
HTTP), ``token_cache`` (encrypted MSAL cache), ``auth`` (silent tokens), ``signin`` (interactive
connect, cancellable), ``graph`` (requests and error mapping), ``delta`` (rounds and cursors),
``normalize`` (Graph JSON → Event), ``timezones`` (Windows ↔ IANA), ``writes`` (drafts → JSON),
``provider`` and ``factory``; ``tls`` and ``json_types`` are shared helpers.
See docs/providers/microsoft.md.
"""

from calendar_desktop.providers.microsoft.config import MicrosoftConfig
from calendar_desktop.providers.microsoft.factory import (
    CONSENT_REMOVAL_HELP,
    MicrosoftProviderFactory,
)
from calendar_desktop.providers.microsoft.provider import MicrosoftProvider
from calendar_desktop.providers.microsoft.signin import MicrosoftSignIn

__all__ = [
    "CONSENT_REMOVAL_HELP",
    "MicrosoftConfig",
    "MicrosoftProvider",
    "MicrosoftProviderFactory",
    "MicrosoftSignIn",
]
