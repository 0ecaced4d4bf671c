"""Opening CalDAV connections for stored accounts (registered in ``providers.registry``)."""

from __future__ import annotations

from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.providers.caldav.connect import CALENDAR_HOME, PASSWORD, find_calendar_home
from calendar_desktop.providers.caldav.provider import CalDAVProvider
from calendar_desktop.providers.caldav.webdav import DEFAULT_RETRY, DavSession
from calendar_desktop.providers.errors import AuthenticationError
from calendar_desktop.providers.registry import ProviderContext
from calendar_desktop.providers.retry import RetryPolicy
from calendar_desktop.secrets import AccountSecrets


class CalDAVFactory:
    kind = ProviderKind.CALDAV

    def __init__(self, *, retry: RetryPolicy = DEFAULT_RETRY, timeout: float = 30.0) -> None:
        self.retry = retry
        self.timeout = timeout

    def open(self, account: Account, secrets: AccountSecrets) -> CalDAVProvider:
        password = secrets.get(PASSWORD)
        if not password:
            raise AuthenticationError("No password is stored for this account. Reconnect it to resume syncing.")
        home = account.options.get(CALENDAR_HOME) or find_calendar_home(
            account.server_url or "", account.username, password, self.timeout
        )
        session = DavSession(account.username, password, timeout=self.timeout, retry=self.retry)
        return CalDAVProvider(session, home)

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        """Nothing to revoke on the server: an app-specific password is revoked where it was made."""

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        """The password is all there is, and it lives in the keyring."""


def make_factory(context: ProviderContext) -> CalDAVFactory:
    return CalDAVFactory()
