"""Connecting a CalDAV account (iCloud, Fastmail, Nextcloud, Radicale, Xandikos, any RFC 4791 server).

``connect_caldav`` finds the principal and its calendar home from a base URL, reads the
calendar list once to prove the credentials work, and returns the ``NewAccount`` to store
(the password goes to the keyring with it). The window's Connect dialog and the CLI's
``accounts add caldav`` both call it.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.caldav.discovery import list_calendars
from calendar_desktop.providers.caldav.webdav import DavSession
from calendar_desktop.providers.errors import AuthenticationError, PermanentError, TransientError
from calendar_desktop.providers.retry import RetryPolicy

log = logging.getLogger(__name__)

ICLOUD_URL = "https://caldav.icloud.com/"
APP_PASSWORD_HELP = (
    "iCloud does not accept your Apple Account password here: it needs an app-specific password. "
    "Sign in at account.apple.com, open Sign-In and Security, choose App-Specific Passwords, create "
    "one called “calendar-desktop” and paste it here (your Apple Account must use two-factor "
    "authentication). Your username is your Apple Account e-mail address. You can revoke the "
    "password there at any time; changing your Apple Account password revokes it too. "
    "Fastmail and other services with two-step sign-in work the same way."
)
PASSWORD = "password"
"""Secret entry holding the (app-specific) password."""
CALENDAR_HOME = "calendar_home"
"""``Account.options`` key: the URL of the account's calendar home, found at connect time."""


def connect_caldav(url: str, username: str, password: str, *, name: str | None = None, timeout: float = 30) -> NewAccount:
    """Discover the account's calendars; ``AuthenticationError`` for a refused password,
    ``TransientError`` when the server cannot be reached, ``PermanentError`` for a URL that is
    not a CalDAV server."""
    url = _with_scheme(url.strip())
    home = find_calendar_home(url, username, password, timeout)
    session = DavSession(username, password, timeout=timeout, retry=RetryPolicy(attempts=1))
    try:
        calendars = list_calendars(session, home)
    except PermanentError:
        raise PermanentError(_not_caldav(url)) from None
    finally:
        session.close()
    log.info("connected to a CalDAV server with %d calendars", len(calendars))
    return NewAccount(
        provider=ProviderKind.CALDAV,
        name=name or default_name(url, username),
        username=username,
        secrets={PASSWORD: password},
        server_url=url,
        options={CALENDAR_HOME: home},
    )


def find_calendar_home(url: str, username: str, password: str, timeout: float) -> str:
    """The calendar home URL of the user's principal, found with the caldav library."""
    import caldav
    from caldav.lib import error

    host = urlsplit(url).hostname or url
    client = caldav.DAVClient(url=url, username=username, password=password, auth_type="basic", timeout=int(timeout))
    try:
        return str(client.principal().calendar_home_set.url)
    except error.AuthorizationError:
        raise AuthenticationError(_refused(url)) from None
    except (error.DAVError, error.NotFoundError) as exc:
        if _unreachable(exc):
            raise TransientError(f"Could not reach {host}. Check the address and your connection, then try again.") from None
        raise PermanentError(_not_caldav(url)) from None
    except Exception as exc:  # the HTTP library's own errors: unreachable, timed out, TLS trouble
        if _is_http_error(exc):
            raise TransientError(
                f"Could not reach {host} ({type(exc).__name__}). Check the address and your connection, then try again."
            ) from None
        raise
    finally:
        client.close()


def default_name(url: str, username: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith("icloud.com"):
        return f"iCloud ({username})"
    return f"{username} on {host}" if host else username


def _refused(url: str) -> str:
    if "icloud.com" in url.lower():
        return "iCloud refused the Apple Account e-mail or password. " + APP_PASSWORD_HELP
    return (
        "The server refused the username or password. If your provider uses two-step sign-in "
        "(iCloud, Fastmail …), create an app-specific password and use that."
    )


def _not_caldav(url: str) -> str:
    return (
        f"{url} does not look like a CalDAV server: it did not say where your calendars are. "
        f"Check the address (for iCloud use {ICLOUD_URL})."
    )


def _with_scheme(url: str) -> str:
    if "://" not in url:
        url = "https://" + url
    return url if urlsplit(url).path else url + "/"


def _is_http_error(exc: Exception) -> bool:
    return any(cls.__module__.split(".")[0] in {"niquests", "requests", "urllib3", "urllib3_future"}
               for cls in type(exc).__mro__) or isinstance(exc, (ConnectionError, TimeoutError))  # fmt: skip


def _unreachable(exc: Exception) -> bool:
    cause = exc.__cause__ or exc.__context__
    return cause is not None and isinstance(cause, Exception) and _is_http_error(cause)
