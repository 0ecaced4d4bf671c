"""The lean content-line reader: folding, parameters, escapes, and refusing broken structure."""

from __future__ import annotations

import pytest

from calendar_desktop.providers.caldav.ical import MalformedItem, parse, parse_line, unescape, unfold


def test_folded_lines_are_joined_whatever_the_line_ending() -> None:
    text = "BEGIN:VEVENT\r\nSUMMARY:Interview with \r\n the platform\n\t team\r\nEND:VEVENT\r\n"
    assert unfold(text) == ["BEGIN:VEVENT", "SUMMARY:Interview with the platform team", "END:VEVENT"]


def test_a_fold_inside_a_multibyte_character_is_harmless_once_decoded() -> None:
    text = "SUMMARY:caf\r\n é ☕ rendez-vous"
    assert unfold(text) == ["SUMMARY:café ☕ rendez-vous"]


def test_parameters_with_quoted_colons_semicolons_and_commas() -> None:
    prop = parse_line('ATTENDEE;CN="Doe, Jane: Hiring; Lead";ROLE=REQ-PARTICIPANT:mailto:jane@example.com')
    assert prop.name == "ATTENDEE"
    assert prop.params == {"CN": "Doe, Jane: Hiring; Lead", "ROLE": "REQ-PARTICIPANT"}
    assert prop.value == "mailto:jane@example.com"


def test_plain_parameters_and_names_are_upper_cased() -> None:
    prop = parse_line("dtstart;tzid=Europe/Berlin:20260301T090000")
    assert (prop.name, prop.params, prop.value) == ("DTSTART", {"TZID": "Europe/Berlin"}, "20260301T090000")


def test_text_escapes() -> None:
    assert unescape(r"Room 4\, floor 2\; bring ID\nand a pen \\ thanks") == "Room 4, floor 2; bring ID\nand a pen \\ thanks"
    assert unescape("nothing to do") == "nothing to do"


def test_components_nest() -> None:
    (calendar,) = parse(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
        "END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (event,) = calendar.walk("VEVENT")
    assert event.first("UID").value == "1"  # type: ignore[union-attr]
    assert [c.name for c in event.children] == ["VALARM"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VCALENDAR\r\n", "does not close"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n", "never closed"),
        ("UID:1\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "outside"),
        ("BEGIN:VCALENDAR\r\nthis line has no value\r\nEND:VCALENDAR\r\n", "no value"),
        ('BEGIN:VCALENDAR\r\nX-A;P="unterminated:v\r\nEND:VCALENDAR\r\n', "quoted"),
    ],
)
def test_broken_structure_is_refused(text: str, reason: str) -> None:
    with pytest.raises(MalformedItem, match=reason):
        parse(text)
