"""Where the Microsoft provider connects and with which app registration.

Everything has a production default and can be overridden for a national cloud, a proxy or a
local emulator:

==========================================  ==============================================
``MICROSOFT_CLIENT_ID``                      the app registration's client id (public client)
``CALENDAR_DESKTOP_MS_AUTHORITY``            ``https://login.microsoftonline.com/common``
``CALENDAR_DESKTOP_GRAPH_ROOT``              ``https://graph.microsoft.com``
``CALENDAR_DESKTOP_GRAPH_DELTA``             ``auto`` | ``v1.0`` | ``beta`` (see ``delta``)
==========================================  ==============================================

MSAL accepts only ``https`` authorities. An ``http://`` authority is allowed on a loopback host
only (an emulator): MSAL is then given the same tenant on ``login.microsoftonline.com`` and its
HTTP client routes that host to the loopback address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from calendar_desktop.providers.errors import ProviderUnavailable

PUBLIC_AUTHORITY_HOST = "login.microsoftonline.com"
DEFAULT_AUTHORITY = f"https://{PUBLIC_AUTHORITY_HOST}/common"
DEFAULT_GRAPH_ROOT = "https://graph.microsoft.com"
DELTA_MODES = ("auto", "v1.0", "beta")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

READ_WRITE_SCOPES = ("Calendars.ReadWrite", "User.Read")
READ_ONLY_SCOPES = ("Calendars.Read", "User.Read")

ENV_CLIENT_ID = "MICROSOFT_CLIENT_ID"
ENV_AUTHORITY = "CALENDAR_DESKTOP_MS_AUTHORITY"
ENV_GRAPH_ROOT = "CALENDAR_DESKTOP_GRAPH_ROOT"
ENV_DELTA = "CALENDAR_DESKTOP_GRAPH_DELTA"

NO_CLIENT_ID_HELP = (
    "Microsoft accounts need an app registration: set its client id in the settings or in the "
    f"{ENV_CLIENT_ID} environment variable (see docs/providers/microsoft.md)."
)


def _is_loopback_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS


@dataclass(frozen=True, slots=True)
class MicrosoftConfig:
    client_id: str | None = None
    authority: str = DEFAULT_AUTHORITY
    """``https://host/tenant``; the tenant is ``common``, ``organizations``, ``consumers`` or an id."""
    graph_root: str = DEFAULT_GRAPH_ROOT
    delta_mode: str = "auto"
    page_size: int = 200
    """``Prefer: odata.maxpagesize`` for delta and list requests."""

    def __post_init__(self) -> None:
        for name, url in (("authority", self.authority), ("Graph root", self.graph_root)):
            parts = urlsplit(url)
            if not parts.hostname or not (parts.scheme == "https" or _is_loopback_http(url)):
                raise ProviderUnavailable(
                    f"The Microsoft {name} {url!r} must be an https URL (http only on 127.0.0.1)."
                )
        if len([p for p in urlsplit(self.authority).path.split("/") if p]) < 1:
            raise ProviderUnavailable(f"The Microsoft authority {self.authority!r} must name a tenant, e.g. …/common.")
        if self.delta_mode not in DELTA_MODES:
            raise ProviderUnavailable(f"{ENV_DELTA} must be one of {', '.join(DELTA_MODES)}, not {self.delta_mode!r}.")

    @classmethod
    def from_env(cls, client_id: str | None = None, environ: Mapping[str, str] | None = None) -> MicrosoftConfig:
        """Defaults overridden by the environment; ``client_id`` (from settings) wins over the variable."""
        env = os.environ if environ is None else environ
        return cls(
            client_id=client_id or env.get(ENV_CLIENT_ID) or None,
            authority=(env.get(ENV_AUTHORITY) or DEFAULT_AUTHORITY).rstrip("/"),
            graph_root=(env.get(ENV_GRAPH_ROOT) or DEFAULT_GRAPH_ROOT).rstrip("/"),
            delta_mode=env.get(ENV_DELTA) or "auto",
        )

    def require_client_id(self) -> str:
        if not self.client_id:
            raise ProviderUnavailable(NO_CLIENT_ID_HELP)
        return self.client_id

    def msal_authority(self) -> tuple[str, dict[str, str]]:
        """The https authority MSAL is given, and the host routes its HTTP client must apply."""
        if not _is_loopback_http(self.authority):
            return self.authority, {}
        base, _, tenant = self.authority.rstrip("/").rpartition("/")
        public = f"https://{PUBLIC_AUTHORITY_HOST}"
        return f"{public}/{tenant}", {public: base}
