"""Realistic test calendars: one iCalendar object per event, deterministic for a seed.

The mix follows what real calendars hold: weekly and monthly series with EXDATEs and
RECURRENCE-ID overrides (moved, retitled and cancelled instances) kept in the series' own
resource, all-day and multi-day events, a yearly all-day series, events in America/New_York,
Europe/Berlin and Pacific/Apia (the date-line jump), UTC, floating times, cancelled events, and
meetings with organizer, attendees, location and a video link in one of the places clients
put it (LOCATION, DESCRIPTION, URL, CONFERENCE, X-GOOGLE-CONFERENCE).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

ZONES = ("America/New_York", "Europe/Berlin", "Pacific/Apia")
PRODID = "-//calendar-desktop//test calendars//EN"


@dataclass(frozen=True, slots=True)
class SampleEvent:
    uid: str
    name: str
    """The resource's file name in the collection (``<name>`` of ``.../calendar/<name>``)."""
    ics: str


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


@functools.cache
def _vtimezone(tzid: str) -> str:
    zone = icalendar.Timezone.from_tzid(tzid, first_date=date(2020, 1, 1), last_date=date(2032, 1, 1))
    return zone.to_ical().decode().replace("\r\n", "\n").strip("\n")


def wrap(*vevents: str, zones: tuple[str, ...] = ()) -> str:
    """A VCALENDAR around VEVENT blocks (each given without CRLFs), with VTIMEZONEs for ``zones``."""
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    parts += [_vtimezone(z) for z in dict.fromkeys(zones)]
    parts += [v.strip("\n") for v in vevents]
    parts.append("END:VCALENDAR")
    return "\r\n".join("\n".join(parts).split("\n")) + "\r\n"


def vevent(uid: str, *lines: str, stamp: str = "20260101T000000Z") -> str:
    return "\n".join(["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", *[line for line in lines if line], "END:VEVENT"])


