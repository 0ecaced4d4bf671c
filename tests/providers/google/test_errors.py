"""Retries, error mapping and token refresh, against the emulator's fault knobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calendar_desktop.domain import CalendarInfo, SyncWindow
from calendar_desktop.providers.errors import (
    AuthenticationError,
    PermanentError,
    TransientError,
)
from calendar_desktop.providers.google import GoogleProvider, GoogleProviderFactory
from calendar_desktop.providers.google.api import CalendarApi
from calendar_desktop.providers.google.credentials import build_credentials
from calendar_desktop.providers.google.scopes import AccessMode
from calendar_desktop.providers.retry import RetryPolicy, retry_after_seconds
from tests.emulators.google import GoogleEmulator

WINDOW = SyncWindow(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
PRIMARY = CalendarInfo("user@example.com", "user@example.com")


def _sync(provider) -> list:
    return list(provider.fetch_changes(PRIMARY, None, WINDOW))


@pytest.mark.parametrize(
    ("status", "reason"),
    [(429, None), (503, None), (500, None), (403, "rateLimitExceeded"), (403, "userRateLimitExceeded")],
)
def test_throttling_and_server_errors_are_retried(google: GoogleEmulator, provider_with_recorded_waits, recording_wait, status, reason) -> None:
    google.fail(status, reason, count=2, path="/events")

    pages = _sync(provider_with_recorded_waits)

    assert pages[-1].cursor is not None
    assert [r.status for r in google.requests_to("/events")] == [status, status, 200]
    assert len(recording_wait.waits) == 2  # one backoff before each retry
    assert all(0 <= wait <= 2 for wait in recording_wait.waits)


def test_retry_after_is_honoured(google: GoogleEmulator, provider_with_recorded_waits, recording_wait) -> None:
    google.fail(429, count=1, path="/events", retry_after=7)

    _sync(provider_with_recorded_waits)

    assert recording_wait.waits == [7.0]


def test_retries_are_bounded(google: GoogleEmulator, provider_with_recorded_waits, recording_wait) -> None:
    google.fail(503, count=10, path="/events", retry_after=1)

    with pytest.raises(TransientError) as caught:
        _sync(provider_with_recorded_waits)

    assert caught.value.status == 503 and caught.value.retry_after == 1
    assert len(google.requests_to("/events")) == RetryPolicy().attempts
    assert recording_wait.waits == [1.0] * (RetryPolicy().attempts - 1)


def test_a_retry_after_beyond_the_cap_goes_to_the_controller(google: GoogleEmulator, provider_with_recorded_waits, recording_wait) -> None:
    google.fail(429, count=1, path="/events", retry_after=3600)

    with pytest.raises(TransientError) as caught:
        _sync(provider_with_recorded_waits)

    assert caught.value.retry_after == 3600
    assert len(google.requests_to("/events")) == 1
    assert recording_wait.waits == []


@pytest.mark.parametrize(("status", "reason"), [(400, "badRequest"), (403, "forbidden"), (404, "notFound")])
def test_permanent_errors_are_not_retried(google: GoogleEmulator, provider_with_recorded_waits, status, reason) -> None:
    google.fail(status, reason, count=1, path="/events")

    with pytest.raises(PermanentError):
        _sync(provider_with_recorded_waits)

    assert len(google.requests_to("/events")) == 1


def test_dropped_connections_are_retried(google: GoogleEmulator, provider_with_recorded_waits, recording_wait) -> None:
    google.drop(count=2, path="/events")  # httplib2 retries the first drop by itself

    pages = _sync(provider_with_recorded_waits)

    assert pages[-1].cursor is not None
    assert [r.status for r in google.requests_to("/events")] == [0, 0, 200]
    assert len(recording_wait.waits) == 1


def test_a_slow_answer_times_out_and_is_retried(google: GoogleEmulator, endpoints, recording_wait) -> None:
    credentials = build_credentials(
        {"refresh_token": google.grant_offline_access(AccessMode.READ_ONLY.scopes), "client_id": google.client_id, "client_secret": google.client_secret},
        endpoints.token_uri,
    )
    provider = GoogleProvider(CalendarApi(credentials, endpoints, timeout=0.5, cancel=recording_wait))
    google.delay(2, count=1, path="/events")
    try:
        pages = _sync(provider)
    finally:
        provider.close()

    assert pages[-1].cursor is not None
    assert len(recording_wait.waits) == 1  # the timed-out attempt was retried once
    assert [r.status for r in google.requests_to("/events")][-1] == 200


def test_expired_access_token_is_refreshed_and_written_back(google: GoogleEmulator, connected) -> None:
    connected.provider.list_calendars()
    first = connected.secrets.get("access_token")
    assert first  # the first call refreshed (no access token was stored) and stored it
    google.oauth.expire_access_tokens()

    connected.provider.list_calendars()

    second = connected.secrets.get("access_token")
    assert second and second != first
    assert connected.secrets.get("access_token_expiry")
    assert connected.secrets.get("refresh_token") == connected.refresh_token
    assert [r.status for r in google.requests_to("/calendarList")] == [200, 401, 200]
    assert len(google.requests_to("/token")) == 2


def test_stored_access_token_is_reused_by_a_new_connection(google: GoogleEmulator, connected) -> None:
    connected.provider.list_calendars()
    google.clear_log()

    again = GoogleProviderFactory().open(connected.account, connected.secrets)
    try:
        again.list_calendars()
    finally:
        again.close()

    assert google.requests_to("/token") == []


def test_revoked_grant_raises_authentication_error(google: GoogleEmulator, connected) -> None:
    google.oauth.revoke_all()

    with pytest.raises(AuthenticationError):
        connected.provider.list_calendars()
    assert [r.status for r in google.requests_to("/token")] == [400]


def test_token_endpoint_outage_is_transient(google: GoogleEmulator, connected) -> None:
    provider = GoogleProviderFactory(retry_policy=RetryPolicy(attempts=1)).open(connected.account, connected.secrets)
    google.fail(503, count=3, path="/token")
    try:
        with pytest.raises(TransientError):
            provider.list_calendars()
    finally:
        provider.close()
    # google-auth makes three attempts at a refresh by itself (about 3 s of backoff).
    assert [r.status for r in google.requests_to("/token")] == [503, 503, 503]


def test_retry_after_parsing() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
