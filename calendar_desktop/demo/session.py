"""``calendar-desktop --demo``: a throwaway profile connected, through the normal CalDAV path, to a
local Radicale seeded with the demo fortnight; a minute in, one tracked interview moves on the
server so the reschedule prompt shows. Everything is removed when the app quits."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.core.wiring import build_tracker
from calendar_desktop.demo.data import USER_EMAIL, USER_NAME, DemoData, fortnight
from calendar_desktop.demo.seed import to_ics
from calendar_desktop.demo.server import PASSWORD, USER, DemoServerError, RadicaleServer
from calendar_desktop.domain import Account, Stage, SuggestionKind, SuggestionStatus
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.base import NewAccount

log = logging.getLogger(__name__)
MOVE_AFTER_S = 60.0
Connect = Callable[..., NewAccount]


def caldav_connect() -> Connect:
    try:
        from calendar_desktop.providers.caldav.connect import connect_caldav
    except ImportError as exc:
        raise DemoServerError("This build has no CalDAV support, which the demo uses.") from exc
    return connect_caldav  # type: ignore[no-any-return]


class DemoSession:
    def __init__(self, root: Path, data: DemoData | None = None, *, move_after_s: float = MOVE_AFTER_S) -> None:
        self.root = root
        self.paths = AppPaths.profile(root / "profile")
        self.data = data or fortnight()
        self.server = RadicaleServer(root / "radicale")
        self.move_after_s = move_after_s
        self.account: Account | None = None
        self._service: AppService | None = None
        self._calendar_urls: dict[str, str] = {}
        self._mover: asyncio.Task[None] | None = None

    @classmethod
    def create(cls) -> DemoSession:
        return cls(Path(tempfile.mkdtemp(prefix="calendar-desktop-demo-")))

    async def start(self, service: AppService, controller: SyncController, connect: Connect | None = None) -> Account:
        """Serve, seed, connect and sync; then schedule the server-side move of one interview."""
        self._service = service
        connect = connect or caldav_connect()
        await asyncio.to_thread(self._serve_and_seed)
        await asyncio.to_thread(self._seed_profile, service)
        new = await asyncio.to_thread(connect, self.server.principal_url, USER, PASSWORD, name="Demo calendars")
        self.account = account = await asyncio.to_thread(service.add_account, new)
        await controller.sync_account(account.id)
        await asyncio.to_thread(self._track_interview, service)
        self._mover = asyncio.get_running_loop().create_task(self._move_later(controller, account.id))
        return account

    def _serve_and_seed(self) -> None:
        self.server.start()
        for name, colour in self.data.calendars.items():
            self._calendar_urls[name] = self.server.make_calendar(name.lower(), name, colour)
        for item in self.data.items:
            self.server.put(self._calendar_urls[item.calendar], item.uid, to_ics(item))

    def _seed_profile(self, service: AppService) -> None:
        service.set_identity(emails=[USER_EMAIL], name=USER_NAME, employer="Northwind")
        for application in self.data.applications:
            service.add_application(
                application.company, application.role, application.role_type, aliases=application.aliases,
                status=application.status,
            )  # fmt: skip

    def _track_interview(self, service: AppService) -> None:
        """Accept the suggestion for one invitation, so that the interview is tracked when it moves."""
        uid = self.data.tracked_uid
        tracker = build_tracker(service)
        for suggestion in service.store.suggestions.list(SuggestionStatus.PENDING):
            if suggestion.kind is SuggestionKind.NEW_INTERVIEW and suggestion.event_uid == uid:
                tracker.accept(suggestion.id)
                return
        stored = service.store.events.by_uid(uid)
        if not stored:
            log.warning("demo: the tracked invitation was not synced")
            return
        company = self.data.item(uid).company or ""
        application = next(a for a in service.list_applications() if a.company == company)
        event = stored[0].event
        interview = service.add_interview(
            application.id, event.start, event.end, stage=Stage.TECHNICAL, title=event.title  # type: ignore[arg-type]
        )
        service.store.interviews.update(interview.id, event_id=stored[0].id, event_uid=uid)

    async def _move_later(self, controller: SyncController, account_id: int) -> None:
        await asyncio.sleep(self.move_after_s)
        await asyncio.to_thread(self.move_tracked_interview)
        await controller.sync_account(account_id)  # the reschedule prompt follows from this pass

    def move_tracked_interview(self) -> None:
        item = self.data.item(self.data.tracked_uid)
        moved = item.moved(self.data.reschedule_by)
        self.server.put(self._calendar_urls[item.calendar], item.uid, to_ics(moved, sequence=1))
        log.info("demo: moved %s on the server", item.uid)

    async def stop(self) -> None:
        if self._mover is not None:
            self._mover.cancel()
        if self._service is not None:
            for account in self._service.list_accounts():
                try:
                    self._service.secrets.for_account(account.secret_key).clear()
                except Exception as exc:  # the keyring may be gone at shutdown; nothing else to clean
                    log.warning("demo: could not remove the demo password from the keyring: %s", exc)
        await asyncio.to_thread(self.server.stop)
        shutil.rmtree(self.root, ignore_errors=True)
