"""Bad local state at the window's start (``--smoke``, offscreen): a message and exit code 1 when
the database cannot be used, a normal start when it can be read. A hang fails the test through
the subprocess timeout."""

from __future__ import annotations

import re
from pathlib import Path

from calendar_desktop.domain import CalendarInfo, ProviderKind
from calendar_desktop.store import Store
from tests.badstate.conftest import Locker, damage, database, from_the_future, upgraded_profile
from tests.support.cli import Result, run_cli, run_process
from tests.support.events import make_event, page


def smoke(profile: Path) -> Result:
    return run_process("--profile", str(profile), "--smoke", env={"QT_QPA_PLATFORM": "offscreen"}, timeout=45)


def test_a_database_with_an_unreadable_schema_stops_the_start_with_a_message(profile_dir: Path) -> None:
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Acme").code == 0
    damage(database(profile_dir))

    result = smoke(profile_dir)

    assert result.code == 1
    assert "damaged" in result.err and "Move the file away" in result.err
    assert "Traceback" not in result.err


def test_a_damaged_table_found_by_the_first_load_stops_the_window_with_the_way_out(profile_dir: Path) -> None:
    backup = upgraded_profile(profile_dir)
    damage(database(profile_dir), "application")  # opening works; the Pipeline pane's first load does not

    result = smoke(profile_dir)

    assert result.code == 1
    assert "damaged" in result.err and str(backup) in result.err and "copy the backup in its place" in result.err
    assert "startup_ms" not in result.out, "the window never reports itself ready on a database it cannot read"
    assert "Traceback" not in result.err


def test_a_database_from_a_newer_version_stops_the_start_with_a_message(profile_dir: Path) -> None:
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Acme").code == 0
    from_the_future(database(profile_dir))

    result = smoke(profile_dir)

    assert result.code == 1
    assert "newer calendar-desktop" in result.err and "Traceback" not in result.err


def test_the_window_starts_while_another_program_holds_a_write_lock(profile_dir: Path, locker: type[Locker]) -> None:
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Acme").code == 0
    locker(database(profile_dir))

    result = smoke(profile_dir)

    assert result.code == 0, result.err
    assert re.fullmatch(r"startup_ms=\d+", result.out.strip())


def test_damage_found_by_the_events_pane_loading_after_the_window_is_ready_still_fails_the_smoke(profile_dir: Path) -> None:
    store = Store.open(database(profile_dir))
    try:
        account = store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com")
        (calendar,) = store.calendars.replace_from_provider(account.id, [CalendarInfo("work", "Work")])
        store.events.apply_page(calendar.id, page(*(make_event(i) for i in range(300))))
    finally:
        store.close()
    damage(database(profile_dir), "event")  # the Events tab is not the one shown: it loads after `ready`

    result = smoke(profile_dir)

    assert result.code == 1
    assert "damaged" in result.err and "Move the file away" in result.err and "Traceback" not in result.err
