"""The command-line grammar (DESIGN.md §4). ``--profile`` and ``-v`` work before or after the command."""

from __future__ import annotations

import argparse

from calendar_desktop import __version__
from calendar_desktop.domain import ApplicationStatus, RoleType, Stage


def _common() -> argparse.ArgumentParser:
    """Options accepted after any command as well; SUPPRESS keeps the top-level value when absent."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS, help="keep database, config and logs in DIR")
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help="more detail in the log (-vv: libraries too)")
    return common


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document for scripts")


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="calendar-desktop",
        description="Sync your calendars and keep your job pipeline up to date. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"calendar-desktop {__version__}")
    parser.add_argument("--profile", metavar="DIR", default=None, help="keep database, config and logs in DIR")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail in the log (-vv: libraries too)")
    parser.add_argument("--smoke", action="store_true", help="open the window, print startup_ms=<int> once idle, exit")
    parser.add_argument("--demo", action="store_true", help="try the app on a throwaway profile with demo data")
    parser.add_argument("--minimized", action="store_true", help="start in the tray without showing the window (login)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    # accounts
    accounts = commands.add_parser("accounts", parents=[common], help="connected calendar accounts")
    acc = accounts.add_subparsers(dest="action", metavar="ACTION", required=True)
    _json(acc.add_parser("list", parents=[common], help="list accounts"))
    add = acc.add_parser("add", parents=[common], help="connect an account")
    providers = add.add_subparsers(dest="provider", metavar="PROVIDER", required=True)
    caldav = providers.add_parser("caldav", parents=[common], help="a CalDAV server (iCloud, Fastmail, Nextcloud …)")
    caldav.add_argument("--url", required=True, help="server URL, e.g. https://caldav.icloud.com")
    caldav.add_argument("--username", required=True)
    caldav.add_argument("--password-stdin", action="store_true", required=True, help="read the (app-specific) password from standard input")
    caldav.add_argument("--name", help="display name for the account")
    google = providers.add_parser("google", parents=[common], help="Google Calendar (opens your browser)")
    google.add_argument("--read-only", action="store_true", help="ask only for read access (no interviews written)")
    google.add_argument("--client-secret-file", metavar="FILE", help="client_secret.json of your Google OAuth client")
    google.add_argument("--timeout", type=int, default=300, help="seconds to wait for the browser sign-in")
    microsoft = providers.add_parser("microsoft", parents=[common], help="Outlook / Microsoft 365 (opens your browser)")
    microsoft.add_argument("--read-only", action="store_true", help="ask only for read access")
    microsoft.add_argument("--client-id", help="application (client) id of your app registration")
    microsoft.add_argument("--authority", help="authority URL (default: https://login.microsoftonline.com/common)")
    microsoft.add_argument("--timeout", type=int, default=300, help="seconds to wait for the browser sign-in")
    remove = acc.add_parser("remove", parents=[common], help="disconnect an account (revokes access, deletes its secrets and events)")
    remove.add_argument("id", type=int)
    remove.add_argument("--forget", action="store_true", help="also forget every suggestion made from its events")

    # calendars
    calendars = commands.add_parser("calendars", parents=[common], help="calendars of the connected accounts")
    cal = calendars.add_subparsers(dest="action", metavar="ACTION", required=True)
    _json(cal.add_parser("list", parents=[common], help="list calendars"))
    select = cal.add_parser("select", parents=[common], help="choose whether a calendar is synced")
    select.add_argument("id", type=int)
    onoff = select.add_mutually_exclusive_group(required=True)
    onoff.add_argument("--on", dest="selected", action="store_true")
    onoff.add_argument("--off", dest="selected", action="store_false")
    target = cal.add_parser("write-target", parents=[common], help="the calendar interviews scheduled in the app go to")
    target.add_argument("id", type=int)

    # sync
    sync = commands.add_parser("sync", parents=[common], help="one sync pass over every selected calendar")
    sync.add_argument("--account", type=int, metavar="ID", help="only this account")
    _json(sync)

    # events
    events = commands.add_parser("events", parents=[common], help="stored events")
    ev = events.add_subparsers(dest="action", metavar="ACTION", required=True)
    ev_list = ev.add_parser("list", parents=[common], help="list events")
    _json(ev_list)
    ev_list.add_argument("--from", dest="start", metavar="DATE", help="from this date or ISO time (local)")
    ev_list.add_argument("--to", dest="end", metavar="DATE", help="until this date or ISO time (local, exclusive)")

    # suggestions
    suggestions = commands.add_parser("suggestions", parents=[common], help="interview suggestions from your calendars")
    sg = suggestions.add_subparsers(dest="action", metavar="ACTION", required=True)
    _json(sg.add_parser("list", parents=[common], help="list suggestions, pending first"))
    for verb in ("accept", "dismiss"):
        p = sg.add_parser(verb, parents=[common], help=f"{verb} a suggestion")
        p.add_argument("id", type=int)

    # pipeline
    pipeline = commands.add_parser("pipeline", parents=[common], help="your job applications")
    pl = pipeline.add_subparsers(dest="action", metavar="ACTION", required=True)
    pl_list = pl.add_parser("list", parents=[common], help="list applications")
    _json(pl_list)
    pl_list.add_argument("--all", action="store_true", help="include archived applications")
    pl_add = pl.add_parser("add", parents=[common], help="add an application")
    pl_add.add_argument("--company", required=True)
    pl_add.add_argument("--role", default="")
    pl_add.add_argument("--role-type", choices=[t.value for t in RoleType], default=RoleType.UNKNOWN.value)
    pl_add.add_argument("--alias", action="append", default=[], help="another name of the company (repeatable)")
    pl_add.add_argument("--status", choices=[s.value for s in ApplicationStatus], default=ApplicationStatus.APPLIED.value)
    _json(pl_add)

    # interviews
    interviews = commands.add_parser("interviews", parents=[common], help="interviews in your pipeline")
    iv = interviews.add_subparsers(dest="action", metavar="ACTION", required=True)
    _json(iv.add_parser("list", parents=[common], help="list interviews"))
    iv_add = iv.add_parser("add", parents=[common], help="schedule an interview (written to your calendar on the next sync)")
    iv_add.add_argument("--application", type=int, required=True, metavar="ID")
    iv_add.add_argument("--start", required=True, metavar="ISO")
    iv_add.add_argument("--end", required=True, metavar="ISO")
    iv_add.add_argument("--stage", choices=[s.value for s in Stage], default=Stage.OTHER.value)
    iv_add.add_argument("--title", default="")
    iv_add.add_argument("--location", default="")
    iv_add.add_argument("--calendar", type=int, metavar="ID", help="write to this calendar instead of the write target")
    _json(iv_add)

    iv_update = iv.add_parser("update", parents=[common], help="change an interview (the change is written to its calendar)")
    iv_update.add_argument("id", type=int)
    iv_update.add_argument("--start", metavar="ISO")
    iv_update.add_argument("--end", metavar="ISO")
    iv_update.add_argument("--stage", choices=[s.value for s in Stage])
    iv_update.add_argument("--title")
    iv_update.add_argument("--location")
    iv_delete = iv.add_parser("delete", parents=[common], help="delete an interview (and the event written for it)")
    iv_delete.add_argument("id", type=int)

    # conflicts
    conflicts = commands.add_parser("conflicts", parents=[common], help="interviews changed both in the app and in the calendar")
    cf = conflicts.add_subparsers(dest="action", metavar="ACTION", required=True)
    _json(cf.add_parser("list", parents=[common], help="list conflicts waiting for you"))
    cf_resolve = cf.add_parser("resolve", parents=[common], help="keep one version (the other is kept in the history)")
    cf_resolve.add_argument("id", type=int)
    cf_resolve.add_argument("--keep", choices=["app", "calendar"], required=True)

    # me
    me = commands.add_parser("me", parents=[common], help="who you are (so interviews you run are not taken for yours)")
    me_sub = me.add_subparsers(dest="action", metavar="ACTION", required=True)
    me_set = me_sub.add_parser("set", parents=[common], help="set your addresses and current employer")
    me_set.add_argument("--email", action="append", help="an address of yours (repeatable; replaces the list)")
    me_set.add_argument("--employer", help="your current employer")
    me_set.add_argument("--name", help="your name")
    _json(me_sub.add_parser("show", parents=[common], help="show what the detector knows about you"))

    # detect
    detect = commands.add_parser("detect", parents=[common], help="run the interview detector on events from a file")
    detect.add_argument("--pipeline", required=True, metavar="FILE", help="user and pipeline, as in corpus/pipeline-dev.json")
    detect.add_argument("events", metavar="EVENTS.jsonl")

    # history
    history = commands.add_parser("history", parents=[common], help="sync history (pulls and pushes)")
    history.add_argument("--account", type=int, metavar="ID")
    history.add_argument("--limit", type=int, default=50)
    _json(history)

    # forget
    forget = commands.add_parser("forget", parents=[common], help="delete all calendar data kept locally (keeps the pipeline)")
    forget.add_argument("--yes", action="store_true", help="(accepted for scripts; forget never prompts)")
    return parser
