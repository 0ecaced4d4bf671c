"""Events: applying pages of remote changes atomically, and reading them back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import SqliteDatabase

from calendar_desktop.domain import ChangePage, ChangeSet, Event, EventStatus, StoredEvent
from calendar_desktop.store.convert import dumps, from_iso, from_ts, iso, loads, to_ts
from calendar_desktop.store.schema import Tables

_COLUMNS = (
    "calendar_id",
    "remote_id",
    "resource_id",
    "uid",
    "title",
    "start_ts",
    "end_ts",
    "all_day",
    "timezone",
    "status",
    "organizer",
    "attendees",
    "location",
    "meeting_link",
    "description",
    "etag",
    "remote_updated",
    "series_id",
    "recurrence_id",
    "marker",
    "content_hash",
    "generation",
)
_SELECT = "SELECT id, is_interview, " + ", ".join(_COLUMNS) + " FROM event"
_INSERT = "INSERT INTO event (" + ", ".join(_COLUMNS) + ") VALUES (" + ", ".join("?" * len(_COLUMNS)) + ")"
_UPDATE = "UPDATE event SET " + ", ".join(f"{c} = ?" for c in _COLUMNS) + " WHERE id = ?"
_HASH = _COLUMNS.index("content_hash")
_CHUNK = 400  # stays under SQLite's bound-parameter limit


@dataclass(frozen=True, slots=True)
class EventQuery:
    start: datetime | None = None
    end: datetime | None = None
    calendar_ids: Sequence[int] | None = None
    text: str = ""
    interviews_only: bool = False
    include_cancelled: bool = True
    limit: int | None = None


def _row_values(
    event: Event, etag: str | None, calendar_id: int, generation: int, keep_description: bool
) -> tuple[Any, ...]:
    return (
        calendar_id,
        event.remote_id,
        event.resource_id,
        event.uid,
        event.title,
        to_ts(event.start),
        to_ts(event.end),
        int(event.all_day),
        event.timezone,
        event.status.value,
        event.organizer,
        dumps(list(event.attendees)),
        event.location,
        event.meeting_link,
        event.description if keep_description and event.description else None,
        etag or event.etag,
        iso(event.updated),
        event.series_id,
        event.recurrence_id,
        event.marker,
        event.content_hash(),
        generation,
    )


def _stored(row: Sequence[Any]) -> StoredEvent:
    (rid, is_interview, calendar_id, remote_id, resource_id, uid, title, start_ts, end_ts, all_day, timezone, status,
     organizer, attendees, location, meeting_link, description, etag, remote_updated, series_id, recurrence_id,
     marker, _hash, _generation) = row  # fmt: skip
    all_day = bool(all_day)
    event = Event(
        remote_id=remote_id,
        resource_id=resource_id,
        uid=uid,
        title=title,
        start=from_ts(start_ts, all_day),
        end=from_ts(end_ts, all_day),
        all_day=all_day,
        timezone=timezone,
        status=EventStatus(status),
        organizer=organizer,
        attendees=tuple(loads(attendees, [])),
        location=location,
        meeting_link=meeting_link,
        description=description or "",
        etag=etag,
        updated=from_iso(remote_updated),
        series_id=series_id,
        recurrence_id=recurrence_id,
        marker=marker,
    )
    return StoredEvent(id=rid, calendar_id=calendar_id, event=event, is_interview=bool(is_interview))


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


class EventRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    # --- writing -----------------------------------------------------------------------------

    def apply_page(self, calendar_id: int, page: ChangePage, *, keep_descriptions: bool = False) -> ChangeSet:
        """Apply one page of remote changes and its cursor in a single transaction.

        Items replace every stored occurrence of their resource; the same item twice, or an
        item seen before, updates in place and never inserts a duplicate. At the last page of
        a full listing, everything the listing did not touch is removed: an item listed but
        unreadable (``page.unreadable``) counts as touched, its last good copy is kept.
        """
        changes = ChangeSet()
        with self._db.atomic():
            cursor = self._db.cursor()
            generation = int(cursor.execute("SELECT generation FROM calendar WHERE id = ?", (calendar_id,)).fetchone()[0])
            items = {item.resource_id: item for item in page.items}  # a repeat within the page: last wins
            removed = [rid for rid in dict.fromkeys(page.removed) if rid not in items]
            incoming = {e.remote_id: e for item in items.values() for e in item.events}
            existing = self._rows_for(calendar_id, list(items) + removed, list(incoming))

            by_resource: dict[str, list[StoredEvent]] = {}
            by_remote: dict[str, tuple[StoredEvent, str]] = {}
            for stored, content_hash in existing:
                by_resource.setdefault(stored.event.resource_id, []).append(stored)
                by_remote[stored.event.remote_id] = (stored, content_hash)

            delete_ids: list[int] = []
            inserts: list[tuple[Event, tuple[Any, ...]]] = []
            updates: list[tuple[Any, ...]] = []
            for resource_id, item in items.items():
                fresh = {e.remote_id: e for e in item.events}
                for old in by_resource.get(resource_id, ()):
                    if old.event.remote_id not in fresh:
                        delete_ids.append(old.id)
                        changes.removed.append(old)
                for event in fresh.values():
                    values = _row_values(event, item.etag, calendar_id, generation, keep_descriptions)
                    known = by_remote.get(event.remote_id)
                    if known is None:
                        inserts.append((event, values))
                        continue
                    old, old_hash = known
                    updates.append((*values, old.id))
                    if old_hash == values[_HASH]:
                        continue  # a new etag or a relisting of unchanged content: not an edit
                    after = StoredEvent(old.id, calendar_id, event, old.is_interview)
                    if event.status is EventStatus.CANCELLED and old.event.status is not EventStatus.CANCELLED:
                        changes.cancelled.append(after)
                    else:
                        changes.updated.append((old, after))

            cursor.executemany(_UPDATE, updates)  # before the stale query below: it reads generations
            changes.added.extend(self._insert(cursor, calendar_id, inserts))
            unreadable = [rid for rid in dict.fromkeys(page.unreadable) if rid not in items]
            for chunk in _chunks(unreadable):  # kept as they were, and not gone from a full listing
                cursor.execute(
                    f"UPDATE event SET generation = ? WHERE calendar_id = ? AND resource_id IN ({','.join('?' * len(chunk))})",
                    (generation, calendar_id, *chunk),
                )

            for resource_id in removed:
                for old in by_resource.get(resource_id, ()):
                    if old.event.remote_id in incoming:
                        continue  # moved to a resource listed in this page: updated above
                    delete_ids.append(old.id)
                    changes.removed.append(old)

            if page.full and page.last:
                stale = [
                    _stored(row)
                    for row in cursor.execute(
                        _SELECT + " WHERE calendar_id = ? AND generation < ?", (calendar_id, generation)
                    ).fetchall()
                ]
                delete_ids.extend(s.id for s in stale)
                changes.removed.extend(stale)

            for chunk in _chunks(delete_ids):
                cursor.execute(f"DELETE FROM event WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk))
            if page.cursor is not None:
                cursor.execute("UPDATE calendar SET cursor = ? WHERE id = ?", (page.cursor, calendar_id))
        return changes

    @staticmethod
    def _insert(cursor: Any, calendar_id: int, inserts: list[tuple[Event, tuple[Any, ...]]]) -> list[StoredEvent]:
        """Insert new rows in bulk, then read their ids back by remote id (one query per chunk)."""
        cursor.executemany(_INSERT, [values for _event, values in inserts])
        ids: dict[str, int] = {}
        remote_ids = [event.remote_id for event, _values in inserts]
        for chunk in _chunks(remote_ids):
            sql = f"SELECT remote_id, id FROM event WHERE calendar_id = ? AND remote_id IN ({','.join('?' * len(chunk))})"
            ids.update(cursor.execute(sql, (calendar_id, *chunk)).fetchall())
        return [StoredEvent(ids[event.remote_id], calendar_id, event) for event, _values in inserts]

    def _rows_for(
        self, calendar_id: int, resource_ids: Sequence[str], remote_ids: Sequence[str]
    ) -> list[tuple[StoredEvent, str]]:
        """Stored rows of these resources or with these remote ids, each with its content hash."""
        found: dict[int, tuple[StoredEvent, str]] = {}
        cursor = self._db.cursor()
        for column, values in (("resource_id", resource_ids), ("remote_id", remote_ids)):
            for chunk in _chunks(values):
                sql = f"{_SELECT} WHERE calendar_id = ? AND {column} IN ({','.join('?' * len(chunk))})"
                for row in cursor.execute(sql, (calendar_id, *chunk)).fetchall():
                    if row[0] not in found:
                        found[row[0]] = (_stored(row), row[2 + _HASH])
        return list(found.values())

    def mark_interviews(self, flags: Iterable[tuple[int, bool]]) -> None:
        with self._db.atomic():
            cursor = self._db.cursor()
            cursor.executemany("UPDATE event SET is_interview = ? WHERE id = ?", [(int(f), i) for i, f in flags])

    def delete_all(self) -> int:
        """Forget every stored event and reset every cursor, so the next sync starts afresh."""
        with self._db.atomic():
            count = self._t.Event.delete().execute()
            self._t.Calendar.update(cursor=None).execute()
        return int(count)

    # --- reading -----------------------------------------------------------------------------

    def get(self, event_id: int) -> StoredEvent | None:
        row = self._db.execute_sql(_SELECT + " WHERE id = ?", (event_id,)).fetchone()
        return None if row is None else _stored(row)

    def by_remote_id(self, calendar_id: int, remote_id: str) -> StoredEvent | None:
        row = self._db.execute_sql(
            _SELECT + " WHERE calendar_id = ? AND remote_id = ?", (calendar_id, remote_id)
        ).fetchone()
        return None if row is None else _stored(row)

    def by_resource(self, calendar_id: int, resource_id: str) -> tuple[StoredEvent, str] | None:
        """The (first) stored occurrence of a remote resource with its content hash."""
        row = self._db.execute_sql(
            _SELECT + " WHERE calendar_id = ? AND resource_id = ? ORDER BY start_ts LIMIT 1", (calendar_id, resource_id)
        ).fetchone()
        return None if row is None else (_stored(row), row[2 + _HASH])

    def overlapping(self, start: datetime, end: datetime, calendar_ids: Sequence[int]) -> list[StoredEvent]:
        """Timed, not cancelled events in these calendars that overlap [start, end)."""
        if not calendar_ids:
            return []
        # An event overlapping the slot starts at most ``longest`` before it: with that bound the
        # start index is scanned over nearby events only, however many are stored.
        longest = self._db.execute_sql("SELECT max(end_ts - start_ts) FROM event WHERE all_day = 0").fetchone()[0]
        if longest is None:
            return []
        ids = list(calendar_ids)
        first, stop = int(start.timestamp()), int(end.timestamp())
        sql = (  # the start index, named: with no statistics SQLite would walk the calendar's whole index
            f"{_SELECT} INDEXED BY event_start WHERE all_day = 0 AND status != 'cancelled' AND start_ts >= ? "
            f"AND start_ts < ? AND end_ts > ? AND calendar_id IN ({','.join('?' * len(ids))}) ORDER BY start_ts"
        )
        rows = self._db.execute_sql(sql, (first - int(longest), stop, first, *ids)).fetchall()
        return [_stored(r) for r in rows]

    def by_uid(self, uid: str) -> list[StoredEvent]:
        return [_stored(r) for r in self._db.execute_sql(_SELECT + " WHERE uid = ?", (uid,)).fetchall()]

    def list(self, query: EventQuery = EventQuery()) -> list[StoredEvent]:
        sql, params = self._where(query)
        sql = f"{_SELECT}{sql} ORDER BY start_ts, id"
        if query.limit is not None:
            sql += f" LIMIT {int(query.limit)}"
        return [_stored(r) for r in self._db.execute_sql(sql, params).fetchall()]

    def count(self, query: EventQuery = EventQuery()) -> int:
        sql, params = self._where(query)
        return int(self._db.execute_sql("SELECT count(*) FROM event" + sql, params).fetchone()[0])

    def count_by_calendar(self) -> dict[int, int]:
        rows = self._db.execute_sql("SELECT calendar_id, count(*) FROM event GROUP BY calendar_id").fetchall()
        return {cid: n for cid, n in rows}

    @staticmethod
    def _where(query: EventQuery) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if query.start is not None:
            clauses.append("end_ts > ?")
            params.append(int(query.start.timestamp()))
        if query.end is not None:
            clauses.append("start_ts < ?")
            params.append(int(query.end.timestamp()))
        if query.calendar_ids is not None:
            ids = list(query.calendar_ids) or [-1]
            clauses.append(f"calendar_id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        if query.text:
            clauses.append("(title LIKE ? ESCAPE '\\' OR location LIKE ? ESCAPE '\\' OR organizer LIKE ? ESCAPE '\\')")
            pattern = "%" + query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params.extend([pattern] * 3)
        if query.interviews_only:
            clauses.append("is_interview = 1")
        if not query.include_cancelled:
            clauses.append("status != 'cancelled'")
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
