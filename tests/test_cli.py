"""The headless CLI: commands, JSON shapes (DESIGN.md §4), exit codes and messages."""

from __future__ import annotations

import re
from pathlib import Path

from calendar_desktop import __version__
from calendar_desktop.domain import CalendarInfo, EventStatus, ProviderKind
from calendar_desktop.store import Store
from tests.support.cli import run_cli, run_process
from tests.support.events import make_event, page


def seed_events(profile: Path) -> tuple[int, int]:
    store = Store.open(profile / "data" / "calendar.sqlite3")
    try:
        account = store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com", server_url="https://dav.example.com")
        (calendar,) = store.calendars.replace_from_provider(account.id, [CalendarInfo("work", "Work")])
        store.events.apply_page(
            calendar.id,
            page(make_event(1, title="Standup"), make_event(30, title="Old", status=EventStatus.CANCELLED), make_event(2, all_day=True)),
        )
        return account.id, calendar.id
    finally:
        store.close()


def test_version_from_a_real_process() -> None:
    result = run_process("--version")
    assert result.code == 0
    assert result.out.strip() == f"calendar-desktop {__version__}"


def test_pipeline_add_then_list_json(profile_dir: Path) -> None:
    added = run_cli(profile_dir, "pipeline", "add", "--company", "Acme", "--role", "Backend Engineer", "--alias", "Acme Inc.")
    assert added.code == 0, added.err
    listed = run_cli(profile_dir, "pipeline", "list", "--json")
    assert listed.json() == [
        {"id": 1, "company": "Acme", "aliases": ["Acme Inc."], "role": "Backend Engineer", "role_type": "unknown",
         "status": "applied", "archived": False}
    ]  # fmt: skip


def test_profile_option_after_the_command(profile_dir: Path, tmp_path: Path) -> None:
    from calendar_desktop.cli.main import main
    import io

    out = io.StringIO()
    assert main(["pipeline", "add", "--company", "Late", "--profile", str(profile_dir)], out=out) == 0
    assert run_cli(profile_dir, "pipeline", "list", "--json").json()[0]["company"] == "Late"
    assert (profile_dir / "logs" / "calendar-desktop.log").exists(), "logs stay inside the profile"


def test_events_list_json_shape_and_range(profile_dir: Path) -> None:
    run_cli(profile_dir, "accounts", "list")  # creates the database
    _account, calendar_id = seed_events(profile_dir)
    events = run_cli(profile_dir, "events", "list", "--json").json()
    assert {tuple(sorted(e)) for e in events} == {
        tuple(sorted(["id", "uid", "calendar_id", "title", "start", "end", "all_day", "status", "recurrence_id"]))
    }
    by_title = {e["title"]: e for e in events}
    assert by_title["Standup"]["start"] == make_event(1).start.isoformat()
    assert by_title["Day 2"]["all_day"] is True and by_title["Day 2"]["start"] == "2026-03-04"
    assert by_title["Old"]["status"] == "cancelled"
    assert all(e["calendar_id"] == calendar_id for e in events)
    ranged = run_cli(profile_dir, "events", "list", "--json", "--from", "2026-03-02T09:30+00:00", "--to", "2026-03-03T00:00+00:00").json()
    assert [e["title"] for e in ranged] == ["Standup"]


def test_bad_date_is_a_usage_error(profile_dir: Path) -> None:
    result = run_cli(profile_dir, "events", "list", "--from", "next tuesday")
    assert result.code == 2
    assert "YYYY-MM-DD" in result.err


def test_forget_empties_calendar_data_but_keeps_the_pipeline(profile_dir: Path) -> None:
    run_cli(profile_dir, "pipeline", "add", "--company", "Acme", "--role", "SRE")
    seed_events(profile_dir)
    assert len(run_cli(profile_dir, "events", "list", "--json").json()) == 3
    result = run_cli(profile_dir, "forget")
    assert result.code == 0 and "Forgot 3 events" in result.out
    assert run_cli(profile_dir, "events", "list", "--json").json() == []
    assert [a["company"] for a in run_cli(profile_dir, "pipeline", "list", "--json").json()] == ["Acme"]
    assert len(run_cli(profile_dir, "accounts", "list", "--json").json()) == 1


def test_accounts_list_json_and_remove(profile_dir: Path) -> None:
    run_cli(profile_dir, "accounts", "list")
    account_id, _ = seed_events(profile_dir)
    accounts = run_cli(profile_dir, "accounts", "list", "--json").json()
    assert accounts == [
        {"id": account_id, "provider": "caldav", "name": "Work", "status": "connected", "last_sync_at": None, "last_error": None}
    ]
    removed = run_cli(profile_dir, "accounts", "remove", str(account_id))
    assert removed.code == 0, removed.err
    assert run_cli(profile_dir, "accounts", "list", "--json").json() == []
    assert run_cli(profile_dir, "events", "list", "--json").json() == []
    missing = run_cli(profile_dir, "accounts", "remove", str(account_id))
    assert missing.code == 2 and "accounts list" in missing.err


