"""Entry point: ``calendar-desktop`` (and ``python -m calendar_desktop``).

Without a command it opens the window; with one it runs headless. Qt is imported only on the
window's path, so ``calendar-desktop sync`` starts fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from calendar_desktop.cli import commands
from calendar_desktop.cli.parser import build_parser
from calendar_desktop.core.service import AppService
from calendar_desktop.logging_setup import configure_logging
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.errors import ProviderError
from calendar_desktop.secrets import SecretStoreError
from calendar_desktop.store import NotFound, StoreError, as_store_error

log = logging.getLogger(__name__)

Handler = Callable[[AppService, argparse.Namespace, TextIO], int]

HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("accounts", "list"): commands.accounts_list,
    ("accounts", "add"): commands.accounts_add,
    ("accounts", "remove"): commands.accounts_remove,
    ("calendars", "list"): commands.calendars_list,
    ("calendars", "select"): commands.calendars_select,
    ("calendars", "write-target"): commands.calendars_write_target,
    ("sync", None): commands.sync,
    ("events", "list"): commands.events_list,
    ("suggestions", "list"): commands.suggestions_list,
    ("suggestions", "accept"): commands.suggestions_decide,
    ("suggestions", "dismiss"): commands.suggestions_decide,
    ("pipeline", "list"): commands.pipeline_list,
    ("pipeline", "add"): commands.pipeline_add,
    ("interviews", "list"): commands.interviews_list,
    ("interviews", "add"): commands.interviews_add,
    ("interviews", "update"): commands.interviews_update,
    ("interviews", "delete"): commands.interviews_delete,
    ("conflicts", "list"): commands.conflicts_list,
    ("conflicts", "resolve"): commands.conflicts_resolve,
    ("me", "set"): commands.me_set,
    ("me", "show"): commands.me_show,
    ("history", None): commands.history,
    ("forget", None): commands.forget,
}


def paths_for(profile: str | None) -> AppPaths:
    return AppPaths.profile(Path(profile)) if profile else AppPaths.default()


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command is None:
        from calendar_desktop.ui.app import run_gui

        return run_gui(
            paths_for(args.profile), verbosity=args.verbose, smoke=args.smoke, demo=args.demo, minimized=args.minimized
        )
    if args.command == "detect":
        return _guarded(lambda: commands.detect(args, out), err)

    paths = paths_for(args.profile)
    paths.ensure()
    configure_logging(paths.log_file, args.verbose)
    handler = HANDLERS[(args.command, getattr(args, "action", None))]

    def run() -> int:
        service = AppService.open(paths)
        try:
            return handler(service, args, out)
        finally:
            service.close()

    return _guarded(run, err, database=paths.database)


def _guarded(run: Callable[[], int], err: TextIO, *, database: Path | None = None) -> int:
    """Turn the errors a user can act on into messages and exit codes, never tracebacks.

    ``database``: the profile's database, for errors it raises after opening (a damaged page
    reached by a query, a lock held by another program when we write)."""
    try:
        return run()
    except commands.UsageError as exc:
        err.write(f"calendar-desktop: {exc}\n")
        return 2
    except (NotFound, ValueError) as exc:
        err.write(f"calendar-desktop: {exc}\n")
        return 2
    except (StoreError, SecretStoreError, ProviderError, OSError) as exc:
        log.warning("command failed: %s", exc)
        err.write(f"calendar-desktop: {exc}\n")
        return 1
    except KeyboardInterrupt:
        err.write("calendar-desktop: interrupted\n")
        return 130
    except Exception as exc:
        explained = as_store_error(exc, database) if database is not None else None
        if explained is None:
            raise
        log.warning("command failed: %s", explained)
        err.write(f"calendar-desktop: {explained}\n")
        return 1


def main_gui() -> int:
    """GUI-script entry point (no console window on Windows)."""
    return main()
