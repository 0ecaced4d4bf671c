"""A local emulator of Google's OAuth 2.0 endpoints and Calendar API v3, for tests, demos and benchmarks.

    from tests.emulators.google import GoogleEmulator

    with GoogleEmulator() as google:
        google.state.add_events(google.state.email, [...])
        os.environ.update(google.environment())
"""

from tests.emulators.google.server import GoogleEmulator, LoggedRequest, event_time

__all__ = ["GoogleEmulator", "LoggedRequest", "event_time"]
