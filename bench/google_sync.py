"""Initial and no-change sync against the Google emulator, next to a bare client downloading the
same pages in the same run. Prints one JSON document.

    python bench/google_sync.py [--events 10000] [--runs 3]

* ``initial``: ``calendar-desktop sync`` on a fresh profile whose account is connected (its refresh
  token in the test suite's file keyring), the whole process timed (wall, peak RSS); and the same
  pass in this process through the app's ``SyncController`` (no interpreter start, no imports).
* ``bare_download``: the requests the provider makes for the event pages (same ``fields``,
  ``maxResults``, ``timeMin``, ``singleEvents``), sent with ``http.client`` on one keep-alive
  connection, bodies read and parsed for the next page token, nothing else.
* ``no_change``: a second ``sync`` with nothing changed: requests by path, whole-process wall time,
  and the pass alone in this process.
* ``initial_with_page_latency``: the initial sync again with the emulator holding each event page
  for ``--page-latency-ms`` (a stand-in for a real server's time to prepare 2,500 events), which
  the bare client waits for too.

The emulator serves from this process (threads); it renders every page, which costs the app and
the bare client alike. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import machine, median, python_startup_s, run_child, timed_pass  # noqa: E402
from calendar_desktop.core.service import AppService  # noqa: E402
from calendar_desktop.domain import ProviderKind, SyncWindow  # noqa: E402
from calendar_desktop.paths import AppPaths  # noqa: E402
from calendar_desktop.providers.base import NewAccount  # noqa: E402
from calendar_desktop.providers.google import GoogleEndpoints  # noqa: E402
from calendar_desktop.providers.google.provider import LIST_FIELDS, PAGE_SIZE  # noqa: E402
from calendar_desktop.providers.google.scopes import AccessMode  # noqa: E402
from calendar_desktop.secrets import SecretStore  # noqa: E402
from calendar_desktop.settings import Settings  # noqa: E402
from tests.emulators.google import GoogleEmulator, all_day, timed  # noqa: E402
from tests.support.keyrings import FileKeyring  # noqa: E402

RUN_ALL_ARGS = {"quick": ["--events", "3000", "--runs", "1"]}
TARGET_RATIO = 1.3
KEYRING_ENV = "CALENDAR_DESKTOP_TEST_KEYRING"


def seed(google: GoogleEmulator, count: int) -> None:
    """A realistic year: timed meetings (a tenth with a description and attendees) and some all-day events."""
    start = datetime.now(UTC).replace(hour=7, minute=0, second=0, microsecond=0) - timedelta(days=20)
    bodies = []
    for i in range(count):
        if i % 25 == 0:
            bodies.append(all_day((start + timedelta(minutes=45 * i)).date(), summary=f"Offsite {i}"))
            continue
        extra = {}
        if i % 10 == 0:
            extra = {
                "description": "Agenda: roadmap, hiring, budget. " * 4,
                "attendees": [{"email": f"person{i % 50}@example.com"}, {"email": google.state.email}],
                "location": "Room 4",
            }
        bodies.append(timed(start + timedelta(minutes=45 * i), 30, summary=f"Meeting {i}", **extra))
    google.state.add_events(google.state.email, bodies)


def connect(profile: Path, google: GoogleEmulator) -> AppService:
    """A profile with the emulator's account connected, as ``accounts add google`` leaves it."""
    os.environ[KEYRING_ENV] = str(profile / "keyring.json")
    service = AppService.open(AppPaths.profile(profile), secrets=SecretStore(FileKeyring()))
    endpoints = GoogleEndpoints(google.auth_uri, google.token_uri, google.revoke_uri, google.api_root)
    mode = AccessMode.TWO_WAY
    secrets = {
        "refresh_token": google.grant_offline_access(mode.scopes),
        "client_id": google.client_id,
        "client_secret": google.client_secret,
    }
    options = {"mode": mode.value, "scopes": " ".join(mode.scopes), **endpoints.to_options()}
    service.add_account(NewAccount(ProviderKind.GOOGLE, google.state.email, google.state.email, secrets, options=options))
    return service


def cli_sync(profile: Path) -> tuple[float, float, str]:
    child = run_child(
        ["-m", "calendar_desktop", "--profile", str(profile), "sync", "--json"],
        env={"PYTHON_KEYRING_BACKEND": "tests.support.keyrings.FileKeyring", KEYRING_ENV: str(profile / "keyring.json")},
    )
    [result] = json.loads(child.out)
    if not result["ok"]:
        raise RuntimeError(f"sync failed: {result['message']}")
    return child.wall_s, child.max_rss_mb, child.out


def pass_in_process(service: AppService) -> float:
    return timed_pass(service, service.list_accounts()[0].id)


def bare_download(google: GoogleEmulator) -> tuple[float, int, int]:
    """Seconds, pages and bytes to fetch every event page the way the provider asks for them."""
    token = _access_token(google)
    window = SyncWindow.around(datetime.now(UTC), Settings().window_days_back, Settings().window_days_ahead)
    base = urlsplit(google.api_root)
    path = f"/calendar/v3/calendars/{google.state.email}/events"
    params = {
        "singleEvents": "true",
        "maxResults": str(PAGE_SIZE),
        "fields": LIST_FIELDS,
        "timeMin": window.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=120)
    pages = size = 0
    started = time.perf_counter()
    page_token = None
    while True:
        query = {**params, **({"pageToken": page_token} if page_token else {})}
        connection.request("GET", f"{path}?{urlencode(query)}", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"bare client got {response.status}")
        pages, size = pages + 1, size + len(body)
        page_token = json.loads(body).get("nextPageToken")
        if not page_token:
            break
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, pages, size


