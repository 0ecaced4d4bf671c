"""A local emulator of Google's OAuth 2.0 endpoints and Calendar API v3, for tests, demos and benchmarks.

    from tests.emulators.google import GoogleEmulator

    with GoogleEmulator() as google:
        google.state.add_events(google.state.email, [timed(start, 45, summary="Interview")])
        os.environ.update(google.environment())
"""

from tests.emulators.google.bodies import all_day, recurring, timed
from tests.emulators.google.server import GoogleEmulator, LoggedRequest

__all__ = ["GoogleEmulator", "LoggedRequest", "all_day", "recurring", "timed"]
