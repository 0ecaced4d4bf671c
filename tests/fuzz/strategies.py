"""Hostile inputs shared by the normaliser fuzz tests: sizes, zones, types, text and dates that
real servers (or broken ones) send.

``FUZZ`` is the settings every fuzz test uses: derandomised (the same examples on every run, so
CI is reproducible and a failure can be replayed), no deadline (a 200,000-character title takes
its time), and a moderate number of examples so the whole suite stays well under a minute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# --- text ----------------------------------------------------------------------------------------

ODD_PIECES = (
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "שלום",
    "مرحبا",
    "\U0001f600",
    "👩‍👩‍👧",  # a zero-width-joined family
    "\x00",
    "\ufeff",  # byte order mark
    "\uffff",  # a noncharacter
    "\U0010ffff",  # the last code point
    "e\u0301",  # a combining accent
    "\u2028",  # line separator
    "\r",
    "\n",
    "\\",
    ";",
    ",",
    ":",
    '"',
    "<b>",
    "&amp;",
)

odd_text = st.lists(st.sampled_from(ODD_PIECES) | st.text(max_size=3), max_size=12).map("".join)
"""Short text made of right-to-left marks, emoji, NUL, noncharacters, separators and markup."""

huge_text = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["a", "é", "😀", "\x00", " ", "ab\n"]),
    st.integers(min_value=20_000, max_value=200_000),
)
"""Very long text (a pasted document as a title, a runaway field)."""

hostile_text = st.one_of(st.text(max_size=40), odd_text, huge_text)

# --- JSON ------------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**100),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
"""Any JSON value: what a field of the wrong type may hold (numbers, lists, objects, null)."""


def _nested(depth: int, as_list: bool) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value] if as_list else {"x": value}
    return value


deep_json = st.builds(_nested, st.integers(min_value=50, max_value=3000), st.booleans())
"""Deeply nested lists or objects."""

wide_json = st.integers(min_value=1000, max_value=20_000).map(lambda n: {f"k{i}": i for i in range(n)})
"""An object with thousands of keys."""

anything = st.one_of(json_values, deep_json, wide_json)


def many_attendees(make: Any) -> st.SearchStrategy[list[Any]]:
    """Thousands of attendees, each built by ``make(i)``."""
    return st.integers(min_value=1000, max_value=5000).map(lambda n: [make(i) for i in range(n)])


# --- dates and zones -------------------------------------------------------------------------------

MALFORMED_TIMESTAMPS = (
    "",
    "T",
    "2026-02-30T10:00:00Z",  # no such day
    "2026-13-01T10:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-06-30T23:59:60Z",  # a leap second
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",  # before year 1 once in UTC
    "9999-12-31T23:59:59-12:00",  # after year 9999 once in UTC
    "2026-01-01T10:00:00+24:00",
    "2026-01-01T10:00:00.1234567",  # seven fractional digits, as Graph writes them
    "2026-01-01T10:00:00.1234567Z",
    "+002026-01-01T10:00:00Z",
    "2026-W01-1T10:00:00",
    "2026-01-01 10:00:00",
    "20260101T100000Z",  # iCalendar's form in a JSON field
    "2026-03-29T02:30:00",  # inside Berlin's spring-forward gap
    "2026-10-25T02:30:00",  # inside Berlin's autumn fold
    "２０２６-01-01T10:00:00",  # full-width digits
    "2026-01-01T10:00:00\x00",
)

timestamps = st.one_of(
    st.sampled_from(MALFORMED_TIMESTAMPS),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat()),
    st.builds(
        lambda d, offset: d.isoformat() + offset,
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
        st.sampled_from(["Z", "+14:00", "-12:00", "+00:00", "+05:45", "-00:00", "+13:45"]),
    ),
    st.dates().map(lambda d: d.isoformat()),
    hostile_text,
)

IANA_ZONES = ("UTC", "Europe/Berlin", "Pacific/Apia", "Pacific/Kiritimati", "Etc/GMT-14", "Etc/GMT+12", "Asia/Kathmandu",
              "Australia/Lord_Howe", "America/St_Johns")  # fmt: skip
WINDOWS_ZONES = ("W. Europe Standard Time", "Dateline Standard Time", "Line Islands Standard Time", "UTC+12",
                 "Nepal Standard Time", "Samoa Standard Time", "Customized Time Zone", "tzone://Microsoft/Custom",
                 "tzone://Microsoft/Utc")  # fmt: skip
ODD_ZONES = ("", " UTC", "Nope/Nope", "../../etc/passwd", "/etc/localtime", "+14:00", "-12:00", "UTC+14", "GMT-12",
             "\x00", "Europe/Berlin\x00", "europe/berlin", "(UTC+14:00) Kiritimati Island")  # fmt: skip

zone_names = st.one_of(st.sampled_from(IANA_ZONES + WINDOWS_ZONES + ODD_ZONES), st.text(max_size=20))


# --- listing pages ---------------------------------------------------------------------------------

Entry = tuple[str, Any, Any]
"""("good", title, detail) or ("bad", shape, id text)."""


def page_entries(details: st.SearchStrategy[Any], bad_shapes: tuple[Any, ...]) -> st.SearchStrategy[list[Entry]]:
    """The items of one listing page, good and bad mixed: good ones with a hostile title and a
    ``details`` value (a zone …), bad ones of a known-bad shape."""
    good = st.tuples(st.just("good"), hostile_text, details)
    bad = st.tuples(st.just("bad"), st.sampled_from(bad_shapes), hostile_text)
    return st.lists(good | bad, max_size=25)


def json_page(entries: list[Entry], good_item: Any) -> tuple[list[Any], list[str], list[str]]:
    """(raw items, ids of the good ones, their titles). A good item is ``good_item(n, title, detail)``
    with id ``good<n>``; a bad object gets a hostile id unless its shape sets one."""
    raw: list[Any] = []
    ids: list[str] = []
    titles: list[str] = []
    for n, (kind, first, second) in enumerate(entries):
        if kind == "good":
            raw.append(good_item(n, first, second))
            ids.append(f"good{n}")
            titles.append(first)
        else:
            raw.append({"id": f"bad{n}-{second}", **first} if isinstance(first, dict) else first)
    return raw, ids, titles
