"""Fixtures for the detector tests: the invented user of ``detection_helpers`` and event factories."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from detection_helpers import IDENTITY, PIPELINE, MakeEvent, make_event, make_invite

from calendar_desktop.detection import Detection, Detector
from calendar_desktop.detection.jsonl import CorpusEvent


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector(IDENTITY, PIPELINE)


@pytest.fixture(scope="session")
def detect(detector: Detector) -> Callable[[CorpusEvent], Detection]:
    return detector.detect


@pytest.fixture(scope="session")
def event() -> MakeEvent:
    return make_event


@pytest.fixture(scope="session")
def invite() -> MakeEvent:
    return make_invite
