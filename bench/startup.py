"""``calendar-desktop --smoke`` (offscreen) with 10,000 stored events: start-up time and peak memory.
Prints one JSON document.

    python bench/startup.py [--events 10000] [--runs 5]

The profile is seeded through the store with a year of events (a tenth with attendees and a
location), a pipeline of 20 applications and a few interviews and suggestions, as a user's would
look after some weeks. Each run is a fresh process: ``startup_ms`` is what the app prints once
its window is shown and idle (measured from the start of the interpreter), ``wall_s`` the whole
process including Qt's shutdown, ``max_rss_mb`` its peak resident memory (``wait4`` of that
child). An empty profile is measured the same way for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import machine, median, run_child  # noqa: E402
from calendar_desktop.domain import CalendarInfo, ChangePage, Event, ProviderKind, RemoteItem, RoleType, Stage  # noqa: E402
from calendar_desktop.paths import AppPaths  # noqa: E402
from calendar_desktop.store import Store  # noqa: E402

RUN_ALL_ARGS = {"quick": ["--runs", "2"]}
TARGET_MS = 1000
TARGET_RSS_MB = 250
COMPANIES = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell",
             "Cyberdyne", "Soylent", "Gringotts", "Oscorp", "Monarch", "Aperture", "Massive", "Dunder", "Pied Piper", "Nakatomi")  # fmt: skip


def seed(profile: Path, count: int) -> None:
    paths = AppPaths.profile(profile)
    paths.ensure()
    store = Store.open(paths.database)
    try:
        account = store.accounts.add(ProviderKind.GOOGLE, "me@example.com", "me@example.com")
        calendars = store.calendars.replace_from_provider(
            account.id, [CalendarInfo("me@example.com", "Personal"), CalendarInfo("work", "Work")]
        )
        start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=30)
        for first in range(0, count, 2500):
            items = []
            for n in range(first, min(count, first + 2500)):
                begin = start + timedelta(minutes=50 * n)
                interview = n % 400 == 0
                title = f"Interview with {COMPANIES[n // 400 % 20]}: Backend Engineer" if interview else f"Meeting {n}"
                extra = {"attendees": ("lee@example.com", "me@example.com"), "location": "Room 4"} if n % 10 == 0 else {}
                event = Event(remote_id=f"ev-{n}", resource_id=f"ev-{n}", uid=f"ev-{n}@example.com", title=title,
                              start=begin, end=begin + timedelta(minutes=30), etag=f'"{n}"', **extra)  # fmt: skip
                items.append(RemoteItem(event.resource_id, event.etag, (event,)))
            store.events.apply_page(calendars[n % 2].id, ChangePage(items=tuple(items), cursor="seeded"))
        for i, company in enumerate(COMPANIES):
            application = store.applications.add(company, "Backend Engineer", RoleType.FULL_TIME)
            if i < 5:
                when = start + timedelta(days=35 + i)
                store.interviews.add(application.id, Stage.TECHNICAL, when, when + timedelta(hours=1), title=f"Interview: {company}")
    finally:
        store.close()


def smoke(profile: Path) -> dict[str, float]:
    child = run_child(["-m", "calendar_desktop", "--profile", str(profile), "--smoke"], env={"QT_QPA_PLATFORM": "offscreen"})
    found = re.search(r"startup_ms=(\d+)", child.out)
    if not found:
        raise RuntimeError(f"--smoke printed no start-up time: {child.out[-500:]!r}")
    return {"startup_ms": float(found.group(1)), "wall_s": child.wall_s, "max_rss_mb": child.max_rss_mb}


def summary(runs: list[dict[str, float]]) -> dict[str, object]:
    return {
        "startup_ms": median([r["startup_ms"] for r in runs], 0),
        "wall_s": median([r["wall_s"] for r in runs]),
        "max_rss_mb": median([r["max_rss_mb"] for r in runs], 1),
        "worst_startup_ms": max(r["startup_ms"] for r in runs),
        "worst_max_rss_mb": round(max(r["max_rss_mb"] for r in runs), 1),
        "every_startup_ms": [r["startup_ms"] for r in runs],
    }


def measure(events: int, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        empty, full = Path(scratch) / "empty", Path(scratch) / "full"
        seed(full, events)
        smoke(full)  # warm the page cache and Python's bytecode cache: later runs are what a user sees daily
        smoke(empty)
        return {
            "events": events,
            "with_events": summary([smoke(full) for _ in range(runs)]),
            "empty_profile": summary([smoke(empty) for _ in range(runs)]),
            "targets": {"startup_ms": TARGET_MS, "max_rss_mb": TARGET_RSS_MB},
            "machine": machine(),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.events, args.runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
