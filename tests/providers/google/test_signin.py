"""Interactive sign-in against the emulator: loopback redirect, PKCE, state, scopes, cancel, timeout."""

from __future__ import annotations

import json
import os
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.errors import (
    SignInCancelled,
    SignInDenied,
    SignInError,
    SignInTimeout,
)
from calendar_desktop.providers.google import (
    AccessMode,
    GoogleEndpoints,
    GoogleSignIn,
    OAuthClient,
    open_system_browser,
)
from calendar_desktop.providers.google.scopes import (
    CALENDAR_EVENTS,
    CALENDAR_LIST_READONLY,
    CALENDAR_READONLY,
)
from tests.emulators import fake_browser
from tests.emulators.google import GoogleEmulator

FAKE_BROWSER = Path(fake_browser.__file__).resolve()


@pytest.fixture
def system_browser_is_fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``$BROWSER`` names the fake browser script; returns the file it logs its visits to.

    webbrowser reads ``$BROWSER`` once per process, so its registry is reset for this test."""
    log = tmp_path / "browser.jsonl"
    monkeypatch.setenv("BROWSER", str(FAKE_BROWSER))
    monkeypatch.setenv("FAKE_BROWSER_LOG", str(log))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log


@pytest.fixture
def in_process_browser() -> Iterator[Callable[[Callable[[str], object]], Callable[[str], bool]]]:
    """Makes ``open_browser`` callables that visit the URL in a thread (joined at teardown)."""
    threads: list[threading.Thread] = []

    def make(visit: Callable[[str], object]) -> Callable[[str], bool]:
        def open_browser(url: str) -> bool:
            thread = threading.Thread(target=visit, args=(url,))
            threads.append(thread)
            thread.start()
            return True

        return open_browser

    yield make
    for thread in threads:
        thread.join(timeout=30)


def _sign_in(google: GoogleEmulator, endpoints: GoogleEndpoints, **options) -> GoogleSignIn:
    return GoogleSignIn(OAuthClient(google.client_id, google.client_secret), endpoints=endpoints, timeout_s=20, **options)


def _wait_for_line(path: Path, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return json.loads(path.read_text().splitlines()[0])
        time.sleep(0.05)
    raise AssertionError("the fake browser never reported its visit")


def test_sign_in_through_the_system_browser(google: GoogleEmulator, endpoints: GoogleEndpoints, system_browser_is_fake: Path) -> None:
    shown: list[tuple[str, bool]] = []

    account = _sign_in(google, endpoints, url_callback=lambda url, opened: shown.append((url, opened))).run()

    assert account.provider is ProviderKind.GOOGLE
    assert (account.username, account.name, account.read_only) == ("user@example.com", "user@example.com", False)
    assert account.options == {
        "mode": "two_way",
        "scopes": f"{CALENDAR_LIST_READONLY} {CALENDAR_EVENTS}",
        "auth_uri": google.auth_uri,
        "token_uri": google.token_uri,
        "revoke_uri": google.revoke_uri,
        "api_root": google.api_root,
    }
    assert set(account.secrets) == {"refresh_token", "client_id", "client_secret", "access_token", "access_token_expiry"}
    assert google.oauth.refresh_token_valid(account.secrets["refresh_token"])
    (request,) = google.oauth.authorizations
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert (request["access_type"], request["prompt"]) == ("offline", "consent")
    redirect = urlsplit(request["redirect_uri"])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "/") and redirect.port
    assert len(shown) == 1 and shown[0][1] is True
    visit = _wait_for_line(system_browser_is_fake)
    assert [hop["status"] for hop in visit["hops"]] == [302, 200]
    assert visit["hops"][1]["url"].startswith(request["redirect_uri"])
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ and "OAUTHLIB_RELAX_TOKEN_SCOPE" not in os.environ


def test_read_only_sign_in_with_endpoints_from_the_environment(
    google: GoogleEmulator, in_process_browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in google.environment().items():
        monkeypatch.setenv(name, value)
    sign_in = GoogleSignIn(
        OAuthClient(google.client_id, google.client_secret),
        mode=AccessMode.READ_ONLY,
        timeout_s=20,
        open_browser=in_process_browser(fake_browser.browse),
    )

    account = sign_in.run()

    assert account.read_only
    assert account.options["mode"] == "read_only" and account.options["scopes"] == CALENDAR_READONLY
    assert google.oauth.authorizations[0]["scope"] == CALENDAR_READONLY
    assert account.options["token_uri"] == google.token_uri


def test_a_forged_state_is_refused(google: GoogleEmulator, endpoints: GoogleEndpoints, in_process_browser) -> None:
    def forging_browser(url: str) -> None:
        status, headers, _ = fake_browser.fetch("GET", url)
        assert status == 302
        parts = urlsplit(headers["location"])
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        query["state"] = "forged"
        fake_browser.browse(urlunsplit(parts._replace(query=urlencode(query))))

    with pytest.raises(SignInError) as caught:
        _sign_in(google, endpoints, open_browser=in_process_browser(forging_browser)).run()

    assert type(caught.value) is SignInError
    assert google.requests_to("/token") == []  # the code was never exchanged


def test_declined_consent(google: GoogleEmulator, endpoints: GoogleEndpoints, in_process_browser) -> None:
    google.oauth.deny_consent = True

    with pytest.raises(SignInDenied, match="declined"):
        _sign_in(google, endpoints, open_browser=in_process_browser(fake_browser.browse)).run()


def test_partial_grant_is_refused_and_revoked(google: GoogleEmulator, endpoints: GoogleEndpoints, in_process_browser) -> None:
    google.oauth.grant_only = frozenset({CALENDAR_LIST_READONLY})

    with pytest.raises(SignInDenied, match="see your events") as caught:
        _sign_in(google, endpoints, open_browser=in_process_browser(fake_browser.browse)).run()

    assert "read-only" in str(caught.value)
    (revoked,) = google.oauth.revocations
    assert revoked.startswith("1//") and not google.oauth.refresh_token_valid(revoked)


def test_reconnecting_with_a_held_refresh_token_skips_the_consent_prompt(
    google: GoogleEmulator, endpoints: GoogleEndpoints, in_process_browser
) -> None:
    held = google.grant_offline_access(AccessMode.TWO_WAY.scopes)

    account = _sign_in(google, endpoints, existing_refresh_token=held, open_browser=in_process_browser(fake_browser.browse)).run()

    assert "prompt" not in google.oauth.authorizations[0]
    assert account.secrets["refresh_token"] == held  # Google issued none: it was not a first consent
    assert google.oauth.revocations == []


def test_no_browser_hands_the_url_to_the_app(google: GoogleEmulator, endpoints: GoogleEndpoints, in_process_browser) -> None:
    visit = in_process_browser(fake_browser.browse)
    shown: list[bool] = []

    def show(url: str, opened: bool) -> None:
        shown.append(opened)
        visit(url)  # the user copies the link into a browser

    account = _sign_in(google, endpoints, open_browser=lambda url: False, url_callback=show).run()

    assert shown == [False]
    assert account.username == "user@example.com"


def test_open_system_browser_reports_a_missing_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER", str(tmp_path / "no-such-browser"))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr(webbrowser, "register_standard_browsers", _only_browser_variable)

    assert open_system_browser("http://127.0.0.1:1/") is False


def _only_browser_variable() -> None:
    """webbrowser's registry with nothing but ``$BROWSER`` (no desktop browser of this machine)."""
    webbrowser._tryorder = []
    cmdline = os.environ["BROWSER"]
    webbrowser.register(cmdline, None, webbrowser.GenericBrowser(cmdline), preferred=True)


