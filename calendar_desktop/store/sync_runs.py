"""The history of sync passes."""

from __future__ import annotations

from peewee import Model, SqliteDatabase

from calendar_desktop.domain import SyncDirection, SyncOutcome, SyncRun
from calendar_desktop.store.convert import from_iso, iso, now_utc
from calendar_desktop.store.schema import Tables


class SyncRunRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> SyncRun:
        return SyncRun(
            id=row.id,
            account_id=row.account_id,
            calendar_id=row.calendar_id,
            direction=SyncDirection(row.direction),
            started_at=from_iso(row.started_at),  # type: ignore[arg-type]
            finished_at=from_iso(row.finished_at),
            added=row.added,
            updated=row.updated,
            removed=row.removed,
            skipped=row.skipped,
            outcome=SyncOutcome(row.outcome),
            error=row.error,
            full_resync=row.full_resync,
            interview_id=row.interview_id,
        )

    def start(self, account_id: int, calendar_id: int | None, direction: SyncDirection = SyncDirection.PULL) -> int:
        row = self._t.SyncRun.create(
            account=account_id, calendar=calendar_id, direction=direction.value, started_at=iso(now_utc())
        )
        return int(row.id)

    def record_push(self, account_id: int, calendar_id: int | None, interview_id: int | None, *, added: int = 0,
                    updated: int = 0, removed: int = 0, outcome: SyncOutcome, reason: str | None = None) -> SyncRun:  # fmt: skip
        """One write to a calendar, with its outcome and why it was made or refused."""
        stamp = iso(now_utc())
        row = self._t.SyncRun.create(
            account=account_id, calendar=calendar_id, interview=interview_id, direction=SyncDirection.PUSH.value,
            started_at=stamp, finished_at=stamp, added=added, updated=updated, removed=removed,
            outcome=outcome.value, error=reason,
        )  # fmt: skip
        return self._to_domain(row)

    def pushes_since(self, interview_id: int, since_iso: str) -> int:
        R = self._t.SyncRun
        return (
            R.select()
            .where((R.interview == interview_id) & (R.direction == SyncDirection.PUSH.value) & (R.started_at >= since_iso))
            .count()
        )

    def add_counts(self, run_id: int, *, added: int = 0, updated: int = 0, removed: int = 0, skipped: int = 0) -> None:
        R = self._t.SyncRun
        R.update(
            added=R.added + added, updated=R.updated + updated, removed=R.removed + removed, skipped=R.skipped + skipped
        ).where(R.id == run_id).execute()

    def finish(self, run_id: int, outcome: SyncOutcome, *, error: str | None = None, full_resync: bool = False) -> SyncRun:
        R = self._t.SyncRun
        R.update(outcome=outcome.value, error=error, finished_at=iso(now_utc()), full_resync=full_resync).where(
            R.id == run_id
        ).execute()
        return self._to_domain(R.get_by_id(run_id))

    def end_interrupted(self, message: str) -> int:
        """Mark passes left "running" by a process that quit or died during them as cancelled.
        Only to be called by the holder of the profile lock (so no such pass can still be running)."""
        R = self._t.SyncRun
        return int(
            R.update(outcome=SyncOutcome.CANCELLED.value, error=message, finished_at=iso(now_utc()))
            .where(R.outcome == SyncOutcome.RUNNING.value)
            .execute()
        )

    def list(self, account_id: int | None = None, limit: int = 100) -> list[SyncRun]:
        R = self._t.SyncRun
        query = R.select().order_by(R.id.desc()).limit(limit)
        if account_id is not None:
            query = query.where(R.account == account_id)
        return [self._to_domain(r) for r in query]

    def delete_all(self) -> int:
        return int(self._t.SyncRun.delete().execute())
