"""The job pipeline: applications and their interviews."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from peewee import Model, SqliteDatabase

from calendar_desktop.domain import (
    Application,
    ApplicationStatus,
    EventFields,
    Interview,
    InterviewStatus,
    RoleType,
    Stage,
)
from calendar_desktop.store.accounts import NotFound
from calendar_desktop.store.convert import dumps, from_iso, iso, loads, now_utc
from calendar_desktop.store.schema import Tables


def _ts(value: datetime) -> int:
    return int(value.timestamp())


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class ApplicationRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> Application:
        return Application(
            id=row.id,
            company=row.company,
            role=row.role,
            role_type=RoleType(row.role_type),
            status=ApplicationStatus(row.status),
            aliases=tuple(loads(row.aliases, [])),
            archived=row.archived,
            created_at=from_iso(row.created_at),
            updated_at=from_iso(row.updated_at),
        )

    def add(
        self,
        company: str,
        role: str = "",
        role_type: RoleType = RoleType.UNKNOWN,
        *,
        aliases: tuple[str, ...] = (),
        status: ApplicationStatus = ApplicationStatus.APPLIED,
    ) -> Application:
        company = company.strip()
        if not company:
            raise ValueError("An application needs a company name.")
        stamp = iso(now_utc())
        row = self._t.Application.create(
            company=company,
            role=role.strip(),
            role_type=role_type.value,
            status=status.value,
            aliases=dumps([a.strip() for a in aliases if a.strip()]),
            created_at=stamp,
            updated_at=stamp,
        )
        return self._to_domain(row)

    def get(self, application_id: int) -> Application:
        row = self._t.Application.get_or_none(self._t.Application.id == application_id)
        if row is None:
            raise NotFound(f"No application with id {application_id}. `calendar-desktop pipeline list` shows the ids.")
        return self._to_domain(row)

    def list(self, *, include_archived: bool = False) -> list[Application]:
        A = self._t.Application
        query = A.select().order_by(A.archived, A.company, A.id)
        if not include_archived:
            query = query.where(A.archived == False)  # noqa: E712
        return [self._to_domain(r) for r in query]

    def update(self, application_id: int, **fields: object) -> Application:
        """Change company, role, role_type, status, aliases or archived."""
        allowed = {"company", "role", "role_type", "status", "aliases", "archived"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        values: dict[str, object] = {}
        for name, value in fields.items():
            if name == "aliases":
                value = dumps([str(a).strip() for a in value if str(a).strip()])  # type: ignore[attr-defined]
            elif name in ("role_type", "status"):
                value = str(getattr(value, "value", value))
            elif name == "company":
                value = str(value).strip()
                if not value:
                    raise ValueError("An application needs a company name.")
            values[name] = value
        values["updated_at"] = iso(now_utc())
        self.get(application_id)
        self._t.Application.update(**values).where(self._t.Application.id == application_id).execute()
        return self.get(application_id)


class InterviewRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> Interview:
        return Interview(
            id=row.id,
            application_id=row.application_id,
            stage=Stage(row.stage),
            start=_dt(row.start_ts),
            end=_dt(row.end_ts),
            status=InterviewStatus(row.status),
            title=row.title,
            location=row.location,
            meeting_link=row.meeting_link,
            event_id=row.event_id,
            event_uid=row.event_uid,
            calendar_id=row.calendar_id,
            marker=row.marker,
            updated_at=from_iso(row.updated_at),
            description=row.description,
            timezone=row.timezone,
            attendees=tuple(loads(row.attendees, [])),
            remote_id=row.remote_id,
            etag=row.etag,
            synced=EventFields.from_json(loads(row.synced, {})) if row.synced else None,
            event_hash=row.event_hash,
        )

    def add(
        self,
        application_id: int,
        stage: Stage,
        start: datetime,
        end: datetime,
        *,
        title: str = "",
        location: str = "",
        meeting_link: str | None = None,
        event_id: int | None = None,
        event_uid: str | None = None,
        calendar_id: int | None = None,
        description: str = "",
        timezone: str | None = None,
        attendees: tuple[str, ...] = (),
    ) -> Interview:
        if end <= start:
            raise ValueError("An interview must end after it starts.")
        stamp = iso(now_utc())
        row = self._t.Interview.create(
            application=application_id,
            stage=stage.value,
            start_ts=_ts(start),
            end_ts=_ts(end),
            title=title,
            location=location,
            meeting_link=meeting_link,
            description=description,
            timezone=timezone,
            attendees=dumps(list(attendees)),
            event=event_id,
            event_uid=event_uid,
            calendar=calendar_id,
            marker=uuid.uuid4().hex,
            created_at=stamp,
            updated_at=stamp,
        )
        return self._to_domain(row)

    def get(self, interview_id: int) -> Interview:
        row = self._t.Interview.get_or_none(self._t.Interview.id == interview_id)
        if row is None:
            raise NotFound(f"No interview with id {interview_id}.")
        return self._to_domain(row)

    def list(self, application_id: int | None = None, *, include_deleting: bool = False) -> list[Interview]:
        I = self._t.Interview  # noqa: E741
        query = I.select().order_by(I.start_ts, I.id)
        if not include_deleting:
            query = query.where(I.status != InterviewStatus.DELETING.value)
        if application_id is not None:
            query = query.where(I.application == application_id)
        return [self._to_domain(r) for r in query]

    def linked_remote(self, calendar_ids: list[int]) -> list[Interview]:
        """Interviews written to one of these calendars (two-way sync)."""
        I = self._t.Interview  # noqa: E741
        if not calendar_ids:
            return []
        query = I.select().where(I.calendar.in_(calendar_ids) & I.remote_id.is_null(False))
        return [self._to_domain(r) for r in query]

    def linked_to_events(self, event_ids: list[int]) -> dict[int, Interview]:
        I = self._t.Interview  # noqa: E741
        if not event_ids:
            return {}
        return {r.event_id: self._to_domain(r) for r in I.select().where(I.event.in_(event_ids))}

    def by_event_uid(self, uid: str) -> list[Interview]:
        I = self._t.Interview  # noqa: E741
        return [self._to_domain(r) for r in I.select().where(I.event_uid == uid)]

    def by_marker(self, marker: str) -> Interview | None:
        row = self._t.Interview.get_or_none(self._t.Interview.marker == marker)
        return None if row is None else self._to_domain(row)

    def by_remote(self, calendar_id: int, remote_id: str) -> Interview | None:
        I = self._t.Interview  # noqa: E741
        row = I.get_or_none((I.calendar == calendar_id) & (I.remote_id == remote_id))
        return None if row is None else self._to_domain(row)

    def link_keys(self) -> tuple[set[int], set[str]]:
        """The event ids and iCalendar UIDs interviews are linked to (one query for a whole pass)."""
        I = self._t.Interview  # noqa: E741
        ids: set[int] = set()
        uids: set[str] = set()
        for event_id, uid in I.select(I.event, I.event_uid).tuples():
            if event_id is not None:
                ids.add(event_id)
            if uid:
                uids.add(uid)
        return ids, uids

    def markers(self) -> set[str]:
        I = self._t.Interview  # noqa: E741
        return {r.marker for r in I.select(I.marker).where(I.marker.is_null(False))}

    def delete(self, interview_id: int) -> None:
        self._t.Interview.delete().where(self._t.Interview.id == interview_id).execute()

    def update(self, interview_id: int, **fields: object) -> Interview:
        """Change stage, start, end, status, title, location, meeting_link, event link or calendar."""
        allowed = {
            "stage", "start", "end", "status", "title", "location", "meeting_link", "event_id", "event_uid",
            "calendar_id", "description", "timezone", "attendees", "remote_id", "etag", "synced", "event_hash",
        }  # fmt: skip
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        values: dict[str, object] = {}
        for name, value in fields.items():
            if name in ("start", "end"):
                values[f"{name}_ts"] = _ts(value)  # type: ignore[arg-type]
            elif name in ("stage", "status"):
                values[name] = str(getattr(value, "value", value))
            elif name in ("event_id", "calendar_id"):
                values[name.removesuffix("_id")] = value
            elif name == "attendees":
                values[name] = dumps(list(value))  # type: ignore[call-overload]
            elif name == "synced":
                values[name] = None if value is None else dumps(value.to_json())  # type: ignore[attr-defined]
            else:
                values[name] = value
        values["updated_at"] = iso(now_utc())
        current = self.get(interview_id)
        start = fields.get("start", current.start)
        end = fields.get("end", current.end)
        if end <= start:  # type: ignore[operator]
            raise ValueError("An interview must end after it starts.")
        self._t.Interview.update(**values).where(self._t.Interview.id == interview_id).execute()
        return self.get(interview_id)

    def unlink_all_events(self) -> None:
        """Keep interviews but drop their links to local events (used when forgetting calendar data)."""
        self._t.Interview.update(event=None).execute()