def _access_token(google: GoogleEmulator) -> str:
    base = urlsplit(google.token_uri)
    form = urlencode(
        {
            "grant_type": "refresh_token",
            "refresh_token": google.grant_offline_access(AccessMode.TWO_WAY.scopes),
            "client_id": google.client_id,
            "client_secret": google.client_secret,
        }
    )
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    connection.request("POST", base.path, body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    token = json.loads(connection.getresponse().read())["access_token"]
    connection.close()
    return str(token)


def requests_by_path(google: GoogleEmulator) -> dict[str, int]:
    def kind(path: str) -> str:
        if path.endswith("/events"):
            return "events.list"
        if "calendarList" in path:
            return "calendarList.list"
        return path

    return dict(Counter(kind(r.path) for r in google.requests))


def initial_sync(google: GoogleEmulator, scratch: Path, runs: int, label: str) -> dict[str, object]:
    """Initial syncs (whole CLI process and in-process pass) next to the bare download, ``runs`` times."""
    cli, rss, passes, bare = [], [], [], []
    requests: dict[str, int] = {}
    for run in range(runs):
        bare.append(bare_download(google))
        profile = scratch / f"{label}-cli-{run}"
        connect(profile, google).close()
        google.clear_log()
        wall, peak, _ = cli_sync(profile)
        cli.append(wall)
        rss.append(peak)
        requests = requests_by_path(google)
        service = connect(scratch / f"{label}-pass-{run}", google)
        try:
            passes.append(pass_in_process(service))
        finally:
            service.close()
    download = median([b[0] for b in bare])
    return {
        "cli_process_s": median(cli),
        "cli_process_max_rss_mb": median(rss, 1),
        "pass_in_process_s": median(passes),
        "bare_download_s": download,
        "bare_download_pages": bare[0][1],
        "bare_download_megabytes": round(bare[0][2] / 1e6, 2),
        "ratio_cli_process_to_download": round(median(cli) / download, 2),
        "ratio_pass_to_download": round(median(passes) / download, 2),
        "requests": requests,
        "every_run_s": {"cli": [round(w, 3) for w in cli], "pass": [round(w, 3) for w in passes],
                        "bare": [round(b[0], 3) for b in bare]},
    }  # fmt: skip


class StageClock:
    """Adds up the time spent in named functions during a pass, by wrapping them in place."""

    def __init__(self, targets: dict[str, tuple[object, str]]) -> None:
        self._targets = targets
        self.seconds = dict.fromkeys(targets, 0.0)
        self._saved: list[tuple[object, str, object]] = []

    def __enter__(self) -> StageClock:
        for stage, (owner, name) in self._targets.items():
            original = getattr(owner, name)
            self._saved.append((owner, name, original))
            setattr(owner, name, self._timed(stage, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)

    def _timed(self, stage: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started

        return wrapper


def breakdown(google: GoogleEmulator, scratch: Path) -> dict[str, float]:
    """Where an initial pass spends its time, per 1,000 events (in this process, loopback)."""
    from calendar_desktop.core.tracker import InterviewTracker
    from calendar_desktop.providers.google import api, provider
    from calendar_desktop.store.events import EventRepository

    service = connect(scratch / "breakdown", google)
    try:
        stages = {
            "request_and_json_parse": (api.CalendarApi, "execute"),
            "normalize": (provider, "normalize_event"),
            "store_pages": (EventRepository, "apply_page"),
            "detect_and_track": (InterviewTracker, "on_changes"),
        }
        with StageClock(stages) as clock:
            total = pass_in_process(service)
        per_thousand = 1000 / max(1, service.count_events())
    finally:
        service.close()
    figures = {stage: round(seconds * per_thousand * 1000, 1) for stage, seconds in clock.seconds.items()}
    figures["whole_pass"] = round(total * per_thousand * 1000, 1)
    return {"unit": "ms per 1,000 events", **figures}  # type: ignore[dict-item]


def no_change_sync(google: GoogleEmulator, scratch: Path, runs: int) -> dict[str, object]:
    profile = scratch / "no-change"
    connect(profile, google).close()
    cli_sync(profile)
    cli, requests = [], {}
    for _ in range(runs):
        google.clear_log()
        cli.append(cli_sync(profile)[0])
        requests = requests_by_path(google)
    service = connect(scratch / "no-change-pass", google)
    try:
        pass_in_process(service)
        stored = service.count_events()
        passes = [pass_in_process(service) for _ in range(5)]
    finally:
        service.close()
    return {
        "cli_process_s": median(cli),
        "pass_in_process_s": median(passes),
        "requests": requests,
        "event_list_requests_per_calendar": requests.get("events.list", 0),
        "events_stored": stored,
    }


def measure(events: int, runs: int, page_latency_ms: int) -> dict[str, object]:
    with GoogleEmulator() as google, tempfile.TemporaryDirectory(prefix="bench-google-") as scratch_dir:
        scratch = Path(scratch_dir)
        seed(google, events)
        loopback = initial_sync(google, scratch, runs, "loopback")
        no_change = no_change_sync(google, scratch, runs)
        stages = breakdown(google, scratch)
        google.delay(page_latency_ms / 1000, count=10**6, path="/events")  # a real server's time to prepare a page
        latency = initial_sync(google, scratch, runs, "latency")
        google.clear_faults()
        return {
            "events": events,
            "runs": runs,
            "target_ratio": TARGET_RATIO,
            "initial_loopback": loopback,
            "initial_with_page_latency": {"page_latency_ms": page_latency_ms, **latency},
            "initial_pass_breakdown": stages,
            "no_change": no_change,
            "startup_floor": python_startup_s(),
            "machine": machine(),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page-latency-ms", type=int, default=500, help="server time per event page in the second scenario")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.events, args.runs, args.page_latency_ms), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
