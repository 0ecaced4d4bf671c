"""The CalDAV provider against real Radicale and Xandikos: discovery, changes, writes, faults."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from calendar_desktop.domain import ChangePage, EventDraft, SyncWindow
from calendar_desktop.providers.caldav.connect import APP_PASSWORD_HELP, _refused, connect_caldav
from calendar_desktop.providers.caldav.cursor import SyncState
from calendar_desktop.providers.caldav.provider import CalDAVProvider
from calendar_desktop.providers.caldav.webdav import DavSession
from calendar_desktop.providers.errors import (
    AuthenticationError,
    CursorExpired,
    PermanentError,
    TransientError,
    WriteConflict,
)
from calendar_desktop.providers.retry import Cancelled, RetryPolicy
from tests.servers.calendars import backwards_event, edited, sample_calendar
from tests.servers.dav import DavAccount
from tests.servers.processes import free_port
from tests.servers.proxy import Fault, FaultProxy, Request

NOW = datetime.now(UTC)
WINDOW = SyncWindow.around(NOW)
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.05, max_delay=5.0)


def provider_for(dav: DavAccount, url: str | None = None, retry: RetryPolicy = FAST_RETRY) -> CalDAVProvider:
    new = connect_caldav(url or dav.url, dav.username, dav.password)
    return CalDAVProvider(DavSession(dav.username, dav.password, retry=retry), new.options["calendar_home"])



def pull(provider: CalDAVProvider, cursor: str | None, window: SyncWindow = WINDOW) -> list[ChangePage]:
    (calendar,) = [c for c in provider.list_calendars() if c.name == "Work"]
    return list(provider.fetch_changes(calendar, cursor, window))


def resources(pages: list[ChangePage]) -> set[str]:
    return {item.resource_id.rsplit("/", 1)[-1] for page in pages for item in page.items}


# --- discovery -----------------------------------------------------------------------------------


def test_discovery_lists_event_calendars_with_names_and_colours(dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work", color="#3A87ADFF")
    dav.make_calendar("private", display_name="Private")
    new = connect_caldav(dav.url, dav.username, dav.password, name="Mine")
    assert (new.name, new.username, new.server_url, new.secrets) == ("Mine", dav.username, dav.url, {"password": dav.password})
    provider = CalDAVProvider(DavSession(dav.username, dav.password), new.options["calendar_home"])
    try:
        calendars = {c.name: c for c in provider.list_calendars()}
    finally:
        provider.close()
    assert {"Work", "Private"} <= set(calendars)
    assert calendars["Work"].color == "#3A87AD"
    assert calendars["Work"].remote_id.endswith("/work/")
    assert not calendars["Work"].read_only


def test_a_refused_password_says_what_to_do(radicale: DavAccount) -> None:
    with pytest.raises(AuthenticationError, match="app-specific password"):
        connect_caldav(radicale.url, radicale.username, "wrong")
    assert APP_PASSWORD_HELP in _refused("https://caldav.icloud.com/")


def test_an_unreachable_server_is_a_transient_error() -> None:
    with pytest.raises(TransientError, match="Could not reach"):
        connect_caldav(f"http://127.0.0.1:{free_port()}/", "me", "pw", timeout=5)


def test_a_web_server_that_is_not_caldav_is_named_plainly(dav: DavAccount, proxy: FaultProxy) -> None:
    proxy.fail(lambda r: True, Fault(200, {"Content-Type": "text/html"}, b"<html><body>Welcome</body></html>"), times=100)
    with pytest.raises(PermanentError, match="does not look like a CalDAV server"):
        connect_caldav(proxy.url, dav.username, dav.password)


# --- changes -------------------------------------------------------------------------------------


def test_changes_since_the_token_are_exactly_what_changed(dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    sample = sample_calendar(30, seed=5)
    dav.seed("work", sample)
    provider = provider_for(dav)
    try:
        first = pull(provider, None)
        assert resources(first) == {e.name for e in sample}
        assert all(page.full for page in first) and first[-1].last and first[-1].cursor

        dav.put("work", edited(sample[14], "Changed"))
        dav.delete("work", sample[15].name)
        (added,) = sample_calendar(40, seed=6)[16:17]
        dav.put("work", added)
        second = pull(provider, first[-1].cursor)
        assert resources(second) == {sample[14].name, added.name}
        assert {r.rsplit("/", 1)[-1] for r in second[-1].removed} == {sample[15].name}
        assert not any(page.full for page in second)

        nothing = pull(provider, second[-1].cursor)
        assert resources(nothing) == set() and nothing[-1].removed == ()
    finally:
        provider.close()


def test_a_token_the_server_never_issued_means_a_full_resync(dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    provider = provider_for(dav)
    try:
        state = SyncState.decode(pull(provider, None)[-1].cursor or "")
        with pytest.raises(CursorExpired):
            pull(provider, state.evolve(token="http://example.invalid/sync/never-issued").encode())
    finally:
        provider.close()


def test_series_are_expanded_again_when_the_window_moves(dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    sample = sample_calendar(20, seed=8)
    dav.seed("work", sample)
    series = {e.name for e in sample if "RRULE" in e.ics}
    provider = provider_for(dav)
    try:
        cursor = pull(provider, None)[-1].cursor
        assert resources(pull(provider, cursor)) == set()
        tomorrow = SyncWindow.around(NOW + timedelta(days=1))
        moved = pull(provider, cursor, tomorrow)
        assert resources(moved) == series
        assert resources(pull(provider, moved[-1].cursor, tomorrow)) == set()
    finally:
        provider.close()


def test_an_event_that_ends_before_it_starts_is_skipped_and_counted(radicale: DavAccount) -> None:
    radicale.make_calendar("work", display_name="Work")
    radicale.seed("work", sample_calendar(10, seed=9))
    radicale.write_file("work", "backwards.ics", backwards_event("backwards@test"))
    assert "/backwards.ics" in " ".join(radicale.server_items("work")), "Radicale serves it"
    provider = provider_for(radicale)
    try:
        pages = pull(provider, None)
    finally:
        provider.close()
    assert sum(p.skipped for p in pages) == 1
    assert len(resources(pages)) == 10
    assert [href for p in pages for href in p.unreadable] == [h for h in radicale.server_items("work") if h.endswith("/backwards.ics")]
    assert not any(href.endswith("/backwards.ics") for p in pages for href in p.removed)


def test_a_closed_provider_reports_a_stopped_sync(radicale: DavAccount) -> None:
    """The sync controller closes the connections of the passes it stops: the next request ends
    the pass as stopped, not with httpx's RuntimeError for a closed client."""
    radicale.make_calendar("work", display_name="Work")
    provider = provider_for(radicale)
    (calendar,) = [c for c in provider.list_calendars() if c.name == "Work"]
    provider.close()
    with pytest.raises(Cancelled):
        list(provider.fetch_changes(calendar, None, WINDOW))


