"""Accounts and their calendars."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from peewee import Model, SqliteDatabase

from calendar_desktop.domain import Account, AccountStatus, Calendar, CalendarInfo, ProviderKind
from calendar_desktop.store.convert import dumps, from_iso, iso, loads, now_utc
from calendar_desktop.store.schema import Tables


class NotFound(LookupError):
    pass


class AccountRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    def _to_domain(self, row: Model) -> Account:
        return Account(
            id=row.id,
            provider=ProviderKind(row.provider),
            name=row.name,
            username=row.username,
            secret_key=row.secret_key,
            status=AccountStatus(row.status),
            server_url=row.server_url,
            read_only=row.read_only,
            auto_sync=row.auto_sync,
            poll_interval_s=row.poll_interval_s,
            connected_at=from_iso(row.connected_at),
            last_sync_at=from_iso(row.last_sync_at),
            last_error=row.last_error,
            retry_at=from_iso(row.retry_at),
            options=loads(row.options, {}),
        )

    def add(
        self,
        provider: ProviderKind,
        name: str,
        username: str,
        *,
        server_url: str | None = None,
        read_only: bool = False,
        poll_interval_s: int = 300,
        options: dict[str, str] | None = None,
    ) -> Account:
        row = self._t.Account.create(
            provider=provider.value,
            name=name,
            username=username,
            secret_key=uuid.uuid4().hex,
            server_url=server_url,
            read_only=read_only,
            poll_interval_s=poll_interval_s,
            connected_at=iso(now_utc()),
            options=dumps(options or {}),
        )
        return self._to_domain(row)

    def get(self, account_id: int) -> Account:
        row = self._t.Account.get_or_none(self._t.Account.id == account_id)
        if row is None:
            raise NotFound(f"No account with id {account_id}. `calendar-desktop accounts list` shows the ids.")
        return self._to_domain(row)

    def list(self) -> list[Account]:
        return [self._to_domain(r) for r in self._t.Account.select().order_by(self._t.Account.id)]

    def set_status(
        self,
        account_id: int,
        status: AccountStatus,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
        synced_at: datetime | None = None,
    ) -> None:
        fields: dict[str, object] = {"status": status.value, "last_error": error, "retry_at": iso(retry_at)}
        if synced_at is not None:
            fields["last_sync_at"] = iso(synced_at)
        self._t.Account.update(**fields).where(self._t.Account.id == account_id).execute()

    def end_interrupted_syncs(self) -> int:
        """Accounts left "syncing" by a process that quit or died during a pass: back to connected
        (their next pass tells the real state). Only for the holder of the profile lock."""
        A = self._t.Account
        return int(
            A.update(status=AccountStatus.CONNECTED.value)
            .where(A.status == AccountStatus.SYNCING.value)
            .execute()
        )

    def update(self, account_id: int, **fields: object) -> Account:
        """Change plain settings: name, auto_sync, poll_interval_s, read_only, options."""
        allowed = {"name", "auto_sync", "poll_interval_s", "read_only", "options", "username"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        if "options" in fields:
            fields["options"] = dumps(fields["options"])
        self._t.Account.update(**fields).where(self._t.Account.id == account_id).execute()
        return self.get(account_id)

    def remove(self, account_id: int) -> None:
        """Delete the account and, through foreign keys, its calendars, events and sync history."""
        self.get(account_id)
        self._t.Account.delete().where(self._t.Account.id == account_id).execute()


class CalendarRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> Calendar:
        return Calendar(
            id=row.id,
            account_id=row.account_id,
            remote_id=row.remote_id,
            name=row.name,
            color=row.color,
            read_only=row.read_only,
            selected=row.selected,
            write_target=row.write_target,
            cursor=row.cursor,
        )

    def get(self, calendar_id: int) -> Calendar:
        row = self._t.Calendar.get_or_none(self._t.Calendar.id == calendar_id)
        if row is None:
            raise NotFound(f"No calendar with id {calendar_id}. `calendar-desktop calendars list` shows the ids.")
        return self._to_domain(row)

    def list(self, account_id: int | None = None) -> list[Calendar]:
        query = self._t.Calendar.select().order_by(self._t.Calendar.account, self._t.Calendar.name)
        if account_id is not None:
            query = query.where(self._t.Calendar.account == account_id)
        return [self._to_domain(r) for r in query]

    def replace_from_provider(self, account_id: int, infos: Iterable[CalendarInfo]) -> list[Calendar]:
        """Match the account's calendars to what the provider lists: add new ones (selected),
        refresh names and colours, drop calendars the provider no longer has (with their events)."""
        C = self._t.Calendar
        with self._db.atomic():
            existing = {row.remote_id: row for row in C.select().where(C.account == account_id)}
            seen: set[str] = set()
            for info in infos:
                seen.add(info.remote_id)
                row = existing.get(info.remote_id)
                if row is None:
                    C.create(
                        account=account_id,
                        remote_id=info.remote_id,
                        name=info.name,
                        color=info.color,
                        read_only=info.read_only,
                    )
                elif (row.name, row.color, row.read_only) != (info.name, info.color, info.read_only):
                    row.name, row.color, row.read_only = info.name, info.color, info.read_only
                    if info.read_only:
                        row.write_target = False
                    row.save()
            gone = [row.id for remote_id, row in existing.items() if remote_id not in seen]
            if gone:
                C.delete().where(C.id.in_(gone)).execute()
        return self.list(account_id)

    def set_selected(self, calendar_id: int, selected: bool) -> Calendar:
        """Select or deselect a calendar for sync; deselecting removes its local events and cursor."""
        C, E = self._t.Calendar, self._t.Event
        self.get(calendar_id)
        with self._db.atomic():
            fields: dict[str, object] = {"selected": selected}
            if not selected:
                E.delete().where(E.calendar == calendar_id).execute()
                fields["cursor"] = None
            C.update(**fields).where(C.id == calendar_id).execute()
        return self.get(calendar_id)

    def set_write_target(self, calendar_id: int | None) -> None:
        """Make one calendar (or none) the place where interviews scheduled in the app are written."""
        C, A = self._t.Calendar, self._t.Account
        with self._db.atomic():
            if calendar_id is not None:
                row = C.select(C, A).join(A).where(C.id == calendar_id).get_or_none()
                if row is None:
                    raise NotFound(f"No calendar with id {calendar_id}.")
                if row.read_only or row.account.read_only:
                    raise ValueError(
                        f"Calendar “{row.name}” is read-only (or its account was connected read-only): "
                        "interviews cannot be written there. Pick another calendar or reconnect the account "
                        "in two-way mode."
                    )
            C.update(write_target=False).where(C.write_target == True).execute()  # noqa: E712
            if calendar_id is not None:
                C.update(write_target=True).where(C.id == calendar_id).execute()

    def write_target(self) -> Calendar | None:
        row = self._t.Calendar.get_or_none(self._t.Calendar.write_target == True)  # noqa: E712
        return None if row is None else self._to_domain(row)

    def begin_full_listing(self, calendar_id: int) -> int:
        """Start a full listing: a new generation; rows not touched by it are removed at its end."""
        C = self._t.Calendar
        with self._db.atomic():
            C.update(generation=C.generation + 1, cursor=None).where(C.id == calendar_id).execute()
            return int(C.get_by_id(calendar_id).generation)

    def generation(self, calendar_id: int) -> int:
        return int(self._t.Calendar.get_by_id(calendar_id).generation)
