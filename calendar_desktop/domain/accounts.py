"""Accounts (a connection to one provider) and the calendars they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ProviderKind(StrEnum):
    CALDAV = "caldav"
    GOOGLE = "google"
    MICROSOFT = "microsoft"


class AccountStatus(StrEnum):
    CONNECTED = "connected"
    SYNCING = "syncing"
    ERROR = "error"
    NEEDS_REAUTH = "needs_reauth"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    provider: ProviderKind
    name: str
    username: str
    secret_key: str
    """Random id that namespaces this account's keyring entries, unique across profiles."""
    status: AccountStatus = AccountStatus.CONNECTED
    server_url: str | None = None
    read_only: bool = False
    auto_sync: bool = True
    poll_interval_s: int = 300
    connected_at: datetime | None = None
    last_sync_at: datetime | None = None
    last_error: str | None = None
    retry_at: datetime | None = None
    options: dict[str, str] = field(default_factory=dict)
    """Provider settings that are not secret (granted scopes, authority, endpoints)."""


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    """A calendar as a provider lists it."""

    remote_id: str
    name: str
    color: str | None = None
    read_only: bool = False
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Calendar:
    """A calendar as the store keeps it: the provider's view plus the user's choices and the sync cursor."""

    id: int
    account_id: int
    remote_id: str
    name: str
    color: str | None
    read_only: bool
    selected: bool
    write_target: bool
    cursor: str | None = None

    def info(self) -> CalendarInfo:
        return CalendarInfo(self.remote_id, self.name, self.color, self.read_only)
