"""The job title an event states, and its employment type (LABELING §4)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from calendar_desktop.detection import lexicon
from calendar_desktop.detection.matching import Field, Hits, words_spaced
from calendar_desktop.detection.patterns import bare_words
from calendar_desktop.detection.text import WHITESPACE, fold
from calendar_desktop.domain import RoleType

# Several patterns below lead with a character class rather than ``\s+`` or an alternation:
# ``re`` skips quickly to where a match can start only when a pattern starts with a literal or a
# class, and these run over whole titles and role phrases.

_ROLE_NOUN = re.compile(lexicon.ROLE_NOUN)
_ROLE_ABBREVIATION = re.compile(lexicon.ROLE_ABBREVIATION)
CATEGORIES: dict[str, str | tuple[str, ...]] = {
    "role_after": r"(?:" + lexicon.ROLE_AFTER + r")(?P<r>[^\n]{2,100}?)" + lexicon.ROLE_END,
    "role_before": lexicon.ROLE_BEFORE,
}
COLLECTED = frozenset(CATEGORIES)
_LEAD_IN_WORDS = bare_words(lexicon.ROLE_LEAD_IN)
if _LEAD_IN_WORDS is None:  # pragma: no cover - a vocabulary edit, caught by any test run
    raise ValueError("ROLE_LEAD_IN must be a list of plain words")
_LOOK_BACK = 100  # how far before "role"/"position" a role is looked for
_SENTENCE_BREAK = re.compile(r"[.!?;:\n](?:\s|$)|[\n]")
_QUALIFIER = re.compile(
    r"^(?:" + lexicon.EMPLOYMENT_QUALIFIER + r"|" + lexicon.LOCATION_WORD + r"|" + lexicon.CLIENT_QUALIFIER
    + r"|[\s,/&+-]|and|y|e|et|und|or|in)+$"
)
_GENDER = re.compile(lexicon.GENDER_MARKER, re.IGNORECASE)
_REQUISITION = re.compile(lexicon.REQUISITION, re.IGNORECASE)
_DIGIT = re.compile(r"\d")  # a requisition id needs one (str.isdigit would also count "²", which no id has)
_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
# ``\s+[-–—|·]\s+|,\s+|\s+/\s+(?=[A-Z])``, led by a class.
_SEGMENT_SPLIT = re.compile(r"[\s,](?:(?<=,)\s+|(?<!,)\s*(?:[-–—|·]\s+|/\s+(?=[A-Z])))")
_SEGMENT_CHARS = re.compile(r"[-–—|·,/]")  # one of which every separator above holds
_COHORT = re.compile(
    r"\b(?:new\s+grad(?:uate)?s?|university\s+grad(?:uate)?s?|early[- ]career|(?:summer|winter|fall|autumn|spring)"
    r"(?:\s+20\d\d)?|20\d\d)\b",
    re.IGNORECASE,
)
# Every match of _COHORT holds one of these (in lower case; tested on ASCII text only, as ignoring
# case outside ASCII also equates "ſ" and "s").
_COHORT_PARTS = re.compile("grad|early|summer|winter|fall|autumn|spring|20")
_LEADING_NOISE = re.compile(
    r"^(?:(?:the|a|an|our|this|your|internal|open|new|for|as|of|(?:full|part)[- ]?time)\s+|re:\s*|'s\s+"
    r"|(?:position|role|post)\s+(?:of|as)\s+"
    r"|\S+'s\s+(?=[A-Z]))+",
    re.IGNORECASE,
)
_TRAILING_PLACE = re.compile(  # "\s\s*" is "\s+" led by a class
    r"\s\s*(?:(?:based|located|basee?|basad[oa]|baseado|baseada|ubicad[oa]|com\s+sede)\s+(?:in|a|en|em|at)\s+.*"
    r"|(?:in|en|em|im|a|at)\s+(?:" + lexicon.EMPLOYMENT_QUALIFIER + "|" + lexicon.LOCATION_WORD + r")(?:\s.*)?)$",
)
# "(via Robert Half)", "(with Maya)": who or how, not a team.
_NOT_A_TEAM = re.compile(r"(?:via|with|w/|through|at|@|for|by|from|per|con|avec|mit|com|em|en|bei|chez)\b")
_TRAILING_NOISE_WORDS = ("role", "position", "opening", "opportunity", "req", "job", "vacancy", "contract")
_TRAILING_NOISE = re.compile(r"(?:\s+(?:" + "|".join(_TRAILING_NOISE_WORDS) + r"))+$", re.IGNORECASE)
_EDGE_CHARS = WHITESPACE + ",;:/|·–—-"  # stripped from both ends of a role
# ``\s+[|·•]\s+|\s+[-–—]\s+|:\s+|\s+/\s+|\s+@\s+|\s+<>\s+|\s+x\s+``, led by a class.
_TITLE_SPLIT = re.compile(r"[\s:](?:(?<=:)\s+|(?<!:)\s*(?:[|·•]|[-–—]|/|@|<>|x)\s+)")
_MAX_WORDS = 9
_QUALIFIER_EDGES = WHITESPACE + ":;."  # "… - Full-time:" ends a sentence


def looks_like_role(text: str) -> bool:
    """A role names a kind of job: an engineer, an intern, a PM…"""
    return bool(_ROLE_NOUN.search(fold(text)) or _ROLE_ABBREVIATION.search(text))


def clean_role(raw: str, names_to_drop: Iterable[str] = (), place: str = "") -> str:
    """Apply LABELING §4: drop requisition ids, gender markers, employment-type, location and cohort
    qualifiers and company names; keep seniority, team and the title's own words. ``place`` is the
    event's location, folded: a parenthesised part it names ("(Veldhoven)") is where, not a team."""
    text = _balance_parentheses(raw)
    if _DIGIT.search(text):
        text = _REQUISITION.sub(" ", text)
    lowered = text.lower()
    if "/" in text or "gender" in lowered:
        text = _GENDER.sub(" ", text)
        lowered = text.lower()
    for name in names_to_drop:
        if name and name.lower() in lowered:
            text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    if "(" in text:
        text = _PARENTHETICAL.sub(lambda match: _keep_team_parenthetical(match, place), text)
    if _SEGMENT_CHARS.search(text):
        text = _drop_trailing_qualifiers(text)
    text = _cut_trailing_place(text)
    if not text.isascii() or _COHORT_PARTS.search(text.lower()):
        text = _COHORT.sub(" ", text)
    # Runs of spaces made one, then the edges stripped: what "\s+" -> " " and the edge pattern did.
    text = " ".join(text.split()).strip(_EDGE_CHARS)
    text = _LEADING_NOISE.sub("", text)
    # (No trailing whitespace is left, so the pattern's "$" is the end of the text.)
    if not text.isascii() or text.lower().endswith(_TRAILING_NOISE_WORDS):
        text = _TRAILING_NOISE.sub("", text)
    return text.strip(_EDGE_CHARS)


