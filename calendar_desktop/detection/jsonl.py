"""JSON Lines front end: the corpus schema in, one verdict per event out (``calendar-desktop detect``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from calendar_desktop.detection.detector import Detector
from calendar_desktop.detection.model import Detection, PipelineEntry
from calendar_desktop.domain import UserIdentity


@dataclass(frozen=True, slots=True)
class CorpusEvent:
    """One record of ``interviews-*.jsonl`` without its ``label``: what the detector may read."""

    id: str
    title: str
    description: str
    location: str
    organizer: str | None
    attendees: tuple[str, ...]
    start: datetime | date
    end: datetime | date
    all_day: bool


class InputError(ValueError):
    """A pipeline or events file that does not follow the corpus schema."""


def load_pipeline_file(path: str | Path) -> tuple[UserIdentity, list[PipelineEntry]]:
    """Read ``{"user": {...}, "pipeline": [{"company", "role", "aliases"?}, ...]}``.

    Pipeline entries get keys 1, 2, … in file order unless an entry carries its own ``"key"``/``"id"``.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from error
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object with 'user' and 'pipeline'")
    user = data.get("user") or {}
    identity = UserIdentity(
        name=str(user.get("name", "")),
        emails=tuple(str(e) for e in user.get("emails", ())),
        current_employer=str(user.get("current_employer") or ""),  # null: a student or between jobs
        timezone=str(user.get("timezone", "")),
    )
    entries = []
    for index, item in enumerate(data.get("pipeline") or (), start=1):
        if not isinstance(item, dict) or not item.get("company"):
            raise InputError(f"{path}: pipeline entry {index} has no company")
        key = item.get("key", item.get("id", index))
        entries.append(
            PipelineEntry(
                company=str(item["company"]),
                aliases=tuple(str(a) for a in item.get("aliases", ())),
                role=str(item.get("role", "")),
                key=int(key) if key is not None else None,
            )
        )
    return identity, entries


def parse_event(record: dict[str, Any]) -> CorpusEvent:
    """Build the detector's input from one corpus record; ``label`` is never read."""
    all_day = bool(record.get("all_day", False))
    return CorpusEvent(
        id=str(record["id"]),
        title=str(record.get("title") or ""),
        description=str(record.get("description") or ""),
        location=str(record.get("location") or ""),
        organizer=record.get("organizer") or None,
        attendees=tuple(str(a) for a in record.get("attendees") or ()),
        start=_time(record["start"], all_day),
        end=_time(record["end"], all_day),
        all_day=all_day,
    )


def _time(value: str, all_day: bool) -> datetime | date:
    parsed = datetime.fromisoformat(value)
    return parsed.date() if all_day and len(value) == 10 else parsed


def read_events(path: str | Path) -> Iterator[CorpusEvent]:
    """Yield the events of a JSON Lines file (blank lines skipped); a bad line raises InputError."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield parse_event(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise InputError(f"{path}:{number}: not a corpus event ({error})") from error


def verdict(event_id: str, detection: Detection) -> dict[str, Any]:
    """The CLI's output object for one event."""
    return {
        "id": event_id,
        "is_interview": detection.is_interview,
        "company": detection.company,
        "role": detection.role,
        "role_type": detection.role_type.value if detection.role_type else None,
        "stage": detection.stage.value if detection.stage else None,
        "confidence": detection.confidence.value if detection.confidence else None,
    }


def run_detect(pipeline_path: str | Path, events_path: str | Path, out: TextIO) -> int:
    """Write one JSON object per event to ``out``; 0 on success, 1 when an input file is unusable."""
    try:
        identity, entries = load_pipeline_file(pipeline_path)
        detector = Detector(identity, entries)
        for event in read_events(events_path):
            out.write(json.dumps(verdict(event.id, detector.detect(event)), ensure_ascii=False) + "\n")
    except (OSError, InputError) as error:
        print(f"detect: {error}", file=sys.stderr)
        return 1
    return 0
