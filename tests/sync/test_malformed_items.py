"""A malformed event from Google or Microsoft Graph is skipped and counted, and the sync goes on.

End to end: the emulators on 127.0.0.1, the real client libraries (google-api-python-client,
msal and httpx), the ``SyncController``, the store's ``SyncRun`` rows and the CLI. Pages are
small, so the malformed items sit in the middle of a listing of several pages: a page holding
one is committed like any other. The malformed items carry a title and a description that must
never reach a log or a message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import Account, AccountStatus, SyncOutcome, SyncRun
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.google import provider as google_provider
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore
from tests.emulators.google import timed
from tests.faults.peers import GooglePeer, MicrosoftPeer, Tuning
from tests.support.cli import run_cli
from tests.support.keyrings import FileKeyring
from tests.sync.helpers import calendar_named, sync_once

PAGE_SIZE = 5
TUNING = Tuning(timeout_s=10, page_size=PAGE_SIZE)
SECRET_TITLE = "Confidential: counter-offer from Initech"
SECRET_BODY = "Salary 95k, do not mention Globex"
MALFORMED = 2
"""Malformed items planted at a time (two different faults per provider)."""
UNPARSEABLE_START = {"dateTime": "tomorrow at nine", "timeZone": "UTC"}
FIRST = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)


class Source(Protocol):
    """A calendar on an emulator that a test fills with good and malformed events."""

    peer: GooglePeer | MicrosoftPeer

    @property
    def calendar_name(self) -> str: ...

    def add(self, titles: list[str]) -> list[str]:
        """Good events with these titles (tomorrow, half an hour apart); their ids."""
        ...

    def rename(self, event_id: str, title: str) -> None: ...

    def corrupt(self, event_id: str) -> None:
        """From now on serve this event with a start that is no time (a change)."""
        ...

    def plant_malformed(self) -> None:
        """``MALFORMED`` events our normaliser refuses, titled ``SECRET_TITLE`` and described ``SECRET_BODY``."""
        ...

    def cli_environment(self) -> dict[str, str]:
        """What the CLI needs in its environment to reach the emulator."""
        ...


def _slot(index: int) -> datetime:
    return FIRST + timedelta(minutes=30 * index)


class GoogleSource:
    def __init__(self) -> None:
        self.peer = GooglePeer()
        self._added = 0

    @property
    def calendar_name(self) -> str:
        return self.peer.calendar_id

    def add(self, titles: list[str]) -> list[str]:
        bodies = [timed(_slot(self._added + i), 30, summary=title) for i, title in enumerate(titles)]
        self._added += len(titles)
        return self.peer.emulator.state.add_events(self.peer.calendar_id, bodies)

    def rename(self, event_id: str, title: str) -> None:
        self.peer.emulator.state.patch_event(self.peer.calendar_id, event_id, {"summary": title}, None)

    def corrupt(self, event_id: str) -> None:
        self.peer.emulator.state.corrupt_event(self.peer.calendar_id, event_id, start=UNPARSEABLE_START)

    def plant_malformed(self) -> None:
        secret = {"summary": SECRET_TITLE, "description": SECRET_BODY, "end": {"dateTime": _slot(0).isoformat()}}
        unparseable_start = {**secret, "start": {"dateTime": "tomorrow at nine", "timeZone": "Europe/Berlin"}}
        self.peer.emulator.state.add_events(self.peer.calendar_id, [unparseable_start, secret])  # the 2nd has no start

    def cli_environment(self) -> dict[str, str]:
        return {}  # the endpoints are kept in the account's options


class GraphSource:
    def __init__(self, data_dir: Path) -> None:
        self.peer = MicrosoftPeer(data_dir)
        self._added = 0

    @property
    def calendar_name(self) -> str:
        return "Calendar"

    @property
    def _mailbox(self):  # type: ignore[no-untyped-def]
        return self.peer.emulator.mailbox

    def add(self, titles: list[str]) -> list[str]:
        specs = [
            {"subject": title, "start": _slot(self._added + i), "end": _slot(self._added + i) + timedelta(minutes=30)}
            for i, title in enumerate(titles)
        ]
        self._added += len(titles)
        return self._mailbox.add_events(self.peer.calendar_id, specs)

    def rename(self, event_id: str, title: str) -> None:
        self._mailbox.update_event(event_id, subject=title)

    def corrupt(self, event_id: str) -> None:
        self._mailbox.corrupt_event(event_id, start=UNPARSEABLE_START)

    def plant_malformed(self) -> None:
        body = f"<html><body><p>{SECRET_BODY}</p></body></html>"
        for start in ({"dateTime": "tomorrow at nine", "timeZone": "UTC"}, None):
            event_id = self._mailbox.add_event(self.peer.calendar_id, SECRET_TITLE, _slot(0), _slot(1), body_html=body)
            self._mailbox.corrupt_event(event_id, start=start)

    def cli_environment(self) -> dict[str, str]:
        e = self.peer.emulator
        return {
            "MICROSOFT_CLIENT_ID": e.client_id,
            "CALENDAR_DESKTOP_MS_AUTHORITY": e.authority(),
            "CALENDAR_DESKTOP_GRAPH_ROOT": e.base_url,
        }


@pytest.fixture(params=["google", "microsoft"])
def source(request: pytest.FixtureRequest, paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> Iterator[Source]:
    monkeypatch.setattr(google_provider, "PAGE_SIZE", PAGE_SIZE)
    made: GoogleSource | GraphSource = GoogleSource() if request.param == "google" else GraphSource(paths.data_dir)
    made.peer.start()
    try:
        yield made
    finally:
        made.peer.stop()


@pytest.fixture
def app(paths: AppPaths, source: Source) -> Iterator[AppService]:
    """The app's service, its provider talking to the emulator with small pages; secrets in the
    test's file keyring, which the CLI (run in this process) reads too."""
    registry = ProviderRegistry(
        ProviderContext(paths.data_dir, {}), overrides={source.peer.kind: lambda _context: source.peer.factory(TUNING)}
    )
    service = AppService.open(paths, secrets=SecretStore(FileKeyring()), providers=registry)
    yield service
    service.close()