def test_cancel_while_waiting_for_the_browser(google: GoogleEmulator, endpoints: GoogleEndpoints) -> None:
    ready = threading.Event()
    urls: list[str] = []

    def shown(url: str, opened: bool) -> None:
        urls.append(url)
        ready.set()

    sign_in = _sign_in(google, endpoints, open_browser=lambda url: True, url_callback=shown)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            sign_in.run()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert ready.wait(10)
    port = urlsplit(parse_qs(urlsplit(urls[0]).query)["redirect_uri"][0]).port
    sign_in.cancel()
    worker.join(10)

    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], SignInCancelled)
    assert google.requests_to("/token") == []
    with pytest.raises(OSError):
        fake_browser.fetch("GET", f"http://127.0.0.1:{port}/")  # the listener is closed


def test_cancel_before_run(google: GoogleEmulator, endpoints: GoogleEndpoints) -> None:
    sign_in = _sign_in(google, endpoints, open_browser=lambda url: True)
    sign_in.cancel()

    with pytest.raises(SignInCancelled):
        sign_in.run()
    assert google.oauth.authorizations == []


def test_timeout(google: GoogleEmulator, endpoints: GoogleEndpoints) -> None:
    sign_in = GoogleSignIn(
        OAuthClient(google.client_id, google.client_secret), endpoints=endpoints, timeout_s=0.3, open_browser=lambda url: True
    )

    with pytest.raises(SignInTimeout):
        sign_in.run()
