"""Fuzzing the iCalendar normaliser: only ``MalformedItem`` may escape it, it reads generated
events the way icalendar reads them, and a sync-collection reply mixing good and bad items
becomes pages that keep every good item and count every bad one (``CalendarChanges``, fed the
reply through a stand-in for the session)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import example, given
from hypothesis import strategies as st

from calendar_desktop.domain import SyncWindow
from calendar_desktop.providers.caldav.ical import MalformedItem
from calendar_desktop.providers.caldav.normalise import normalise
from calendar_desktop.providers.caldav.sync import CalendarChanges
from calendar_desktop.providers.caldav.webdav import Multistatus, parse_multistatus
from tests.fuzz.strategies import FUZZ, IANA_ZONES, ODD_ZONES, WINDOWS_ZONES, hostile_text
from tests.servers.calendars import backwards_event, vevent, wrap

WINDOW = SyncWindow(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
HREF = "/u/cal/item.ics"

# --- hostile iCalendar text ------------------------------------------------------------------------

ICAL_TIMES = ("20260301T100000Z", "20260301T100000", "20260301", "20261341T100000Z", "2026030", "20260301T250000",
              "00010101T000000Z", "99991231T235959Z", "00000101T000000", "20260301t100000z", "２０２６0301T100000Z", "",
              "20260229", "20260301T1000", "20260329T023000", "2026-03-01T10:00:00Z", "20260301T100060Z")  # fmt: skip
TZIDS = IANA_ZONES + WINDOWS_ZONES + ODD_ZONES + ("/mozilla.org/20050126_1/Europe/Berlin", "Custom Zone", '"quoted;zone"')
DURATIONS = ("PT1H", "-PT1H", "P1W", "P99999999D", "PT99999999H", "banana", "", "PT", "P1DT-1H", "+P1D", "P1Y")
RRULES = ("FREQ=DAILY;COUNT=5", "FREQ=WEEKLY;UNTIL=20270101T000000Z", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;BYMONTH=13",
          "FREQ=SOMETIMES", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;COUNT=-1", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;UNTIL=banana",
          "", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=20", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", "FREQ=HOURLY;COUNT=100",
          "FREQ=DAILY;UNTIL=20260110", "FREQ=WEEKLY;COUNT=3;WKST=XX", "COUNT=3", "FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=0",
          "FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10,11,12;BYMINUTE=0,10,20,30,40,50", "FREQ=SECONDLY;COUNT=3")  # fmt: skip
OFFSETS = ("+1400", "-1200", "+0000", "+2500", "banana", "", "+14", "-001200", "+0545")


def _line(name: str, value: str, params: str = "") -> str:
    return f"{name}{params}:{value}"


def _ical_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


tzid_params = st.sampled_from(TZIDS).map(lambda tzid: f";TZID={tzid}")
time_params = st.one_of(st.just(""), st.just(";VALUE=DATE"), st.just(";VALUE=DATE-TIME"), tzid_params)
times = st.sampled_from(ICAL_TIMES) | st.text("0123456789TZ", max_size=17)
text_values = hostile_text.map(lambda t: _ical_text(t).replace("\r", "\\n")) | st.sampled_from(["\\", "\\n", "a\\;b", "\\x", '"'])

properties = st.one_of(
    st.builds(_line, st.sampled_from(["DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE", "DTSTAMP", "LAST-MODIFIED"]),
              times, time_params),  # fmt: skip
    st.builds(_line, st.just("DURATION"), st.sampled_from(DURATIONS)),
    st.builds(_line, st.just("RRULE"), st.sampled_from(RRULES)),
    st.builds(_line, st.sampled_from(["SUMMARY", "DESCRIPTION", "LOCATION", "UID", "URL", "CONFERENCE", "STATUS",
                                      "SEQUENCE", "X-CALENDAR-DESKTOP-MARKER", "X-GOOGLE-CONFERENCE"]), text_values),  # fmt: skip
    st.builds(_line, st.sampled_from(["ATTENDEE", "ORGANIZER"]), text_values | st.just("mailto:a@b.test"),
              st.sampled_from(["", ";CN=Ana", ';CN="Ana; Bo: C"', ";CN=", ';CN="unclosed'])),  # fmt: skip
)
timed_start = st.builds(lambda t, p: _line("DTSTART", t, p), st.sampled_from(ICAL_TIMES[:3]), time_params)


@st.composite
def vtimezones(draw: st.DrawFn) -> list[str]:
    """A VTIMEZONE with odd rules: huge offsets, missing parts, impossible months, far years."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{draw(st.sampled_from(TZIDS))}"]
    for kind in draw(st.lists(st.sampled_from(["STANDARD", "DAYLIGHT"]), max_size=2)):
        lines.append(f"BEGIN:{kind}")
        lines.append(f"DTSTART:{draw(st.sampled_from(['16010101T000000', '99991231T000000', '20260329T020000', 'banana']))}")
        if draw(st.booleans()):
            lines.append(f"TZOFFSETFROM:{draw(st.sampled_from(OFFSETS))}")
        lines.append(f"TZOFFSETTO:{draw(st.sampled_from(OFFSETS))}")
        if draw(st.booleans()):
            lines.append(f"RRULE:{draw(st.sampled_from(['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'FREQ=YEARLY;BYMONTH=13', 'FREQ=NEVER']))}")
        lines.append(f"END:{kind}")
    lines.append("END:VTIMEZONE")
    return lines


