"""Logging to a rotating file, through a filter that keeps secrets and event bodies out.

The filter works on the fully formatted message and on tracebacks, so whatever a library
logs (headers, request bodies, iCalendar diffs) is scrubbed before it reaches a handler.
Secret values the app handles are registered with ``register_secret`` and masked wherever
they appear; known shapes (bearer tokens, ``password=``, JWTs, iCalendar text, JSON event
descriptions) are masked by pattern.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

MASK = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization headers in any spelling, with or without a scheme.
    (re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:bearer|basic|digest)?\s*[^\s'\",}]+"), r"\1" + MASK),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*"), r"\1 " + MASK),
    # key=value and "key": "value" forms of credential fields.
    (
        re.compile(
            r"(?i)([\"']?\b(?:access_token|refresh_token|id_token|code_verifier|client_secret|password|passwd|"
            r"app_password|secret|token|code|assertion|client_info)\b[\"']?\s*[:=]\s*[\"']?)[^\s&\"',;}]+"
        ),
        r"\1" + MASK,
    ),
    # JWTs and Google/Microsoft token shapes.
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), MASK),
    (re.compile(r"\bya29\.[A-Za-z0-9_\-.]+"), MASK),
    (re.compile(r"\b1//[A-Za-z0-9_\-]{10,}"), MASK),
    # iCalendar objects and content lines that carry what people wrote.
    (re.compile(r"BEGIN:VCALENDAR.*?(?:END:VCALENDAR|\Z)", re.S), "[icalendar data redacted]"),
    (re.compile(r"BEGIN:VEVENT.*?(?:END:VEVENT|\Z)", re.S), "[icalendar data redacted]"),
    (
        re.compile(
            r"(?im)^([+\-! ]?)(DESCRIPTION|SUMMARY|LOCATION|COMMENT|ATTENDEE|ORGANIZER|CONTACT|URL|"
            r"X-[A-Z0-9-]+)([;:]).*$"
        ),
        r"\1\2\3" + MASK,
    ),
    # JSON event bodies (Google "description", Graph "body"/"bodyPreview").
    (re.compile(r"(?i)([\"'](?:description|bodyPreview|notes)[\"']\s*:\s*)([\"'])(?:\\.|(?!\2).)*\2"), r"\1" + '"' + MASK + '"'),
    (re.compile(r"(?i)([\"']body[\"']\s*:\s*)\{[^{}]*\}"), r"\1{" + MASK + "}"),
)


class Redactor:
    """Masks registered secret values and known secret shapes."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._compiled: re.Pattern[str] | None = None

    def register_secret(self, value: str | None) -> None:
        """Mask ``value`` wherever it appears from now on (values shorter than 6 chars are ignored)."""
        if not value or len(value) < 6:
            return
        with self._lock:
            if value not in self._secrets:
                self._secrets.add(value)
                self._compiled = None

    def redact(self, text: str) -> str:
        with self._lock:
            if self._compiled is None and self._secrets:
                alternatives = sorted(self._secrets, key=len, reverse=True)
                self._compiled = re.compile("|".join(re.escape(s) for s in alternatives))
            compiled = self._compiled
        for pattern, replacement in _PATTERNS:  # shapes first: a registered value may be a key's name
            text = pattern.sub(replacement, text)
        if compiled is not None:
            text = compiled.sub(MASK, text)
        return text


REDACTOR = Redactor()
register_secret = REDACTOR.register_secret


class RedactingFilter(logging.Filter):
    """Formats the record once, scrubs message and traceback, and passes the clean text on."""

    def __init__(self, redactor: Redactor = REDACTOR) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string in a library: keep the template only
            message = str(record.msg)
        record.msg = self._redactor.redact(message)
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = self._redactor.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self._redactor.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redactor.redact(record.stack_info)
        return True


FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
_configured: list[logging.Handler] = []


def configure_logging(log_file: Path, verbosity: int = 0, *, console: bool = False) -> None:
    """Send logs to a rotating file (and to stderr with ``console``), all through the redactor.

    verbosity 0: INFO from the app, WARNING from libraries; 1: DEBUG from the app; 2: DEBUG from all
    but peewee, whose DEBUG is every SQL statement with its parameters: event titles, places, attendees.
    """
    root = logging.getLogger()
    for handler in _configured:
        root.removeHandler(handler)
        handler.close()
    _configured.clear()

    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.addFilter(RedactingFilter())
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
        _configured.append(handler)

    root.setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)
    logging.getLogger("calendar_desktop").setLevel(logging.DEBUG if verbosity >= 1 else logging.INFO)
    logging.getLogger("peewee").setLevel(logging.INFO)
    logging.captureWarnings(True)
