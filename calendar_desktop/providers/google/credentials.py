"""The account's secrets (kept in the keyring) and the google-auth ``Credentials`` made from them.

Secrets of a Google account:
    refresh_token        the long-lived grant
    client_id            the OAuth client it was issued to
    client_secret        that client's secret (public for desktop clients, still kept here)
    access_token         the current short-lived token, so a new process need not refresh at once
    access_token_expiry  its expiry, ISO 8601 UTC

``Credentials`` are built directly: ``Credentials.from_authorized_user_info`` would reset the
token URI to Google's (google-auth-library-python#1062), which breaks a configured endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from google.oauth2.credentials import Credentials

from calendar_desktop.providers.errors import AuthenticationError
from calendar_desktop.providers.google.client_config import OAuthClient

REFRESH_TOKEN = "refresh_token"
CLIENT_ID = "client_id"
CLIENT_SECRET = "client_secret"
ACCESS_TOKEN = "access_token"
ACCESS_TOKEN_EXPIRY = "access_token_expiry"


def build_credentials(secrets: Mapping[str, str], token_uri: str, scopes: Iterable[str] | None = None) -> Credentials:
    """Credentials that refresh themselves against ``token_uri``; ``AuthenticationError`` when secrets are missing."""
    refresh_token = secrets.get(REFRESH_TOKEN)
    client_id, client_secret = secrets.get(CLIENT_ID), secrets.get(CLIENT_SECRET)
    if not (refresh_token and client_id and client_secret):
        raise AuthenticationError("This Google account's sign-in is missing from the keyring; connect the account again.")
    credentials = Credentials(
        token=secrets.get(ACCESS_TOKEN) or None,
        refresh_token=refresh_token,
        token_uri=token_uri,
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes) if scopes else None,
    )
    credentials.expiry = _parse_expiry(secrets.get(ACCESS_TOKEN_EXPIRY))
    return credentials


def _parse_expiry(value: str | None) -> datetime | None:
    """google-auth wants a naive UTC expiry."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def token_secrets(credentials: Credentials) -> dict[str, str]:
    """The parts of ``credentials`` that change on a refresh."""
    found = {}
    if credentials.token:
        found[ACCESS_TOKEN] = credentials.token
        if credentials.expiry is not None:
            found[ACCESS_TOKEN_EXPIRY] = credentials.expiry.replace(tzinfo=UTC).isoformat()
    if credentials.refresh_token:
        found[REFRESH_TOKEN] = credentials.refresh_token
    return found


def account_secrets(credentials: Credentials, client: OAuthClient) -> dict[str, str]:
    """Everything stored for a newly connected account."""
    return {CLIENT_ID: client.client_id, CLIENT_SECRET: client.client_secret, **token_secrets(credentials)}
