"""The headless CLI against a real Radicale: accounts add caldav, sync, events list --json."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from calendar_desktop.core.service import AppService
from calendar_desktop.paths import AppPaths
from calendar_desktop.secrets import SecretStore
from tests.servers.calendars import edited, sample_calendar
from tests.servers.dav import DavAccount
from tests.servers.oracle import expected_occurrences
from tests.support.cli import REPO, run_process
from tests.support.keyrings import FileKeyring
from tests.sync.helpers import controller_for


def test_accounts_add_sync_and_list_events(profile_dir: Path, radicale: DavAccount) -> None:
    radicale.make_calendar("work", display_name="Work")
    sample = sample_calendar(40, seed=41)
    radicale.seed("work", sample)
    added = run_process("--profile", str(profile_dir), "accounts", "add", "caldav", "--url", radicale.url,
                        "--username", radicale.username, "--password-stdin", "--name", "Job hunt",
                        stdin=radicale.password + "\n")  # fmt: skip
    assert added.code == 0, added.err
    assert "Connected caldav account 1 (Job hunt)." in added.out
    assert radicale.password not in added.out + added.err
    assert radicale.password in FileKeyring().values(), "the password is in the keyring"
    assert radicale.password not in (profile_dir / "data" / "calendar.sqlite3").read_bytes().decode("latin-1")

    events = run_process("--profile", str(profile_dir), "events", "list", "--json").json()
    service = AppService.open(AppPaths.profile(profile_dir), secrets=SecretStore(FileKeyring()))
    try:
        want = expected_occurrences(radicale.server_items("work"), controller_for(service).window())
    finally:
        service.close()
    assert len(events) == len(want)
    assert {(e["uid"], e["recurrence_id"]) for e in events} == {(o.uid, o.recurrence_id) for o in want}
    assert f"Account 1: {len(want)} added, 0 updated, 0 removed." in added.out

    (account,) = run_process("--profile", str(profile_dir), "accounts", "list", "--json").json()
    assert (account["name"], account["status"], account["last_error"]) == ("Job hunt", "connected", None)
    assert account["last_sync_at"]

    radicale.put("work", edited(sample[14], "Renamed:"))
    again = run_process("--profile", str(profile_dir), "sync", "--json")
    assert again.code == 0, again.err
    (result,) = again.json()
    assert (result["ok"], result["added"], result["updated"], result["removed"]) == (True, 0, 1, 0)


def test_a_refused_password_keeps_nothing(profile_dir: Path, radicale: DavAccount) -> None:
    result = run_process("--profile", str(profile_dir), "accounts", "add", "caldav", "--url", radicale.url,
                         "--username", radicale.username, "--password-stdin", stdin="wrong\n")  # fmt: skip
    assert result.code == 1
    assert "app-specific password" in result.err and "Traceback" not in result.err
    assert run_process("--profile", str(profile_dir), "accounts", "list", "--json").json() == []


def test_the_sync_path_never_imports_qt(profile_dir: Path, radicale: DavAccount) -> None:
    radicale.make_calendar("work", display_name="Work")
    radicale.seed("work", sample_calendar(5, seed=42))
    service = AppService.open(AppPaths.profile(profile_dir), secrets=SecretStore(FileKeyring()))
    try:
        from tests.servers.fixtures import connect_account

        connect_account(service, radicale)
    finally:
        service.close()
    probe = (
        "import sys, calendar_desktop.cli.main as m; code = m.main(['--profile', sys.argv[1], 'sync']); "
        "print(code, any(k.startswith('PySide6') for k in sys.modules), 'caldav' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", probe, str(profile_dir)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "0 False False", "no Qt, and not even the caldav library, on sync"