# --- faults --------------------------------------------------------------------------------------


def is_report(request: Request) -> bool:
    return request.method == "REPORT"


def test_without_sync_collection_ctag_and_etags_are_compared(dav: DavAccount, proxy: FaultProxy) -> None:
    refusal = Fault(403, {"Content-Type": "application/xml"}, b'<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:supported-report/></D:error>')
    proxy.fail(lambda r: r.method == "REPORT" and b"sync-collection" in r.body, refusal, times=1000)
    dav.make_calendar("work", display_name="Work")
    sample = sample_calendar(12, seed=10)
    dav.seed("work", sample)
    provider = provider_for(dav, proxy.url)
    try:
        first = pull(provider, None)
        assert resources(first) == {e.name for e in sample}
        assert SyncState.decode(first[-1].cursor or "").mode.value == "etags"

        before = len(proxy.requests)
        unchanged = pull(provider, first[-1].cursor)
        assert resources(unchanged) == set()
        assert [r.method for r, _ in proxy.requests[before:]] == ["PROPFIND", "PROPFIND"], "calendars, then the ctag only"

        dav.put("work", edited(sample[3], "Changed"))
        dav.delete("work", sample[4].name)
        second = pull(provider, unchanged[-1].cursor)
        assert resources(second) == {sample[3].name}
        assert {r.rsplit("/", 1)[-1] for r in second[-1].removed} == {sample[4].name}
    finally:
        provider.close()


def test_a_short_retry_after_is_waited_for_within_the_pass(dav: DavAccount, proxy: FaultProxy) -> None:
    dav.make_calendar("work", display_name="Work")
    provider = provider_for(dav, proxy.url)
    proxy.fail(is_report, Fault(503, {"Retry-After": "1"}))
    try:
        started = time.monotonic()
        pages = pull(provider, None)
        assert time.monotonic() - started >= 1.0
    finally:
        provider.close()
    assert pages[-1].last
    assert [status for request, status in proxy.requests if request.method == "REPORT"] == [503, 207]


