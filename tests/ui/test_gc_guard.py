"""The Qt-thread collector: young garbage each tick, long-lived objects frozen, everything on the long period."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from calendar_desktop.ui.gc_guard import OLD_GENERATION_SLICE, MainThreadCollector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def garbage_cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def frozen_garbage_cycle(collector: MainThreadCollector) -> weakref.ref[Node]:
    """A cycle frozen while still referenced (as long-lived objects are), then dropped."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    collector.collect_everything()
    return weakref.ref(a)


@pytest.fixture
def collector(qapp) -> Iterator[MainThreadCollector]:
    collector = MainThreadCollector(interval_ms=60_000)  # ticks are driven by the test
    yield collector
    collector.stop()


def test_automatic_collection_is_off_and_a_tick_collects_young_cycles(collector: MainThreadCollector) -> None:
    assert not gc.isenabled(), "no collection may run in whichever thread allocates"
    cycle = garbage_cycle()
    assert cycle() is not None

    collector.collect()

    assert cycle() is None


def test_objects_alive_at_an_old_generation_collection_are_frozen_until_the_complete_one(
    collector: MainThreadCollector,
) -> None:
    a, b = Node(), Node()
    a.other, b.other = b, a
    cycle = weakref.ref(a)
    keep = [[i] for i in range(OLD_GENERATION_SLICE)]  # enough promoted objects to make the old generation due
    collector.collect()  # promotes them (and the cycle, still referenced) and collects the old generation
    assert gc.get_freeze_count() >= OLD_GENERATION_SLICE
    del a, b, keep

    collector.collect()
    assert cycle() is not None, "a frozen cycle waits for the complete collection"

    collector.collect_everything()
    assert cycle() is None


def test_the_complete_collection_waits_while_the_window_is_in_use_at_most_one_period(qapp) -> None:
    now, in_use = [0.0], [True]
    collector = MainThreadCollector(
        interval_ms=60_000, complete_every_s=900, in_use=lambda: in_use[0], monotonic=lambda: now[0]
    )
    try:
        cycle = frozen_garbage_cycle(collector)
        now[0] = 1000  # due, but the user is working in the window
        collector.collect()
        assert cycle() is not None, "no full pass (a visible stall) while the window is in use"

        in_use[0] = False  # the app went to the background
        collector.collect()
        assert cycle() is None

        late = frozen_garbage_cycle(collector)
        in_use[0] = True
        now[0] += 1799  # in use all along: waits up to one more period ...
        collector.collect()
        assert late() is not None
        now[0] += 1  # ... and not longer
        collector.collect()
        assert late() is None
    finally:
        collector.stop()


def test_stop_unfreezes_collects_and_restores_automatic_collection(qapp) -> None:
    enabled = gc.isenabled()
    collector = MainThreadCollector(interval_ms=60_000)
    collector.stop()
    assert gc.get_freeze_count() == 0 and gc.isenabled() == enabled