def _balance_parentheses(text: str) -> str:
    """A capture that ends inside a parenthesis, or after one it did not open, loses that part:
    ``Engineer (CDI, Paris ou full remote`` → ``Engineer``, ``Engineer contract)`` → ``Engineer contract``."""
    opened, closed = text.rfind("("), text.rfind(")")
    if opened > closed:
        return text[:opened]
    if closed >= 0 and opened < 0:
        return text[:closed] + text[closed + 1 :]
    return text


def _cut_trailing_place(text: str) -> str:
    """``Backend Entwickler in Vollzeit`` → ``Backend Entwickler``; ``… basé à Paris`` → ``…``."""
    match = _TRAILING_PLACE.search(fold(text))
    return text[: match.start()] if match else text


def _keep_team_parenthetical(match: re.Match[str], place: str = "") -> str:
    inside = match.group(1).strip()
    if (
        not inside
        or (place and _names_place(fold(inside), place))
        or "," in inside
        or any(map(str.isdigit, inside))
        or _is_qualifier(inside)
        or _NOT_A_TEAM.match(fold(inside))
    ):
        return " "
    return " (" + inside + ")"


def _names_place(inside: str, place: str) -> bool:
    """Is ``inside`` (folded) a whole word or phrase of the folded location ``place``?"""
    start = place.find(inside)
    while start >= 0:
        end = start + len(inside)
        if (start == 0 or not place[start - 1].isalnum()) and (end == len(place) or not place[end].isalnum()):
            return True
        start = place.find(inside, end)
    return False


def _is_qualifier(segment: str) -> bool:
    folded = fold(segment).strip(_QUALIFIER_EDGES)
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
    """Roles a text states: after "Position:", "au poste de"… and before "role", "position"…

    Before "role": from the last lead-in word ("the", "our", "for"…) within ``_LOOK_BACK``
    characters, unless a sentence ends between it and "role"."""
    text, original = field.text, field.original
    found = [original[span[2] : span[3]] for span in hits.every.get("role_after", ())]
    for span in hits.every.get("role_before", ()):
        end = span[0]
        lead_in_end = _last_lead_in(text, max(0, end - _LOOK_BACK), end)
        if lead_in_end >= 0 and not _SENTENCE_BREAK.search(text, lead_in_end, end):
            found.append(original[lead_in_end:end])
    return found


