"""Issue 5 end to end: `calendar-desktop` against the identity-platform and Graph emulator, through
msal and httpx, with the "browser" completing the form_post back to the app's loopback listener."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.emulators.microsoft import BROWSER_SCRIPT, MicrosoftEmulator
from tests.support.cli import Result, run_process

pytestmark = pytest.mark.slow
START = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=1)


@pytest.fixture(scope="module")
def ms() -> Iterator[MicrosoftEmulator]:
    with MicrosoftEmulator() as emulator:
        yield emulator


def cli(ms: MicrosoftEmulator, profile: Path, keyring_file: Path, *args: str) -> Result:
    env = {
        "MICROSOFT_CLIENT_ID": ms.client_id,
        "CALENDAR_DESKTOP_MS_AUTHORITY": ms.authority(),
        "CALENDAR_DESKTOP_GRAPH_ROOT": ms.base_url,
        "BROWSER": str(BROWSER_SCRIPT),
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
        "CALENDAR_DESKTOP_TEST_KEYRING": str(keyring_file),
    }
    return run_process("--profile", str(profile), *args, env=env, timeout=300)


def test_microsoft_end_to_end(ms: MicrosoftEmulator, tmp_path: Path) -> None:
    profile, keyring_file = tmp_path / "profile", tmp_path / "keyring.json"

    def run(*args: str) -> Result:
        return cli(ms, profile, keyring_file, *args)

    def events() -> list[dict]:
        result = run("events", "list", "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)

    calendar = ms.mailbox.default_calendar_id
    ids = ms.mailbox.add_events(
        calendar,
        ({"subject": f"Meeting {i}", "start": START + timedelta(minutes=45 * i), "end": START + timedelta(minutes=45 * i + 30)}
         for i in range(5_000)),
    )  # fmt: skip

    added = run("accounts", "add", "microsoft")
    assert added.code == 0, added.err
    assert ms.count(path="/token$") >= 1
    assert len(events()) == 5_000
    assert ms.count(path="calendarView/delta") >= 5, "several pages"
    cache_files = list((profile / "data" / "microsoft").glob("*"))
    assert cache_files, "the token cache is kept in an encrypted file"
    for path in cache_files:
        assert b"refresh_token" not in path.read_bytes() and b"access_token" not in path.read_bytes()

    # Incremental changes, including @removed.
    for event_id in ids[:4]:
        ms.mailbox.update_event(event_id, subject="Changed")
    for event_id in ids[4:7]:
        ms.mailbox.delete_event(event_id)
    synced = run("sync", "--json")
    assert synced.code == 0, synced.err
    [result] = json.loads(synced.out)
    assert (result["added"], result["updated"], result["removed"]) == (0, 4, 3)
    after = events()
    assert len(after) == 4_997 and sum(e["title"] == "Changed" for e in after) == 4

    # A delta reset (410 with Location): a clean full resync, no duplicates.
    ms.graph.fail_state_tokens("gone")
    assert run("sync").code == 0
    resynced = events()
    assert sorted((e["uid"], e["title"]) for e in resynced) == sorted((e["uid"], e["title"]) for e in after)

    # Throttling with Retry-After: retried, a bounded number of requests.
    ms.clear_log()
    ms.fail(429, path="calendarView/delta", retry_after=1, times=2)
    assert run("sync").code == 0
    assert ms.count(path="calendarView/delta") <= 4

    # An expired refresh token: the account needs reconnecting.
    ms.identity.expire_access_tokens()
    ms.identity.expire_refresh_tokens()
    assert run("sync").code == 1
    [account] = json.loads(run("accounts", "list", "--json").out)
    assert account["status"] == "needs_reauth" and account["last_error"]

    # Reconnect (the same account signs in again): one token cache, the new one, and syncing resumes.
    old_cache = {p.name for p in (profile / "data" / "microsoft").glob("*")}
    reconnected = run("accounts", "add", "microsoft")
    assert reconnected.code == 0 and "Reconnected" in reconnected.out, reconnected.err
    new_cache = {p.name for p in (profile / "data" / "microsoft").glob("*")}
    assert len(new_cache) == 1 and not new_cache & old_cache
    [account] = json.loads(run("accounts", "list", "--json").out)
    assert account["status"] == "connected"

    # Disconnect: the token cache file and its key are gone.
    assert run("accounts", "remove", str(account["id"])).code == 0
    assert list((profile / "data" / "microsoft").glob("*")) == []
    assert json.loads(keyring_file.read_text()) == {}
