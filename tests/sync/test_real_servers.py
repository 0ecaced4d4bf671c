"""The sync engine against real Radicale and Xandikos processes, 2,000 events.

"Matches the server" always means: equal to what the oracle (tests/servers/oracle.py) works out
from the server's own data, read with a REPORT of its own.
"""

from __future__ import annotations

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.providers.caldav.cursor import SyncState
from tests.servers.calendars import SampleEvent, edited, sample_calendar
from tests.servers.dav import DavAccount
from tests.servers.fixtures import connect_account
from tests.sync.helpers import calendar_named, expected, stored, sync_once

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]  # 2,000 events, twice over, on a busy machine


def singles(events: tuple[SampleEvent, ...]) -> list[SampleEvent]:
    """Events that stand for one occurrence each (no series), so counts are exact."""
    return [e for e in events if "RRULE" not in e.ics and "VALUE=DATE" not in e.ics]


def test_initial_incremental_and_expired_token(
    service: AppService, dav: DavAccount, big_calendar: tuple[str, tuple[SampleEvent, ...]]
) -> None:
    collection, events = big_calendar
    account = connect_account(service, dav)

    # Initial sync: everything the server serves, exactly.
    first = sync_once(service, account.id)
    assert first.ok, first.message
    calendar = calendar_named(service, "Big calendar")
    want = expected(service, dav, collection)
    assert len({o.resource for o in want}) == len(events)
    assert stored(service, calendar) == want
    assert (first.added, first.updated, first.removed, first.skipped) == (len(want), 0, 0, 0)
    (run,) = service.sync_history(account.id)
    assert (run.added, run.outcome.value, run.full_resync) == (len(want), "ok", True)

    # 5 edits, 3 deletions and 2 additions by another client: exactly those come in.
    plain = singles(events)
    for event in plain[:5]:
        dav.put(collection, edited(event, "Moved:"))
    for event in plain[5:8]:
        dav.delete(collection, event.name)
    additions = sample_calendar(40, seed=99)[14:16]
    for event in additions:
        dav.put(collection, event)
    second = sync_once(service, account.id)
    assert second.ok, second.message
    assert (second.added, second.updated, second.removed, second.skipped) == (2, 5, 3, 0)
    assert {a.event.uid for a in second.changes.added} == {e.uid for e in additions}
    assert {after.event.uid for _before, after in second.changes.updated} == {e.uid for e in plain[:5]}
    assert all(after.event.title.startswith("Moved:") for _before, after in second.changes.updated)
    assert {r.event.uid for r in second.changes.removed} == {e.uid for e in plain[5:8]}
    want = expected(service, dav, collection)
    assert stored(service, calendar) == want
    assert service.sync_history(account.id)[0].full_resync is False

    # A sync token the server never issued: a clean full resync, nothing duplicated or lost.
    state = SyncState.decode(service.store.calendars.get(calendar.id).cursor or "")
    bogus = state.evolve(token="http://example.invalid/never-issued" if dav.kind == "radicale" else "0" * 40)
    service.store.events.apply_page(calendar.id, _cursor_only(bogus.encode()))
    third = sync_once(service, account.id)
    assert third.ok, third.message
    assert (third.added, third.updated, third.removed) == (0, 0, 0)
    assert service.sync_history(account.id)[0].full_resync is True
    assert stored(service, calendar) == want
    assert service.count_events() == len(want)
    assert SyncState.decode(service.store.calendars.get(calendar.id).cursor or "").token != bogus.token


def _cursor_only(cursor: str):  # type: ignore[no-untyped-def]
    from calendar_desktop.domain import ChangePage

    return ChangePage(cursor=cursor)
