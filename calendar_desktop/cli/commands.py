"""Command handlers: each takes the AppService and parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, time
from typing import TextIO

from calendar_desktop.cli.output import (
    account_json,
    application_json,
    calendar_json,
    event_json,
    interview_json,
    print_json,
    print_table,
    suggestion_json,
    sync_run_json,
)
from calendar_desktop.core.service import AppService
from calendar_desktop.domain import Account, AccountStatus, ApplicationStatus, ProviderKind, RoleType, Stage
from calendar_desktop.providers.errors import ProviderUnavailable
from calendar_desktop.store import EventQuery


class UsageError(ValueError):
    """Bad input from the user: printed as is, exit code 2."""


def parse_when(text: str, *, end_of_day: bool = False) -> datetime:
    """A date (local midnight) or an ISO date-time (local when it has no offset)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"“{text}” is not a date (YYYY-MM-DD) or an ISO 8601 time (YYYY-MM-DDTHH:MM).") from None
    if len(text) <= 10:
        value = datetime.combine(value.date(), time(0))
    if value.tzinfo is None:
        value = value.astimezone()  # the user's local zone
    return value


# --- accounts ---------------------------------------------------------------------------------


def accounts_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    accounts = service.list_accounts()
    if args.json:
        print_json([account_json(a) for a in accounts], out)
        return 0
    rows = [
        (a.id, a.provider.value, a.name, a.status.value, a.last_sync_at.isoformat() if a.last_sync_at else "never", a.last_error or "")
        for a in accounts
    ]
    print_table(("ID", "PROVIDER", "NAME", "STATUS", "LAST SYNC", "ERROR"), rows, out, empty="No accounts. Connect one with `calendar-desktop accounts add caldav|google|microsoft`.")
    return 0


