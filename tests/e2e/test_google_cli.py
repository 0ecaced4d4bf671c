"""Issue 4 end to end: `calendar-desktop` against the Google emulator, through the real client
libraries, with the "browser" following the authorize redirect to the app's loopback listener."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.emulators import fake_browser
from tests.emulators.google import GoogleEmulator, recurring, timed
from tests.support.cli import Result, run_process

pytestmark = pytest.mark.slow
START = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=1)


@pytest.fixture(scope="module")
def google() -> Iterator[GoogleEmulator]:
    with GoogleEmulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("google-profile")


@pytest.fixture(scope="module")
def keyring_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keyring") / "keyring.json"


def cli(google: GoogleEmulator, profile: Path, keyring_file: Path, *args: str) -> Result:
    env = {
        **google.environment(),
        "GOOGLE_CLIENT_ID": google.client_id,
        "GOOGLE_CLIENT_SECRET": google.client_secret,
        "BROWSER": str(Path(fake_browser.__file__).resolve()),
        "PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring",
        "CALENDAR_DESKTOP_TEST_KEYRING": str(keyring_file),
    }
    return run_process("--profile", str(profile), *args, env=env, timeout=300)


def events(google, profile, keyring_file) -> list[dict]:  # type: ignore[no-untyped-def]
    result = cli(google, profile, keyring_file, "events", "list", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_google_end_to_end(google: GoogleEmulator, profile: Path, keyring_file: Path) -> None:
    calendar_id = google.state.email
    google.state.add_events(
        calendar_id, (timed(START + timedelta(minutes=40 * i), 30, summary=f"Meeting {i}") for i in range(10_000))
    )
    standup = recurring(timed(START.replace(tzinfo=None, hour=9), 15, zone="Europe/Berlin", summary="Standup"),
                        "RRULE:FREQ=DAILY;COUNT=5")  # fmt: skip
    series = google.state.insert_event(calendar_id, standup)["id"]

    # Connect: the browser follows the authorize redirect back to the app's loopback listener.
    added = cli(google, profile, keyring_file, "accounts", "add", "google")
    assert added.code == 0, added.err
    [authorize] = google.requests_to("/o/oauth2/auth")
    assert authorize.params["code_challenge_method"] == ["S256"] and authorize.params["access_type"] == ["offline"]
    assert authorize.params["redirect_uri"][0].startswith("http://127.0.0.1:")
    [token] = google.requests_to("/token")
    assert token.status == 200, "the emulator verified the PKCE code verifier"
    stored = events(google, profile, keyring_file)
    assert len(stored) == 10_005
    assert len(google.requests_to("/events", "GET")) >= 5, "several pages"
    keyring = json.loads(keyring_file.read_text())
    assert any("refresh_token" in key for key in keyring), "the refresh token is in the keyring"
    for path in profile.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in keyring.values():
                if len(secret) > 8:
                    assert secret.encode() not in data, f"a secret leaked into {path}"

    # Edits, deletions and a cancelled occurrence → exactly those.
    ids = [e["id"] for e in google.state.list_events(calendar_id, _query()) if "recurrence" not in e][:10]
    for event_id in ids[:3]:
        google.state.patch_event(calendar_id, event_id, {"summary": "Changed"}, None)
    for event_id in ids[3:5]:
        google.state.delete_event(calendar_id, event_id, None)
    google.state.cancel_instance(calendar_id, series, _second_instance(google, calendar_id, series))
    synced = cli(google, profile, keyring_file, "sync", "--json")
    assert synced.code == 0, synced.err
    [result] = json.loads(synced.out)
    assert (result["added"], result["updated"], result["removed"]) == (0, 4, 2)
    after = events(google, profile, keyring_file)
    assert len(after) == 10_003
    assert sum(e["title"] == "Changed" for e in after) == 3
    assert sum(e["status"] == "cancelled" for e in after) == 1

    # An expired sync token: a clean full resync, nothing duplicated.
    google.state.expire_sync_tokens()
    assert cli(google, profile, keyring_file, "sync").code == 0
    resynced = events(google, profile, keyring_file)
    live = {(e["uid"], e["recurrence_id"], e["title"]) for e in after if e["status"] != "cancelled"}
    assert {(e["uid"], e["recurrence_id"], e["title"]) for e in resynced} == live, "a full listing omits tombstones"
    assert len({e["id"] for e in resynced}) == len(resynced) == len(live)
    history = json.loads(cli(google, profile, keyring_file, "history", "--json").out)
    assert any(run["direction"] == "pull" and run["outcome"] == "ok" for run in history)

    # Throttling and server errors: retried with backoff, a bounded number of requests.
    google.clear_log()
    google.fail(429, "rateLimitExceeded", retry_after=1, count=2, path="/events")
    google.fail(503, "backendError", count=1, path="/events")
    assert cli(google, profile, keyring_file, "sync").code == 0
    assert len(google.requests_to("/events", "GET")) <= 5

    # A refresh that fails (revoked grant): the account needs reconnecting.
    google.oauth.revoke_all()
    google.oauth.expire_access_tokens()
    failed = cli(google, profile, keyring_file, "sync")
    assert failed.code == 1
    [account] = json.loads(cli(google, profile, keyring_file, "accounts", "list", "--json").out)
    assert account["status"] == "needs_reauth" and account["last_error"]

    # Disconnect: revocation is attempted and the keyring holds nothing of the account.
    google.clear_log()
    assert cli(google, profile, keyring_file, "accounts", "remove", str(account["id"])).code == 0
    assert google.requests_to("/revoke", "POST")
    assert json.loads(keyring_file.read_text()) == {}
    assert events(google, profile, keyring_file) == []


def _query():  # type: ignore[no-untyped-def]
    from tests.emulators.google.state import EventQuery

    return EventQuery(single_events=False, time_min=None)


def _second_instance(google: GoogleEmulator, calendar_id: str, series: str):  # type: ignore[no-untyped-def]
    from tests.emulators.google.state import EventQuery

    instances = [e for e in google.state.list_events(calendar_id, EventQuery(single_events=True))
                 if e.get("recurringEventId") == series]  # fmt: skip
    start = instances[1]["originalStartTime"]
    return datetime.fromisoformat(start["dateTime"]) if "dateTime" in start else start["date"]
