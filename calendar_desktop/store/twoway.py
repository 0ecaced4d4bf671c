"""Two-way sync state: the outbox of pending writes, open conflicts, kept versions of interviews."""

from __future__ import annotations

from peewee import Model, SqliteDatabase

from calendar_desktop.domain import (
    Conflict,
    ConflictStatus,
    EventFields,
    OutboxEntry,
    OutboxOp,
    OutboxState,
)
from calendar_desktop.store.accounts import NotFound
from calendar_desktop.store.convert import dumps, from_iso, iso, loads, now_utc
from calendar_desktop.store.schema import Tables


def _fields(text: str | None) -> EventFields | None:
    data = loads(text, None)
    return EventFields.from_json(data) if data else None


class OutboxRepository:
    """Writes waiting to reach a calendar. An entry is committed in the same transaction as the
    local change it carries, and removed in the same transaction as the result of the write."""

    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> OutboxEntry:
        return OutboxEntry(
            id=row.id,
            interview_id=row.interview_id,
            marker=row.marker,
            op=OutboxOp(row.op),
            calendar_id=row.calendar_id,
            remote_id=row.remote_id,
            etag=row.etag,
            payload=_fields(row.payload),
            state=OutboxState(row.state),
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=from_iso(row.created_at),
            updated_at=from_iso(row.updated_at),
        )

    def enqueue(
        self,
        op: OutboxOp,
        marker: str,
        calendar_id: int,
        *,
        interview_id: int | None,
        payload: EventFields | None,
        remote_id: str | None = None,
        etag: str | None = None,
    ) -> OutboxEntry:
        """Queue a write, folding it into what is already queued for the same interview:
        create+update = create with the new content; anything+delete = delete (or nothing if the
        event was never created)."""
        O = self._t.Outbox  # noqa: E741
        stamp = iso(now_utc())
        earlier = O.get_or_none((O.marker == marker) & (O.state != OutboxState.HELD.value))
        if earlier is not None:
            if op is OutboxOp.DELETE and earlier.op == OutboxOp.CREATE.value and earlier.attempts == 0:
                earlier.delete_instance()
                return self._to_domain(earlier)  # never tried: nothing can exist remotely
            earlier.op = op.value if op is OutboxOp.DELETE or earlier.op != OutboxOp.CREATE.value else earlier.op
            earlier.payload = dumps(payload.to_json()) if payload else earlier.payload  # a delete keeps it
            earlier.interview = interview_id
            earlier.updated_at = stamp
            earlier.save()
            return self._to_domain(earlier)
        row = O.create(
            interview=interview_id,
            marker=marker,
            op=op.value,
            calendar=calendar_id,
            remote_id=remote_id,
            etag=etag,
            payload=dumps(payload.to_json()) if payload else "{}",
            created_at=stamp,
            updated_at=stamp,
        )
        return self._to_domain(row)

    def get(self, entry_id: int) -> OutboxEntry:
        row = self._t.Outbox.get_or_none(self._t.Outbox.id == entry_id)
        if row is None:
            raise NotFound(f"No pending write with id {entry_id}.")
        return self._to_domain(row)

    def for_marker(self, marker: str) -> OutboxEntry | None:
        row = self._t.Outbox.get_or_none(self._t.Outbox.marker == marker)
        return None if row is None else self._to_domain(row)

    def pending(self, calendar_ids: list[int]) -> list[OutboxEntry]:
        O = self._t.Outbox  # noqa: E741
        if not calendar_ids:
            return []
        query = O.select().where((O.state == OutboxState.PENDING.value) & O.calendar.in_(calendar_ids)).order_by(O.id)
        return [self._to_domain(r) for r in query]

    def list(self) -> list[OutboxEntry]:
        return [self._to_domain(r) for r in self._t.Outbox.select().order_by(self._t.Outbox.id)]

    def set_state(self, entry_id: int, state: OutboxState, *, error: str | None = None, etag: str | None = None,
                  remote_id: str | None = None, attempted: bool = False) -> None:  # fmt: skip
        O = self._t.Outbox  # noqa: E741
        values: dict[str, object] = {"state": state.value, "last_error": error, "updated_at": iso(now_utc())}
        if etag is not None:
            values["etag"] = etag
        if remote_id is not None:
            values["remote_id"] = remote_id
        if attempted:
            values["attempts"] = O.attempts + 1
        O.update(**values).where(O.id == entry_id).execute()

    def done(self, entry_id: int) -> None:
        self._t.Outbox.delete().where(self._t.Outbox.id == entry_id).execute()


class ConflictRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> Conflict:
        local = _fields(row.local)
        assert local is not None
        return Conflict(
            id=row.id,
            interview_id=row.interview_id,
            calendar_id=row.calendar_id,
            remote_id=row.remote_id,
            remote_etag=row.remote_etag,
            local=local,
            remote=_fields(row.remote),
            status=ConflictStatus(row.status),
            resolution=row.resolution,
            created_at=from_iso(row.created_at),
        )

    def open(self, interview_id: int, calendar_id: int | None, remote_id: str | None, remote_etag: str | None,
             local: EventFields, remote: EventFields | None, outbox_id: int | None) -> Conflict:  # fmt: skip
        C = self._t.Conflict
        C.update(status=ConflictStatus.RESOLVED.value, resolution="superseded", resolved_at=iso(now_utc())).where(
            (C.interview == interview_id) & (C.status == ConflictStatus.OPEN.value)
        ).execute()
        row = C.create(
            interview=interview_id,
            outbox=outbox_id,
            calendar=calendar_id,
            remote_id=remote_id,
            remote_etag=remote_etag,
            local=dumps(local.to_json()),
            remote=dumps(remote.to_json()) if remote else "{}",
            created_at=iso(now_utc()),
        )
        return self._to_domain(row)

    def get(self, conflict_id: int) -> Conflict:
        row = self._t.Conflict.get_or_none(self._t.Conflict.id == conflict_id)
        if row is None:
            raise NotFound(f"No conflict with id {conflict_id}.")
        return self._to_domain(row)

    def outbox_id(self, conflict_id: int) -> int | None:
        return self._t.Conflict.get_by_id(conflict_id).outbox_id

    def list(self, status: ConflictStatus | None = ConflictStatus.OPEN) -> list[Conflict]:
        C = self._t.Conflict
        query = C.select().order_by(C.id)
        if status is not None:
            query = query.where(C.status == status.value)
        return [self._to_domain(r) for r in query]

    def resolve(self, conflict_id: int, resolution: str) -> None:
        C = self._t.Conflict
        C.update(status=ConflictStatus.RESOLVED.value, resolution=resolution, resolved_at=iso(now_utc())).where(
            C.id == conflict_id
        ).execute()


class RevisionRepository:
    """Versions of interviews that lost a conflict or were overwritten: nothing is silently lost."""

    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    def keep(self, interview_id: int | None, source: str, reason: str, fields: EventFields) -> None:
        self._t.InterviewRevision.create(
            interview=interview_id, source=source, reason=reason, snapshot=dumps(fields.to_json()), created_at=iso(now_utc())
        )

    def list(self, interview_id: int | None = None) -> list[tuple[str, str, EventFields]]:
        R = self._t.InterviewRevision
        query = R.select().order_by(R.id)
        if interview_id is not None:
            query = query.where(R.interview == interview_id)
        return [(r.source, r.reason, EventFields.from_json(loads(r.snapshot, {}))) for r in query]
