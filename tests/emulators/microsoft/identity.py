"""The Microsoft identity platform (v2.0 endpoints) as a public desktop client meets it.

OIDC discovery, instance discovery, ``/authorize`` (consents at once, answers with
``response_mode=form_post``'s auto-submitting form, a redirect for ``query``) and ``/token``
(authorization code with PKCE, refresh token with rotation). Errors use AADSTS codes and the
JSON shape of the real service.

Deviation, on purpose: the discovery document names the emulator's own ``http://`` address as
``authorization_endpoint`` (a browser must reach it) but ``https://login.microsoftonline.com`` as
issuer and ``token_endpoint``, because MSAL accepts only https authorities; clients reach those
through an HTTP client that routes the real host name to the emulator.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from tests.emulators.microsoft.http import Request, Response

PUBLIC_HOST = "login.microsoftonline.com"
PERSONAL_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
_TENANT_ALIASES = frozenset({"common", "organizations", "consumers"})

_DISCOVERY = re.compile(r"^/(?P<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration$")
_AUTHORIZE = re.compile(r"^/(?P<tenant>[^/]+)/oauth2/v2\.0/authorize$")
_TOKEN = re.compile(r"^/(?P<tenant>[^/]+)/oauth2/v2\.0/token$")
_INSTANCE_DISCOVERY = "/common/discovery/instance"


@dataclass(frozen=True, slots=True)
class User:
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    tid: str = field(default_factory=lambda: str(uuid.uuid4()))
    name: str = "Alex Candidate"
    username: str = "alex@contoso.example"


@dataclass(slots=True)
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    scopes: frozenset[str]
    nonce: str | None
    issued: float
    used: bool = False


@dataclass(slots=True)
class _RefreshToken:
    client_id: str
    scopes: frozenset[str]
    expires: float
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class AccessGrant:
    client_id: str
    scopes: frozenset[str]
    expires: float


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _pkce_s256(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _redirect_matches(registered: str, given: str) -> bool:
    """Loopback redirect URIs match whatever the port (RFC 8252 §7.3); the rest must be equal."""
    r, g = urlsplit(registered), urlsplit(given)
    if (r.scheme, r.hostname) != (g.scheme, g.hostname):
        return False
    if r.hostname in ("localhost", "127.0.0.1", "[::1]", "::1"):
        return (r.path or "/") == (g.path or "/")
    return registered == given


class IdentityPlatform:
    """Clients, the signed-in user, codes and tokens, and the knobs that make them fail."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[str, ...]] = {}
        self._codes: dict[str, _Code] = {}
        self._refresh_tokens: dict[str, _RefreshToken] = {}
        self._access_tokens: dict[str, AccessGrant] = {}
        # Knobs.
        self.consent = "grant"
        """``grant`` or ``deny`` (the user presses Cancel on the consent page)."""
        self.consented_scopes: frozenset[str] | None = None
        """When set, the user grants only these of the requested resource scopes."""
        self.access_token_lifetime = 3599
        self.refresh_token_lifetime = 90 * 24 * 3600
        self.revoke_used_refresh_tokens = False
        """Strict rotation: a refresh token works once (catches clients that lose the new one)."""

    # --- registration and knobs ------------------------------------------------------

    def register_client(self, client_id: str, redirect_uris: tuple[str, ...] = ("http://localhost",)) -> None:
        with self._lock:
            self._clients[client_id] = redirect_uris

    def expire_access_tokens(self) -> None:
        with self._lock:
            self._access_tokens = {t: AccessGrant(g.client_id, g.scopes, 0) for t, g in self._access_tokens.items()}

    def revoke_refresh_tokens(self) -> None:
        """The user revoked the app's sessions (or changed password): AADSTS50173 on the next refresh."""
        with self._lock:
            for token in self._refresh_tokens.values():
                token.revoked = True

    def expire_refresh_tokens(self) -> None:
        """Inactivity expiry: AADSTS700082 on the next refresh."""
        with self._lock:
            for token in self._refresh_tokens.values():
                token.expires = 0

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token handed out (tests look for them where they must not be)."""
        with self._lock:
            return [*self._access_tokens, *self._refresh_tokens]

    def check_access_token(self, token: str) -> AccessGrant | None:
        """The grant behind a live access token, or None (unknown or expired)."""
        with self._lock:
            grant = self._access_tokens.get(token)
        if grant is None or grant.expires <= time.time():
            return None
        return grant

    # --- dispatch --------------------------------------------------------------------

    def handle(self, request: Request) -> Response | None:
        """The response for an identity-platform path, or None when the path is not one."""
        if request.path == _INSTANCE_DISCOVERY and request.method == "GET":
            return self._instance_discovery(request)
        if (m := _DISCOVERY.match(request.path)) and request.method == "GET":
            return self._discovery(request, m["tenant"])
        if (m := _AUTHORIZE.match(request.path)) and request.method == "GET":
            return self._authorize(request, m["tenant"])
        if (m := _TOKEN.match(request.path)) and request.method == "POST":
            return self._token(request, m["tenant"])
        return None

    def _known_tenant(self, tenant: str) -> bool:
        return tenant in _TENANT_ALIASES or tenant == self.user.tid

    def _instance_discovery(self, request: Request) -> Response:
        return Response.json(
            200,
            {
                "tenant_discovery_endpoint": f"https://{PUBLIC_HOST}/common/v2.0/.well-known/openid-configuration",
                "api-version": "1.1",
                "metadata": [
                    {
                        "preferred_network": PUBLIC_HOST,
                        "preferred_cache": "login.windows.net",
                        "aliases": [PUBLIC_HOST, "login.windows.net", "login.microsoft.com", "sts.windows.net"],
                    }
                ],
            },
        )

    def _discovery(self, request: Request, tenant: str) -> Response:
        if not self._known_tenant(tenant):
            return _oauth_error(
                400,
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.",
            )
        issuer_tenant = self.user.tid if tenant not in _TENANT_ALIASES else "{tenantid}"
        public = f"https://{PUBLIC_HOST}/{tenant}"
        return Response.json(
            200,
            {
                "token_endpoint": f"{public}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{public}/discovery/v2.0/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"https://{PUBLIC_HOST}/{issuer_tenant}/v2.0",
                "request_uri_parameter_supported": False,
                "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
                "authorization_endpoint": f"{request.base_url}/{tenant}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{public}/oauth2/v2.0/devicecode",
                "http_logout_supported": True,
                "frontchannel_logout_supported": True,
                "end_session_endpoint": f"{public}/oauth2/v2.0/logout",
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "nonce",
                    "preferred_username",
                    "name",
                    "tid",
                    "ver",
                    "oid",
                ],
                "tenant_region_scope": None,
                "cloud_instance_name": "microsoftonline.com",
                "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com",
                "rbac_url": "https://pas.windows.net",
            },
        )

    # --- /authorize ------------------------------------------------------------------

    def _authorize(self, request: Request, tenant: str) -> Response:
        q = request.query
        client_id = q.get("client_id", "")
        with self._lock:
            registered = self._clients.get(client_id)
        if registered is None:
            return _error_page(
                700016,
                f"Application with identifier '{html.escape(client_id)}' was not found in the directory. "
                "This can happen if the application has not been installed by the administrator of the tenant.",
            )
        redirect_uri = q.get("redirect_uri", "")
        if not any(_redirect_matches(r, redirect_uri) for r in registered):
            return _error_page(
                50011,
                f"The redirect URI '{html.escape(redirect_uri)}' specified in the request does not match "
                f"the redirect URIs configured for the application '{html.escape(client_id)}'.",
            )
        mode = q.get("response_mode", "query")
        state = q.get("state")

        def answer(params: dict[str, str]) -> Response:
            if state is not None:
                params["state"] = state
            return _deliver(redirect_uri, mode, params)

        def fail(error: str, code: int, description: str) -> Response:
            return answer({"error": error, "error_description": f"AADSTS{code}: {description}"})

        if not self._known_tenant(tenant):
            return fail("invalid_request", 90002, f"Tenant '{tenant}' not found.")
        if q.get("response_type") != "code":
            return fail("unsupported_response_type", 700054, "response_type 'code' is expected for this flow.")
        if mode not in ("query", "fragment", "form_post"):
            return fail("invalid_request", 900144, f"The value '{mode}' of response_mode is not supported.")
        if not q.get("code_challenge"):
            return fail("invalid_request", 9002325, "Proof Key for Code Exchange is required for this client.")
        if q.get("code_challenge_method") != "S256":
            return fail("invalid_request", 5000751, "Only the S256 code_challenge_method is supported.")
        scopes = frozenset(q.get("scope", "").split())
        if not scopes:
            return fail("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.")
        if self.consent == "deny":
            params = {
                "error": "access_denied",
                "error_subcode": "cancel",
                "error_description": "AADSTS65004: User declined to consent to access the app.",
            }
            return answer(params)
        granted = scopes
        if self.consented_scopes is not None:
            granted = (scopes & RESERVED_SCOPES) | (scopes & self.consented_scopes)
        code = "M." + secrets.token_urlsafe(48)
        with self._lock:
            self._codes[code] = _Code(
                client_id, redirect_uri, q["code_challenge"], granted, q.get("nonce"), time.time()
            )
        params = {"code": code}
        if q.get("client_info") == "1":
            params["client_info"] = self._client_info()
        params["session_state"] = str(uuid.uuid4())
        return answer(params)

    # --- /token ----------------------------------------------------------------------

    def _token(self, request: Request, tenant: str) -> Response:
        form = request.form()
        client_id = form.get("client_id", "")
        with self._lock:
            known = client_id in self._clients
        if not known:
            return _oauth_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory.",
            )
        if form.get("client_secret") or form.get("client_assertion") or request.header("Authorization"):
            return _oauth_error(
                400,
                "invalid_client",
                700025,
                "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
            )
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._redeem_code(form)
        if grant_type == "refresh_token":
            return self._redeem_refresh_token(form)
        return _oauth_error(
            400, "unsupported_grant_type", 70003, f"The app requested an unsupported grant type '{grant_type}'."
        )

    def _redeem_code(self, form: dict[str, str]) -> Response:
        with self._lock:
            code = self._codes.get(form.get("code", ""))
            if code is None:
                return _oauth_error(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.")
            if code.used:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    54005,
                    "OAuth2 Authorization code was already redeemed, please retry with a new valid code.",
                )
            if time.time() - code.issued > 600:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity.",
                )
            if code.client_id != form.get("client_id"):
                return _oauth_error(
                    400, "invalid_grant", 70000, "The provided authorization code was issued to another client."
                )
            if (
                not _redirect_matches(code.redirect_uri, form.get("redirect_uri", ""))
                or urlsplit(code.redirect_uri).port != urlsplit(form.get("redirect_uri", "")).port
            ):
                return _oauth_error(
                    400,
                    "invalid_grant",
                    500112,
                    "The reply address does not match the reply address provided when requesting the authorization code.",
                )
            verifier = form.get("code_verifier")
            if not verifier or _pkce_s256(verifier) != code.challenge:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                )
            code.used = True
        return self._issue(code.client_id, code.scopes, code.nonce, form.get("client_info") == "1")

    def _redeem_refresh_token(self, form: dict[str, str]) -> Response:
        with self._lock:
            token = self._refresh_tokens.get(form.get("refresh_token", ""))
            if token is None:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    9002313,
                    "Invalid request. Request is malformed or invalid.",
                    suberror="bad_token",
                )
            if token.revoked:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    50173,
                    "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
                    suberror="bad_token",
                )
            if token.expires <= time.time():
                return _oauth_error(
                    400,
                    "invalid_grant",
                    700082,
                    "The refresh token has expired due to inactivity.",
                    suberror="bad_token",
                )
            if token.client_id != form.get("client_id"):
                return _oauth_error(400, "invalid_grant", 70000, "The refresh token was issued to a different client.")
            requested = frozenset(form.get("scope", "").split()) - RESERVED_SCOPES
            missing = requested - token.scopes
            if missing:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    65001,
                    f"The user or administrator has not consented to use the application for {' '.join(sorted(missing))}.",
                    suberror="consent_required",
                )
            if self.revoke_used_refresh_tokens:
                token.revoked = True
        return self._issue(token.client_id, token.scopes, None, form.get("client_info") == "1")

    def _issue(self, client_id: str, scopes: frozenset[str], nonce: str | None, client_info: bool) -> Response:
        now = time.time()
        resource_scopes = scopes - RESERVED_SCOPES
        access_token = "EwB" + secrets.token_urlsafe(64)
        body: dict[str, object] = {
            "token_type": "Bearer",
            "scope": " ".join(sorted(resource_scopes) + ["profile", "openid", "email"]),
            "expires_in": self.access_token_lifetime,
            "ext_expires_in": self.access_token_lifetime,
            "access_token": access_token,
        }
        with self._lock:
            self._access_tokens[access_token] = AccessGrant(
                client_id, resource_scopes, now + self.access_token_lifetime
            )
            if "offline_access" in scopes:
                refresh_token = "M.C5" + secrets.token_urlsafe(96)
                self._refresh_tokens[refresh_token] = _RefreshToken(
                    client_id, scopes, now + self.refresh_token_lifetime
                )
                body["refresh_token"] = refresh_token
        if "openid" in scopes:
            body["id_token"] = self._id_token(client_id, nonce, now)
        if client_info:
            body["client_info"] = self._client_info()
        return Response.json(200, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _id_token(self, client_id: str, nonce: str | None, now: float) -> str:
        claims = {
            "aud": client_id,
            "iss": f"https://{PUBLIC_HOST}/{self.user.tid}/v2.0",
            "iat": int(now),
            "nbf": int(now),
            "exp": int(now) + 3600,
            "name": self.user.name,
            "oid": self.user.oid,
            "preferred_username": self.user.username,
            "rh": "0.emulated.",
            "sub": _b64url(hashlib.sha256(f"{self.user.oid}{client_id}".encode()).digest()),
            "tid": self.user.tid,
            "uti": secrets.token_urlsafe(16),
            "ver": "2.0",
        }
        if nonce is not None:
            claims["nonce"] = nonce
        header = {"typ": "JWT", "alg": "RS256", "kid": "emulated"}
        parts = [_b64url(json.dumps(p).encode()) for p in (header, claims)]
        return ".".join([*parts, _b64url(secrets.token_bytes(64))])  # MSAL does not verify signatures

    def _client_info(self) -> str:
        return _b64url(json.dumps({"uid": self.user.oid, "utid": self.user.tid}).encode())


def _oauth_error(status: int, error: str, code: int, description: str, *, suberror: str | None = None) -> Response:
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    body: dict[str, object] = {
        "error": error,
        "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {stamp}",
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace,
        "correlation_id": correlation,
        "error_uri": f"https://{PUBLIC_HOST}/error?code={code}",
    }
    if suberror:
        body["suberror"] = suberror
    return Response.json(status, body)


def _error_page(code: int, description: str) -> Response:
    """What the user sees when the request cannot even be answered to the app."""
    return Response.html(
        400,
        f"<html><head><title>Sign in to your account</title></head><body>"
        f"<h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS{code}: {description}</p></body></html>",
    )


def _deliver(redirect_uri: str, mode: str, params: dict[str, str]) -> Response:
    """Send the authorization response back to the app the way ``response_mode`` asks."""
    if mode == "form_post":
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}" />' for k, v in params.items()
        )
        return Response.html(
            200,
            "<html><head><title>Working...</title></head><body>"
            f'<form method="POST" name="hiddenform" action="{html.escape(redirect_uri)}">{inputs}'
            "<noscript><p>Script is disabled. Click Submit to continue.</p>"
            '<input type="submit" value="Submit" /></noscript></form>'
            '<script language="javascript">document.forms[0].submit();</script></body></html>',
        )
    separator = "#" if mode == "fragment" else ("&" if "?" in redirect_uri else "?")
    return Response(302, b"", {"Location": redirect_uri + separator + urlencode(params)})
