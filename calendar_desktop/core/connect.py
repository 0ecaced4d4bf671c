"""Connect flows for the CLI: from command-line arguments to a ``NewAccount``."""

from __future__ import annotations

import argparse
from typing import TextIO

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import ProviderUnavailable


def read_password(source: TextIO) -> str:
    """The first line of ``source`` without its line ending (passwords may contain spaces)."""
    password = source.readline().rstrip("\r\n")
    if not password:
        raise ValueError("No password on standard input. Pipe it in, e.g. `secret-tool lookup … | calendar-desktop accounts add caldav … --password-stdin`.")
    return password


def connect_account(service: AppService, kind: ProviderKind, args: argparse.Namespace, *, password_source: TextIO) -> NewAccount:
    if not service.providers.available(kind):
        raise ProviderUnavailable(f"{kind.value} calendars are not available in this version of calendar-desktop yet.")
    if kind is ProviderKind.CALDAV:
        from calendar_desktop.providers.caldav.connect import connect_caldav

        return connect_caldav(args.url, args.username, read_password(password_source), name=args.name)
    raise ProviderUnavailable(f"Connecting {kind.value} accounts from the command line is not available yet.")