def titles(service: AppService) -> list[str]:
    return sorted(stored.event.title for stored in service.list_events())


def latest_run(service: AppService, account: Account) -> SyncRun:
    runs = service.sync_history(account.id)
    return max(runs, key=lambda run: run.id)


def assert_private(*texts: str | None) -> None:
    for text in texts:
        assert SECRET_TITLE not in (text or "") and SECRET_BODY not in (text or ""), "an event body was logged"


def test_a_full_sync_keeps_every_good_event_and_counts_the_malformed(
    app: AppService, source: Source, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    good = [f"Meeting {i}" for i in range(12)]
    source.add(good[:6])
    source.plant_malformed()  # on the second page of three
    source.add(good[6:])
    account = source.peer.connect(app)

    result = sync_once(app, account.id)

    assert (result.ok, result.status, result.added, result.skipped) == (True, AccountStatus.CONNECTED, 12, MALFORMED)
    assert titles(app) == sorted(good)
    run = latest_run(app, account)
    assert run.calendar_id == calendar_named(app, source.calendar_name).id
    assert (run.outcome, run.added, run.skipped, run.error) == (SyncOutcome.OK, 12, MALFORMED, None)
    stored = app.store.accounts.get(account.id)
    assert (stored.status, stored.last_error) == (AccountStatus.CONNECTED, None)
    skips = [r for r in caplog.records if r.levelno == logging.WARNING and "Skipped" in r.getMessage()]
    assert len(skips) == MALFORMED, "each skipped item is logged, by id and the field at fault"
    assert_private(caplog.text, result.message)


def test_a_malformed_item_on_an_incremental_page_is_counted_and_the_cursor_moves_on(
    app: AppService, source: Source, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first = source.add([f"Meeting {i}" for i in range(6)])
    account = source.peer.connect(app)
    clean = sync_once(app, account.id)
    assert (clean.ok, clean.added, clean.skipped) == (True, 6, 0)
    cursor = calendar_named(app, source.calendar_name).cursor
    assert cursor

    source.add([f"Call {i}" for i in range(4)])
    source.plant_malformed()
    source.add([f"Lunch {i}" for i in range(4)])
    changed = sync_once(app, account.id)

    assert (changed.ok, changed.added, changed.updated, changed.skipped) == (True, 8, 0, MALFORMED)
    run = latest_run(app, account)
    assert (run.outcome, run.full_resync, run.added, run.skipped) == (SyncOutcome.OK, False, 8, MALFORMED)
    advanced = calendar_named(app, source.calendar_name).cursor
    assert advanced and advanced != cursor

    source.rename(first[0], "Meeting 0, moved")
    source.add(["Debrief"])
    later = sync_once(app, account.id)

    assert (later.ok, later.added, later.updated, later.skipped) == (True, 1, 1, 0), "the malformed items are behind the cursor"
    assert titles(app) == sorted(
        ["Meeting 0, moved", *(f"Meeting {i}" for i in range(1, 6)), *(f"Call {i}" for i in range(4)),
         *(f"Lunch {i}" for i in range(4)), "Debrief"]
    )  # fmt: skip
    assert latest_run(app, account).skipped == 0
    assert_private(caplog.text, changed.message, later.message)


def test_an_event_that_turns_unreadable_keeps_its_last_good_copy_even_through_a_full_resync(
    app: AppService, source: Source
) -> None:
    """Skipping loses nothing: an incremental page leaves the stored copy alone, and a full
    listing (after an expired cursor) does not take the unreadable item for a deleted one, which
    would also have raised a cancellation prompt for an interview linked to it."""
    ids = source.add(["Interview with Globex", "Standup"])
    account = source.peer.connect(app)
    assert sync_once(app, account.id).added == 2
    source.corrupt(ids[0])

    incremental = sync_once(app, account.id)
    assert (incremental.ok, incremental.updated, incremental.removed, incremental.skipped) == (True, 0, 0, 1)
    assert titles(app) == ["Interview with Globex", "Standup"]

    source.peer.inject("expired_cursor")
    full = sync_once(app, account.id)
    assert (full.ok, full.removed, full.skipped) == (True, 0, 1)
    assert latest_run(app, account).full_resync
    assert titles(app) == ["Interview with Globex", "Standup"]


def test_the_cli_sync_reports_the_skipped_count(
    app: AppService, source: Source, paths: AppPaths, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in source.cli_environment().items():
        monkeypatch.setenv(name, value)
    source.add([f"Meeting {i}" for i in range(6)])
    source.plant_malformed()
    account = source.peer.connect(app)

    full = run_cli(profile_dir, "-v", "sync")

    assert full.code == 0, full.err
    assert full.out == f"Account {account.id}: 6 added, 0 updated, 0 removed, {MALFORMED} unreadable skipped.\n"

    source.add(["Debrief"])
    source.plant_malformed()
    incremental = run_cli(profile_dir, "-v", "sync", "--json")

    assert incremental.code == 0, incremental.err
    (result,) = incremental.json()
    assert (result["ok"], result["added"], result["updated"], result["skipped"]) == (True, 1, 0, MALFORMED)
    log_text = paths.log_file.read_text(encoding="utf-8")
    assert log_text.count("Skipped") == 2 * MALFORMED, "each skipped item is logged, by id and the field at fault"
    assert_private(full.out, full.err, incremental.out, incremental.err, log_text)