def test_a_long_retry_after_goes_up_to_the_controller(dav: DavAccount, proxy: FaultProxy) -> None:
    dav.make_calendar("work", display_name="Work")
    provider = provider_for(dav, proxy.url)
    proxy.fail(is_report, Fault(429, {"Retry-After": "120"}))
    try:
        with pytest.raises(TransientError) as failure:
            pull(provider, None)
    finally:
        provider.close()
    assert (failure.value.retry_after, failure.value.status) == (120.0, 429)


def test_a_reply_cut_half_way_is_retried(dav: DavAccount, proxy: FaultProxy) -> None:
    dav.make_calendar("work", display_name="Work")
    dav.seed("work", sample_calendar(30, seed=11))
    provider = provider_for(dav, proxy.url)
    proxy.fail(is_report, Fault(truncate=True))
    try:
        pages = pull(provider, None)
    finally:
        provider.close()
    assert len(resources(pages)) == 30
    assert sum(1 for request, _ in proxy.requests if request.method == "REPORT") >= 2


def test_a_server_error_on_a_listing_is_never_an_empty_calendar(dav: DavAccount, proxy: FaultProxy) -> None:
    dav.make_calendar("work", display_name="Work")
    provider = provider_for(dav, proxy.url)
    proxy.fail(is_report, Fault(500), times=100)
    try:
        with pytest.raises(TransientError, match="HTTP 500"):
            pull(provider, None)
    finally:
        provider.close()


# --- writes --------------------------------------------------------------------------------------


def draft(title: str, uid: str | None = None) -> EventDraft:
    start = datetime(2026, 6, 3, 13, tzinfo=UTC)
    return EventDraft(title, start, start + timedelta(hours=1), timezone="Europe/Berlin", location="Acme HQ, Room 4",
                      meeting_link="https://acme.zoom.us/j/42", marker="cd-marker-1", uid=uid)  # fmt: skip


def test_create_update_delete_with_etags(dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    provider = provider_for(dav)
    try:
        (calendar,) = provider.list_calendars()
        created = provider.create_event(calendar, draft("Interview with Acme", uid="interview-1@calendar-desktop"))
        assert created.etag and created.event is not None
        assert (created.event.title, created.event.marker, created.event.meeting_link) == (
            "Interview with Acme", "cd-marker-1", "https://acme.zoom.us/j/42")
        assert created.event.start == datetime(2026, 6, 3, 13, tzinfo=UTC) and created.event.timezone == "Europe/Berlin"
        again = provider.create_event(calendar, draft("Interview with Acme", uid="interview-1@calendar-desktop"))
        assert again.resource_id == created.resource_id, "a retried create finds its own event"
        assert len(dav.server_items("work")) == 1

        updated = provider.update_event(calendar, created.resource_id, draft("Interview with Acme (moved)"), created.etag)
        assert updated.etag != created.etag
        text = next(iter(dav.server_items("work").values()))
        assert "Interview with Acme (moved)" in text and "UID:interview-1@calendar-desktop" in text
        with pytest.raises(WriteConflict):
            provider.update_event(calendar, created.resource_id, draft("Stale"), created.etag)
        with pytest.raises(WriteConflict):
            provider.delete_event(calendar, created.resource_id, created.etag)

        provider.delete_event(calendar, created.resource_id, updated.etag)
        assert dav.server_items("work") == {}
        provider.delete_event(calendar, created.resource_id, None)  # already gone: fine
    finally:
        provider.close()


def test_an_update_keeps_what_other_clients_wrote(dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    provider = provider_for(dav)
    try:
        (calendar,) = provider.list_calendars()
        created = provider.create_event(calendar, draft("Screen"))
        path = created.resource_id.rsplit("/", 1)[-1]
        original = dav.get("work", path).text
        with_alarm = original.replace("END:VEVENT", "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Soon\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT")
        dav.http.put(dav.item_url("work", path), content=with_alarm.encode(), headers={"Content-Type": "text/calendar"})
        current = dav.get("work", path).headers["ETag"]
        provider.update_event(calendar, created.resource_id, draft("Screen (moved)"), current)
    finally:
        provider.close()
    text = dav.get("work", path).text
    assert "TRIGGER:-PT15M" in text and "Screen (moved)" in text