@st.composite
def calendars(draw: st.DrawFn) -> str:
    """A VCALENDAR with odd zones and one or two VEVENTs of hostile properties, sometimes cut short."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for zone in draw(st.lists(vtimezones(), max_size=2)):
        lines += zone
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        lines += ["BEGIN:VEVENT", f"UID:{draw(st.sampled_from(['u1', 'u1', 'u2', '']))}", draw(timed_start)]
        if n:  # usually an override of the series, sometimes a second event
            lines += draw(st.lists(st.builds(_line, st.just("RECURRENCE-ID"), times, time_params), max_size=1))
        lines += draw(st.lists(properties, max_size=8))
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            lines.append(draw(hostile_text))  # a line that is not a property at all
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            lines += [f"ATTENDEE;CN=Person {i}:mailto:p{i}@example.test" for i in range(draw(st.integers(1000, 4000)))]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    text = "\r\n".join(lines) + "\r\n"
    if draw(st.integers(min_value=0, max_value=7)) == 0:
        return text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


@FUZZ
@given(st.one_of(calendars(), hostile_text))
@example(wrap(vevent("u", "DTSTART;TZID=Line Islands Standard Time:00010101T000000")))
@example(wrap(vevent("u", "DTSTART:99991231T235959Z", "DURATION:P2D")))  # was an OverflowError
@example(wrap(vevent("u", "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260301T100000")))  # was a warning raised
@example("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART:20260301T100000Z\r\nSUMMARY:a\u2028b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
def test_only_malformed_item_escapes_the_normaliser(text: str) -> None:
    try:
        result = normalise(HREF, '"etag"', text, WINDOW)
    except MalformedItem:
        return
    for event in result.item.events:
        assert event.resource_id == HREF
        assert event.all_day or event.start <= event.end  # type: ignore[operator]


# --- cross-check against icalendar on generated events ---------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Pacific/Apia", "Asia/Kolkata", "Australia/Lord_Howe"]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r") | st.sampled_from(",;:\\\n\"é☕"), max_size=80)


@FUZZ
@given(
    title=TEXT,
    location=TEXT,
    description=TEXT,
    all_day=st.booleans(),
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)),
    length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    zone=st.sampled_from(ZONES),
)
def test_single_events_read_like_icalendar_reads_them(
    title: str, location: str, description: str, all_day: bool, start: datetime, length: timedelta, zone: str
) -> None:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//test//EN")
    calendar.add("version", "2.0")
    source = icalendar.Event()
    source.add("uid", "generated-1")
    source.add("summary", title)
    if location:
        source.add("location", location)
    if description:
        source.add("description", description)
    if all_day:
        first = start.date()
        source.add("dtstart", first)
        source.add("dtend", first + timedelta(days=max(1, length.days)))
    else:
        aware = start.replace(tzinfo=ZoneInfo(zone))
        source.add("dtstart", aware)
        source.add("dtend", aware + length)
    calendar.add_component(source)
    calendar.add_missing_timezones()
    text = calendar.to_ical().decode()

    (event,) = normalise(HREF, None, text, WINDOW).item.events
    (reference,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert event.title == str(reference["SUMMARY"])
    assert event.location == str(reference.get("LOCATION", ""))
    assert event.description == str(reference.get("DESCRIPTION", ""))
    assert event.all_day == all_day
    if all_day:
        assert (event.start, event.end) == (reference.start, reference.end)
    else:
        assert (event.start, event.end) == (reference.start.astimezone(UTC), reference.end.astimezone(UTC))
        assert event.timezone == zone


# --- a sync-collection reply of good and bad items -------------------------------------------------


def _xml_legal(text: str) -> str:
    """What XML 1.0 can carry (a server cannot send NUL or U+FFFF in a multistatus), without CRs."""
    return "".join(
        c for c in text
        if c in "\t\n" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
    )  # fmt: skip


def good_item(n: int, title: str, zone: str) -> str:
    return wrap(vevent(f"good-{n}", f"DTSTART;TZID={zone}:202603{n % 28 + 1:02d}T100000", "DURATION:PT1H",
                       f"SUMMARY:{_ical_text(title)}"), zones=(zone,))  # fmt: skip


BAD_ITEMS = (
    backwards_event("bad"),
    wrap(vevent("bad", "SUMMARY:no start")),
    wrap(vevent("bad", "DTSTART:20261341T100000Z")),
    wrap(vevent("bad", "DTSTART:20260301T100000Z", "DURATION:banana")),
    wrap(vevent("bad", "DTSTART:20260301T100000Z", "RRULE:FREQ=SOMETIMES")),
    wrap(vevent("a", "DTSTART:20260301T100000Z"), vevent("b", "DTSTART:20260302T100000Z")),  # two events in one
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260301T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",  # no UID
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n",  # never closed
    "BEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\n",  # not a VCALENDAR
    "not iCalendar at all",
)


def sync_reply(members: list[tuple[str, str]]) -> bytes:
    responses = "".join(
        f"<D:response><D:href>{escape(href)}</D:href><D:propstat><D:prop><D:getetag>\"{n}\"</D:getetag>"
        f"<C:calendar-data>{escape(data)}</C:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        for n, (href, data) in enumerate(members)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        f"{responses}<D:sync-token>http://radicale.org/ns/sync/1</D:sync-token></D:multistatus>"
    ).encode()


class OneReply:
    """Stands in for ``DavSession``: every REPORT gets the same reply, parsed as the session parses it."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    def report(self, url: str, body: str, depth: int = 1) -> Multistatus:
        return parse_multistatus(self.content)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("good"), hostile_text.map(_xml_legal), st.sampled_from(("UTC", "Europe/Berlin", "Pacific/Apia"))),
            st.tuples(st.just("bad"), st.sampled_from(BAD_ITEMS), st.none()),
        ),
        max_size=25,
    )
)
@example([("good", "a\u2028b\x85c", "UTC")])  # line breaks only to str.splitlines: once read as broken lines
def test_a_reply_becomes_pages_with_every_good_item_and_every_bad_one_counted(entries: list[tuple[str, Any, Any]]) -> None:
    members = [
        (f"/u/cal/{kind}-{n}.ics", good_item(n, first, second) if kind == "good" else first)
        for n, (kind, first, second) in enumerate(entries)
    ]
    good = [href for href, _data in members if "/good-" in href]
    bad = [href for href, _data in members if "/bad-" in href]

    pages = list(CalendarChanges(OneReply(sync_reply(members)), "http://dav.test/u/cal/", WINDOW).pages(None))  # type: ignore[arg-type]

    items = [item for page in pages for item in page.items]
    assert [item.resource_id for item in items] == good
    assert [item.events[0].title for item in items] == [first for kind, first, _ in entries if kind == "good"]
    assert sum(page.skipped for page in pages) == len(bad)
    assert [href for page in pages for href in page.unreadable] == bad, "their last good copies are kept"
    assert not pages[-1].removed
