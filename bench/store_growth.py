"""The cost of one incremental sync with a small change, as the store grows. Prints one JSON document.

    python bench/store_growth.py [--sizes 1000 10000 100000] [--passes 15]

For each size a fresh profile is seeded with that many events (through the store, in pages of
2,500 as a first sync would write them), then the app's ``SyncController`` runs ``--passes``
incremental passes. Each pass brings the same small change from a provider that answers from
memory (no network: what grows here is the store): three events edited, two added (one of them an
interview invite for a company in the pipeline, so detection and the tracker do real work) and one
deleted. Reported per size: the median pass, and the store's share of it (applying the page).
Flat means the cost of a pass depends on the change, not on how much is stored.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import machine, timed_pass  # noqa: E402
from calendar_desktop.core.service import AppService  # noqa: E402
from calendar_desktop.domain import (  # noqa: E402
    Account,
    CalendarInfo,
    ChangePage,
    Event,
    ProviderKind,
    RemoteItem,
    SyncWindow,
)
from calendar_desktop.paths import AppPaths  # noqa: E402
from calendar_desktop.providers.base import NewAccount  # noqa: E402
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry  # noqa: E402
from calendar_desktop.secrets import AccountSecrets, SecretStore  # noqa: E402
from tests.support.keyrings import MemoryKeyring  # noqa: E402

RUN_ALL_ARGS = {"quick": ["--sizes", "1000", "10000", "--passes", "7"]}
SEED_PAGE = 2500
START = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)


def event(n: int, title: str | None = None) -> Event:
    start = START + timedelta(minutes=5 * n)
    rid = f"ev-{n}"
    return Event(
        remote_id=rid,
        resource_id=rid,
        uid=f"{rid}@bench.example",
        title=title or f"Meeting {n}",
        start=start,
        end=start + timedelta(minutes=30),
        organizer="Lee <lee@example.com>",
        attendees=("lee@example.com", "me@example.com"),
        location="Room 4",
        etag=f'"{n}"',
    )


def item(e: Event) -> RemoteItem:
    return RemoteItem(e.resource_id, e.etag, (e,))


class GrowthProvider:
    """Answers each incremental request with the same small change to a store of ``size`` events."""

    def __init__(self, size: int) -> None:
        self.size = size

    def list_calendars(self) -> list[CalendarInfo]:
        return [CalendarInfo("work", "Work")]

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        if cursor is None:  # the "first sync": the events are seeded directly afterwards
            yield ChangePage(full=True, last=True, cursor="0")
            return
        round_ = int(cursor) + 1
        edited = [event(n, f"Meeting {n} (moved, round {round_})") for n in (7, self.size // 2, self.size - 3)]
        added = [
            event(self.size + 2 * round_),
            event(self.size + 2 * round_ + 1, f"Interview with Acme: Backend Engineer, round {round_}"),
        ]
        removed = (f"ev-{self.size + 2 * (round_ - 1)}",) if round_ > 1 else ()
        yield ChangePage(items=tuple(item(e) for e in [*edited, *added]), removed=removed, cursor=str(round_))

    def close(self) -> None:
        pass

    def create_event(self, *args: object) -> None:  # pragma: no cover - read-only bench
        raise NotImplementedError

    update_event = delete_event = create_event


class GrowthFactory:
    kind = ProviderKind.CALDAV

    def __init__(self, size: int) -> None:
        self.size = size

    def open(self, account: Account, secrets: AccountSecrets) -> GrowthProvider:
        return GrowthProvider(self.size)

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        pass

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        pass


def seeded_service(folder: Path, size: int) -> tuple[AppService, int, float]:
    """A profile holding ``size`` events; returns it, its account id and the seeding rate (events/s)."""
    paths = AppPaths.profile(folder)
    registry = ProviderRegistry(ProviderContext(paths.data_dir, {}), overrides={ProviderKind.CALDAV: lambda _: GrowthFactory(size)})  # type: ignore[dict-item]
    service = AppService.open(paths, secrets=SecretStore(MemoryKeyring()), providers=registry)
    service.add_application("Acme", "Backend Engineer")
    account = service.add_account(NewAccount(ProviderKind.CALDAV, "Bench", "me@example.com", {"password": "x"}, server_url="https://dav.example"))
    timed_pass(service, account.id)
    [calendar] = service.list_calendars()
    started = time.perf_counter()
    for first in range(0, size, SEED_PAGE):
        events = [event(n) for n in range(first, min(size, first + SEED_PAGE))]
        service.store.events.apply_page(calendar.id, ChangePage(items=tuple(item(e) for e in events), cursor="0"))
    rate = size / (time.perf_counter() - started)
    return service, account.id, rate


def store_share(service: AppService, size: int, rounds: int) -> float:
    """Median seconds to apply the same kind of page directly (the store alone)."""
    [calendar] = service.list_calendars()
    provider = GrowthProvider(size)
    window = SyncWindow.around(datetime.now(UTC))
    times = []
    for round_ in range(1000, 1000 + rounds):
        [page] = provider.fetch_changes(calendar.info(), str(round_), window)
        started = time.perf_counter()
        service.store.events.apply_page(calendar.id, page)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _database_bytes(path: Path) -> int:
    """The database with its write-ahead log (recent pages live there until a checkpoint)."""
    return sum(f.stat().st_size for f in path.parent.glob(path.name + "*") if ".backup-" not in f.name)


def measure(sizes: list[int], passes: int) -> dict[str, object]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as scratch:
        for size in sizes:
            service, account_id, seed_rate = seeded_service(Path(scratch) / str(size), size)
            try:
                timed_pass(service, account_id)  # warm-up: first-use costs are not what grows
                times = [timed_pass(service, account_id) for _ in range(passes)]
                rows.append(
                    {
                        "stored_events": service.count_events(),
                        "pass_median_ms": round(statistics.median(times) * 1000, 1),
                        "pass_min_ms": round(min(times) * 1000, 1),
                        "apply_page_median_ms": round(store_share(service, size, passes) * 1000, 2),
                        "seed_events_per_second": round(seed_rate),
                        "database_mb": round(_database_bytes(service.paths.database) / 1e6, 1),
                    }
                )
            finally:
                service.close()
    smallest, largest = rows[0]["pass_median_ms"], rows[-1]["pass_median_ms"]
    return {
        "change_per_pass": "3 edited, 2 added (1 interview invite), 1 deleted",
        "passes_per_size": passes,
        "sizes": rows,
        "growth_largest_to_smallest": round(float(largest) / float(smallest), 2),  # type: ignore[arg-type]
        "machine": machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--passes", type=int, default=15)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.sizes, args.passes), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
