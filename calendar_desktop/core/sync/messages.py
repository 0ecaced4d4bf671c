"""User-facing texts for sync failures: what happened and what to do, never a secret or a body."""

from __future__ import annotations

from calendar_desktop.logging_setup import REDACTOR

MAX_LENGTH = 400


def sanitise(message: str) -> str:
    text = REDACTOR.redact(" ".join(message.split()))
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


STOPPED = "Sync was stopped."
INTERRUPTED = "Sync was interrupted: the app quit or was stopped during it."
REAUTH = "Access was refused or revoked. Reconnect the account to resume syncing."
UNEXPECTED = "Sync failed unexpectedly ({kind}); details are in the log. It will be retried."
EMPTY_LISTING = (
    "The server listed no calendars for this account; the local copy is kept in case that was a glitch. "
    "If you deleted them all, remove the account."
)
EMPTY_CALENDAR = (
    "The server listed no events, where {kept} are kept locally; nothing was removed in case that was a "
    "glitch. If you emptied this calendar, untick it under Accounts and tick it again."
)