class _Builder:
    def __init__(self, seed: int, anchor: date) -> None:
        self.rng = random.Random(seed)
        self.anchor = anchor
        self.seed = seed

    def when(self, days_back: int = 40, days_ahead: int = 300) -> datetime:
        day = self.anchor + timedelta(days=self.rng.randint(-days_back, days_ahead))
        return datetime(day.year, day.month, day.day, self.rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 17]),
                        self.rng.choice([0, 15, 30, 45]))  # fmt: skip

    def meeting(self, n: int) -> list[str]:
        """Organizer, attendees and a meeting link placed where some client would put it."""
        lines = [
            f"ORGANIZER;CN=Recruiter {n}:mailto:recruiter{n}@company{n % 50}.example",
            "ATTENDEE;CN=Candidate;PARTSTAT=ACCEPTED:mailto:me@example.test",
            f"ATTENDEE;CN=Engineer {n};PARTSTAT=NEEDS-ACTION:mailto:eng{n}@company{n % 50}.example",
        ]
        link = f"https://meet.example.com/{self.seed}-{n}"
        place = n % 5
        if place == 0:
            lines.append(f"LOCATION:{_escape(link)}")
        elif place == 1:
            description = f"Join the call: {link}" + "\nAgenda: intro, questions"
            lines.append(f"DESCRIPTION:{_escape(description)}")
        elif place == 2:
            lines.append(f"URL:{link}")
        elif place == 3:
            lines.append(f"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join:{link}")
        else:
            lines.append(f"X-GOOGLE-CONFERENCE:{link}")
        return lines

    def event(self, n: int) -> SampleEvent:
        uid = f"{self.seed}-{n:05d}-{self.rng.getrandbits(32):08x}@calendar-desktop.test"
        name = f"ev-{self.seed}-{n:05d}.ics"
        kind = n % 20
        title = f"Event {n}"
        if kind in (0, 1):
            return SampleEvent(uid, name, self.weekly(uid, n, title))
        if kind in (2, 3):
            return SampleEvent(uid, name, self.monthly(uid, n, title))
        if kind in (4, 5):
            start = self.when().date()
            end = start + timedelta(days=self.rng.choice([1, 1, 1, 2, 3]))
            body = vevent(uid, f"DTSTART;VALUE=DATE:{_day(start)}", f"DTEND;VALUE=DATE:{_day(end)}", f"SUMMARY:Day off {n}",
                          "TRANSP:TRANSPARENT")  # fmt: skip
            return SampleEvent(uid, name, wrap(body))
        if kind == 6:
            start = self.when(days_back=300, days_ahead=30).date()
            body = vevent(uid, f"DTSTART;VALUE=DATE:{_day(start)}", "RRULE:FREQ=YEARLY", f"SUMMARY:Birthday {n}")
            return SampleEvent(uid, name, wrap(body))
        if kind in (7, 8, 9, 10, 11):
            zone = ZONES[0] if kind in (7, 8) else ZONES[1] if kind in (9, 10) else ZONES[2]
            start = self.when()
            minutes = self.rng.choice([30, 45, 60, 90])
            body = vevent(
                uid,
                f"DTSTART;TZID={zone}:{_local(start)}",
                f"DTEND;TZID={zone}:{_local(start + timedelta(minutes=minutes))}",
                "SUMMARY:" + _escape(f"Interview, round {n % 4 + 1}; {zone}"),
                *self.meeting(n),
            )
            return SampleEvent(uid, name, wrap(body, zones=(zone,)))
        if kind == 12:
            start = self.when()
            body = vevent(uid, f"DTSTART:{_local(start)}", f"DURATION:PT{self.rng.choice([30, 60])}M", f"SUMMARY:Floating {n}")
            return SampleEvent(uid, name, wrap(body))
        status = "STATUS:CANCELLED" if kind == 13 else self.rng.choice(["STATUS:CONFIRMED", "STATUS:TENTATIVE", ""])
        start = self.when().replace(tzinfo=UTC)
        body = vevent(
            uid,
            f"DTSTART:{_utc(start)}",
            f"DTEND:{_utc(start + timedelta(minutes=self.rng.choice([15, 30, 60])))}",
            f"SUMMARY:{title}",
            status,
            *(self.meeting(n) if n % 3 == 0 else [f"LOCATION:Room {n % 12}"]),
        )
        return SampleEvent(uid, name, wrap(body))

    def weekly(self, uid: str, n: int, title: str) -> str:
        zone = "Europe/Berlin"
        tz = ZoneInfo(zone)
        start = self.when(days_back=60, days_ahead=120)
        first = start.replace(tzinfo=tz)
        rule = "RRULE:FREQ=WEEKLY;COUNT=20" if n % 4 else f"RRULE:FREQ=WEEKLY;UNTIL={_utc(first + timedelta(weeks=15))}"
        master = [f"DTSTART;TZID={zone}:{_local(start)}", f"DTEND;TZID={zone}:{_local(start + timedelta(hours=1))}", rule,
                  f"SUMMARY:Weekly {title}"]  # fmt: skip
        overrides: list[str] = []
        if n % 5 == 0:
            skipped = start + timedelta(weeks=2)
            master.append(f"EXDATE;TZID={zone}:{_local(skipped)},{_local(skipped + timedelta(weeks=1))}")
            moved = start + timedelta(weeks=4)
            overrides.append(vevent(
                uid, f"RECURRENCE-ID;TZID={zone}:{_local(moved)}",
                f"DTSTART;TZID={zone}:{_local(moved + timedelta(hours=3))}",
                f"DTEND;TZID={zone}:{_local(moved + timedelta(hours=4))}",
                f"SUMMARY:Weekly {title} (moved)", "SEQUENCE:1",
            ))  # fmt: skip
            cancelled = start + timedelta(weeks=6)
            overrides.append(vevent(
                uid, f"RECURRENCE-ID;TZID={zone}:{_local(cancelled)}",
                f"DTSTART;TZID={zone}:{_local(cancelled)}", f"DTEND;TZID={zone}:{_local(cancelled + timedelta(hours=1))}",
                f"SUMMARY:Weekly {title}", "STATUS:CANCELLED", "SEQUENCE:1",
            ))  # fmt: skip
        return wrap(vevent(uid, *master), *overrides, zones=(zone,))

    def monthly(self, uid: str, n: int, title: str) -> str:
        start = self.when(days_back=90, days_ahead=60).replace(tzinfo=UTC)
        start = start.replace(day=min(start.day, 28))
        until = start + timedelta(days=self.rng.choice([180, 400, 800]))
        lines = [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + timedelta(minutes=45))}",
                 f"RRULE:FREQ=MONTHLY;UNTIL={_utc(until)}", f"SUMMARY:Monthly {title}"]  # fmt: skip
        if n % 3 == 0:
            lines.append(f"EXDATE:{_utc(_add_months(start, 2))}")
        return wrap(vevent(uid, *lines))


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1)


@functools.cache
def sample_calendar(count: int, *, seed: int = 1, anchor: date | None = None) -> tuple[SampleEvent, ...]:
    """``count`` events around ``anchor`` (default: today), the same for the same arguments."""
    builder = _Builder(seed, anchor or datetime.now(UTC).date())
    return tuple(builder.event(n) for n in range(count))


def edited(event: SampleEvent, tag: str) -> SampleEvent:
    """The same event with a new title (byte-different, so servers see a real change)."""
    lines = []
    for line in event.ics.split("\r\n"):
        if line.startswith("SUMMARY:"):
            line = f"SUMMARY:{tag} {line[len('SUMMARY:'):]}"
        lines.append(line)
    return SampleEvent(event.uid, event.name, "\r\n".join(lines))


def backwards_event(uid: str) -> str:
    """An event that ends before it starts: servers store and serve it, our normaliser refuses it."""
    return wrap(vevent(uid, "DTSTART:20261201T100000Z", "DTEND:20261201T090000Z", "SUMMARY:Ends before it starts"))
