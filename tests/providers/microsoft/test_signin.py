"""Interactive sign-in against the emulator: browser, PKCE, form_post, timeout, cancel."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.errors import (
    AuthenticationError,
    ProviderUnavailable,
    SignInCancelled,
    SignInTimeout,
    TransientError,
)
from calendar_desktop.providers.microsoft import (
    MicrosoftConfig,
    MicrosoftProviderFactory,
)
from calendar_desktop.providers.microsoft.token_cache import CACHE_FOLDER, KEY_SECRET
from tests.emulators.fake_browser import browse, read_visits
from tests.emulators.microsoft import BROWSER_SCRIPT, MicrosoftEmulator
from tests.providers.microsoft.conftest import Browser


def listener_port(auth_url: str) -> int:
    redirect = parse_qs(urlsplit(auth_url).query)["redirect_uri"][0]
    return int(urlsplit(redirect).port or 0)


def port_is_closed(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


def cache_files(data_dir: Path) -> list[Path]:
    folder = data_dir / CACHE_FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def test_sign_in_through_the_system_browser(
    ms: MicrosoftEmulator,
    factory: MicrosoftProviderFactory,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = tmp_path / "browser.jsonl"
    monkeypatch.setenv("BROWSER", str(BROWSER_SCRIPT))
    monkeypatch.setenv("FAKE_BROWSER_LOG", str(log))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # webbrowser reads $BROWSER once per process

    new = factory.sign_in(timeout=30).run()

    assert new.provider is ProviderKind.MICROSOFT
    assert (new.name, new.username, new.read_only) == (ms.user.name, ms.user.username, False)
    assert new.options["home_account_id"] == f"{ms.user.oid}.{ms.user.tid}"
    assert set(new.secrets) == {KEY_SECRET}
    [authorize] = [r for r in ms.requests if r.path.endswith("/authorize")]
    assert authorize.query["code_challenge_method"] == "S256" and authorize.query["response_mode"] == "form_post"
    assert authorize.query["redirect_uri"].startswith("http://localhost:")
    [token] = [r for r in ms.requests if r.path.endswith("/token")]
    assert token.status == 200  # the emulator checked the PKCE verifier against the challenge
    [visit] = read_visits(log)
    posts = [hop for hop in visit["hops"] if hop["method"] == "POST"]
    assert visit["error"] is None
    assert [(hop["url"].split("?")[0].startswith("http://localhost:"), hop["status"]) for hop in posts] == [(True, 200)]
    assert [p.name for p in cache_files(data_dir)] == [new.options["token_cache_file"]]


def test_timeout_ends_the_wait_and_closes_the_listener(factory: MicrosoftProviderFactory) -> None:
    opened: list[str] = []
    sign_in = factory.sign_in(timeout=0.5, open_browser=lambda url: opened.append(url) or True)
    with pytest.raises(SignInTimeout):
        sign_in.run()
    assert port_is_closed(listener_port(opened[0]))


def test_cancel_from_another_thread_stops_at_once(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, data_dir: Path
) -> None:
    browser_opened = threading.Event()
    opened: list[str] = []

    def open_browser(url: str) -> bool:
        opened.append(url)
        browser_opened.set()
        return True

    sign_in = factory.sign_in(timeout=60, open_browser=open_browser)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: outcome.append(_raised(sign_in.run)))
    worker.start()
    assert browser_opened.wait(10)
    sign_in.cancel()
    worker.join(5)
    assert not worker.is_alive()
    assert isinstance(outcome[0], SignInCancelled)
    assert port_is_closed(listener_port(opened[0]))
    browse(opened[0])  # the user finishes in the browser after all: nobody is listening
    assert ms.count(path="/token$") == 0
    assert cache_files(data_dir) == []


def _raised(fn) -> BaseException | None:  # type: ignore[no-untyped-def]
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        return exc
    return None


def test_cancel_before_run_makes_no_request(ms: MicrosoftEmulator, factory: MicrosoftProviderFactory) -> None:
    sign_in = factory.sign_in(open_browser=lambda url: True)
    sign_in.cancel()
    with pytest.raises(SignInCancelled):
        sign_in.run()
    assert ms.requests == []


def test_declined_consent_adds_no_account(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, browser: Browser, data_dir: Path
) -> None:
    ms.identity.consent = "deny"
    with pytest.raises(AuthenticationError, match="declined"):
        factory.sign_in(timeout=30, open_browser=browser.open).run()
    assert cache_files(data_dir) == []


def test_without_a_browser_the_url_goes_to_the_callback(factory: MicrosoftProviderFactory) -> None:
    shown: list[str] = []

    def show_url(url: str) -> None:
        shown.append(url)
        threading.Thread(target=browse, args=(url,)).start()  # the user copies it into a browser

    new = factory.sign_in(timeout=30, open_browser=lambda url: False, show_url=show_url).run()
    assert len(shown) == 1 and urlsplit(shown[0]).path.endswith("/oauth2/v2.0/authorize")
    assert new.username


def test_read_only_sign_in_asks_for_calendars_read(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, browser: Browser
) -> None:
    new = factory.sign_in(timeout=30, read_only=True, open_browser=browser.open).run()
    assert new.read_only and new.options["scopes"] == "Calendars.Read User.Read"
    [authorize] = [r for r in ms.requests if r.path.endswith("/authorize")]
    assert (
        "Calendars.Read" in authorize.query["scope"].split() and "Calendars.ReadWrite" not in authorize.query["scope"]
    )


def test_consent_without_calendar_access_adds_no_account(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, browser: Browser
) -> None:
    ms.identity.consented_scopes = frozenset({"User.Read"})
    with pytest.raises(AuthenticationError, match="calendars was not granted"):
        factory.sign_in(timeout=30, open_browser=browser.open).run()


def test_missing_client_id_is_a_clear_error(data_dir: Path) -> None:
    factory = MicrosoftProviderFactory(data_dir, MicrosoftConfig.from_env(environ={}))
    with pytest.raises(ProviderUnavailable, match="MICROSOFT_CLIENT_ID"):
        factory.sign_in().run()


def test_offline_is_a_transient_error_not_a_crash(data_dir: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = MicrosoftConfig(
        client_id="c", authority=f"http://127.0.0.1:{port}/common", graph_root=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(TransientError, match="Cannot reach Microsoft sign-in"):
        MicrosoftProviderFactory(data_dir, config).sign_in(open_browser=lambda url: True).run()
