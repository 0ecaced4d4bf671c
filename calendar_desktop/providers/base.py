"""The contract every calendar provider fulfils.

Calls block (they run in worker threads). ``fetch_changes`` yields pages; the controller
commits each page with its cursor in one transaction before asking for the next, so a crash
between pages loses nothing and duplicates nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from calendar_desktop.domain import (
    Account,
    CalendarInfo,
    ChangePage,
    EventDraft,
    ProviderKind,
    SyncWindow,
    WriteResult,
)
from calendar_desktop.secrets import AccountSecrets


class CalendarProvider(Protocol):
    """An open connection to one account."""

    def list_calendars(self) -> list[CalendarInfo]:
        """All calendars of the account."""
        ...

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        """Changes since ``cursor``; a full listing (pages with ``full=True``) when it is None.

        Raises ``CursorExpired`` when the server rejects the cursor.
        """
        ...

    def create_event(self, calendar: CalendarInfo, draft: EventDraft) -> WriteResult:
        """Create an event; retrying after a lost response must not create a second one."""
        ...

    def update_event(self, calendar: CalendarInfo, resource_id: str, draft: EventDraft, etag: str | None) -> WriteResult:
        """Replace an event's fields, conditional on ``etag``; ``WriteConflict`` on a mismatch."""
        ...

    def delete_event(self, calendar: CalendarInfo, resource_id: str, etag: str | None) -> None:
        """Delete an event, conditional on ``etag``; a resource already gone is not an error."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What a successful connect flow produces: the account's public data and its secrets."""

    provider: ProviderKind
    name: str
    username: str
    secrets: dict[str, str]
    """Stored in the keyring only."""
    server_url: str | None = None
    read_only: bool = False
    options: dict[str, str] = field(default_factory=dict)


class ProviderFactory(Protocol):
    """Opens connections for stored accounts and ends them."""

    kind: ProviderKind

    def open(self, account: Account, secrets: AccountSecrets) -> CalendarProvider:
        """A connection using the account's stored secrets; ``AuthenticationError`` if they are missing.

        A provider whose credentials change while in use (a refreshed token cache) writes them
        back through ``secrets``.
        """
        ...

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        """Revoke what can be revoked on the provider's side (best effort: never raises for network errors)."""
        ...

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        """Delete what the account's current sign-in keeps outside the keyring, revoking nothing:
        a reconnect is replacing it (revoking would end the new grant too, at Google)."""
        ...
