"""The JSON Lines front end of ``calendar-desktop detect``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from calendar_desktop.detection.jsonl import load_pipeline_file, parse_event, read_events, run_detect

PIPELINE = {
    "user": {
        "name": "Tomasz Wren",
        "emails": ["tomasz.wren@fastmail.com", "t.wren@lanternworks.io"],
        "current_employer": "Lanternworks",
        "timezone": "Europe/Warsaw",
    },
    "pipeline": [
        {"company": "Orbital Foods, Inc.", "role": "Data Engineer", "aliases": ["Orbital"]},
        {"company": "Cedar Robotics GmbH", "role": "Robotics Engineer"},
    ],
}
INTERVIEW = {
    "id": "e0001",
    "title": "Orbital Foods – Technical Interview",
    "description": "Your technical interview for the Data Engineer (Contract) role.",
    "location": "",
    "organizer": "Ada Novak <ada.novak@orbitalfoods.com>",
    "attendees": ["tomasz.wren@fastmail.com"],
    "start": "2026-09-14T15:00:00+02:00",
    "end": "2026-09-14T16:00:00+02:00",
    "all_day": False,
    "label": {"is_interview": True},
}
# A label that lies: the front end must never read it.
DENTIST = {
    "id": "e0002",
    "title": "Dentist",
    "description": "",
    "location": "",
    "organizer": "tomasz.wren@fastmail.com",
    "attendees": [],
    "start": "2026-09-15T00:00:00+02:00",
    "end": "2026-09-16T00:00:00+02:00",
    "all_day": True,
    "label": {"is_interview": True, "company": "Orbital Foods, Inc.", "stage": "final"},
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    pipeline = tmp_path / "pipeline.json"
    pipeline.write_text(json.dumps(PIPELINE), encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(json.dumps(r) for r in (INTERVIEW, DENTIST)) + "\n\n", encoding="utf-8")
    return pipeline, events


def test_run_detect_writes_one_object_per_event(files):
    out = io.StringIO()
    assert run_detect(*files, out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["e0001", "e0002"]
    keys = {"id", "is_interview", "company", "role", "role_type", "stage", "confidence"}
    assert all(set(line) == keys for line in lines)
    assert lines[0] == {
        "id": "e0001",
        "is_interview": True,
        "company": "Orbital Foods, Inc.",
        "role": "Data Engineer",
        "role_type": "contract",
        "stage": "technical",
        "confidence": "high",
    }
    assert lines[1] == dict.fromkeys(keys, None) | {"id": "e0002", "is_interview": False}


def test_labels_are_never_read():
    event = parse_event(DENTIST)
    assert not hasattr(event, "label")
    assert event.all_day and event.title == "Dentist"


def test_pipeline_file(files):
    identity, entries = load_pipeline_file(files[0])
    assert identity.current_employer == "Lanternworks"
    assert identity.emails == ("tomasz.wren@fastmail.com", "t.wren@lanternworks.io")
    assert [(e.company, e.aliases, e.key) for e in entries] == [
        ("Orbital Foods, Inc.", ("Orbital",), 1),
        ("Cedar Robotics GmbH", (), 2),
    ]


def test_read_events_parses_times(files):
    first = next(read_events(files[1]))
    assert first.start.isoformat() == "2026-09-14T15:00:00+02:00"
    assert first.attendees == ("tomasz.wren@fastmail.com",)


def test_bad_events_line_is_an_error(files, capsys):
    files[1].write_text(json.dumps(INTERVIEW) + "\n{not json\n", encoding="utf-8")
    out = io.StringIO()
    assert run_detect(*files, out) == 1
    assert "events.jsonl:2" in capsys.readouterr().err


def test_missing_or_malformed_pipeline_is_an_error(files, tmp_path, capsys):
    assert run_detect(tmp_path / "absent.json", files[1], io.StringIO()) == 1
    broken = tmp_path / "broken.json"
    broken.write_text('{"user": {}, "pipeline": [{"role": "x"}]}', encoding="utf-8")
    assert run_detect(broken, files[1], io.StringIO()) == 1
    assert "no company" in capsys.readouterr().err
