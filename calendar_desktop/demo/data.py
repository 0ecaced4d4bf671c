"""A realistic fortnight for the demo and the screenshots: meetings, all-day and recurring events,
and interview invitations from companies in a small job pipeline.

Times are placed relative to the Monday of the current week, in the local time zone, so the
agenda always opens on a busy, current fortnight.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from calendar_desktop.domain import ApplicationStatus, Event, RoleType

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
USER_NAME = "Alex Morgan"
USER_EMAIL = "alex.morgan@example.com"


@dataclass(frozen=True, slots=True)
class Repeat:
    """Weekly on some weekdays (0 = Monday), ``count`` occurrences in all."""

    weekdays: tuple[int, ...]
    count: int

    def rrule(self) -> str:
        return f"FREQ=WEEKLY;BYDAY={','.join(WEEKDAY_CODES[d] for d in self.weekdays)};COUNT={self.count}"


@dataclass(frozen=True, slots=True)
class DemoItem:
    calendar: str
    uid: str
    title: str
    start: datetime | date
    end: datetime | date
    repeat: Repeat | None = None
    location: str = ""
    meeting_link: str | None = None
    organizer: str | None = None
    attendees: tuple[str, ...] = ()
    description: str = ""
    company: str | None = None
    """Set on interview invitations: the pipeline company they belong to."""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    def occurrences(self) -> Iterator[tuple[datetime | date, datetime | date]]:
        if self.repeat is None:
            yield self.start, self.end
            return
        length = self.end - self.start  # type: ignore[operator]
        day = self.start
        produced = 0
        while produced < self.repeat.count:
            if day.weekday() in self.repeat.weekdays:
                yield day, day + length
                produced += 1
            day = day + timedelta(days=1)

    def events(self) -> list[Event]:
        """The occurrences as the store keeps them (recurring ones expanded, UTC times)."""
        result = []
        for start, end in self.occurrences():
            recurrence = None
            if self.repeat is not None:
                recurrence = start.astimezone(UTC).isoformat() if isinstance(start, datetime) else start.isoformat()
            remote_id = self.uid if recurrence is None else f"{self.uid}#{recurrence}"
            result.append(
                Event(
                    remote_id=remote_id,
                    resource_id=f"{self.uid}.ics",
                    uid=self.uid,
                    title=self.title,
                    start=start.astimezone(UTC) if isinstance(start, datetime) else start,
                    end=end.astimezone(UTC) if isinstance(end, datetime) else end,
                    all_day=self.all_day,
                    organizer=self.organizer,
                    attendees=self.attendees,
                    location=self.location,
                    meeting_link=self.meeting_link,
                    description=self.description,
                    series_id=self.uid if recurrence else None,
                    recurrence_id=recurrence,
                )
            )
        return result

    def moved(self, delta: timedelta) -> DemoItem:
        return DemoItem(
            self.calendar, self.uid, self.title, self.start + delta, self.end + delta, self.repeat,  # type: ignore[operator]
            self.location, self.meeting_link, self.organizer, self.attendees, self.description, self.company,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoApplication:
    company: str
    role: str
    role_type: RoleType
    aliases: tuple[str, ...] = ()
    status: ApplicationStatus = ApplicationStatus.APPLIED


@dataclass(frozen=True, slots=True)
class DemoData:
    calendars: dict[str, str]
    """Calendar name -> colour."""
    items: list[DemoItem]
    applications: list[DemoApplication]
    tracked_uid: str
    """The interview the demo accepts at once and later moves on the server (the reschedule prompt)."""
    reschedule_by: timedelta = field(default=timedelta(days=1, hours=1))

    def item(self, uid: str) -> DemoItem:
        return next(i for i in self.items if i.uid == uid)


def fortnight(now: datetime | None = None, zone: tzinfo | None = None) -> DemoData:
    now = now or datetime.now(UTC)
    zone = zone or now.astimezone().tzinfo
    monday = (now.astimezone(zone) - timedelta(days=now.astimezone(zone).weekday())).date()

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(monday + timedelta(days=day), time(hour, minute), tzinfo=zone)

    def on(day: int) -> date:
        return monday + timedelta(days=day)

    me = USER_EMAIL
    items = [
        DemoItem("Work", "demo-standup", "Daily stand-up", at(0, 9, 30), at(0, 9, 45), Repeat((0, 1, 2, 3, 4), 10),
                 meeting_link="https://meet.example.com/standup-team", attendees=(me, "dana@northwind.example")),
        DemoItem("Work", "demo-planning", "Sprint planning", at(0, 10), at(0, 11, 30), location="Room Ada"),
        DemoItem("Work", "demo-one-to-one", "1:1 with Dana", at(3, 15), at(3, 15, 30), Repeat((3,), 2),
                 organizer="Dana Lee <dana@northwind.example>", attendees=(me, "dana@northwind.example")),
        DemoItem("Work", "demo-design-review", "Design review: billing service", at(2, 14), at(2, 15),
                 location="Room Turing", attendees=(me, "sam@northwind.example", "kai@northwind.example")),
        DemoItem("Work", "demo-offsite", "Team offsite", on(11), on(12), location="Lakeside Lodge"),
        DemoItem("Work", "demo-release", "Release 4.2 go/no-go", at(8, 16), at(8, 16, 30)),
        DemoItem("Personal", "demo-dentist", "Dentist", at(1, 8), at(1, 8, 45), location="Dr Weber, Hauptstr. 4"),
        DemoItem("Personal", "demo-gym", "Gym", at(0, 18, 30), at(0, 19, 30), Repeat((0, 2), 4)),
        DemoItem("Personal", "demo-birthday", "Anna's birthday", on(5), on(6)),
        DemoItem("Personal", "demo-conference", "PyCon (conference)", on(9), on(12), location="Berlin"),
        DemoItem(
            "Personal", "demo-acme-technical", "Acme Corp — Technical interview (Platform Engineer)",
            at(1, 15), at(1, 16), location="Video call", meeting_link="https://meet.example.com/acme-tech-482",
            organizer="Priya Shah <recruiting@acmecorp.example>", attendees=(me, "recruiting@acmecorp.example"),
            description="Hi Alex, thanks for your interest in the Platform Engineer role at Acme Corp. "
            "This technical interview with two engineers from the platform team takes 60 minutes.",
            company="Acme Corp",
        ),
        DemoItem(
            "Personal", "demo-globex-screen", "Globex: recruiter screen — Backend Engineer",
            at(3, 11), at(3, 11, 30), meeting_link="https://zoom.example.com/j/84421",
            organizer="Globex Talent <talent@globex.example>", attendees=(me, "talent@globex.example"),
            description="A 30-minute phone screen with our recruiter about the Backend Engineer opening.",
            company="Globex",
        ),
        DemoItem(
            "Personal", "demo-initech-manager", "Interview: Initech — hiring manager (Backend Engineer)",
            at(7, 16), at(7, 16, 45), meeting_link="https://teams.example.com/l/initech-hm",
            organizer="Bill Lumbergh <bill@initech.example>", attendees=(me, "bill@initech.example"),
            description="Interview with the hiring manager for the Backend Engineer position.",
            company="Initech",
        ),
        DemoItem(
            "Personal", "demo-umbrella-onsite", "Umbrella Health onsite interview (SRE)",
            at(9, 13), at(9, 17), location="Umbrella Health, 12 Harbour Street",
            organizer="Umbrella Health Recruiting <jobs@umbrella-health.example>",
            attendees=(me, "jobs@umbrella-health.example"),
            description="Onsite interview loop for the Site Reliability Engineer (contract) role: "
            "systems design, incident review and a chat with the team.",
            company="Umbrella Health",
        ),
    ]  # fmt: skip
    applications = [
        DemoApplication("Acme Corp", "Platform Engineer", RoleType.FULL_TIME, ("Acme", "acmecorp.example"),
                        ApplicationStatus.INTERVIEWING),
        DemoApplication("Globex", "Backend Engineer", RoleType.FULL_TIME, ("globex.example",)),
        DemoApplication("Initech", "Backend Engineer", RoleType.FULL_TIME, ("initech.example",)),
        DemoApplication("Umbrella Health", "Site Reliability Engineer", RoleType.CONTRACT, ("umbrella-health.example",),
                        ApplicationStatus.SCREENING),
    ]  # fmt: skip
    return DemoData({"Work": "#3478f6", "Personal": "#e5534b"}, items, applications, "demo-acme-technical")
