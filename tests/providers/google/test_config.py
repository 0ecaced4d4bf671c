"""Endpoints, OAuth client resolution, scope checks and the oauthlib environment switches."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from calendar_desktop.providers.errors import ProviderUnavailable, SignInDenied
from calendar_desktop.providers.google import (
    GoogleEndpoints,
    OAuthClient,
    resolve_oauth_client,
)
from calendar_desktop.providers.google.oauthlib_env import (
    INSECURE_TRANSPORT,
    RELAX_TOKEN_SCOPE,
    oauthlib_settings,
)
from calendar_desktop.providers.google.scopes import (
    CALENDAR_EVENTS,
    CALENDAR_FULL,
    CALENDAR_LIST_READONLY,
    CALENDAR_READONLY,
    AccessMode,
    check_granted,
)

LOCAL = GoogleEndpoints("http://127.0.0.1:9/o/oauth2/auth", "http://127.0.0.1:9/token", "http://[::1]:9/revoke", "http://localhost:9")


def test_defaults_are_googles() -> None:
    endpoints = GoogleEndpoints.from_environment({})
    assert endpoints == GoogleEndpoints()
    assert endpoints.calendar_api == "https://www.googleapis.com/calendar/v3/"
    assert endpoints.to_options() == {}
    assert not endpoints.oauth_over_plain_http()


def test_environment_overrides() -> None:
    environ = {
        "CALENDAR_DESKTOP_GOOGLE_AUTH_URI": "http://127.0.0.1:8000/o/oauth2/auth",
        "CALENDAR_DESKTOP_GOOGLE_TOKEN_URI": "http://127.0.0.1:8000/token",
        "CALENDAR_DESKTOP_GOOGLE_API_ROOT": "http://127.0.0.1:8000",
    }
    endpoints = GoogleEndpoints.from_environment(environ)

    assert endpoints.api_root == "http://127.0.0.1:8000/"
    assert endpoints.calendar_api == "http://127.0.0.1:8000/calendar/v3/"
    assert endpoints.revoke_uri == GoogleEndpoints().revoke_uri
    assert endpoints.to_options() == {
        "auth_uri": "http://127.0.0.1:8000/o/oauth2/auth",
        "token_uri": "http://127.0.0.1:8000/token",
        "api_root": "http://127.0.0.1:8000/",
    }
    assert GoogleEndpoints.from_options({"mode": "two_way", **endpoints.to_options()}) == endpoints


@pytest.mark.parametrize("uri", ["http://accounts.example.com/auth", "ftp://127.0.0.1/x", "https://", "127.0.0.1:80/token"])
def test_plain_http_is_only_for_loopback(uri: str) -> None:
    with pytest.raises(ValueError):
        GoogleEndpoints(token_uri=uri)


def test_oauthlib_switches_are_scoped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(INSECURE_TRANSPORT, raising=False)
    monkeypatch.setenv(RELAX_TOKEN_SCOPE, "previous")

    with oauthlib_settings(GoogleEndpoints()):
        assert os.environ[RELAX_TOKEN_SCOPE] == "1"
        assert INSECURE_TRANSPORT not in os.environ  # never for Google's https endpoints
    with oauthlib_settings(LOCAL):
        assert os.environ[INSECURE_TRANSPORT] == "1"
        with oauthlib_settings(LOCAL):
            pass
        assert os.environ[INSECURE_TRANSPORT] == "1"  # the outer user still needs it

    assert INSECURE_TRANSPORT not in os.environ
    assert os.environ[RELAX_TOKEN_SCOPE] == "previous"


def test_oauthlib_switches_survive_concurrent_users(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(INSECURE_TRANSPORT, raising=False)
    inside = threading.Barrier(2)
    seen: list[str | None] = []

    def user() -> None:
        with oauthlib_settings(LOCAL):
            inside.wait(5)
            seen.append(os.environ.get(INSECURE_TRANSPORT))
            inside.wait(5)

    threads = [threading.Thread(target=user) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert seen == ["1", "1"]
    assert INSECURE_TRANSPORT not in os.environ


def _client_file(tmp_path: Path, payload: object) -> Path:
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps(payload))
    return path


def test_client_resolution_order(tmp_path: Path) -> None:
    file = _client_file(tmp_path, {"installed": {"client_id": "file-id", "client_secret": "file-secret"}})
    environ = {"GOOGLE_CLIENT_ID": "env-id", "GOOGLE_CLIENT_SECRET": "env-secret"}

    assert resolve_oauth_client(client_id="set-id", client_secret="set-secret", client_secrets_file=file, environ=environ) == OAuthClient(
        "set-id", "set-secret"
    )
    assert resolve_oauth_client(client_secrets_file=file, environ=environ) == OAuthClient("file-id", "file-secret")
    assert resolve_oauth_client(client_id="  ", environ=environ) == OAuthClient("env-id", "env-secret")
    assert "file-secret" not in repr(resolve_oauth_client(client_secrets_file=file))


@pytest.mark.parametrize(
    ("kwargs", "environ", "message"),
    [
        ({}, {}, "No Google OAuth client"),
        ({"client_id": "id-only"}, {}, "no client secret"),
        ({}, {"GOOGLE_CLIENT_ID": "x"}, "Only one of"),
    ],
)
def test_client_resolution_failures(kwargs: dict, environ: dict, message: str) -> None:
    with pytest.raises(ProviderUnavailable, match=message):
        resolve_oauth_client(environ=environ, **kwargs)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"web": {"client_id": "a", "client_secret": "b"}}, "web application"),
        ({"installed": {"client_id": "a"}}, "lacks"),
        (["not", "an", "object"], "not a client_secret.json"),
    ],
)
def test_bad_client_files(tmp_path: Path, payload: object, message: str) -> None:
    with pytest.raises(ProviderUnavailable, match=message):
        resolve_oauth_client(client_secrets_file=_client_file(tmp_path, payload))


def test_unreadable_client_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ProviderUnavailable, match="not valid JSON"):
        resolve_oauth_client(client_secrets_file=broken)
    with pytest.raises(ProviderUnavailable, match="Cannot read"):
        resolve_oauth_client(client_secrets_file=tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("mode", "granted"),
    [
        (AccessMode.TWO_WAY, {CALENDAR_EVENTS, CALENDAR_LIST_READONLY}),
        (AccessMode.TWO_WAY, {CALENDAR_FULL}),
        (AccessMode.READ_ONLY, {CALENDAR_READONLY}),
        (AccessMode.READ_ONLY, {CALENDAR_EVENTS, CALENDAR_LIST_READONLY}),
    ],
)
def test_enough_scopes(mode: AccessMode, granted: set[str]) -> None:
    check_granted(mode, granted)


@pytest.mark.parametrize(
    ("mode", "granted", "missing"),
    [
        (AccessMode.TWO_WAY, {CALENDAR_LIST_READONLY}, "see your events"),
        (AccessMode.TWO_WAY, {CALENDAR_EVENTS}, "see the list of your calendars"),
        (AccessMode.TWO_WAY, {CALENDAR_READONLY}, "add and edit events"),
        (AccessMode.READ_ONLY, set(), "see the list of your calendars or see your events"),
    ],
)
def test_partial_grants(mode: AccessMode, granted: set[str], missing: str) -> None:
    with pytest.raises(SignInDenied, match=missing):
        check_granted(mode, granted)
