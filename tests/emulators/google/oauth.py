"""Google's OAuth 2.0 endpoints for installed apps: authorize (auto-consent), token, revoke.

What is checked, as Google does: a known client, a loopback ``redirect_uri``, ``response_type=code``,
known scopes, PKCE (``S256`` required here), the verifier and redirect URI at the code exchange,
client authentication in the body or by HTTP Basic, single-use codes, revoked or unknown refresh
tokens (``invalid_grant``). A refresh token is issued only with ``access_type=offline`` and only on
a first consent or with ``prompt=consent``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from tests.emulators.google.discovery import all_scopes

IDENTITY_SCOPES = frozenset({"openid", "email", "profile"})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    challenge: str
    issue_refresh_token: bool
    expires_at: float


@dataclass
class _RefreshToken:
    client_id: str
    scopes: frozenset[str]
    revoked: bool = False


@dataclass
class _AccessToken:
    client_id: str
    scopes: frozenset[str]
    expires_at: float
    refresh_token: str | None
    revoked: bool = False


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: dict[str, Any]) -> Response:
        import json

        return cls(status, json.dumps(payload).encode(), {"Content-Type": "application/json; charset=utf-8"})

    @classmethod
    def page(cls, status: int, title: str, text: str) -> Response:
        body = f"<!doctype html><title>{html.escape(title)}</title><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
        return cls(status, body.encode(), {"Content-Type": "text/html; charset=utf-8"})


class OAuthState:
    """Clients, consents and tokens; the knobs tests turn are plain attributes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: dict[str, str] = {}
        self.consented: set[str] = set()
        """Client ids the user has already granted offline access to."""
        self._codes: dict[str, _Code] = {}
        self._refresh: dict[str, _RefreshToken] = {}
        self._access: dict[str, _AccessToken] = {}
        self.deny_consent = False
        """Knob: the user clicks "Cancel" (redirect with ``error=access_denied``)."""
        self.grant_only: frozenset[str] | None = None
        """Knob: the user unticks scopes; only those requested and listed here are granted."""
        self.access_token_lifetime = 3600
        self.revocations: list[str] = []
        """Every token posted to the revocation endpoint, in order."""
        self.authorizations: list[dict[str, str]] = []
        """The query of every authorization request, for assertions."""

    def add_client(self, client_id: str, client_secret: str) -> None:
        with self.lock:
            self.clients[client_id] = client_secret

    # ------------------------------------------------------------ knobs

    def expire_access_tokens(self) -> None:
        with self.lock:
            for grant in self._access.values():
                grant.expires_at = 0

    def revoke_all(self) -> None:
        """As if the user removed the app's access in their Google account."""
        with self.lock:
            for token in self._refresh.values():
                token.revoked = True
            for grant in self._access.values():
                grant.revoked = True
            self.consented.clear()

    def grant_offline_access(self, client_id: str, scopes: frozenset[str]) -> str:
        """A refresh token as a completed consent would give (tests that skip the browser)."""
        token = "1//" + secrets.token_urlsafe(40)
        with self.lock:
            self.consented.add(client_id)
            self._refresh[token] = _RefreshToken(client_id, scopes)
        return token

    def issued_tokens(self) -> list[str]:
        """Every refresh and access token handed out so far (leak checks search files for them)."""
        with self.lock:
            return [*self._refresh, *self._access]

    def refresh_token_valid(self, token: str) -> bool:
        with self.lock:
            found = self._refresh.get(token)
            return found is not None and not found.revoked

    # ------------------------------------------------------------ /o/oauth2/auth

    def authorize(self, query: dict[str, list[str]]) -> Response:
        params = {name: values[-1] for name, values in query.items()}
        self.authorizations.append(params)
        client_id = params.get("client_id", "")
        with self.lock:
            known = client_id in self.clients
        if not known:
            return Response.page(401, "Error 401: invalid_client", "The OAuth client was not found.")
        redirect_uri = params.get("redirect_uri", "")
        if not _is_loopback(redirect_uri):
            return Response.page(400, "Error 400: redirect_uri_mismatch", "Desktop clients must redirect to a loopback address.")
        if params.get("response_type") != "code":
            return Response.page(400, "Error 400: invalid_request", "Invalid response_type: only 'code' is supported.")
        requested = frozenset(params.get("scope", "").split())
        if not requested or not requested <= (all_scopes() | IDENTITY_SCOPES):
            return Response.page(400, "Error 400: invalid_scope", "Some requested scopes were invalid.")
        challenge = params.get("code_challenge")
        if not challenge or params.get("code_challenge_method") != "S256":
            return Response.page(400, "Error 400: invalid_request", "code_challenge with code_challenge_method=S256 is required.")
        state = params.get("state")
        if self.deny_consent:
            return _redirect(redirect_uri, {"error": "access_denied", "state": state})
        granted = requested if self.grant_only is None else requested & self.grant_only
        offline = params.get("access_type") == "offline"
        with self.lock:
            first_consent = client_id not in self.consented
            if offline:
                self.consented.add(client_id)
            code = secrets.token_urlsafe(32)
            self._codes[code] = _Code(
                client_id,
                redirect_uri,
                granted,
                challenge,
                issue_refresh_token=offline and (first_consent or params.get("prompt") == "consent"),
                expires_at=time.monotonic() + 600,
            )
        return _redirect(redirect_uri, {"code": code, "scope": " ".join(sorted(granted)), "state": state})

    # ------------------------------------------------------------ /token

    def token(self, form: dict[str, list[str]], authorization: str | None) -> Response:
        params = {name: values[-1] for name, values in form.items()}
        client_id = self._authenticate_client(params, authorization)
        if client_id is None:
            return Response.json(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        grant_type = params.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange_code(client_id, params)
        if grant_type == "refresh_token":
            return self._refresh_grant(client_id, params)
        return Response.json(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: " + str(grant_type)})

    def _authenticate_client(self, params: dict[str, str], authorization: str | None) -> str | None:
        client_id, secret = params.get("client_id"), params.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                return None
            basic_id, _, basic_secret = decoded.partition(":")
            basic_id, basic_secret = unquote(basic_id), unquote(basic_secret)
            if (client_id and client_id != basic_id) or (secret and secret != basic_secret):
                return None
            client_id, secret = basic_id, basic_secret
        with self.lock:
            if client_id is None or self.clients.get(client_id) != secret:
                return None
        return client_id

    def _exchange_code(self, client_id: str, params: dict[str, str]) -> Response:
        with self.lock:
            code = self._codes.pop(params.get("code", ""), None)
        if code is None or code.expires_at < time.monotonic() or code.client_id != client_id:
            return _invalid_grant("Malformed auth code.")
        if params.get("redirect_uri") != code.redirect_uri:
            return Response.json(400, {"error": "redirect_uri_mismatch", "error_description": "Bad Request"})
        verifier = params.get("code_verifier", "")
        if not verifier:
            return _invalid_grant("Missing code verifier.")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if digest != code.challenge:
            return _invalid_grant("Invalid code verifier.")
        refresh_token = None
        if code.issue_refresh_token:
            refresh_token = "1//" + secrets.token_urlsafe(40)
            with self.lock:
                self._refresh[refresh_token] = _RefreshToken(client_id, code.scopes)
        payload = self._issue_access(client_id, code.scopes, refresh_token)
        if refresh_token:
            payload["refresh_token"] = refresh_token
        return Response.json(200, payload)

    def _refresh_grant(self, client_id: str, params: dict[str, str]) -> Response:
        token = params.get("refresh_token", "")
        with self.lock:
            found = self._refresh.get(token)
        if found is None or found.revoked or found.client_id != client_id:
            return _invalid_grant("Token has been expired or revoked.")
        scopes = found.scopes
        if params.get("scope"):
            asked = frozenset(params["scope"].split())
            if not asked <= found.scopes:
                return Response.json(400, {"error": "invalid_scope", "error_description": "Bad Request"})
            scopes = asked
        return Response.json(200, self._issue_access(client_id, scopes, token))

    def _issue_access(self, client_id: str, scopes: frozenset[str], refresh_token: str | None) -> dict[str, Any]:
        token = "ya29." + secrets.token_urlsafe(48)
        with self.lock:
            self._access[token] = _AccessToken(client_id, scopes, time.monotonic() + self.access_token_lifetime, refresh_token)
        return {
            "access_token": token,
            "expires_in": self.access_token_lifetime,
            "scope": " ".join(sorted(scopes)),
            "token_type": "Bearer",
        }

    # ------------------------------------------------------------ /revoke

    def revoke(self, form: dict[str, list[str]]) -> Response:
        token = (form.get("token") or [""])[-1]
        self.revocations.append(token)
        with self.lock:
            refresh = token if token in self._refresh else None
            if refresh is None and token in self._access:
                refresh = self._access[token].refresh_token
                self._access[token].revoked = True
            elif refresh is None:
                return Response.json(400, {"error": "invalid_token", "error_description": "Token expired or revoked"})
            if refresh is not None:
                grant = self._refresh[refresh]
                grant.revoked = True
                self.consented.discard(grant.client_id)
                for access in self._access.values():
                    if access.refresh_token == refresh:
                        access.revoked = True
        return Response(200, b"{}", {"Content-Type": "application/json; charset=utf-8"})

    # ------------------------------------------------------------ API calls

    def scopes_for(self, authorization: str | None) -> frozenset[str] | None:
        """The scopes of a valid bearer token, or None when the token is missing, unknown, revoked or expired."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        with self.lock:
            grant = self._access.get(authorization[7:].strip())
            if grant is None or grant.revoked or grant.expires_at <= time.monotonic():
                return None
            return grant.scopes


def _invalid_grant(description: str) -> Response:
    return Response.json(400, {"error": "invalid_grant", "error_description": description})


def _is_loopback(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0] in LOOPBACK_HOSTS and not parts.query and not parts.fragment


def _redirect(uri: str, params: dict[str, str | None]) -> Response:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    separator = "&" if "?" in uri else "?"
    return Response(302, b"", {"Location": f"{uri}{separator}{query}"})
