"""The OAuth loopback listener of both sign-ins, as issue 10 lists it: bound to 127.0.0.1 only, on a
random port, one redirect accepted, a wrong ``state`` rejected, closed after success, failure or
timeout. (PKCE S256 is checked by the emulators at the code exchange: a sign-in that succeeds sent
the right verifier; ``tests/emulators`` shows a wrong one is refused.) The rest of each sign-in is
covered in ``tests/providers/*/test_signin.py``."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import AuthenticationError, SignInError, SignInTimeout
from calendar_desktop.providers.google import GoogleEndpoints, GoogleSignIn, OAuthClient
from calendar_desktop.providers.microsoft import MicrosoftConfig, MicrosoftProviderFactory
from calendar_desktop.providers.microsoft.signin import LoopbackReceiver
from tests.emulators.fake_browser import ThreadedBrowser, browse, fetch, read_form
from tests.emulators.google import GoogleEmulator
from tests.emulators.microsoft import MicrosoftEmulator
from tests.providers.microsoft.test_signin import listener_port, port_is_closed

Browser = Callable[[str], bool]


class SignIn(Protocol):
    def run(self) -> NewAccount: ...


@dataclass
class Provider:
    name: str
    sign_in: Callable[[Browser, float], SignIn]
    deny: Callable[[], None]
    denied: type[Exception]


@pytest.fixture(params=["google", "microsoft"])
def provider(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Provider]:
    if request.param == "google":
        with GoogleEmulator() as google:
            endpoints = GoogleEndpoints(google.auth_uri, google.token_uri, google.revoke_uri, google.api_root)
            client = OAuthClient(google.client_id, google.client_secret)

            def google_sign_in(browser: Browser, timeout: float) -> SignIn:
                return GoogleSignIn(client, endpoints=endpoints, timeout_s=timeout, open_browser=browser)

            yield Provider("google", google_sign_in, lambda: setattr(google.oauth, "deny_consent", True), SignInError)
    else:
        with MicrosoftEmulator() as ms:
            config = MicrosoftConfig(client_id=ms.client_id, authority=ms.authority(), graph_root=ms.base_url)
            factory = MicrosoftProviderFactory(tmp_path / "data", config)

            def ms_sign_in(browser: Browser, timeout: float) -> SignIn:
                return factory.sign_in(timeout=timeout, open_browser=browser)

            yield Provider("microsoft", ms_sign_in, lambda: setattr(ms.identity, "consent", "deny"), AuthenticationError)


class Visits(ThreadedBrowser):
    """The stand-in browser, noting which addresses listen on the redirect port when it is opened."""

    def __init__(self, visit: Callable[[str], object] = browse) -> None:
        super().__init__(visit)
        self.listening: list[set[str]] = []

    def open(self, url: str) -> bool:
        self.listening.append(listening_addresses(listener_port(url)))
        return super().open(url)


@pytest.fixture
def visits() -> Iterator[Callable[..., Visits]]:
    made: list[Visits] = []

    def make(visit: Callable[[str], object] = browse) -> Visits:
        made.append(Visits(visit))
        return made[-1]

    yield make
    for each in made:
        each.join()


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on ``port`` (Linux: from /proc/net)."""
    found: set[str] = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))  # kernel's word order
                found.add(socket.inet_ntop(family, words))
    return found


def test_listener_is_loopback_only_on_a_fresh_port_and_closes_after_success(
    provider: Provider, visits: Callable[..., Visits]
) -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("reads listening sockets from /proc/net (Linux)")
    browser = visits()
    for _ in range(2):
        assert provider.sign_in(browser.open, 30).run().username
    ports = [listener_port(url) for url in browser.urls]
    assert browser.listening == [{"127.0.0.1"}, {"127.0.0.1"}], "bound to 127.0.0.1 only, never 0.0.0.0 or ::"
    assert ports[0] != ports[1] and all(port > 1024 for port in ports), "a new ephemeral port each time"
    assert all(port_is_closed(port) for port in ports), "closed once the redirect came"