def test_calendars_list_select_and_write_target(profile_dir: Path) -> None:
    run_cli(profile_dir, "accounts", "list")
    account_id, calendar_id = seed_events(profile_dir)
    assert run_cli(profile_dir, "calendars", "write-target", str(calendar_id)).code == 0
    assert run_cli(profile_dir, "calendars", "list", "--json").json() == [
        {"id": calendar_id, "account_id": account_id, "name": "Work", "selected": True, "write_target": True, "read_only": False}
    ]
    assert run_cli(profile_dir, "calendars", "select", str(calendar_id), "--off").code == 0
    assert run_cli(profile_dir, "calendars", "list", "--json").json()[0]["selected"] is False
    assert run_cli(profile_dir, "events", "list", "--json").json() == []


def test_browser_sign_in_without_a_client_explains_what_to_set_up(profile_dir: Path, monkeypatch) -> None:
    for name in ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "MICROSOFT_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    google = run_cli(profile_dir, "accounts", "add", "google")
    assert google.code == 1 and "Google Cloud console" in google.err and "GOOGLE_CLIENT_ID" in google.err
    microsoft = run_cli(profile_dir, "accounts", "add", "microsoft")
    assert microsoft.code == 1 and "MICROSOFT_CLIENT_ID" in microsoft.err
    assert "Traceback" not in google.err + microsoft.err
    assert run_cli(profile_dir, "accounts", "list", "--json").json() == []


def test_interviews_add_and_list(profile_dir: Path) -> None:
    run_cli(profile_dir, "pipeline", "add", "--company", "Acme")
    result = run_cli(profile_dir, "interviews", "add", "--application", "1", "--start", "2026-03-05T15:00+00:00",
                     "--end", "2026-03-05T16:00+00:00", "--stage", "technical")  # fmt: skip
    assert result.code == 0, result.err
    assert run_cli(profile_dir, "interviews", "list", "--json").json() == [
        {"id": 1, "application_id": 1, "company": "Acme", "stage": "technical", "start": "2026-03-05T15:00:00+00:00",
         "end": "2026-03-05T16:00:00+00:00", "event_uid": None, "status": "scheduled"}
    ]  # fmt: skip
    backwards = run_cli(profile_dir, "interviews", "add", "--application", "1", "--start", "2026-03-05T15:00", "--end", "2026-03-05T14:00")
    assert backwards.code == 2


def test_me_set_and_show(profile_dir: Path) -> None:
    assert run_cli(profile_dir, "me", "set", "--email", "Alex@Example.com", "--employer", "Harborview").code == 0
    assert run_cli(profile_dir, "me", "show", "--json").json() == {"name": "", "emails": ["alex@example.com"], "employer": "Harborview"}


def test_no_keyring_backend_is_a_clear_error(profile_dir: Path) -> None:
    run_cli(profile_dir, "accounts", "list")
    account_id, _ = seed_events(profile_dir)
    result = run_process("--profile", str(profile_dir), "accounts", "remove", str(account_id),
                         env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})  # fmt: skip
    assert result.code == 1
    assert "No secure keyring" in result.err and "Traceback" not in result.err
    assert len(run_cli(profile_dir, "accounts", "list", "--json").json()) == 1, "nothing is removed half-way"


def test_sync_without_accounts(profile_dir: Path) -> None:
    result = run_cli(profile_dir, "sync")
    assert result.code == 0 and "No accounts" in result.out


def test_smoke_prints_startup_time_on_an_empty_profile(profile_dir: Path) -> None:
    result = run_process("--profile", str(profile_dir), "--smoke", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.code == 0, result.err
    assert re.fullmatch(r"startup_ms=\d+", result.out.strip())


def test_sync_path_does_not_import_qt(profile_dir: Path) -> None:
    probe = "import sys, calendar_desktop.cli.main as m; m.main(['--profile', sys.argv[1], 'sync']); print(any(k.startswith('PySide6') for k in sys.modules))"
    import subprocess, sys, os

    proc = subprocess.run([sys.executable, "-c", probe, str(profile_dir)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False"


def test_interviews_update_and_delete(profile_dir: Path) -> None:
    run_cli(profile_dir, "pipeline", "add", "--company", "Acme")
    run_cli(profile_dir, "interviews", "add", "--application", "1", "--start", "2026-03-05T15:00+00:00", "--end", "2026-03-05T16:00+00:00")
    updated = run_cli(profile_dir, "interviews", "update", "1", "--start", "2026-03-06T15:00+00:00", "--end", "2026-03-06T16:00+00:00", "--stage", "final")
    assert updated.code == 0, updated.err
    [interview] = run_cli(profile_dir, "interviews", "list", "--json").json()
    assert (interview["start"], interview["stage"]) == ("2026-03-06T15:00:00+00:00", "final")
    assert run_cli(profile_dir, "interviews", "update", "1").code == 2
    assert run_cli(profile_dir, "interviews", "delete", "1").code == 0
    assert run_cli(profile_dir, "interviews", "list", "--json").json() == []
    assert run_cli(profile_dir, "conflicts", "list", "--json").json() == []