def _last_lead_in(text: str, start: int, end: int) -> int:
    """End of the last lead-in word that lies whole in ``text[start:end]`` (a word may end at
    ``end``; the character before ``start`` counts), or -1."""
    window = words_spaced((text[start - 1] if start else " ") + text[start:end]) + " "
    for word in reversed(window.split()):
        if word in _LEAD_IN_WORDS:  # its last occurrence: no lead-in comes after it
            return start + window.rfind(f" {word} ") + len(word)
    return -1


def title_roles(title: Field, hits: Hits) -> list[str]:
    """Title segments and parenthesised parts that name no stage or interview (role candidates).
    Roles in titles are written as titles: a segment without a capital is the user's note."""
    blocked = hits.every.get("not_a_role", ())
    original = title.original
    spans = [match.span(1) for match in _PARENTHETICAL.finditer(original)] if "(" in original else []
    start = 0
    for separator in _TITLE_SPLIT.finditer(original):
        spans.append((start, separator.start()))
        start = separator.end()
    spans.append((start, len(original)))
    found = []
    for a, b in spans:
        if b <= a:
            continue
        for x, y in blocked:
            if x < b and a < y:
                break
        else:
            piece = original[a:b]
            if any(map(str.isupper, piece)):
                found.append(piece)
    return found


def best_role(candidates: Iterable[str], names_to_drop: Iterable[str], place: str = "") -> str | None:
    """The most complete valid role among the candidates (the earliest on ties: descriptions are
    offered first). Cleaning only shortens, so candidates shorter than the best are not tried.
    ``place``: the event's location, folded (see :func:`clean_role`)."""
    names = tuple(names_to_drop)
    best: tuple[int, int, str] | None = None  # (size, -index, role)
    unique = dict.fromkeys([candidate.strip() for candidate in candidates])
    for negative_size, index, raw in sorted([(-len(raw.split()), index, raw) for index, raw in enumerate(unique)]):
        if best is not None and -negative_size < best[0]:
            break
        if not looks_like_role(raw):
            continue
        role = clean_role(raw, names, place)
        size = len(role.split())
        if role[:1].isupper():
            role = _without_lowercase_tail(role, size > _MAX_WORDS)
            size = len(role.split())
        if role and size <= _MAX_WORDS and looks_like_role(role) and (best is None or (size, -index) > best[:2]):
            best = (size, -index, role)
    return best[2] if best else None


# German formal pronouns are capitalised mid-sentence ("… laden wir Sie ein").
_FORMAL_PRONOUNS = frozenset({"Sie", "Ihnen", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer"})


def _without_lowercase_tail(role: str, too_long: bool) -> str:
    """A role written capitalised in running text ends where lower-case words start: the sentence
    goes on ("Praktikum HMI-Entwicklung laden wir Sie …", "Frontend Developer zo snel mogelijk").
    Only when every word after the capitalised head is lower case (or the capture is too long)."""
    words = role.split()
    count = 0
    for word in words:
        if not (word[:1].isupper() or word[:1].isdigit() or word[:1] in "(&/-"):
            break
        count += 1
    tail = words[count:]
    if not tail or not (too_long or all(word[:1].islower() or word in _FORMAL_PRONOUNS for word in tail)):
        return role
    head = _balance_parentheses(" ".join(words[:count]).strip(_EDGE_CHARS))
    return head if looks_like_role(head) else role


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
    if name in hits:
        original = field.original
        for span in hits.every[name]:
            if original[span[0] : span[1]] == spelling:
                return True
    return False


def role_type(found: Sequence[tuple[Field, Hits]]) -> RoleType:
    """The cue table of LABELING §4 with its precedence internship > contract > part-time > full-time.
    ``found``: the title, description and location (URLs blanked) with what was found in them."""
    for name, cased, kind in _TYPE_PRECEDENCE:
        for field, hits in found:
            if name in hits or (cased is not None and _cased(field, hits, *cased)):
                return kind
    return RoleType.UNKNOWN


# Each type's cue category and, for "PJ"/"CLT", the category of the word it counts in capitals.
_TYPE_PRECEDENCE = (
    ("internship", None, RoleType.INTERNSHIP),
    ("contract", ("pj", "PJ"), RoleType.CONTRACT),
    ("part_time", None, RoleType.PART_TIME),
    ("full_time", ("clt", "CLT"), RoleType.FULL_TIME),
)