def test_listener_closes_after_a_failed_sign_in(provider: Provider, visits: Callable[..., Visits]) -> None:
    provider.deny()
    browser = visits()
    with pytest.raises(provider.denied):
        provider.sign_in(browser.open, 30).run()
    assert port_is_closed(listener_port(browser.urls[0]))


def test_listener_closes_after_a_timeout(provider: Provider) -> None:
    urls: list[str] = []
    with pytest.raises(SignInTimeout):
        provider.sign_in(lambda url: urls.append(url) or True, 0.5).run()
    assert port_is_closed(listener_port(urls[0]))


def test_google_ends_the_sign_in_on_a_wrong_state_and_closes(visits: Callable[..., Visits]) -> None:
    """Google's listener takes one request: a redirect with a forged ``state`` ends the attempt."""
    with GoogleEmulator() as google:
        def forging_browser(url: str) -> None:
            _, headers, _ = fetch("GET", url)
            parts = urlsplit(headers["location"])
            query = {name: values[0] for name, values in parse_qs(parts.query).items()} | {"state": "forged"}
            browse(urlunsplit(parts._replace(query=urlencode(query))))

        browser = visits(forging_browser)
        endpoints = GoogleEndpoints(google.auth_uri, google.token_uri, google.revoke_uri, google.api_root)
        sign_in = GoogleSignIn(
            OAuthClient(google.client_id, google.client_secret), endpoints=endpoints, timeout_s=30, open_browser=browser.open
        )
        with pytest.raises(SignInError):
            sign_in.run()
        browser.join()
        assert google.requests_to("/token") == [], "the code was never exchanged"
        assert port_is_closed(listener_port(browser.urls[0]))


def test_microsoft_ignores_a_wrong_state_and_a_second_response(
    tmp_path: Path, visits: Callable[..., Visits]
) -> None:
    """Microsoft's listener keeps waiting past a forged ``state`` and takes the first genuine
    response only: a second one, even with the right state, is refused."""
    answers: list[int] = []

    def browser_posting_three_answers(url: str) -> None:
        _, _, page = fetch("GET", url)
        action, _, fields = read_form(page.decode())
        assert action is not None
        genuine = dict(fields)
        for form in ({**genuine, "state": "forged"}, genuine, {**genuine, "code": "a-replayed-code"}):
            try:
                answers.append(fetch("POST", action, urlencode(form).encode())[0])
            except OSError:
                answers.append(0)  # the listener has closed already

    with MicrosoftEmulator() as ms:
        config = MicrosoftConfig(client_id=ms.client_id, authority=ms.authority(), graph_root=ms.base_url)
        browser = visits(browser_posting_three_answers)
        new = MicrosoftProviderFactory(tmp_path / "data", config).sign_in(timeout=30, open_browser=browser.open).run()
        browser.join()
        assert new.username == ms.user.username
        [token] = [r for r in ms.requests if r.path.endswith("/token")]
        assert token.status == 200, "the genuine code was redeemed (and its PKCE verifier checked)"
    assert answers[:2] == [400, 200], "the forged state is refused, the genuine answer taken"
    assert answers[2] in (400, 0), "a second answer is refused, or finds the listener closed"
    assert port_is_closed(listener_port(browser.urls[0]))


def test_microsoft_listener_takes_the_first_genuine_response_only() -> None:
    statuses: list[int] = []

    def browser(url: str) -> bool:  # runs before the receiver starts waiting: both answers arrive while it listens
        target = f"http://127.0.0.1:{receiver.get_port()}/"
        for code in ("first", "second"):
            statuses.append(fetch("POST", target, urlencode({"code": code, "state": "ours"}).encode())[0])
        return True

    receiver = LoopbackReceiver(open_browser=browser)
    response = receiver.get_auth_response(auth_uri="http://127.0.0.1:9/authorize", state="ours", timeout=10)

    assert statuses == [200, 400]
    assert response == {"code": "first", "state": "ours"}
    assert port_is_closed(receiver.get_port())
