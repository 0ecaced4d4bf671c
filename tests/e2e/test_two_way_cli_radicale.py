"""Issue 8's scenario through the CLI on a real Radicale: schedule an interview in the app, it is
written once; move it on the server, and after two syncs the app shows the new time while the
server still holds exactly one event."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.servers.dav import DavAccount
from tests.support.cli import Result, run_process

START = (datetime.now(UTC) + timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)


def test_schedule_in_the_app_then_move_on_the_server(radicale: DavAccount, tmp_path: Path) -> None:
    profile = tmp_path / "profile"

    def cli(*args: str, stdin: str | None = None) -> Result:
        result = run_process("--profile", str(profile), *args, stdin=stdin, timeout=120)
        assert result.code == 0, (args, result.err)
        return result

    radicale.make_calendar("work", display_name="Work")
    cli("accounts", "add", "caldav", "--url", radicale.url, "--username", radicale.username, "--password-stdin",
        stdin=radicale.password + "\n")  # fmt: skip
    cli("pipeline", "add", "--company", "Acme", "--role", "Platform Engineer")
    [calendar] = [c for c in json.loads(cli("calendars", "list", "--json").out) if c["name"] == "Work"]
    cli("calendars", "write-target", str(calendar["id"]))
    cli("interviews", "add", "--application", "1", "--start", START.isoformat(), "--end", (START + timedelta(hours=1)).isoformat())
    cli("sync")

    items = radicale.server_items("work")
    assert len(items) == 1, "exactly one event on the server"
    (href, text), = items.items()
    assert f"DTSTART:{START:%Y%m%dT%H%M%SZ}" in text.replace("\r\n ", "")

    moved = START + timedelta(days=1, hours=3)
    moved_text = re.sub(r"DTSTART[^\r\n]*", f"DTSTART:{moved:%Y%m%dT%H%M%SZ}", text)
    moved_text = re.sub(r"DTEND[^\r\n]*", f"DTEND:{moved + timedelta(hours=1):%Y%m%dT%H%M%SZ}", moved_text)
    response = radicale.http.put(radicale.item_url("work", href.rsplit("/", 1)[-1]), content=moved_text.encode(),
                                 headers={"Content-Type": "text/calendar; charset=utf-8"})  # fmt: skip
    assert response.status_code in (201, 204)
    cli("sync")
    cli("sync")

    [interview] = json.loads(cli("interviews", "list", "--json").out)
    assert datetime.fromisoformat(interview["start"]) == moved
    assert len(radicale.server_items("work")) == 1, "still exactly one event"
    history = json.loads(cli("history", "--json").out)
    assert [run["outcome"] for run in history if run["direction"] == "push"] == ["ok"], "pushed once, never echoed back"
