"""The job title an event states, and its employment type (LABELING §4)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from calendar_desktop.detection import lexicon
from calendar_desktop.detection.matching import Field, Hits
from calendar_desktop.detection.text import fold
from calendar_desktop.domain import RoleType

_ROLE_NOUN = re.compile(lexicon.ROLE_NOUN)
_ROLE_ABBREVIATION = re.compile(lexicon.ROLE_ABBREVIATION)
CATEGORIES: dict[str, str | tuple[str, ...]] = {
    "role_after": r"(?:" + lexicon.ROLE_AFTER + r")(?P<r>[^\n]{2,100}?)" + lexicon.ROLE_END,
    "role_before": lexicon.ROLE_BEFORE,
}
COLLECTED = frozenset(CATEGORIES)
_LEAD_IN = re.compile(lexicon.ROLE_LEAD_IN)
_SENTENCE_BREAK = re.compile(r"[.!?;:\n](?:\s|$)|[\n]")
_QUALIFIER = re.compile(
    r"^(?:" + lexicon.EMPLOYMENT_QUALIFIER + r"|" + lexicon.LOCATION_WORD + r"|[\s,/&+-]|and|y|e|et|und|or|in)+$"
)
_GENDER = re.compile(lexicon.GENDER_MARKER, re.IGNORECASE)
_REQUISITION = re.compile(lexicon.REQUISITION, re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
_SEGMENT_SPLIT = re.compile(r"\s+[-–—|·]\s+|,\s+|\s+/\s+(?=[A-Z])")
_COHORT = re.compile(
    r"\b(?:new\s+grad(?:uate)?s?|university\s+grad(?:uate)?s?|early[- ]career|(?:summer|winter|fall|autumn|spring)"
    r"(?:\s+20\d\d)?|20\d\d)\b",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(
    r"^(?:(?:the|a|an|our|this|your|internal|open|new|for|as|of)\s+|'s\s+|\S+'s\s+(?=[A-Z]))+", re.IGNORECASE
)
_TRAILING_PLACE = re.compile(
    r"\s+(?:(?:based|located|basee?|basad[oa]|baseado|baseada|ubicad[oa]|com\s+sede)\s+(?:in|a|en|em|at)\s+.*"
    r"|(?:in|en|em|im|a|at)\s+(?:" + lexicon.EMPLOYMENT_QUALIFIER + "|" + lexicon.LOCATION_WORD + r")(?:\s.*)?)$",
)
# "(via Robert Half)", "(with Maya)": who or how, not a team.
_NOT_A_TEAM = re.compile(r"(?:via|with|w/|through|at|@|for|by|from|per|con|avec|mit|com|em|en|bei|chez)\b")
_TRAILING_NOISE = re.compile(r"(?:\s+(?:role|position|opening|opportunity|req|job|vacancy))+$", re.IGNORECASE)
_EDGES = re.compile(r"^[\s,;:/|·–—\-]+|[\s,;:/|·–—\-]+$")
_SPACES = re.compile(r"\s+")
_TITLE_SPLIT = re.compile(r"\s+[|·•]\s+|\s+[-–—]\s+|:\s+|\s+/\s+|\s+@\s+|\s+<>\s+|\s+x\s+")
_MAX_WORDS = 9


def looks_like_role(text: str) -> bool:
    """A role names a kind of job: an engineer, an intern, a PM…"""
    return bool(_ROLE_NOUN.search(fold(text)) or _ROLE_ABBREVIATION.search(text))


def clean_role(raw: str, names_to_drop: Iterable[str] = ()) -> str:
    """Apply LABELING §4: drop requisition ids, gender markers, employment-type, location and cohort
    qualifiers and company names; keep seniority, team and the title's own words."""
    text = raw
    if any(char.isdigit() for char in text):
        text = _REQUISITION.sub(" ", text)
    if "/" in text or "gender" in text.lower():
        text = _GENDER.sub(" ", text)
    lowered = text.lower()
    for name in names_to_drop:
        if name and name.lower() in lowered:
            text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    if "(" in text:
        text = _PARENTHETICAL.sub(_keep_team_parenthetical, text)
    text = _cut_trailing_place(_drop_trailing_qualifiers(text))
    text = _COHORT.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _LEADING_NOISE.sub("", _EDGES.sub("", text))
    text = _TRAILING_NOISE.sub("", text)
    return _EDGES.sub("", text).strip()


def _cut_trailing_place(text: str) -> str:
    """``Backend Entwickler in Vollzeit`` → ``Backend Entwickler``; ``… basé à Paris`` → ``…``."""
    match = _TRAILING_PLACE.search(fold(text))
    return text[: match.start()] if match else text


def _keep_team_parenthetical(match: re.Match[str]) -> str:
    inside = match.group(1).strip()
    if (
        not inside
        or "," in inside
        or any(ch.isdigit() for ch in inside)
        or _is_qualifier(inside)
        or _NOT_A_TEAM.match(fold(inside))
    ):
        return " "
    return " (" + inside + ")"


