"""Assembling the core's parts the same way for the window and the CLI."""

from __future__ import annotations

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.core.tracker import InterviewTracker
from calendar_desktop.core.twoway import TwoWaySync


def build_tracker(service: AppService) -> InterviewTracker:
    return InterviewTracker(service)


def build_two_way(service: AppService, tracker: InterviewTracker | None = None) -> TwoWaySync:
    tracker = tracker or build_tracker(service)
    return TwoWaySync(service, on_remote_deleted=tracker.interview_event_gone)


def build_controller(service: AppService) -> SyncController:
    tracker = build_tracker(service)
    return SyncController(service, listeners=[tracker], hooks=[build_two_way(service, tracker)])
