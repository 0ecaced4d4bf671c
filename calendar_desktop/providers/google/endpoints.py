"""Where Google's OAuth and Calendar endpoints live, and how to point them elsewhere.

The defaults are Google's. Like cloud SDKs that honour an emulator host, each endpoint can be
overridden by an environment variable, read when an account is connected:

    CALENDAR_DESKTOP_GOOGLE_AUTH_URI    authorization endpoint (default https://accounts.google.com/o/oauth2/auth)
    CALENDAR_DESKTOP_GOOGLE_TOKEN_URI   token endpoint         (default https://oauth2.googleapis.com/token)
    CALENDAR_DESKTOP_GOOGLE_REVOKE_URI  revocation endpoint    (default https://oauth2.googleapis.com/revoke)
    CALENDAR_DESKTOP_GOOGLE_API_ROOT    API root, the Calendar API is under <root>calendar/v3/
                                        (default https://www.googleapis.com/)

An account remembers the overrides it was connected with (in its options) and keeps using them,
so tokens are only ever sent to the server that issued them; the variables change nothing for
accounts connected before they were set.

Plain ``http://`` is accepted only for loopback hosts (127.0.0.1, localhost, ::1), i.e. for a local
emulator; oauthlib's HTTPS check is then lifted for exactly the calls that need it (``oauthlib_env``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from urllib.parse import urlsplit

ENV_PREFIX = "CALENDAR_DESKTOP_GOOGLE_"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True)
class GoogleEndpoints:
    auth_uri: str = "https://accounts.google.com/o/oauth2/auth"
    token_uri: str = "https://oauth2.googleapis.com/token"
    revoke_uri: str = "https://oauth2.googleapis.com/revoke"
    api_root: str = "https://www.googleapis.com/"

    def __post_init__(self) -> None:
        for field in fields(self):
            uri = getattr(self, field.name)
            parts = urlsplit(uri)
            if parts.scheme == "https" and parts.hostname:
                continue
            if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
                continue
            raise ValueError(
                f"Google endpoint {field.name} must be an https:// URL (plain http:// only on a loopback address): {uri!r}"
            )
        if not self.api_root.endswith("/"):
            object.__setattr__(self, "api_root", self.api_root + "/")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> GoogleEndpoints:
        """Google's endpoints, with any ``CALENDAR_DESKTOP_GOOGLE_*`` override applied."""
        environ = os.environ if environ is None else environ
        overrides = {}
        for field in fields(cls):
            value = environ.get(ENV_PREFIX + field.name.upper(), "").strip()
            if value:
                overrides[field.name] = value
        return cls(**overrides)

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> GoogleEndpoints:
        """The endpoints an account was connected with (see ``to_options``)."""
        return cls(**{field.name: options[field.name] for field in fields(cls) if options.get(field.name)})

    def to_options(self) -> dict[str, str]:
        """The overrides only: an account connected to Google itself stores nothing here."""
        default = GoogleEndpoints()
        return {name: value for name, value in asdict(self).items() if value != getattr(default, name)}

    @property
    def calendar_api(self) -> str:
        """The base URL google-api-python-client takes as ``api_endpoint`` (it replaces root and service path)."""
        return self.api_root + "calendar/v3/"

    def oauth_over_plain_http(self) -> bool:
        return any(urlsplit(uri).scheme == "http" for uri in (self.auth_uri, self.token_uri))
