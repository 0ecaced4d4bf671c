"""Suggestions made from calendar events: pending until the user (or auto-apply) decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from peewee import Model, SqliteDatabase

from calendar_desktop.domain import (
    Confidence,
    RoleType,
    Stage,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from calendar_desktop.store.accounts import NotFound
from calendar_desktop.store.convert import dumps, from_iso, iso, loads, now_utc
from calendar_desktop.store.schema import Tables


@dataclass(frozen=True, slots=True)
class NewSuggestion:
    kind: SuggestionKind
    confidence: Confidence
    score: float
    event_id: int | None = None
    event_uid: str | None = None
    event_key: str | None = None
    """A stable key of the source event (calendar + remote id) to remember dismissals by."""
    application_id: int | None = None
    interview_id: int | None = None
    company: str | None = None
    role: str | None = None
    role_type: RoleType | None = None
    stage: Stage | None = None
    start: datetime | None = None
    end: datetime | None = None
    title: str = ""
    details: dict[str, str] | None = None
    status: SuggestionStatus = SuggestionStatus.PENDING


def _opt_dt(ts: int | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _opt_ts(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


class SuggestionRepository:
    def __init__(self, db: SqliteDatabase, tables: Tables) -> None:
        self._db = db
        self._t = tables

    @staticmethod
    def _to_domain(row: Model) -> Suggestion:
        return Suggestion(
            id=row.id,
            kind=SuggestionKind(row.kind),
            status=SuggestionStatus(row.status),
            event_id=row.event_id,
            event_uid=row.event_uid,
            company=row.company,
            role=row.role,
            role_type=RoleType(row.role_type) if row.role_type else None,
            stage=Stage(row.stage) if row.stage else None,
            start=_opt_dt(row.start_ts),
            end=_opt_dt(row.end_ts),
            confidence=Confidence(row.confidence),
            score=row.score,
            application_id=row.application_id,
            interview_id=row.interview_id,
            title=row.title,
            created_at=from_iso(row.created_at),
            resolved_at=from_iso(row.resolved_at),
            details=loads(row.details, {}),
        )

    def add(self, new: NewSuggestion) -> Suggestion:
        resolved = None if new.status is SuggestionStatus.PENDING else iso(now_utc())
        row = self._t.Suggestion.create(
            kind=new.kind.value,
            status=new.status.value,
            event=new.event_id,
            event_uid=new.event_uid,
            event_key=new.event_key,
            application=new.application_id,
            interview=new.interview_id,
            company=new.company,
            role=new.role,
            role_type=new.role_type.value if new.role_type else None,
            stage=new.stage.value if new.stage else None,
            start_ts=_opt_ts(new.start),
            end_ts=_opt_ts(new.end),
            confidence=new.confidence.value,
            score=new.score,
            title=new.title,
            details=dumps(new.details or {}),
            created_at=iso(now_utc()),
            resolved_at=resolved,
        )
        return self._to_domain(row)

    def get(self, suggestion_id: int) -> Suggestion:
        row = self._t.Suggestion.get_or_none(self._t.Suggestion.id == suggestion_id)
        if row is None:
            raise NotFound(f"No suggestion with id {suggestion_id}. `calendar-desktop suggestions list` shows the ids.")
        return self._to_domain(row)

    def list(self, status: SuggestionStatus | None = None) -> list[Suggestion]:
        S = self._t.Suggestion
        # Pending first, then the newest.
        query = S.select().order_by((S.status != SuggestionStatus.PENDING.value), S.created_at.desc(), S.id.desc())
        if status is not None:
            query = query.where(S.status == status.value)
        return [self._to_domain(r) for r in query]

    def event_keys(self) -> set[str]:
        """Every event key some suggestion was made for (one query for a whole pass)."""
        S = self._t.Suggestion
        return {key for (key,) in S.select(S.event_key).where(S.event_key.is_null(False)).distinct().tuples()}

    def for_event_key(self, event_key: str) -> list[Suggestion]:
        S = self._t.Suggestion
        return [self._to_domain(r) for r in S.select().where(S.event_key == event_key).order_by(S.id)]

    def pending_count(self) -> int:
        S = self._t.Suggestion
        return S.select().where(S.status == SuggestionStatus.PENDING.value).count()

    def resolve(self, suggestion_id: int, status: SuggestionStatus, **fields: object) -> Suggestion:
        """Record the user's decision (and any edits made before accepting)."""
        if status is SuggestionStatus.PENDING:
            raise ValueError("resolve() takes a final status")
        allowed = {"company", "role", "role_type", "stage", "start", "end", "application_id", "interview_id"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        values: dict[str, object] = {"status": status.value, "resolved_at": iso(now_utc())}
        for name, value in fields.items():
            if name in ("start", "end"):
                values[f"{name}_ts"] = _opt_ts(value)  # type: ignore[arg-type]
            elif name in ("role_type", "stage"):
                values[name] = None if value is None else str(getattr(value, "value", value))
            elif name in ("application_id", "interview_id"):
                values[name.removesuffix("_id")] = value
            else:
                values[name] = value
        self.get(suggestion_id)
        self._t.Suggestion.update(**values).where(self._t.Suggestion.id == suggestion_id).execute()
        return self.get(suggestion_id)

    def supersede_pending(self, event_key: str, kind: SuggestionKind) -> int:
        """Drop older pending suggestions of one kind for an event (a newer one replaces them)."""
        S = self._t.Suggestion
        return (
            S.delete()
            .where((S.event_key == event_key) & (S.kind == kind.value) & (S.status == SuggestionStatus.PENDING.value))
            .execute()
        )

    def delete_for_account(self, account_id: int, *, pending_only: bool) -> int:
        """Drop suggestions made from the account's events (only pending ones unless asked)."""
        S, E, C = self._t.Suggestion, self._t.Event, self._t.Calendar
        events = E.select(E.id).join(C).where(C.account == account_id)
        condition = S.event.in_(events)
        if pending_only:
            condition &= S.status == SuggestionStatus.PENDING.value
        return int(S.delete().where(condition).execute())

    def delete_all(self) -> int:
        return int(self._t.Suggestion.delete().execute())
