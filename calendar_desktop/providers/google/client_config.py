"""The OAuth client (a Google Cloud "Desktop app" client id and secret) the app signs in with.

Google treats a desktop client's secret as public (it ships inside the app); it is still kept
in the keyring with the account, next to the refresh token it belongs to.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from calendar_desktop.providers.errors import ProviderUnavailable

ENV_CLIENT_ID = "GOOGLE_CLIENT_ID"
ENV_CLIENT_SECRET = "GOOGLE_CLIENT_SECRET"

_HOW_TO = (
    "Create an OAuth client of type \"Desktop app\" in the Google Cloud console (APIs & Services > Credentials, "
    "with the Google Calendar API enabled), then either pick its client_secret.json in the settings, enter its "
    f"client id and secret there, or set {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}."
)


@dataclass(frozen=True, slots=True)
class OAuthClient:
    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"OAuthClient(client_id={self.client_id!r}, client_secret=<hidden>)"


def resolve_oauth_client(
    *,
    client_id: str | None = None,
    client_secret: str | None = None,
    client_secrets_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> OAuthClient:
    """The client to sign in with, from the first source that has one:

    1. ``client_id`` / ``client_secret`` as entered in the settings;
    2. a ``client_secret.json`` downloaded from the Google Cloud console;
    3. the ``GOOGLE_CLIENT_ID`` / ``GOOGLE_CLIENT_SECRET`` environment variables.

    Raises ``ProviderUnavailable`` with instructions when none is configured or a source is broken.
    """
    if client_id and client_id.strip():
        if not (client_secret and client_secret.strip()):
            raise ProviderUnavailable("The Google client id in the settings has no client secret next to it. " + _HOW_TO)
        return OAuthClient(client_id.strip(), client_secret.strip())
    if client_secrets_file:
        return load_client_secrets_file(client_secrets_file)
    environ = os.environ if environ is None else environ
    env_id, env_secret = environ.get(ENV_CLIENT_ID, "").strip(), environ.get(ENV_CLIENT_SECRET, "").strip()
    if env_id and env_secret:
        return OAuthClient(env_id, env_secret)
    if env_id or env_secret:
        raise ProviderUnavailable(f"Only one of {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET} is set; both are needed.")
    raise ProviderUnavailable("No Google OAuth client is configured, so Google accounts cannot be connected. " + _HOW_TO)


def load_client_secrets_file(path: str | Path) -> OAuthClient:
    """Read a console-downloaded ``client_secret.json`` (the ``installed`` kind)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProviderUnavailable(f"Cannot read the Google client file {path}: {exc.strerror or exc}.") from exc
    except ValueError as exc:
        raise ProviderUnavailable(f"The Google client file {path} is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"The Google client file {path} is not a client_secret.json.")
    if "installed" not in data:
        kind = "a web application client" if "web" in data else "not a client_secret.json"
        raise ProviderUnavailable(f"The Google client file {path} is {kind}; a \"Desktop app\" client is needed. " + _HOW_TO)
    section = data["installed"]
    client_id = section.get("client_id") if isinstance(section, dict) else None
    client_secret = section.get("client_secret") if isinstance(section, dict) else None
    if not (isinstance(client_id, str) and client_id and isinstance(client_secret, str) and client_secret):
        raise ProviderUnavailable(f"The Google client file {path} lacks a client_id or client_secret.")
    return OAuthClient(client_id, client_secret)
