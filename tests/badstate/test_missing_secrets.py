"""A known account whose keyring entries are gone (another keyring, a wiped login keyring, a new
machine with a copied profile): the sync marks it for reconnecting with a message that says how,
and signing in again reconnects the same account, with nothing duplicated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.emulators import fake_browser
from tests.emulators.google import GoogleEmulator, timed
from tests.emulators.microsoft import BROWSER_SCRIPT, MicrosoftEmulator
from tests.support.cli import Result, run_process

pytestmark = pytest.mark.slow
START = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
EVENTS = 25


@pytest.fixture(params=["google", "microsoft"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, dict[str, str]]]:
    """(provider, the environment that points the CLI at its emulator), with events seeded."""
    if request.param == "google":
        with GoogleEmulator() as google:
            google.state.add_events(google.state.email, [timed(START + timedelta(hours=i), 30, summary=f"Meeting {i}") for i in range(EVENTS)])
            yield "google", {
                **google.environment(),
                "GOOGLE_CLIENT_ID": google.client_id,
                "GOOGLE_CLIENT_SECRET": google.client_secret,
                "BROWSER": str(Path(fake_browser.__file__).resolve()),
            }
    else:
        with MicrosoftEmulator() as ms:
            ms.mailbox.add_events(
                ms.mailbox.default_calendar_id,
                [{"subject": f"Meeting {i}", "start": START + timedelta(hours=i), "end": START + timedelta(hours=i, minutes=30)}
                 for i in range(EVENTS)],
            )  # fmt: skip
            yield "microsoft", {
                "MICROSOFT_CLIENT_ID": ms.client_id,
                "CALENDAR_DESKTOP_MS_AUTHORITY": ms.authority(),
                "CALENDAR_DESKTOP_GRAPH_ROOT": ms.base_url,
                "BROWSER": str(BROWSER_SCRIPT),
            }


def test_missing_keyring_entries_ask_for_a_reconnect_that_keeps_the_account(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    provider, environment = server
    profile, keyring_file = tmp_path / "profile", tmp_path / "keyring.json"

    def cli(*args: str) -> Result:
        env = {**environment, "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
               "CALENDAR_DESKTOP_TEST_KEYRING": str(keyring_file)}  # fmt: skip
        result = run_process("--profile", str(profile), *args, env=env, timeout=120)
        assert "Traceback" not in result.err
        return result

    assert cli("accounts", "add", provider).code == 0
    keyring_file.write_text("{}")  # the keyring lost every entry of the account

    synced = cli("sync")

    assert synced.code == 1
    assert "needs_reauth" in synced.out and "reconnect" in synced.out.lower()
    assert f"To reconnect it: calendar-desktop accounts add {provider}" in synced.out
    [account] = json.loads(cli("accounts", "list", "--json").out)
    assert account["status"] == "needs_reauth" and account["last_error"]
    assert len(json.loads(cli("events", "list", "--json").out)) == EVENTS, "the stored events are kept meanwhile"

    reconnected = cli("accounts", "add", provider)

    assert reconnected.code == 0, reconnected.err
    assert f"Reconnected {provider} account {account['id']}" in reconnected.out
    [after] = json.loads(cli("accounts", "list", "--json").out)
    assert (after["id"], after["status"], after["last_error"]) == (account["id"], "connected", None)
    events = json.loads(cli("events", "list", "--json").out)
    assert len(events) == EVENTS and len({e["uid"] for e in events}) == EVENTS, "nothing duplicated"
