"""Connect, sync and disconnect through the CLI with the real Secret Service, then search every file
of the profile (database with its WAL, settings, logs, token caches, backups) and everything the
CLI printed for the tokens the emulators issued and the secrets the app kept in the keyring."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.emulators import fake_browser
from tests.emulators.google import GoogleEmulator, timed
from tests.emulators.microsoft import BROWSER_SCRIPT, MicrosoftEmulator
from tests.secrets.conftest import SecretService, profile_files
from tests.secrets.test_secret_service import stored_entries
from tests.support.cli import Result, run_process

pytestmark = pytest.mark.slow
START = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
PRIVATE_NOTE = "door code 4471, ask for Dana"
"""An event description: the app keeps no descriptions by default and never logs one."""
NOT_SECRET = ("/_names", "/client_id", "/access_token_expiry")
"""Keyring entries that are not secrets: the index of names, the OAuth client id (it is in every
authorization URL), the token's expiry time."""


@dataclass
class Server:
    """One emulator as the leak test drives it."""

    environment: dict[str, str]
    issued_tokens: Callable[[], list[str]]
    other_secrets: tuple[str, ...]
    force_refresh: Callable[[], None]


@pytest.fixture(params=["google", "microsoft"])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    if request.param == "google":
        with GoogleEmulator() as google:
            google.state.add_events(
                google.state.email,
                [timed(START + timedelta(hours=i), 30, summary=f"Meeting {i}", description=PRIVATE_NOTE) for i in range(30)],
            )
            yield Server(
                {
                    **google.environment(),
                    "GOOGLE_CLIENT_ID": google.client_id,
                    "GOOGLE_CLIENT_SECRET": google.client_secret,
                    "BROWSER": str(Path(fake_browser.__file__).resolve()),
                },
                google.oauth.issued_tokens,
                (google.client_secret,),
                google.oauth.expire_access_tokens,
            )
    else:
        with MicrosoftEmulator() as ms:
            ms.mailbox.add_events(
                ms.mailbox.default_calendar_id,
                [
                    {"subject": f"Meeting {i}", "start": START + timedelta(hours=i), "end": START + timedelta(hours=i, minutes=30),
                     "body_html": f"<p>{PRIVATE_NOTE}</p>"}
                    for i in range(30)
                ],
            )  # fmt: skip
            yield Server(
                {
                    "MICROSOFT_CLIENT_ID": ms.client_id,
                    "CALENDAR_DESKTOP_MS_AUTHORITY": ms.authority(),
                    "CALENDAR_DESKTOP_GRAPH_ROOT": ms.base_url,
                    "BROWSER": str(BROWSER_SCRIPT),
                },
                ms.identity.issued_tokens,
                (),
                ms.identity.expire_access_tokens,
            )


def test_no_token_or_password_outside_the_keyring(
    server: Server, on_secret_service: SecretService, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    outputs: list[Result] = []

    def cli(*args: str) -> Result:
        env = {**server.environment, **on_secret_service.environment(), "FAKE_BROWSER_LOG": str(tmp_path / "browser.jsonl")}
        result = run_process("--profile", str(profile), "-vv", *args, env=env, timeout=120)
        outputs.append(result)
        assert result.code == 0, result.err
        return result

    provider = "google" if "GOOGLE_CLIENT_ID" in server.environment else "microsoft"
    before = stored_entries()
    cli("accounts", "add", provider)
    server.force_refresh()  # the next sync renews the access token and writes it back to the keyring
    cli("sync")
    [account] = json.loads(cli("accounts", "list", "--json").out)
    assert account["status"] == "connected"
    kept = {name: value for name, value in stored_entries().items() if name not in before}
    assert kept, "the account's secrets are in the Secret Service"
    secret_values = [value for name, value in kept.items() if not name.endswith(NOT_SECRET)]
    secrets = {*server.issued_tokens(), *secret_values, *server.other_secrets}
    assert len(server.issued_tokens()) >= 3, "an access token, a refresh token and a renewed access token"
    _assert_nowhere(secrets, profile, outputs)
    _assert_not_logged(PRIVATE_NOTE, profile)

    cli("accounts", "remove", str(account["id"]))
    assert stored_entries() == before, "disconnecting deletes every keyring item of the account"
    _assert_nowhere(secrets, profile, outputs)


def _assert_nowhere(secrets: set[str], profile: Path, outputs: list[Result]) -> None:
    files = profile_files(profile)
    assert any(f.suffix == ".sqlite3" for f in files) and any(f.suffix == ".log" for f in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret ({secret[:6]}…) is in {path.relative_to(profile)}"
    for result in outputs:
        for secret in secrets:
            assert secret not in result.out and secret not in result.err, "a secret was printed"


def _assert_not_logged(text: str, profile: Path) -> None:
    for path in profile_files(profile):
        if ".log" in path.name:
            assert text.encode() not in path.read_bytes(), f"an event description is in {path.name}"


