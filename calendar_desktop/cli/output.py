"""How the CLI prints: JSON documents for scripts (shapes fixed by DESIGN.md §4), tables for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TextIO

from calendar_desktop.domain import Account, Application, Calendar, Interview, StoredEvent, Suggestion, SyncRun


def _when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def account_json(a: Account) -> dict[str, Any]:
    return {
        "id": a.id,
        "provider": a.provider.value,
        "name": a.name,
        "status": a.status.value,
        "last_sync_at": _when(a.last_sync_at),
        "last_error": a.last_error,
    }


def calendar_json(c: Calendar) -> dict[str, Any]:
    return {
        "id": c.id,
        "account_id": c.account_id,
        "name": c.name,
        "selected": c.selected,
        "write_target": c.write_target,
        "read_only": c.read_only,
    }


def event_json(s: StoredEvent) -> dict[str, Any]:
    e = s.event
    return {
        "id": s.id,
        "uid": e.uid,
        "calendar_id": s.calendar_id,
        "title": e.title,
        "start": _when(e.start),
        "end": _when(e.end),
        "all_day": e.all_day,
        "status": e.status.value,
        "recurrence_id": e.recurrence_id,
    }


def application_json(a: Application) -> dict[str, Any]:
    return {
        "id": a.id,
        "company": a.company,
        "aliases": list(a.aliases),
        "role": a.role,
        "role_type": a.role_type.value,
        "status": a.status.value,
        "archived": a.archived,
    }


def interview_json(i: Interview, company: str) -> dict[str, Any]:
    return {
        "id": i.id,
        "application_id": i.application_id,
        "company": company,
        "stage": i.stage.value,
        "start": _when(i.start),
        "end": _when(i.end),
        "event_uid": i.event_uid,
        "status": i.status.value,
    }


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind.value,
        "status": s.status.value,
        "title": s.title,
        "company": s.company,
        "role": s.role,
        "role_type": s.role_type.value if s.role_type else None,
        "stage": s.stage.value if s.stage else None,
        "start": _when(s.start),
        "end": _when(s.end),
        "confidence": s.confidence.value,
        "score": round(s.score, 3),
        "event_id": s.event_id,
        "application_id": s.application_id,
        "interview_id": s.interview_id,
    }


def sync_run_json(r: SyncRun) -> dict[str, Any]:
    return {
        "id": r.id,
        "account_id": r.account_id,
        "calendar_id": r.calendar_id,
        "direction": r.direction.value,
        "started_at": _when(r.started_at),
        "finished_at": _when(r.finished_at),
        "added": r.added,
        "updated": r.updated,
        "removed": r.removed,
        "skipped": r.skipped,
        "outcome": r.outcome.value,
        "error": r.error,
    }


def print_json(document: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO | None = None, empty: str = "") -> None:
    out = out or sys.stdout
    if not rows:
        if empty:
            out.write(empty + "\n")
        return
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
