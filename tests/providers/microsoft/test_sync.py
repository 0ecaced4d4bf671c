"""Delta sync against the emulator: full and incremental rounds, resets, throttling, auth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calendar_desktop.domain import Account, CalendarInfo, EventStatus, SyncWindow
from calendar_desktop.providers.errors import (
    AuthenticationError,
    CursorExpired,
    PermanentError,
    TransientError,
)
from calendar_desktop.providers.microsoft import (
    MicrosoftConfig,
    MicrosoftProvider,
    MicrosoftProviderFactory,
)
from calendar_desktop.providers.microsoft.delta import DeltaCursor, delta_range
from calendar_desktop.providers.retry import Cancelled
from calendar_desktop.secrets import AccountSecrets, SecretStore
from tests.emulators.microsoft import MicrosoftEmulator, render_id
from tests.providers.microsoft.conftest import (
    FAST_RETRIES,
    Browser,
    Mirror,
    store_account,
)

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
WINDOW = SyncWindow.around(NOW)


def primary(provider: MicrosoftProvider) -> CalendarInfo:
    return next(c for c in provider.list_calendars() if c.name == "Calendar")


def expected(ms: MicrosoftEmulator, calendar_id: str, window: SyncWindow = WINDOW) -> dict[str, str]:
    start, end = delta_range(window)
    return {render_id(e.core, True): e.subject for e in ms.mailbox.calendar_view(calendar_id, start, end)}


def seed(
    ms: MicrosoftEmulator, count: int, calendar_id: str | None = None, every: timedelta = timedelta(hours=3)
) -> list[str]:
    first = NOW - timedelta(days=20)
    return ms.mailbox.add_events(
        calendar_id or ms.mailbox.default_calendar_id,
        (
            {"subject": f"Event {i}", "start": first + i * every, "end": first + i * every + timedelta(minutes=45)}
            for i in range(count)
        ),
    )


def sync(provider: MicrosoftProvider, calendar: CalendarInfo, mirror: Mirror, window: SyncWindow = WINDOW):
    return mirror.apply(provider.fetch_changes(calendar, mirror.cursor, window))


def test_initial_sync_of_5000_events_in_pages_matches_the_emulator(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets]
) -> None:
    seed(ms, 5000, every=timedelta(hours=1, minutes=30))
    provider = factory.open(*connected)
    try:
        mirror = Mirror()
        pages = sync(provider, primary(provider), mirror)
    finally:
        provider.close()
    want = expected(ms, ms.mailbox.default_calendar_id)
    assert len(want) == 5000
    assert mirror.titles() == want
    assert len(pages) > 10 and all(p.full for p in pages)
    assert [p.last for p in pages] == [False] * (len(pages) - 1) + [True]
    delta_requests = [r for r in ms.requests if "calendarView/delta" in r.path]
    assert len(delta_requests) == len(pages)
    for request in delta_requests:
        assert {'IdType="ImmutableId"', 'outlook.timezone="UTC"', "odata.maxpagesize=100"} <= set(request.prefer)
    assert DeltaCursor.decode(pages[-1].cursor).link.startswith(
        f"{ms.base_url}/v1.0/me/calendarView/delta?$deltatoken="
    )


def test_incremental_round_reports_changes_and_removals(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    ids = seed(ms, 30)
    series = ms.mailbox.add_weekly_series(
        calendar.remote_id, "Weekly sync", NOW + timedelta(days=1), timedelta(hours=1), 6
    )
    mirror = Mirror()
    sync(provider, calendar, mirror)
    box = ms.mailbox
    box.update_event(ids[0], subject="Renamed")
    box.delete_event(ids[1])
    box.update_event(ids[2], start=NOW + timedelta(days=500), end=NOW + timedelta(days=500, hours=1))
    box.add_event(calendar.remote_id, "Phone screen", NOW + timedelta(days=2), NOW + timedelta(days=2, hours=1))
    box.cancel_occurrence(series, box.occurrences(series)[1].original_start, mode="delete")
    flagged = box.cancel_occurrence(series, box.occurrences(series)[2].original_start, mode="flag")
    ms.clear_log()
    pages = sync(provider, calendar, mirror)
    assert not any(p.full for p in pages) and pages[-1].last
    assert {ids[1], ids[2]} <= {r for p in pages for r in p.removed}
    assert mirror.titles() == expected(ms, calendar.remote_id)
    assert mirror.events[flagged].status is EventStatus.CANCELLED
    assert mirror.events[flagged].series_id == series
    assert ms.count(path="/me/events/") == 0  # nothing of ours changed: no marker lookups


def test_no_change_round_is_one_request(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    seed(ms, 20)
    mirror = Mirror()
    sync(provider, calendar, mirror)
    ms.clear_log()
    pages = sync(provider, calendar, mirror)
    assert [(p.items, p.removed, p.last) for p in pages] == [((), (), True)]
    assert ms.count() == 1


def test_duplicates_within_and_across_rounds_are_harmless(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    ids = seed(ms, 10)
    mirror = Mirror()
    sync(provider, calendar, mirror)
    ms.mailbox.update_event(ids[3], subject="Twice")
    ms.mailbox.delete_event(ids[4])
    ms.graph.replay_rounds = 2
    first = sync(provider, calendar, mirror)
    listed = [i.resource_id for p in first for i in p.items]
    assert len(listed) == len(set(listed))  # the page listed each change twice; we keep one
    sync(provider, calendar, mirror)
    assert mirror.titles() == expected(ms, calendar.remote_id)


@pytest.mark.parametrize("mode", ["gone", "syncStateNotFound", "resyncRequired"])
def test_rejected_delta_link_raises_cursor_expired_then_full_resync_recovers(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, mode: str
) -> None:
    calendar = primary(provider)
    ids = seed(ms, 12)
    mirror = Mirror()
    sync(provider, calendar, mirror)
    ms.mailbox.delete_event(ids[0])
    ms.graph.fail_state_tokens(mode)
    with pytest.raises(CursorExpired):
        list(provider.fetch_changes(calendar, mirror.cursor, WINDOW))
    mirror.cursor = None
    pages = sync(provider, calendar, mirror)
    assert all(p.full for p in pages)
    assert mirror.titles() == expected(ms, calendar.remote_id)


@pytest.mark.parametrize(
    "cursor",
    [
        "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x",
        '{"v": 1, "link": "x", "start": "2026-01-01T00:00:00", "end": "2027-01-01T00:00:00", "full": false}',
        '{"v": 2}',
        "[]",
        '{"v": 1, "link": "https://elsewhere.example/d", "start": "2026-01-01T00:00:00+00:00", "end": "2099-01-01T00:00:00+00:00", "full": false}',
    ],
)
def test_unreadable_cursor_raises_cursor_expired(provider: MicrosoftProvider, cursor: str) -> None:
    with pytest.raises(CursorExpired):
        list(provider.fetch_changes(primary(provider), cursor, WINDOW))


def test_moved_window_starts_a_new_full_round(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    seed(ms, 10)
    mirror = Mirror()
    sync(provider, calendar, mirror)
    next_day = SyncWindow.around(NOW + timedelta(days=1))
    assert not any(p.full for p in sync(provider, calendar, mirror, next_day))
    week_later = SyncWindow.around(NOW + timedelta(days=8))
    ms.clear_log()
    pages = sync(provider, calendar, mirror, week_later)
    assert all(p.full for p in pages)
    assert "startDateTime" in ms.requests[0].query
    assert mirror.titles() == expected(ms, calendar.remote_id, week_later)


def test_a_mid_round_cursor_resumes_the_round(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    seed(ms, 350)
    mirror = Mirror()
    pages = provider.fetch_changes(calendar, None, WINDOW)
    mirror.apply([next(pages), next(pages)])  # then the process dies
    pages.close()
    seed(ms, 1)  # a change made after the round began: the resumed round does not list it
    resumed = sync(provider, calendar, mirror)
    *round_, catch_up = resumed
    assert all(p.full for p in round_) and round_[-1].last
    assert not catch_up.full and catch_up.last, "the round's deltaLink is followed at once"
    assert mirror.titles() == expected(ms, calendar.remote_id)


def test_secondary_calendar_falls_back_to_beta_when_v1_refuses(
    ms: MicrosoftEmulator, provider: MicrosoftProvider
) -> None:
    work_id = ms.mailbox.create_calendar("Work")
    seed(ms, 15, work_id)
    work = next(c for c in provider.list_calendars() if c.name == "Work")
    mirror = Mirror()
    sync(provider, work, mirror)
    assert mirror.titles() == expected(ms, work_id)
    refused = [r for r in ms.requests if r.status == 400]
    assert len(refused) == 1 and refused[0].path.startswith("/v1.0/me/calendars/")
    assert DeltaCursor.decode(mirror.cursor).link.startswith(f"{ms.base_url}/beta/me/calendars/")
    sync(provider, work, mirror)
    assert len([r for r in ms.requests if r.status == 400]) == 1


def test_secondary_calendar_uses_v1_when_it_is_accepted(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    ms.graph.v1_per_calendar_delta = True
    work_id = ms.mailbox.create_calendar("Work")
    seed(ms, 5, work_id)
    work = next(c for c in provider.list_calendars() if c.name == "Work")
    mirror = Mirror()
    sync(provider, work, mirror)
    assert all(not r.path.startswith("/beta") for r in ms.requests)
    assert mirror.titles() == expected(ms, work_id)


def test_strict_v1_mode_does_not_fall_back(
    ms: MicrosoftEmulator, data_dir: Path, config: MicrosoftConfig, connected: tuple[Account, AccountSecrets]
) -> None:
    strict = MicrosoftProviderFactory(
        data_dir, MicrosoftConfig(**{**_fields(config), "delta_mode": "v1.0"}), retry_policy=FAST_RETRIES
    )
    work_id = ms.mailbox.create_calendar("Work")
    provider = strict.open(*connected)
    try:
        work = next(c for c in provider.list_calendars() if c.remote_id == work_id)
        with pytest.raises(PermanentError):
            list(provider.fetch_changes(work, None, WINDOW))
    finally:
        provider.close()


def _fields(config: MicrosoftConfig) -> dict:
    return {name: getattr(config, name) for name in ("client_id", "authority", "graph_root", "delta_mode", "page_size")}


def test_throttling_is_retried_after_retry_after_and_bounded(
    ms: MicrosoftEmulator, provider: MicrosoftProvider
) -> None:
    calendar = primary(provider)
    seed(ms, 5)
    ms.fail(429, path="calendarView/delta", retry_after=0.05, times=2)
    ms.fail(503, path="calendarView/delta", retry_after=0.05, times=1)
    mirror = Mirror()
    pages = sync(provider, calendar, mirror)
    assert ms.count(path="calendarView/delta") == len(pages) + 3
    assert mirror.titles() == expected(ms, calendar.remote_id)


def test_long_retry_after_goes_up_to_the_controller(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    ms.fail(429, path="calendarView/delta", retry_after=120)
    with pytest.raises(TransientError) as caught:
        list(provider.fetch_changes(calendar, None, WINDOW))
    assert caught.value.retry_after == 120 and caught.value.status == 429
    assert ms.count(path="calendarView/delta") == 1


def test_persistent_outage_gives_up_after_the_policy_attempts(
    ms: MicrosoftEmulator, provider: MicrosoftProvider
) -> None:
    calendar = primary(provider)
    ms.fail(503, path="calendarView/delta", times=100)
    with pytest.raises(TransientError):
        list(provider.fetch_changes(calendar, None, WINDOW))
    assert ms.count(path="calendarView/delta") == FAST_RETRIES.attempts


def test_dropped_connections_are_retried(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    calendar = primary(provider)
    seed(ms, 5)
    ms.drop(path="calendarView/delta", times=2)
    mirror = Mirror()
    sync(provider, calendar, mirror)
    assert mirror.titles() == expected(ms, calendar.remote_id)


def test_expired_access_token_is_refreshed_once(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    provider.list_calendars()
    ms.identity.expire_access_tokens()
    ms.clear_log()
    assert provider.list_calendars()
    assert [r.status for r in ms.requests] == [401, 200, 200]  # Graph refuses, refresh, retry
    assert ms.requests[1].path.endswith("/oauth2/v2.0/token")


def test_expired_refresh_token_needs_reauthentication(ms: MicrosoftEmulator, provider: MicrosoftProvider) -> None:
    provider.list_calendars()
    ms.identity.expire_access_tokens()
    ms.identity.expire_refresh_tokens()
    with pytest.raises(AuthenticationError, match="AADSTS700082"):
        list(provider.fetch_changes(primary(provider), None, WINDOW))


@pytest.mark.parametrize("status", [429, 503])
def test_a_busy_token_endpoint_is_transient_not_a_sign_out(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, status: int
) -> None:
    provider.list_calendars()
    ms.identity.expire_access_tokens()
    ms.clear_log()
    ms.fail(status, path="/token$", retry_after=30, times=10)
    with pytest.raises(TransientError):
        provider.list_calendars()
    assert ms.count(path="/token$") == 1  # MSAL's own throttle cache answers the repeats


def test_read_only_account_lists_read_only_calendars(
    factory: MicrosoftProviderFactory, browser: Browser, secret_store: SecretStore
) -> None:
    new = factory.sign_in(timeout=30, read_only=True, open_browser=browser.open).run()
    provider = factory.open(*store_account(new, secret_store))
    try:
        assert all(c.read_only for c in provider.list_calendars())
    finally:
        provider.close()


@pytest.mark.parametrize("as_instant", [False, True])
def test_all_day_and_time_zones_are_normalised(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, as_instant: bool
) -> None:
    ms.graph.all_day_as_instant = as_instant  # §F.5: however Graph renders all-day events in UTC
    calendar = primary(provider)
    day = (NOW + timedelta(days=3)).date()
    ms.mailbox.add_event(calendar.remote_id, "Offsite", day, day + timedelta(days=2), tz="Tokyo Standard Time")
    local = datetime.combine(day, datetime.min.time()).replace(hour=9)
    timed = ms.mailbox.add_event(
        calendar.remote_id, "Call", local, local + timedelta(hours=1), tz="Pacific Standard Time"
    )
    mirror = Mirror()
    sync(provider, calendar, mirror)
    offsite = next(e for e in mirror.events.values() if e.title == "Offsite")
    assert (offsite.all_day, offsite.start, offsite.end) == (True, day, day + timedelta(days=2))
    assert isinstance(offsite.start, date) and not isinstance(offsite.start, datetime)
    call = mirror.events[timed]
    assert call.timezone == "America/Los_Angeles"
    assert call.start.astimezone(ZoneInfo("America/Los_Angeles")).hour == 9


def test_a_closed_provider_reports_a_stopped_sync(provider: MicrosoftProvider) -> None:
    """The sync controller closes the connections of the passes it stops; a pass between two requests
    then ends as stopped, not with httpx's RuntimeError for a closed client."""
    calendar = provider.list_calendars()[0]
    provider.close()
    with pytest.raises(Cancelled):
        list(provider.fetch_changes(calendar, None, WINDOW))