def _is_qualifier(segment: str) -> bool:
    folded = fold(segment).strip()
    return not folded or bool(_QUALIFIER.match(folded)) or bool(_COHORT.fullmatch(segment.strip()))


def _drop_trailing_qualifiers(text: str) -> str:
    """``Data Engineer – part-time, 20 hrs/week`` → ``Data Engineer``."""
    cut = len(text)
    for separator in reversed(list(_SEGMENT_SPLIT.finditer(text))):
        if separator.end() > cut or not _is_qualifier(text[separator.end() : cut]):
            break
        cut = separator.start()
    return text[:cut]


def description_roles(field: Field, hits: Hits) -> list[str]:
    """Roles a text states: after "Position:", "au poste de"… and before "role", "position"…"""
    text, original = field.text, field.original
    found = [original[span[2] : span[3]] for span in hits.every.get("role_after", ())]
    for span in hits.every.get("role_before", ()):
        end = span[0]
        window_start = max(0, end - 100)
        breaks = list(_SENTENCE_BREAK.finditer(text, window_start, end))
        if breaks:
            window_start = breaks[-1].end()
        lead_ins = list(_LEAD_IN.finditer(text, window_start, end))
        if lead_ins:
            found.append(original[lead_ins[-1].end() : end])
    return found


def title_roles(title: Field, hits: Hits) -> list[str]:
    """Title segments and parenthesised parts that name no stage or interview (role candidates)."""
    blocked = hits.every.get("not_a_role", ())
    original = title.original
    spans = [match.span(1) for match in _PARENTHETICAL.finditer(original)]
    start = 0
    for separator in _TITLE_SPLIT.finditer(original):
        spans.append((start, separator.start()))
        start = separator.end()
    spans.append((start, len(original)))
    return [
        original[a:b]
        for a, b in spans
        if b > a and not any(x < b and a < y for x, y in blocked) and _has_capital(original[a:b])
    ]


def _has_capital(piece: str) -> bool:
    """Roles in titles are written as titles; a lower-case phrase is the user's note."""
    return any(char.isupper() for char in piece)


def best_role(candidates: Iterable[str], names_to_drop: Iterable[str]) -> str | None:
    """The most complete valid role among the candidates (the earliest on ties: descriptions are
    offered first). Cleaning only shortens, so a candidate shorter than the best is skipped."""
    names = tuple(names_to_drop)
    best: tuple[int, int, str] | None = None  # (size, -index, role)
    unique = dict.fromkeys(candidate.strip() for candidate in candidates)
    ranked = sorted(enumerate(unique), key=lambda item: (-len(item[1].split()), item[0]))
    for index, raw in ranked:
        if (best is not None and len(raw.split()) < best[0]) or not looks_like_role(raw):
            continue
        role = clean_role(raw, names)
        size = len(role.split())
        if role and size <= _MAX_WORDS and looks_like_role(role) and (best is None or (size, -index) > best[:2]):
            best = (size, -index, role)
    return best[2] if best else None


TYPE_CATEGORIES: dict[str, str | tuple[str, ...]] = {
    "internship": lexicon.ROLE_TYPE_INTERNSHIP,
    "contract": lexicon.ROLE_TYPE_CONTRACT,
    "part_time": lexicon.ROLE_TYPE_PART_TIME,
    "full_time": lexicon.ROLE_TYPE_FULL_TIME,
    "pj": lexicon.words("pj"),  # Brazilian "PJ" (contract) and "CLT" (full-time), only in capitals
    "clt": lexicon.words("clt"),
}
TYPE_COLLECTED = frozenset({"pj", "clt"})
# "20 hrs/week" starts with a number: searched in full when a week word occurs.
HOURS = ("part_time", lexicon.ROLE_TYPE_PART_TIME_HOURS, lexicon.HOURS_WEEK_WORDS)


def _cased(field: Field, hits: Hits, name: str, spelling: str) -> bool:
    return any(field.original[span[0] : span[1]] == spelling for span in hits.every.get(name, ()))


def role_type(found: Sequence[tuple[Field, Hits]]) -> RoleType:
    """The cue table of LABELING §4 with its precedence internship > contract > part-time > full-time.
    ``found``: the title, description and location (URLs blanked) with what was found in them."""
    if any("internship" in hits for _, hits in found):
        return RoleType.INTERNSHIP
    if any("contract" in hits or _cased(field, hits, "pj", "PJ") for field, hits in found):
        return RoleType.CONTRACT
    if any("part_time" in hits for _, hits in found):
        return RoleType.PART_TIME
    if any("full_time" in hits or _cased(field, hits, "clt", "CLT") for field, hits in found):
        return RoleType.FULL_TIME
    return RoleType.UNKNOWN
