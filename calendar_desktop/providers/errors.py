"""Errors a provider raises, so the sync controller can react without knowing the API.

Every message is meant for the user: it says what happened and what to do, and it never
contains a token, a password or an event body.
"""

from __future__ import annotations


class ProviderError(Exception):
    """Base class: something went wrong talking to a calendar service."""


class ProviderUnavailable(ProviderError):
    """The provider cannot be used in this build or configuration (e.g. no client id set)."""


class AuthenticationError(ProviderError):
    """Credentials were refused or revoked: the account needs to be reconnected."""


class TransientError(ProviderError):
    """A failure worth retrying later: network trouble, 5xx, 429 or a quota error.

    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class CursorExpired(ProviderError):
    """The stored sync cursor is no longer accepted: a full resync is needed."""


class WriteConflict(ProviderError):
    """A conditional write failed (412): the remote copy changed since we last saw it."""


class PermanentError(ProviderError):
    """The request is wrong and retrying will not help (400, 404 …)."""


class SignInError(ProviderError):
    """An interactive sign-in did not produce a usable account."""


class SignInCancelled(SignInError):
    """The user (or the app) cancelled the sign-in before it completed."""


class SignInTimeout(SignInError):
    """The browser never came back to the app within the time allowed."""


class SignInDenied(SignInError):
    """The provider refused the sign-in: the user declined, or granted too little to work with."""
