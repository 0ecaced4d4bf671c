"""A local emulator of the Microsoft identity platform and the Graph calendar endpoints.

    with MicrosoftEmulator() as ms:
        calendar = ms.mailbox.create_calendar("Work")
        ms.mailbox.add_event(calendar, "Interview", start, end)
        ms.fail(429, path="/calendarView/delta", retry_after=1)
        ...

See ``server`` for the lifecycle, faults and request log, ``identity`` for sign-in knobs,
``graph`` for delta knobs and ``mailbox`` for the state API.
"""

from pathlib import Path

from tests.emulators.microsoft.identity import PERSONAL_TENANT, PUBLIC_HOST, User
from tests.emulators.microsoft.mailbox import Person, core_of, render_id
from tests.emulators.microsoft.server import DEFAULT_CLIENT_ID, LoggedRequest, MicrosoftEmulator

BROWSER_SCRIPT = Path(__file__).resolve().parent.parent / "fake_browser.py"
"""An executable stand-in browser to put in ``BROWSER`` (submits the form_post page)."""

__all__ = [
    "BROWSER_SCRIPT",
    "DEFAULT_CLIENT_ID",
    "PERSONAL_TENANT",
    "PUBLIC_HOST",
    "LoggedRequest",
    "MicrosoftEmulator",
    "Person",
    "User",
    "core_of",
    "render_id",
]