def accounts_add(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    from calendar_desktop.core import connect

    kind = ProviderKind(args.provider)

    def show_url(url: str, opened: bool = False) -> None:
        if opened:
            sys.stderr.write("Your browser has opened: sign in there and allow access.\n")
        sys.stderr.write(f"If no browser opened, visit this address:\n  {url}\n")
        sys.stderr.flush()

    if kind is ProviderKind.CALDAV:
        if not service.providers.available(kind):
            raise ProviderUnavailable("CalDAV calendars are not available in this version of calendar-desktop yet.")
        new = connect.caldav_connect(args.url, args.username, connect.read_password(sys.stdin), name=args.name)
    elif kind is ProviderKind.GOOGLE:
        sign_in = connect.google_sign_in(
            service, read_only=args.read_only, client_secrets_file=args.client_secret_file, timeout_s=args.timeout,
            url_callback=show_url,
        )  # fmt: skip
        new = sign_in.run()
    else:
        sign_in = connect.microsoft_sign_in(
            service, read_only=args.read_only, client_id=args.client_id, authority=args.authority,
            timeout_s=args.timeout, show_url=show_url,
        )  # fmt: skip
        new = sign_in.run()
    existing = service.account_like(new)
    if existing is not None:  # the same account signed in again: its keyring entries are replaced
        account = service.reconnect_account(existing.id, new)
        out.write(f"Reconnected {account.provider.value} account {account.id} ({account.name}).\n")
    else:
        account = service.add_account(new)
        out.write(f"Connected {account.provider.value} account {account.id} ({account.name}).\n")
    return sync_accounts(service, [account.id], out, json_out=False)


def accounts_remove(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    account = service.store.accounts.get(args.id)
    service.remove_account(args.id, forget=args.forget)
    out.write(f"Removed account {account.id} ({account.name}); its secrets and local events are deleted.\n")
    return 0


# --- calendars --------------------------------------------------------------------------------


def calendars_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    calendars = service.list_calendars()
    if args.json:
        print_json([calendar_json(c) for c in calendars], out)
        return 0
    rows = [
        (c.id, c.account_id, c.name, "yes" if c.selected else "no", "yes" if c.write_target else "", "read-only" if c.read_only else "")
        for c in calendars
    ]
    print_table(("ID", "ACCOUNT", "NAME", "SYNCED", "WRITE TARGET", ""), rows, out, empty="No calendars yet: connect an account and sync.")
    return 0


def calendars_select(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    calendar = service.select_calendar(args.id, args.selected)
    state = "will be synced" if calendar.selected else "is no longer synced; its local events were removed"
    out.write(f"Calendar {calendar.id} ({calendar.name}) {state}.\n")
    return 0


def calendars_write_target(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    service.set_write_target(args.id)
    calendar = service.store.calendars.get(args.id)
    out.write(f"Interviews scheduled in the app will be written to calendar {calendar.id} ({calendar.name}).\n")
    return 0


# --- sync -------------------------------------------------------------------------------------


def sync(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    ids = [args.account] if args.account is not None else [a.id for a in service.list_accounts()]
    if args.account is not None:
        service.store.accounts.get(args.account)
    if not ids:
        out.write("No accounts to sync. Connect one with `calendar-desktop accounts add …`.\n")
        return 0
    return sync_accounts(service, ids, out, json_out=args.json)


def sync_accounts(service: AppService, account_ids: list[int], out: TextIO, *, json_out: bool) -> int:
    from calendar_desktop.core.wiring import build_controller

    async def run() -> list:  # type: ignore[type-arg]
        controller = build_controller(service)
        try:
            return list(await asyncio.gather(*(controller.sync_account(i) for i in account_ids)))
        finally:
            await controller.stop()

    results = asyncio.run(run())
    if json_out:
        print_json(
            [
                {"account_id": r.account_id, "ok": r.ok, "status": r.status.value, "message": r.message,
                 "added": r.added, "updated": r.updated, "removed": r.removed, "skipped": r.skipped}
                for r in results
            ],
            out,
        )  # fmt: skip
    else:
        for r in results:
            if r.ok:
                skipped = f", {r.skipped} unreadable skipped" if r.skipped else ""
                out.write(f"Account {r.account_id}: {r.added} added, {r.updated} updated, {r.removed} removed{skipped}.\n")
            else:
                out.write(f"Account {r.account_id}: {r.status.value}: {r.message}\n")
                if r.status is AccountStatus.NEEDS_REAUTH:
                    out.write(f"  To reconnect it: {reconnect_command(service.store.accounts.get(r.account_id))}\n")
    return 0 if all(r.ok for r in results) else 1


def reconnect_command(account: Account) -> str:
    """The command that signs an account in again (``accounts add`` reconnects a known account)."""
    if account.provider is ProviderKind.CALDAV:
        return (
            f"calendar-desktop accounts add caldav --url {account.server_url} --username {account.username} "
            "--password-stdin"
        )
    return f"calendar-desktop accounts add {account.provider.value}"


# --- events -----------------------------------------------------------------------------------


def events_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    query = EventQuery(
        start=parse_when(args.start) if args.start else None,
        end=parse_when(args.end) if args.end else None,
    )
    events = service.list_events(query)
    if args.json:
        print_json([event_json(e) for e in events], out)
        return 0
    rows = [
        (s.id, s.event.start.isoformat() if s.event.all_day else s.event.start.astimezone().strftime("%Y-%m-%d %H:%M"),
         s.event.title, s.event.status.value if s.event.status.value != "confirmed" else "")
        for s in events
    ]  # fmt: skip
    print_table(("ID", "START", "TITLE", ""), rows, out, empty="No events stored.")
    return 0


# --- suggestions ------------------------------------------------------------------------------


def suggestions_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    suggestions = service.store.suggestions.list()
    if args.json:
        print_json([suggestion_json(s) for s in suggestions], out)
        return 0
    rows = [
        (s.id, s.status.value, s.kind.value, s.company or "?", s.start.astimezone().strftime("%Y-%m-%d %H:%M") if s.start else "", s.confidence.value, s.title)
        for s in suggestions
    ]
    print_table(("ID", "STATUS", "KIND", "COMPANY", "WHEN", "CONFIDENCE", "EVENT"), rows, out, empty="No suggestions.")
    return 0


def suggestions_decide(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    from calendar_desktop.core.wiring import build_tracker

    tracker = build_tracker(service)
    if args.action == "accept":
        suggestion = tracker.accept(args.id)
        out.write(f"Accepted suggestion {suggestion.id}.\n")
    else:
        suggestion = tracker.dismiss(args.id)
        out.write(f"Dismissed suggestion {suggestion.id}; it will not be shown again for that event.\n")
    return 0


# --- pipeline and interviews ------------------------------------------------------------------


def pipeline_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    applications = service.list_applications(include_archived=args.all)
    if args.json:
        print_json([application_json(a) for a in applications], out)
        return 0
    rows = [(a.id, a.company, a.role, a.role_type.value, a.status.value + (" (archived)" if a.archived else "")) for a in applications]
    print_table(("ID", "COMPANY", "ROLE", "TYPE", "STATUS"), rows, out, empty="Your pipeline is empty. Add an application with `calendar-desktop pipeline add --company …`.")
    return 0


def pipeline_add(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    application = service.add_application(
        args.company, args.role, RoleType(args.role_type), aliases=tuple(args.alias), status=ApplicationStatus(args.status)
    )
    if args.json:
        print_json(application_json(application), out)
    else:
        out.write(f"Added application {application.id}: {application.company}" + (f" — {application.role}" if application.role else "") + "\n")
    return 0


def interviews_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    companies = {a.id: a.company for a in service.list_applications(include_archived=True)}
    interviews = service.list_interviews()
    if args.json:
        print_json([interview_json(i, companies.get(i.application_id, "")) for i in interviews], out)
        return 0
    rows = [(i.id, companies.get(i.application_id, ""), i.stage.value, i.start.astimezone().strftime("%Y-%m-%d %H:%M"), i.status.value) for i in interviews]
    print_table(("ID", "COMPANY", "STAGE", "START", "STATUS"), rows, out, empty="No interviews yet.")
    return 0


def interviews_add(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    start, end = parse_when(args.start), parse_when(args.end)
    if end <= start:
        raise UsageError("--end must be after --start.")
    interview = service.add_interview(
        args.application, start, end, stage=Stage(args.stage), title=args.title, location=args.location, calendar_id=args.calendar
    )
    company = service.store.applications.get(interview.application_id).company
    if args.json:
        print_json(interview_json(interview, company), out)
    else:
        out.write(f"Added interview {interview.id} with {company} on {start.strftime('%Y-%m-%d %H:%M')}.\n")
    return 0


def interviews_update(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    fields: dict[str, object] = {}
    if args.start:
        fields["start"] = parse_when(args.start)
    if args.end:
        fields["end"] = parse_when(args.end)
    if args.stage:
        fields["stage"] = Stage(args.stage)
    for name in ("title", "location"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    if not fields:
        raise UsageError("Nothing to change: give --start/--end, --stage, --title or --location.")
    interview = service.update_interview(args.id, **fields)
    out.write(f"Updated interview {interview.id}" + (" (the change is written to its calendar on the next sync)" if interview.calendar_id else "") + ".\n")
    return 0


def interviews_delete(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    service.delete_interview(args.id)
    out.write(f"Deleted interview {args.id}.\n")
    return 0


def conflicts_list(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    conflicts = service.list_conflicts()
    if args.json:
        print_json([
            {"id": c.id, "interview_id": c.interview_id, "local": c.local.to_json(),
             "remote": c.remote.to_json() if c.remote else None}
            for c in conflicts
        ], out)  # fmt: skip
        return 0
    rows = [
        (c.id, c.interview_id, f"{c.local.title} @ {c.local.start}", f"{c.remote.title} @ {c.remote.start}" if c.remote else "(deleted)")
        for c in conflicts
    ]
    print_table(("ID", "INTERVIEW", "IN THE APP", "IN THE CALENDAR"), rows, out, empty="No conflicts.")
    return 0


def conflicts_resolve(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    from calendar_desktop.core.wiring import build_two_way
    from calendar_desktop.domain import ConflictChoice

    build_two_way(service).resolve_conflict(args.id, ConflictChoice(args.keep))
    out.write(f"Kept the {args.keep}'s version; the other one is kept in the interview's history.\n")
    return 0


# --- me, detect, history, forget --------------------------------------------------------------


def me_set(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    identity = service.set_identity(emails=args.email, employer=args.employer, name=args.name)
    out.write(f"You are {identity.name or '(no name)'} <{', '.join(identity.emails) or 'no address'}>, working at {identity.current_employer or '(not set)'}.\n")
    return 0


def me_show(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    identity = service.identity()
    document = {"name": identity.name, "emails": list(identity.emails), "employer": identity.current_employer}
    if args.json:
        print_json(document, out)
    else:
        out.write(f"Name: {identity.name}\nAddresses: {', '.join(identity.emails)}\nEmployer: {identity.current_employer}\n")
    return 0


def detect(args: argparse.Namespace, out: TextIO) -> int:
    from calendar_desktop.detection.jsonl import run_detect

    return run_detect(args.pipeline, args.events, out)


def history(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    runs = service.sync_history(args.account, args.limit)
    if args.json:
        print_json([sync_run_json(r) for r in runs], out)
        return 0
    rows = [
        (r.id, r.account_id, r.calendar_id or "", r.direction.value, r.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), r.outcome.value, f"+{r.added} ~{r.updated} -{r.removed}" + (f" !{r.skipped}" if r.skipped else ""), r.error or "")
        for r in runs
    ]
    print_table(("ID", "ACCOUNT", "CALENDAR", "DIR", "STARTED", "OUTCOME", "CHANGES", "ERROR"), rows, out, empty="No sync history.")
    return 0


def forget(service: AppService, args: argparse.Namespace, out: TextIO) -> int:
    count = service.forget_calendar_data()
    out.write(f"Forgot {count} events and all suggestions; accounts, calendar choices and your pipeline are kept.\n")
    return 0
