"""Endpoints from the environment, and Windows ↔ IANA zone names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendar_desktop.domain import SyncWindow
from calendar_desktop.providers.errors import ProviderUnavailable
from calendar_desktop.providers.microsoft import MicrosoftConfig
from calendar_desktop.providers.microsoft.config import (
    DEFAULT_AUTHORITY,
    DEFAULT_GRAPH_ROOT,
)
from calendar_desktop.providers.microsoft.delta import DeltaCursor, delta_range
from calendar_desktop.providers.microsoft.timezones import (
    iana_to_windows,
    windows_to_iana,
)
from calendar_desktop.providers.retry import retry_after_seconds


def test_defaults_and_environment_overrides() -> None:
    assert MicrosoftConfig.from_env(environ={}) == MicrosoftConfig(
        client_id=None, authority=DEFAULT_AUTHORITY, graph_root=DEFAULT_GRAPH_ROOT
    )
    config = MicrosoftConfig.from_env(
        environ={
            "MICROSOFT_CLIENT_ID": "env-client",
            "CALENDAR_DESKTOP_MS_AUTHORITY": "https://login.microsoftonline.us/organizations/",
            "CALENDAR_DESKTOP_GRAPH_ROOT": "https://graph.microsoft.us/",
            "CALENDAR_DESKTOP_GRAPH_DELTA": "beta",
        }
    )
    assert (config.client_id, config.authority, config.graph_root, config.delta_mode) == (
        "env-client",
        "https://login.microsoftonline.us/organizations",
        "https://graph.microsoft.us",
        "beta",
    )
    assert (
        MicrosoftConfig.from_env("settings-client", environ={"MICROSOFT_CLIENT_ID": "env-client"}).client_id
        == "settings-client"
    )


def test_https_authority_goes_to_msal_unchanged() -> None:
    assert MicrosoftConfig(authority="https://login.microsoftonline.com/consumers").msal_authority() == (
        "https://login.microsoftonline.com/consumers",
        {},
    )


def test_loopback_http_authority_is_routed() -> None:
    authority, routes = MicrosoftConfig(authority="http://127.0.0.1:8123/common").msal_authority()
    assert authority == "https://login.microsoftonline.com/common"
    assert routes == {"https://login.microsoftonline.com": "http://127.0.0.1:8123"}


@pytest.mark.parametrize(
    "fields",
    [
        {"authority": "http://login.example.com/common"},
        {"authority": "https://login.microsoftonline.com"},
        {"graph_root": "http://graph.example.com"},
        {"delta_mode": "v2"},
    ],
)
def test_unsafe_or_wrong_settings_are_refused(fields: dict) -> None:
    with pytest.raises(ProviderUnavailable):
        MicrosoftConfig(**fields)


@pytest.mark.parametrize(
    ("iana", "windows"),
    [
        ("Europe/Berlin", "W. Europe Standard Time"),
        ("America/New_York", "Eastern Standard Time"),
        ("Asia/Kolkata", "India Standard Time"),
        ("America/Argentina/Buenos_Aires", "Argentina Standard Time"),
        ("Pacific/Apia", "Samoa Standard Time"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_iana_to_windows_from_cldr(iana: str, windows: str) -> None:
    assert iana_to_windows(iana) == windows


@pytest.mark.parametrize(
    "iana", ["Europe/Madrid", "Australia/Sydney", "Pacific/Chatham", "America/Sao_Paulo", "Asia/Kathmandu"]
)
def test_every_mapped_zone_keeps_wall_times(iana: str) -> None:
    windows = iana_to_windows(iana)
    assert windows is not None
    back = ZoneInfo(windows_to_iana(windows) or "")
    start = datetime(2027, 1, 1, tzinfo=UTC)
    for day in range(0, 365, 7):
        moment = start + timedelta(days=day)
        assert moment.astimezone(ZoneInfo(iana)).utcoffset() == moment.astimezone(back).utcoffset()


def test_unknown_zones() -> None:
    assert iana_to_windows("Mars/Olympus_Mons") is None
    assert windows_to_iana("tzone://Microsoft/Custom") is None
    assert windows_to_iana("Pacific Standard Time") == "America/Los_Angeles"
    assert windows_to_iana("Europe/Berlin") == "Europe/Berlin"


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = (datetime.now(UTC) + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 80 <= (retry_after_seconds(later) or 0) <= 90


def test_delta_range_is_day_aligned_and_reaches_past_the_window() -> None:
    window = SyncWindow.around(datetime(2026, 5, 10, 15, 30, tzinfo=UTC))
    start, end = delta_range(window)
    assert start == datetime(2026, 4, 10, tzinfo=UTC) and end > window.end
    cursor = DeltaCursor("https://graph.microsoft.com/x", start, end, full=False)
    assert DeltaCursor.decode(cursor.encode()) == cursor and cursor.covers(window)
    assert not cursor.covers(SyncWindow.around(datetime(2026, 5, 20, tzinfo=UTC)))
