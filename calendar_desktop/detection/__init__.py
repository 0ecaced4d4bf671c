"""Local interview detection: is a calendar event a job interview of the user, and which one.

``Detector(identity, pipeline).detect(event)`` reads an event's text, organizer and attendees and
returns a :class:`Detection`. Nothing here does I/O; see ``docs/detection.md`` for the method.
"""

from calendar_desktop.detection.detector import Detector
from calendar_desktop.detection.model import DetectableEvent, Detection, PipelineEntry, Variant
from calendar_desktop.detection.variants import base_title, title_key, variant_of

__all__ = [
    "DetectableEvent",
    "Detection",
    "Detector",
    "PipelineEntry",
    "Variant",
    "base_title",
    "title_key",
    "variant_of",
]
