"""Bad local state through the CLI: each gives a clear message and a way out, never a traceback."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from calendar_desktop.store import LATEST_VERSION
from tests.badstate.conftest import Locker, damage, database, from_the_future, schema_version, upgraded_profile
from tests.support.cli import run_cli


def test_a_damaged_database_names_the_backup_made_before_upgrading(profile_dir: Path) -> None:
    backup = upgraded_profile(profile_dir)
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Beta").code == 0
    damage(database(profile_dir), "application")
    assert run_cli(profile_dir, "accounts", "list").code == 0, "the damage shows only where it is"

    listed = run_cli(profile_dir, "pipeline", "list")

    assert listed.code == 1
    message = listed.err
    assert "damaged" in message and str(backup) in message and "copy the backup in its place" in message
    assert "Traceback" not in message

    # The way out the message gives: move the damaged file away and put the backup in its place.
    database(profile_dir).rename(database(profile_dir).with_suffix(".damaged"))
    shutil.copy(backup, database(profile_dir))
    restored = run_cli(profile_dir, "pipeline", "list", "--json")
    assert restored.code == 0, restored.err
    assert [a["company"] for a in restored.json()] == ["Acme"], "what the backup held; later entries are lost"
    assert schema_version(database(profile_dir)) == LATEST_VERSION, "the restored copy is upgraded again"


def test_a_file_that_is_no_database_at_all(profile_dir: Path) -> None:
    path = database(profile_dir)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 a zip file saved over the database " * 300)

    result = run_cli(profile_dir, "accounts", "list")

    assert result.code == 1
    assert "damaged" in result.err and "Move the file away to start afresh" in result.err
    path.rename(path.with_suffix(".damaged"))
    assert run_cli(profile_dir, "accounts", "list").code == 0, "after moving it away the app starts afresh"


def test_a_database_from_a_newer_version_is_left_untouched(profile_dir: Path) -> None:
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Acme").code == 0
    from_the_future(database(profile_dir))

    result = run_cli(profile_dir, "pipeline", "list")

    assert result.code == 1
    assert "newer calendar-desktop" in result.err and "Update calendar-desktop" in result.err and "--profile" in result.err
    assert schema_version(database(profile_dir)) == LATEST_VERSION + 1
    assert not list(database(profile_dir).parent.glob("*.backup-*")), "no backup or migration was attempted"


def test_a_lock_released_within_the_busy_timeout_is_waited_for(profile_dir: Path, locker: type[Locker]) -> None:
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Acme").code == 0
    lock = locker(database(profile_dir))
    assert run_cli(profile_dir, "pipeline", "list").code == 0, "reading works while another program writes"

    releasing = threading.Timer(1.0, lock.release)
    releasing.start()
    added = run_cli(profile_dir, "pipeline", "add", "--company", "Beta")
    releasing.join()

    assert added.code == 0, added.err


@pytest.mark.slow
def test_a_lock_held_past_the_busy_timeout_is_a_clear_message(profile_dir: Path, locker: type[Locker]) -> None:
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Acme").code == 0
    lock = locker(database(profile_dir))

    blocked = run_cli(profile_dir, "pipeline", "add", "--company", "Beta")  # waits SQLite's busy timeout (15 s)

    assert blocked.code == 1
    assert "locked by another program" in blocked.err and "try again" in blocked.err
    lock.release()
    assert run_cli(profile_dir, "pipeline", "add", "--company", "Beta").code == 0, "the way out: try again"
