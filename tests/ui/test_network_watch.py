"""The window asks for a sync when the network comes back, and only then."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from calendar_desktop.ui.network_watch import NetworkWatch, Reachability


def test_only_a_return_to_online_asks_for_a_sync(qtbot: QtBot) -> None:
    calls: list[str] = []
    watch = NetworkWatch(lambda: calls.append("sync soon"))
    watch.reachability_changed(Reachability.Online)  # first report: unknown → online counts as back
    watch.reachability_changed(Reachability.Online)
    assert calls == ["sync soon"]
    watch.reachability_changed(Reachability.Disconnected)
    watch.reachability_changed(Reachability.Local)
    assert calls == ["sync soon"], "going offline is no reason to sync"
    watch.reachability_changed(Reachability.Online)
    assert calls == ["sync soon", "sync soon"]


def test_following_the_platform_backend_starts_from_its_current_state(qtbot: QtBot) -> None:
    calls: list[str] = []
    watch = NetworkWatch(lambda: calls.append("sync soon"))
    if watch.start():  # a backend loaded (GLib's monitor here): its present state is not a change
        assert calls == []
