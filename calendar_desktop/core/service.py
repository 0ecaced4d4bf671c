"""AppService: the one facade the window and the CLI both call.

Its methods block on disk (and, for connect/disconnect, on the network): the window calls
them from worker threads, the CLI directly. Changes are announced on ``bus``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from datetime import datetime

from calendar_desktop.core.bus import (
    AccountsChanged,
    EventBus,
    EventsChanged,
    PipelineChanged,
    SettingsChanged,
)
from calendar_desktop.domain import (
    Account,
    Conflict,
    InterviewStatus,
    OutboxOp,
    AccountStatus,
    Application,
    ApplicationStatus,
    Calendar,
    Interview,
    RoleType,
    Stage,
    StoredEvent,
    SyncRun,
    UserIdentity,
)
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore, SecretStoreError
from calendar_desktop.settings import Settings, SettingsFile
from calendar_desktop.store import EventQuery, Store

log = logging.getLogger(__name__)


class AppService:
    def __init__(
        self,
        paths: AppPaths,
        store: Store,
        secrets: SecretStore,
        settings_file: SettingsFile,
        providers: ProviderRegistry,
        bus: EventBus | None = None,
    ) -> None:
        self.paths = paths
        self.store = store
        self.secrets = secrets
        self.providers = providers
        self.bus = bus or EventBus()
        self._settings_file = settings_file
        self._settings = settings_file.load()

    @classmethod
    def open(cls, paths: AppPaths, *, secrets: SecretStore | None = None, providers: ProviderRegistry | None = None) -> AppService:
        paths.ensure()
        store = Store.open(paths.database)
        settings_file = SettingsFile(paths.settings_file)
        if providers is None:
            providers = ProviderRegistry(ProviderContext(data_dir=paths.data_dir, settings={}))
        return cls(paths, store, secrets or SecretStore(), settings_file, providers)

    def close(self) -> None:
        self.store.close()

    # --- settings and identity ---------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return dataclasses.replace(self._settings)

    def update_settings(self, **changes: object) -> Settings:
        updated = dataclasses.replace(self._settings, **changes)  # type: ignore[arg-type]
        self._settings_file.save(updated)
        if updated.poll_interval_minutes != self._settings.poll_interval_minutes:
            for account in self.store.accounts.list():  # every account polls at the interval the user set
                self.store.accounts.update(account.id, poll_interval_s=updated.poll_interval_minutes * 60)
        self._settings = updated
        self.bus.publish(SettingsChanged())
        return self.settings

    def set_google_client_secret(self, secret: str) -> None:
        """The secret of the user's own Google OAuth client: kept in the keyring, not in the settings."""
        from calendar_desktop.core.connect import GOOGLE_CLIENT_SECRET

        self.secrets.set(GOOGLE_CLIENT_SECRET, secret)

    def identity(self) -> UserIdentity:
        """Who the user is: the configured name, addresses and employer plus every account's address."""
        account_emails = tuple(a.username for a in self.store.accounts.list() if "@" in a.username)
        return self._settings.identity(account_emails)

    def set_identity(
        self, *, emails: Iterable[str] | None = None, employer: str | None = None, name: str | None = None
    ) -> UserIdentity:
        changes: dict[str, object] = {}
        if emails is not None:
            changes["user_emails"] = [e.strip().lower() for e in emails if e.strip()]
        if employer is not None:
            changes["current_employer"] = employer.strip()
        if name is not None:
            changes["user_name"] = name.strip()
        self.update_settings(**changes)
        return self.identity()

    # --- accounts and calendars --------------------------------------------------------------

    def list_accounts(self) -> list[Account]:
        return self.store.accounts.list()

    def add_account(self, new: NewAccount) -> Account:
        """Record a connected account; its secrets go to the keyring or the account is not kept."""
        account = self.store.accounts.add(
            new.provider,
            new.name,
            new.username,
            server_url=new.server_url,
            read_only=new.read_only,
            poll_interval_s=self._settings.poll_interval_minutes * 60,
            options=new.options,
        )
        try:
            self.secrets.for_account(account.secret_key).update(new.secrets)
        except BaseException:
            self.store.accounts.remove(account.id)
            raise
        log.info("connected %s account %d", new.provider.value, account.id)
        self.bus.publish(AccountsChanged())
        return account

    def account_like(self, new: NewAccount) -> Account | None:
        """The stored account a fresh sign-in is for (same provider, user and server), if any:
        signing in to it again reconnects it rather than adding a duplicate."""
        for account in self.store.accounts.list():
            if (
                account.provider is new.provider
                and account.username.casefold() == new.username.casefold()
                and (account.server_url or "") == (new.server_url or "")
            ):
                return account
        return None

    def reconnect_account(self, account_id: int, new: NewAccount) -> Account:
        """Replace a stored account's secrets after the user signed in again; it syncs normally next."""
        account = self.store.accounts.get(account_id)
        if new.provider is not account.provider:
            raise ValueError(f"Account {account_id} is a {account.provider.value} account, not {new.provider.value}.")
        secrets = self.secrets.for_account(account.secret_key)
        if self.providers.available(account.provider):
            try:  # the old sign-in's files (Microsoft's token cache); the new one has its own
                self.providers.factory(account.provider).discard_sign_in(account, secrets)
            except OSError as exc:
                log.warning("could not delete the previous sign-in of account %d: %s", account_id, type(exc).__name__)
        secrets.clear()
        secrets.update(new.secrets)
        self.store.accounts.update(account_id, username=new.username, options={**account.options, **new.options})
        self.store.accounts.set_status(account_id, AccountStatus.CONNECTED)
        log.info("reconnected %s account %d", new.provider.value, account_id)
        self.bus.publish(AccountsChanged())
        return self.store.accounts.get(account_id)

    def remove_account(self, account_id: int, *, forget: bool = False) -> None:
        """Disconnect: revoke what the provider lets us revoke, delete the secrets and the account's
        local calendars and events. Pipeline data stays; ``forget`` also drops every suggestion
        made from the account's events (dismissals included)."""
        account = self.store.accounts.get(account_id)
        secrets = self.secrets.for_account(account.secret_key)
        if self.providers.available(account.provider):
            try:
                self.providers.factory(account.provider).disconnect(account, secrets)
            except Exception as exc:  # revocation is best effort; the local side is removed anyway
                log.warning("revoking account %d failed: %s", account_id, type(exc).__name__)
        try:
            secrets.clear()
        except SecretStoreError as exc:
            log.warning("could not delete the secrets of account %d: %s", account_id, exc)
            raise
        with self.store.atomic():
            self.store.suggestions.delete_for_account(account_id, pending_only=not forget)
            self.store.accounts.remove(account_id)
        self.bus.publish(AccountsChanged())
        self.bus.publish(EventsChanged())

    def set_account_status(self, account_id: int, status: AccountStatus, message: str | None = None) -> None:
        self.store.accounts.set_status(account_id, status, error=message)
        self.bus.publish(AccountsChanged())

    def list_calendars(self, account_id: int | None = None) -> list[Calendar]:
        return self.store.calendars.list(account_id)

    def select_calendar(self, calendar_id: int, selected: bool) -> Calendar:
        calendar = self.store.calendars.set_selected(calendar_id, selected)
        self.bus.publish(AccountsChanged())
        if not selected:
            self.bus.publish(EventsChanged())
        return calendar

    def set_write_target(self, calendar_id: int | None) -> None:
        self.store.calendars.set_write_target(calendar_id)
        self.bus.publish(AccountsChanged())

    # --- events ------------------------------------------------------------------------------

    def list_events(self, query: EventQuery = EventQuery()) -> list[StoredEvent]:
        return self.store.events.list(query)

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        return self.store.events.count(query)

    def forget_calendar_data(self) -> int:
        count = self.store.forget_calendar_data()
        log.info("forgot %d stored events", count)
        self.bus.publish(EventsChanged())
        return count

    def sync_history(self, account_id: int | None = None, limit: int = 100) -> list[SyncRun]:
        return self.store.sync_runs.list(account_id, limit)

    # --- pipeline ----------------------------------------------------------------------------

    def list_applications(self, *, include_archived: bool = False) -> list[Application]:
        return self.store.applications.list(include_archived=include_archived)

    def add_application(
        self,
        company: str,
        role: str = "",
        role_type: RoleType = RoleType.UNKNOWN,
        *,
        aliases: tuple[str, ...] = (),
        status: ApplicationStatus = ApplicationStatus.APPLIED,
    ) -> Application:
        application = self.store.applications.add(company, role, role_type, aliases=aliases, status=status)
        self.bus.publish(PipelineChanged())
        return application

    def update_application(self, application_id: int, **fields: object) -> Application:
        application = self.store.applications.update(application_id, **fields)
        self.bus.publish(PipelineChanged())
        return application

    def list_interviews(self, application_id: int | None = None) -> list[Interview]:
        return self.store.interviews.list(application_id)

    def add_interview(
        self,
        application_id: int,
        start: datetime,
        end: datetime,
        *,
        stage: Stage = Stage.OTHER,
        title: str = "",
        location: str = "",
        description: str = "",
        meeting_link: str | None = None,
        timezone: str | None = None,
        attendees: tuple[str, ...] = (),
        calendar_id: int | None = None,
        write_to_calendar: bool = True,
    ) -> Interview:
        """Schedule an interview. With a calendar (given, or the write target) it is written there on
        the next sync: the outbox entry commits together with the interview."""
        application = self.store.applications.get(application_id)
        target = None
        if write_to_calendar:
            target = self.store.calendars.get(calendar_id) if calendar_id is not None else self.store.calendars.write_target()
            if target is not None:
                account = self.store.accounts.get(target.account_id)
                if target.read_only or account.read_only:
                    raise ValueError(
                        f"Calendar “{target.name}” is read-only for calendar-desktop: pick another calendar "
                        "(calendars write-target ID) or reconnect the account in two-way mode."
                    )
        title = title or f"Interview: {application.company}" + (f" — {application.role}" if application.role else "")
        with self.store.atomic():
            interview = self.store.interviews.add(
                application_id, stage, start, end, title=title, location=location, description=description,
                meeting_link=meeting_link, timezone=timezone, attendees=attendees,
                calendar_id=target.id if target else None,
            )  # fmt: skip
            if target is not None:
                assert interview.marker is not None
                self.store.outbox.enqueue(
                    OutboxOp.CREATE, interview.marker, target.id, interview_id=interview.id, payload=interview.fields()
                )
        self.bus.publish(PipelineChanged())
        return interview

    def update_interview(self, interview_id: int, **fields: object) -> Interview:
        """Edit an interview; one written to a calendar gets the edit queued for it (If-Match on push)."""
        with self.store.atomic():
            before = self.store.interviews.get(interview_id)
            interview = self.store.interviews.update(interview_id, **fields)
            queued = self.store.outbox.for_marker(interview.marker) if interview.marker else None
            written = interview.remote_id is not None or (queued is not None and queued.op is OutboxOp.CREATE)
            if interview.calendar_id is not None and written and interview.fields() != before.fields():
                assert interview.marker is not None
                op = OutboxOp.CREATE if queued is not None and queued.op is OutboxOp.CREATE else OutboxOp.UPDATE
                self.store.outbox.enqueue(
                    op, interview.marker, interview.calendar_id, interview_id=interview.id, payload=interview.fields(),
                    remote_id=interview.remote_id, etag=interview.etag,
                )  # fmt: skip
        self.bus.publish(PipelineChanged())
        return interview

    def delete_interview(self, interview_id: int) -> None:
        """Delete an interview; its calendar event is deleted on the next sync (the interview stays
        hidden until then, so a crash cannot lose the delete)."""
        with self.store.atomic():
            interview = self.store.interviews.get(interview_id)
            queued = self.store.outbox.for_marker(interview.marker) if interview.marker else None
            never_tried = queued is None or (queued.op is OutboxOp.CREATE and queued.attempts == 0)
            if interview.remote_id is None and never_tried:
                if queued is not None:
                    self.store.outbox.done(queued.id)
                self.store.interviews.delete(interview_id)
            else:
                assert interview.marker is not None and interview.calendar_id is not None
                self.store.interviews.update(interview_id, status=InterviewStatus.DELETING)
                self.store.outbox.enqueue(
                    OutboxOp.DELETE, interview.marker, interview.calendar_id, interview_id=interview.id, payload=None,
                    remote_id=interview.remote_id, etag=interview.etag,
                )  # fmt: skip
        self.bus.publish(PipelineChanged())

    def overlaps(self, interview: Interview) -> list[StoredEvent]:
        from calendar_desktop.core.overlaps import overlapping_events

        own = (interview.calendar_id, interview.remote_id) if interview.calendar_id and interview.remote_id else None
        return overlapping_events(
            self.store, interview.start, interview.end, exclude_resource=own,  # type: ignore[arg-type]
            exclude_event_ids=(interview.event_id,) if interview.event_id else (),
        )  # fmt: skip

    def list_conflicts(self) -> list[Conflict]:
        return self.store.conflicts.list()
