"""Assembling the core's parts the same way for the window and the CLI."""

from __future__ import annotations

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.core.tracker import InterviewTracker


def build_tracker(service: AppService) -> InterviewTracker:
    return InterviewTracker(service)


def build_controller(service: AppService) -> SyncController:
    return SyncController(service, listeners=[build_tracker(service)])
