"""oauthlib takes two settings from the environment, read on each call; set them around the calls
that need them and restore them after, never as a process-wide default.

- ``OAUTHLIB_RELAX_TOKEN_SCOPE``: without it a token response granting fewer scopes than asked
  raises instead of returning, and the app could not tell the user what was not granted.
- ``OAUTHLIB_INSECURE_TRANSPORT``: only when the OAuth endpoints are plain-HTTP loopback ones
  (a local emulator; ``GoogleEndpoints`` refuses plain HTTP anywhere else).

Counted per variable, so concurrent sign-ins do not restore a value under each other's feet.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from calendar_desktop.providers.google.endpoints import GoogleEndpoints

RELAX_TOKEN_SCOPE = "OAUTHLIB_RELAX_TOKEN_SCOPE"
INSECURE_TRANSPORT = "OAUTHLIB_INSECURE_TRANSPORT"

_lock = threading.Lock()
_users: dict[str, int] = {}
_previous: dict[str, str | None] = {}


@contextmanager
def _setting(name: str) -> Iterator[None]:
    with _lock:
        if _users.get(name, 0) == 0:
            _previous[name] = os.environ.get(name)
            os.environ[name] = "1"
        _users[name] = _users.get(name, 0) + 1
    try:
        yield
    finally:
        with _lock:
            _users[name] -= 1
            if _users[name] == 0:
                previous = _previous.pop(name)
                if previous is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = previous


@contextmanager
def oauthlib_settings(endpoints: GoogleEndpoints) -> Iterator[None]:
    with ExitStack() as stack:
        stack.enter_context(_setting(RELAX_TOKEN_SCOPE))
        if endpoints.oauth_over_plain_http():
            stack.enter_context(_setting(INSECURE_TRANSPORT))
        yield
