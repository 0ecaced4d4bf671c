"""The local store: round trips, atomic pages, de-duplication, reconciliation, migrations."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calendar_desktop.domain import (
    ApplicationStatus,
    CalendarInfo,
    ChangePage,
    Confidence,
    EventStatus,
    ProviderKind,
    RemoteItem,
    RoleType,
    Stage,
    SuggestionKind,
    SuggestionStatus,
)
from calendar_desktop.store import DatabaseCorrupt, DatabaseTooNew, EventQuery, NewSuggestion, Store
from calendar_desktop.store.migrations import LATEST_VERSION, MIGRATIONS, migrate
from calendar_desktop.store.database import connect
from tests.support.events import make_event, page


@pytest.fixture
def store(tmp_path: Path):
    store = Store.open(tmp_path / "db.sqlite3")
    yield store
    store.close()


@pytest.fixture
def calendar_id(store: Store) -> int:
    account = store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com", server_url="https://dav.example.com")
    calendars = store.calendars.replace_from_provider(account.id, [CalendarInfo("cal-1", "Work", "#336699")])
    return calendars[0].id


def test_pragmas_wal_and_foreign_keys(store: Store) -> None:
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.version == LATEST_VERSION


def test_account_round_trip(store: Store) -> None:
    account = store.accounts.add(ProviderKind.GOOGLE, "Personal", "me@gmail.com", read_only=True, options={"mode": "read"})
    again = store.accounts.get(account.id)
    assert again == account
    assert again.read_only and again.options == {"mode": "read"}
    assert len(account.secret_key) == 32


def test_calendars_follow_the_provider_list(store: Store) -> None:
    account = store.accounts.add(ProviderKind.CALDAV, "A", "u")
    store.calendars.replace_from_provider(account.id, [CalendarInfo("a", "Alpha"), CalendarInfo("b", "Beta")])
    kept = store.calendars.replace_from_provider(account.id, [CalendarInfo("b", "Beta renamed", "#ff0000")])
    assert [(c.remote_id, c.name, c.color) for c in kept] == [("b", "Beta renamed", "#ff0000")]
    assert all(c.selected for c in kept)


def test_page_insert_then_relist_is_not_an_edit(store: Store, calendar_id: int) -> None:
    events = [make_event(i) for i in range(5)]
    first = store.events.apply_page(calendar_id, page(*events, cursor="t1"))
    assert len(first.added) == 5 and not first.updated and not first.removed
    again = store.events.apply_page(calendar_id, page(*events, cursor="t2"))
    assert not again, "re-listing unchanged events must change nothing"
    assert store.events.count() == 5
    assert store.calendars.get(calendar_id).cursor == "t2"


def test_duplicate_item_in_a_page_is_stored_once(store: Store, calendar_id: int) -> None:
    e = make_event(1)
    changes = store.events.apply_page(calendar_id, ChangePage(items=(RemoteItem("ev-1", "a", (e,)), RemoteItem("ev-1", "b", (e,)))))
    assert len(changes.added) == 1
    assert store.events.count() == 1


def test_update_cancel_and_remove(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(make_event(1), make_event(2), make_event(3)))
    changes = store.events.apply_page(
        calendar_id,
        page(make_event(1, title="Moved", hours=2), make_event(2, status=EventStatus.CANCELLED), removed=("ev-3",)),
    )
    assert [(b.event.title, a.event.title) for b, a in changes.updated] == [("Event 1", "Moved")]
    assert [c.event.remote_id for c in changes.cancelled] == ["ev-2"]
    assert [r.event.remote_id for r in changes.removed] == ["ev-3"]
    stored = {s.event.remote_id: s.event for s in store.events.list()}
    assert stored["ev-1"].start == make_event(1, hours=2).start
    assert stored["ev-2"].status is EventStatus.CANCELLED
    assert "ev-3" not in stored


def test_new_etag_without_content_change_is_not_an_update(store: Store, calendar_id: int) -> None:
    e = make_event(1)
    store.events.apply_page(calendar_id, ChangePage(items=(RemoteItem("ev-1", "etag-1", (e,)),)))
    changes = store.events.apply_page(calendar_id, ChangePage(items=(RemoteItem("ev-1", "etag-2", (e,)),)))
    assert not changes
    assert store.events.list()[0].event.etag == "etag-2"


def test_resource_replacement_drops_vanished_instances(store: Store, calendar_id: int) -> None:
    master = make_event(1, resource="series.ics")
    instances = [dataclasses.replace(master, remote_id=f"series.ics#{i}", recurrence_id=f"2026-03-0{i}") for i in range(1, 4)]
    store.events.apply_page(calendar_id, ChangePage(items=(RemoteItem("series.ics", "e1", tuple(instances)),)))
    changes = store.events.apply_page(calendar_id, ChangePage(items=(RemoteItem("series.ics", "e2", tuple(instances[:2])),)))
    assert [r.event.remote_id for r in changes.removed] == ["series.ics#3"]
    assert store.events.count() == 2


def test_full_listing_reconciles_what_the_server_no_longer_has(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(*[make_event(i) for i in range(4)], cursor="old"))
    store.calendars.begin_full_listing(calendar_id)
    assert store.calendars.get(calendar_id).cursor is None
    store.events.apply_page(calendar_id, page(make_event(0), full=True, last=False, cursor=None))
    changes = store.events.apply_page(calendar_id, page(make_event(1), full=True, last=True, cursor="new"))
    assert sorted(r.event.remote_id for r in changes.removed) == ["ev-2", "ev-3"]
    assert sorted(s.event.remote_id for s in store.events.list()) == ["ev-0", "ev-1"]
    assert store.calendars.get(calendar_id).cursor == "new"


def test_a_full_listing_keeps_the_last_good_copy_of_an_item_it_could_not_read(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(*[make_event(i) for i in range(3)], cursor="old"))
    store.calendars.begin_full_listing(calendar_id)
    first = dataclasses.replace(page(make_event(0), full=True, last=False, cursor=None), skipped=1, unreadable=("ev-1",))
    store.events.apply_page(calendar_id, first)
    changes = store.events.apply_page(calendar_id, page(full=True, last=True, cursor="new"))
    assert [r.event.remote_id for r in changes.removed] == ["ev-2"]
    assert sorted(s.event.remote_id for s in store.events.list()) == ["ev-0", "ev-1"]


def test_finding_passes_left_running_does_not_scan_the_history(store: Store) -> None:
    plan = store.db.execute_sql(
        "EXPLAIN QUERY PLAN UPDATE sync_run SET outcome = ? WHERE outcome = ?", ("cancelled", "running")
    ).fetchall()
    assert any("USING INDEX sync_run_running" in row[-1] for row in plan), plan


def test_a_failed_page_leaves_nothing_behind(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(make_event(1), cursor="t1"))
    bad = page(make_event(2), make_event(3), cursor="t2")
    object.__setattr__(bad.items[1].events[0], "title", None)  # violates NOT NULL half-way through the page
    with pytest.raises(Exception):
        store.events.apply_page(calendar_id, bad)
    assert store.events.count() == 1
    assert store.calendars.get(calendar_id).cursor == "t1"


def test_descriptions_are_kept_only_on_request(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(make_event(1, description="secret agenda")))
    assert store.events.list()[0].event.description == ""
    changes = store.events.apply_page(calendar_id, page(make_event(1, description="secret agenda")))
    assert not changes, "a description that is not stored must not look like an edit"
    store.events.apply_page(calendar_id, page(make_event(2, description="kept")), keep_descriptions=True)
    assert store.events.by_remote_id(calendar_id, "ev-2").event.description == "kept"


def test_all_day_events_round_trip_as_dates(store: Store, calendar_id: int) -> None:
    e = make_event(3, all_day=True)
    store.events.apply_page(calendar_id, page(e))
    stored = store.events.list()[0].event
    assert stored.all_day and stored.start == e.start and stored.end == e.end


def test_event_queries(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(*[make_event(i) for i in range(10)], make_event(20, title="Interview 100%_x")))
    start = make_event(2).start
    window = store.events.list(EventQuery(start=start, end=start + timedelta(hours=3)))
    assert [s.event.remote_id for s in window] == ["ev-2", "ev-3", "ev-4"]
    assert [s.event.title for s in store.events.list(EventQuery(text="100%_"))] == ["Interview 100%_x"]
    assert store.events.list(EventQuery(text="0%x")) == []


def test_overlapping_is_bounded_by_the_longest_timed_event_yet_finds_it(store: Store, calendar_id: int) -> None:
    slot = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)

    def at(n: int, start: datetime, minutes: int, **changes: object):  # type: ignore[no-untyped-def]
        return dataclasses.replace(make_event(n), start=start, end=start + timedelta(minutes=minutes), **changes)

    week_long = at(1, slot - timedelta(days=5), 7 * 24 * 60, title="Conference")
    ends_at_start = at(2, slot - timedelta(hours=1), 60, title="Before")
    inside = at(3, slot + timedelta(minutes=15), 30, title="Inside")
    starts_at_end = at(4, slot + timedelta(hours=1), 60, title="After")
    cancelled = at(5, slot, 30, title="Cancelled", status=EventStatus.CANCELLED)
    all_day = make_event(8, all_day=True)  # 10 March, the slot's day
    store.events.apply_page(calendar_id, page(week_long, ends_at_start, inside, starts_at_end, cancelled, all_day))

    found = store.events.overlapping(slot, slot + timedelta(hours=1), [calendar_id])

    assert [s.event.title for s in found] == ["Conference", "Inside"]
    assert store.events.overlapping(slot, slot + timedelta(hours=1), []) == []


def test_deselecting_a_calendar_removes_its_events(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(make_event(1), cursor="t"))
    calendar = store.calendars.set_selected(calendar_id, False)
    assert not calendar.selected and calendar.cursor is None
    assert store.events.count() == 0


def test_write_target_is_unique_and_refuses_read_only(store: Store) -> None:
    account = store.accounts.add(ProviderKind.CALDAV, "A", "u")
    a, b, ro = store.calendars.replace_from_provider(
        account.id, [CalendarInfo("a", "A"), CalendarInfo("b", "B"), CalendarInfo("r", "Readonly", read_only=True)]
    )
    store.calendars.set_write_target(a.id)
    store.calendars.set_write_target(b.id)
    assert store.calendars.write_target().id == b.id
    with pytest.raises(ValueError, match="read-only"):
        store.calendars.set_write_target(ro.id)


def test_pipeline_round_trip(store: Store, calendar_id: int) -> None:
    app = store.applications.add("Acme", "Backend Engineer", RoleType.FULL_TIME, aliases=("Acme Inc.",))
    assert store.applications.get(app.id) == app
    start = datetime(2026, 3, 5, 15, tzinfo=UTC)
    interview = store.interviews.add(app.id, Stage.TECHNICAL, start, start + timedelta(hours=1), title="Tech")
    assert store.interviews.get(interview.id).stage is Stage.TECHNICAL
    moved = store.interviews.update(interview.id, start=start + timedelta(days=1), end=start + timedelta(days=1, hours=1))
    assert moved.start == start + timedelta(days=1)
    with pytest.raises(ValueError):
        store.interviews.update(interview.id, end=start)
    archived = store.applications.update(app.id, archived=True, status=ApplicationStatus.REJECTED)
    assert archived.archived and store.applications.list() == []


def test_suggestions_pending_first(store: Store) -> None:
    one = store.suggestions.add(NewSuggestion(SuggestionKind.NEW_INTERVIEW, Confidence.HIGH, 0.9, company="Acme"))
    two = store.suggestions.add(NewSuggestion(SuggestionKind.NEW_INTERVIEW, Confidence.LOW, 0.2, company="Beta"))
    store.suggestions.resolve(two.id, SuggestionStatus.DISMISSED)
    assert [s.id for s in store.suggestions.list()] == [one.id, two.id]
    assert store.suggestions.pending_count() == 1


def test_forget_keeps_accounts_and_pipeline(store: Store, calendar_id: int) -> None:
    store.events.apply_page(calendar_id, page(make_event(1), cursor="t"))
    store.applications.add("Acme")
    store.suggestions.add(NewSuggestion(SuggestionKind.NEW_INTERVIEW, Confidence.HIGH, 1.0))
    assert store.forget_calendar_data() == 1
    assert store.events.count() == 0 and store.suggestions.list() == []
    assert store.calendars.get(calendar_id).cursor is None
    assert len(store.applications.list()) == 1 and len(store.accounts.list()) == 1


# --- migrations -------------------------------------------------------------------------------


def _columns(db, table: str) -> set[str]:
    return {row[1] for row in db.execute_sql(f"PRAGMA table_info({table})").fetchall()}


def test_models_match_the_migrated_schema(store: Store) -> None:
    from calendar_desktop.store.schema import build_tables

    for model in build_tables(store.db).all():
        table = model._meta.table_name
        expected = {field.column_name for field in model._meta.sorted_fields}
        assert expected <= _columns(store.db, table), table


@pytest.mark.parametrize("version", [v for v, _, _ in MIGRATIONS])
def test_every_earlier_version_upgrades(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite3"
    db = connect(path)
    migrate(db, None, target=version)
    db.execute_sql(
        "INSERT INTO application (company, role, created_at, updated_at) VALUES ('Acme', 'SRE', '2026-01-01', '2026-01-01')"
    )
    db.close()
    store = Store.open(path)
    try:
        assert store.version == LATEST_VERSION
        assert [a.company for a in store.applications.list()] == ["Acme"]
        assert store.integrity_ok()
        if version < LATEST_VERSION:
            assert list(tmp_path.glob("old.sqlite3.backup-v*")), "a backup is made before migrating"
    finally:
        store.close()


def test_empty_database_gets_the_latest_schema_without_backup(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.sqlite3")
    store.close()
    assert not list(tmp_path.glob("*.backup-*"))


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseTooNew, match="newer calendar-desktop"):
        Store.open(path)
    with sqlite3.connect(path) as conn:
        assert schema_version_raw(conn) == LATEST_VERSION + 1, "the newer database is left untouched"
    conn.close()


def schema_version_raw(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def test_corrupt_file_gives_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(DatabaseCorrupt, match="(?i)move the file away"):
        Store.open(path)
