"""A lean reader of iCalendar content lines (RFC 5545 §3.1): components, properties, parameters.

Why not icalendar for everything: parsing one small event with icalendar 7 costs about 2 ms
(it builds a typed object for every property and parameter), so an initial sync of 2,000
events would spend seconds before touching the network result. This reader only splits
lines; the values are interpreted by ``times`` and ``normalise``, and recurrence expansion
still goes through icalendar and recurring-ical-events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class MalformedItem(ValueError):
    """An iCalendar object we cannot read. The message says why, never what the object contains."""


@dataclass(slots=True)
class Property:
    name: str
    """Upper case, e.g. ``DTSTART``."""
    value: str
    """As written (TEXT values still escaped: use ``text()``)."""
    params: dict[str, str] = field(default_factory=dict)
    """Upper-case names; quotes removed; several values stay comma-separated."""

    def text(self) -> str:
        return unescape(self.value)


@dataclass(slots=True)
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def first(self, name: str) -> Property | None:
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    def all(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name]

    def has(self, name: str) -> bool:
        return any(prop.name == name for prop in self.properties)

    def walk(self, name: str) -> list[Component]:
        return [child for child in self.children if child.name == name]


_FOLD = re.compile(r"\r?\n[ \t]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PARAM = re.compile(r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)')
_NAME = re.compile(r"[A-Za-z0-9-]+")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}


def unfold(text: str) -> list[str]:
    """The logical lines of ``text`` (folds joined, blank lines dropped).

    Lines end with CR, LF or both, nothing else: ``str.splitlines`` would also break a value at
    U+2028, NEL or a form feed, which are text inside a SUMMARY or DESCRIPTION."""
    return [line for line in _LINE_BREAK.split(_FOLD.sub("", text)) if line.strip()]


def unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), value)


def parse_line(line: str) -> Property:
    colon = line.find(":")
    quote = line.find('"')
    if colon < 0:
        raise MalformedItem("a content line has no value")
    if quote < 0 or quote > colon:
        head, value = line[:colon], line[colon + 1 :]
        name, _, rest = head.partition(";")
        params: dict[str, str] = {}
        if rest:
            for part in rest.split(";"):
                key, sep, raw = part.partition("=")
                if not sep:
                    raise MalformedItem("a parameter has no value")
                params[key.upper()] = raw
        return Property(name.upper(), value, params)
    return _parse_quoted(line)


def _parse_quoted(line: str) -> Property:
    """A content line with quoted parameter values, which may hold ``:``, ``;`` and ``,``."""
    match = _NAME.match(line)
    if match is None:
        raise MalformedItem("a content line has no name")
    pos = match.end()
    params: dict[str, str] = {}
    while pos < len(line) and line[pos] == ";":
        param = _PARAM.match(line, pos)
        if param is None:
            raise MalformedItem("a parameter is badly quoted")
        params[param.group(1).upper()] = param.group(2).replace('"', "")
        pos = param.end()
    if pos < len(line) and line[pos] == '"':
        raise MalformedItem("a parameter is badly quoted")
    if pos >= len(line) or line[pos] != ":":
        raise MalformedItem("a content line has no value")
    return Property(match.group(0).upper(), line[pos + 1 :], params)


def parse(text: str) -> list[Component]:
    """Top-level components of ``text``; ``MalformedItem`` on unbalanced BEGIN/END or broken lines."""
    lines = unfold(text)
    roots: list[Component] = []
    stack: list[Component] = []
    for line in lines:
        upper = line[:6].upper()
        if upper == "BEGIN:":
            component = Component(line[6:].strip().upper())
            (stack[-1].children if stack else roots).append(component)
            stack.append(component)
        elif upper[:4] == "END:":
            name = line[4:].strip().upper()
            if not stack or stack[-1].name != name:
                raise MalformedItem(f"END:{name} does not close the open component")
            stack.pop()
        elif stack:
            stack[-1].properties.append(parse_line(line))
        else:
            raise MalformedItem("content outside of any component")
    if stack:
        raise MalformedItem(f"{stack[-1].name} is never closed")
    return roots
