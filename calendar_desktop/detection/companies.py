"""Which employer an event is with: pipeline entries, names written in the event, mail domains."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from calendar_desktop.detection import lexicon
from calendar_desktop.detection.matching import Cue, Field
from calendar_desktop.detection.model import PipelineEntry
from calendar_desktop.detection.text import company_key, fold, strip_legal_suffix


def name_keys(name: str) -> set[str]:
    """Folded keys a company name is written as: ``Halcyon Labs, Inc.`` → {"halcyon labs", "halcyon"}."""
    key = company_key(name)
    if not key:
        return set()
    keys = {key}
    tokens = key.split()
    # Every shorter head before generic words: "apollo hospitals enterprise" → "apollo hospitals", "apollo".
    end = len(tokens) - 1
    while end >= 1 and tokens[end] in lexicon.COMPANY_GENERIC_TAILS:
        if end > 1 or len(tokens[0]) >= 4:
            keys.add(" ".join(tokens[:end]))
        end -= 1
    return keys


def label_variants(label: str) -> list[str]:
    """A domain label, then its cores without brand affixes: ``getorbital`` → [..., "orbital"]."""
    variants = [label]
    if label.startswith(lexicon.DOMAIN_PREFIXES):
        for prefix in lexicon.DOMAIN_PREFIXES:
            if label.startswith(prefix) and len(label) - len(prefix) >= 4:
                variants.append(label[len(prefix) :])
    for core in list(variants):
        if core.endswith(lexicon.DOMAIN_SUFFIXES):
            for suffix in lexicon.DOMAIN_SUFFIXES:
                if core.endswith(suffix) and len(core) - len(suffix) >= 3:
                    variants.append(core[: -len(suffix)])
    return variants


def display_from_label(label: str) -> str:
    """A readable name from a domain label: ``quasarlinebio`` → ``Quasarline Bio``, ``cascadehq`` → ``Cascade``."""
    core = label_variants(label)[-1]
    words: list[str] = []
    for tail in _TAILS_LONGEST_FIRST:
        if core.endswith(tail) and len(core) - len(tail) >= 3:
            words.insert(0, tail)
            core = core[: -len(tail)]
            break
    return " ".join(part.upper() if part == "ai" else part.capitalize() for part in [core, *words])


_TAILS_LONGEST_FIRST = sorted(lexicon.COMPANY_GENERIC_TAILS, key=len, reverse=True)


def tidy_company(name: str) -> str:
    """Legal suffix off, edges cleaned; an all-lower-case name typed by the user is capitalised."""
    if not (name and _is_word_char(name[0]) and (_is_word_char(name[-1]) or name[-1] == ")")):
        name = _EDGE.sub("", name)  # (a name that starts with a word character and ends with one or ")" has no edge)
    name = strip_legal_suffix(name)
    if name.islower() and "." not in name:  # "incident.io" is written so
        name = " ".join(word[:1].upper() + word[1:] for word in name.split())
    return name


_WEB_NAME = re.compile(r"([\w-]+)\.([a-z]{2,4})\b")  # a name written as its web domain
_WEB_SUFFIX = re.compile(r"\.([a-z]{2,4})(?!\w)")
_EDGE = re.compile(r"^[^\w]+|[^\w.)]+$|\.$")
_LABEL_MEMO_LIMIT = 10_000
_NON_ALNUM = re.compile(r"[^\w]+|_")
_NON_ALNUM_ASCII = bytes(byte for byte in range(128) if not chr(byte).isalnum())


def _compact(text: str) -> str:
    """Letters and digits only: ``orbital foods`` → ``orbitalfoods``."""
    if text.isascii():
        return text.encode().translate(None, _NON_ALNUM_ASCII).decode()
    return _NON_ALNUM.sub("", text)


def _is_word_char(char: str) -> bool:
    """What ``\\w`` matches."""
    return char.isalnum() or char == "_"


class PipelineMatcher:
    """Finds pipeline entries by name, alias, legal-suffix-free form, typo and domain."""

    def __init__(self, entries: Sequence[PipelineEntry]) -> None:
        by_key: dict[str, PipelineEntry] = {}
        for entry in entries:
            for name in (entry.company, *entry.aliases):
                for key in name_keys(name):
                    by_key.setdefault(key, entry)
        self._by_compact = {_compact(key): entry for key, entry in by_key.items()}
        for entry in entries:  # "Booking.com" is mailed from, and written as, "booking"
            for name in (entry.company, *entry.aliases):
                head = _WEB_NAME.match(fold(name))
                if head and head.group(2) in lexicon.WEB_TLDS and len(_compact(head.group(1))) >= 4:
                    self._by_compact.setdefault(_compact(head.group(1)), entry)
        self._first_char = {entry.company: entry.company[:1] for entry in entries}
        alternatives = sorted(by_key, key=len, reverse=True)
        self._cue = (
            Cue(lexicon.words("|".join(r"[\s\-.]*".join(re.escape(t) for t in key.split()) for key in alternatives)))
            if alternatives
            else None
        )
        self._fuzzy_choices = [key for key in self._by_compact if len(key) >= 4]
        self._fuzzy_by_length: dict[int, list[str]] = {}
        self._labels: dict[str, PipelineEntry | None] = {}

    def in_text(self, field: Field, cased: bool = False) -> PipelineEntry | None:
        """The first entry named in ``field``. With ``cased`` the name must be capitalised as the
        company writes itself (in a description, "block of time" is not Block)."""
        if self._cue is None:
            return None
        for match in self._cue.finditer(field):
            entry = self._by_compact.get(_compact(match.group()))
            if entry is None:
                continue
            if cased:
                first = field.original[match.start()]
                if not (first.isupper() or first.isdigit() or first == self._first_char[entry.company]):
                    continue
            return entry
        return None

    def by_label(self, label: str) -> PipelineEntry | None:
        """The entry whose name is this domain label, allowing brand affixes and one typo (memoised)."""
        if label in self._labels:
            return self._labels[label]
        entry = self._match_label(label)
        if len(self._labels) < _LABEL_MEMO_LIMIT:
            self._labels[label] = entry
        return entry

    def _match_label(self, label: str) -> PipelineEntry | None:
        for variant in label_variants(label):
            entry = self._by_compact.get(variant)
            if entry is not None:
                return entry
        for key, entry in self._by_compact.items():
            if len(key) >= 4 and label.startswith(key) and label[len(key) :] in lexicon.COMPANY_GENERIC_TAILS:
                return entry
        return self.fuzzy(label)

    def fuzzy(self, candidate: str) -> PipelineEntry | None:
        """A name as written, or typo'd: one edit or transposition (two for long names), first letter kept."""
        compact = _compact(fold(candidate))
        entry = self._by_compact.get(compact)
        if entry is not None or len(compact) < 5 or not self._fuzzy_choices:
            return entry
        limit = 1 if len(compact) < 9 else 2
        choices = self._fuzzy_by_length.get(len(compact))
        if choices is None:  # a name whose length differs by more than the limit is further than it
            choices = [key for key in self._fuzzy_choices if abs(len(key) - len(compact)) <= limit]
            self._fuzzy_by_length[len(compact)] = choices
        if not choices:
            return None
        found = process.extractOne(compact, choices, scorer=OSA.distance, score_cutoff=limit)
        if found is None or found[0][:1] != compact[:1]:
            return None
        return self._by_compact[found[0]]


@lru_cache(maxsize=2048)
def _spelling_pattern(core: str) -> re.Pattern[str]:
    """``core`` as a whole word, its letters possibly apart. Led by its first letter, checked
    after it to follow no word character, so that ``re`` can look for that letter."""
    first = re.escape(core[0])
    return re.compile(
        first + r"(?<!\w" + first + r")" + "".join(r"[\s\-.]?" + re.escape(char) for char in core[1:]) + r"(?!\w)"
    )


def spelled_in(label: str, field: Field) -> str | None:
    """How a text writes a domain's name: ``brightwaterbio`` → "Brightwater Bio",
    ``getyourguide`` → "GetYourGuide", ``cascadehq`` → "Cascade" (longest form found)."""
    for core in label_variants(label):
        if len(core) < 3 or core[0] not in field.text:
            continue
        match = _spelling_pattern(core).search(field.text)
        if match:
            end = match.end()
            web = _WEB_SUFFIX.match(field.text, end) if field.text[end : end + 1] == "." else None
            if web and web.group(1) in lexicon.WEB_TLDS:  # "incident.io" is the name as the company writes it
                end = web.end()
            return field.original[match.start() : end]
    return None


def consistent_with_label(candidate: str, label: str) -> bool:
    """Does a written name fit a mail domain? ``Quasarline`` fits ``quasarlinebio``, ``Orbital`` fits ``getorbital``."""
    compact = _compact(fold(candidate))
    if len(compact) < 2:
        return False
    shortest = 3 if candidate.isupper() else 4  # an acronym: "ITC" fits ``itcportal``
    words = [word for word in _NON_ALNUM.split(fold(candidate)) if word]
    return any(
        core == compact
        or (len(compact) >= shortest and core.startswith(compact))
        or (len(words) >= 2 and _word_heads(core, words))
        for core in label_variants(label)
    )


def _word_heads(core: str, words: list[str]) -> bool:
    """Is ``core`` the heads of two or more of ``words`` in order, two letters or more each?
    ``colpal`` for Colgate-Palmolive, ``hdfclife`` for HDFC Life."""
    if not core:
        return True
    for index, word in enumerate(words):
        for size in range(min(len(word), len(core)), 1, -1):
            if core.startswith(word[:size]) and (
                (size == len(core) and index > 0) or _word_heads(core[size:], words[index + 1 :])
            ):
                return True
        return False  # the first word left has to start it
    return False


_FREE = r"(?:[^|:<>/+\[\]()·\-,]|(?<=\w)-(?=\w)){2,40}?"  # a hyphen only inside a word ("Colgate-Palmolive")
_PAIR = r"(?:x|<>|/|\+|&|·|\|)"
_END = r"\s*(?:$|[|:(·,)]|\s-\s|\s/\s)"
_CAPITAL = r"[A-Z0-9ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ][\w&'’.-]*"
_NAME = re.compile(_CAPITAL + r"(?:\s+(?:" + _CAPITAL + r"|de|&|and|of))*")
_RECRUITING = r"(?:recruiter|recruiting|recruitment|talent|hr|people\s+team)\b"
_SEPARATOR = re.compile(r"[|:·()\[\]<>/+]|\s-\s|\s@\s|\bx\b")
_FILLER_TAIL = re.compile(r"(?:\s+(?:ka|ki|ke|ko|de|da|do|du|der|die|das|la|le|el|the|my|mi|mon|ma|mein|meine))+\s*$")
_CANDIDATE_EDGE = re.compile(r"^[^\w]+|[^\w.&)]+$")
_TRAILING_FUNCTION = re.compile(
    r"(?:\s+(?:recruiting|recruitment|talent(?:\s+acquisition)?|hr|people|careers|jobs|team|interviews?|scheduling))+$",
    re.IGNORECASE,
)
# A match of _TRAILING_FUNCTION ends a text without trailing whitespace with one of these (tested
# on ASCII text only: ignoring case outside ASCII also equates "ſ" and "s").
_TRAILING_FUNCTION_ENDS = (
    *("recruiting", "recruitment", "talent", "acquisition", "hr", "people", "careers", "jobs", "team"),
    *("interview", "interviews", "scheduling"),
)
_GENERIC_WORDS = lexicon.words(
    r"google\s+meet|meet|zoom|microsoft\s+teams|teams|webex|phone|video|remote|virtual|call|calls|team|cto|ceo|vp",
    r"office|hq|link|email|in\s+email|tbd|tba|me|you|us|them|portfolio|bring|complete|via|by|fri|mon|tue|wed|thu",
    r"sat|sun|today|tomorrow|week|cohort|sessions?|livestream|keynote|the|and|with|w",
    r"tentative|confirmed|tbc|maybe|optional|reminder|waiting|confirmation|reschedule|rescheduled|new\s+time",
    "|".join(sorted(lexicon.TOOL_LABELS)),
    r"workday|greenhouse|lever|ashby|goodtime|calendly|modernloop|gem",
    r"staffing|headhunt\w*|personnel|placements?|recruitment",  # an agency is never the employer
    r"don'?t|do\s+not|be\s+late|late|remember|bring",  # a note to self
)
# Words after which a description names the employer ("role at Quasarline", "en Ferrocene", "our client X").
_EMPLOYER_ANCHOR = Cue(
    lexicon.words(
        r"our\s+client",
        r"(?:role|position|opening|internship|interview|job|intern|engineer|manager|developer|analyst|scientist)\s+"
        r"(?:at|with|bei|chez|en|na|no|em)",
        r"interview(?:ing)?\s+with",
        r"(?:at|bei|chez|en|na|no|em)",
    )
)
_CLIENT_ANCHOR = Cue(lexicon.words(r"our\s+client", r"representing"))
_PARTNERS_WITH = re.compile(r"(?P<c>" + _NAME.pattern + r")\s+(?:partners|has\s+partnered|partnered)\s+with\b")


def _clean_candidate(raw: str) -> str:
    candidate = raw.strip()
    if not (candidate and _is_word_char(candidate[0]) and (_is_word_char(candidate[-1]) or candidate[-1] in ".&)")):
        candidate = _CANDIDATE_EDGE.sub("", candidate)
    if not candidate.isascii() or candidate.lower().endswith(_TRAILING_FUNCTION_ENDS):
        candidate = _TRAILING_FUNCTION.sub("", candidate)
    return tidy_company(candidate) if candidate else ""


class CandidateFinder:
    """Company names written in a title or description (any company, not only the pipeline's)."""

    def __init__(self, user_name: str, reject_words: str) -> None:
        folded_name = fold(user_name).strip()
        names = [folded_name, *folded_name.split()[:1]]
        user = "|".join(re.escape(n) for n in names if n) or r"(?!x)x"
        # Each pattern with the texts one of which every match contains: the pattern runs only when
        # the title holds one (the user's name is matched by its first word at least).
        self._title_patterns = [
            (re.compile(r"^\s*\[(?P<c>[^\]]{2,40})\]"), ("[",)),
            (
                re.compile(r"(?:^|[|:·]\s*|\s-\s)(?P<c>" + _FREE + r")\s+" + _PAIR + r"\s+(?:" + user + r")\b"),
                tuple(names[1:]),
            ),
            (re.compile(r"\b(?:" + user + r")\s+" + _PAIR + r"\s+(?P<c>" + _FREE + r")" + _END), tuple(names[1:])),
            (re.compile(r"(?:@|\bat)\s+(?P<c>" + _FREE + r")" + _END), ("@", "at")),
            (re.compile(r"\bfor\s+(?P<c>" + _FREE + r")\s*(?:\(via|$|[|:(])"), ("for",)),
            (
                re.compile(r"(?:\bwith|\bw/|\bfrom)\s+(?P<c>" + _FREE + r")(?:'s)?\s+" + _RECRUITING),
                ("with", "w/", "from"),
            ),
            (re.compile(r"(?:^|[|:·]\s*|\s-\s)(?P<c>" + _FREE + r")'s\s+" + _RECRUITING), ("'s",)),
        ]
        self._leading_segment = re.compile(r"^\s*(?P<c>" + _FREE + r")\s*(?::|\||·|\s-\s)")
        self._trailing_segment = re.compile(r"(?:\s-\s|\||:\s)\s*(?P<c>" + _FREE + r")\s*$")
        self._parenthetical = re.compile(r"\((?P<c>[^()]{2,40})\)")
        self._reject = Cue("|".join((reject_words, lexicon.words(*(re.escape(n) for n in names if n)), _GENERIC_WORDS)))
        self._role_noun = re.compile(lexicon.ROLE_NOUN)

    def in_title(self, title: Field, first_cue: int | None) -> list[tuple[str, bool]]:
        """Candidates with whether their pattern firmly names an employer ("[Orbital] …", "… @ Acme",
        "kestrel present take home"), most reliable first; segments and parentheses are weaker.
        Not yet checked with :meth:`plausible` (a pipeline match needs no such check)."""
        text = title.text
        firm: list[str] = []
        for pattern, needs in self._title_patterns:
            for part in needs:
                if part in text:
                    spans = [match.span("c") for match in pattern.finditer(text)]
                    if spans:
                        firm.extend(self._accept(title, spans))
                    break
        if first_cue and not _SEPARATOR.search(text, 0, first_cue):
            firm.extend(self._accept(title, [(0, first_cue)], loose=True))
        segmented = ":" in text or "|" in text or "-" in text
        weak = []
        if segmented or "·" in text:
            weak = self._accept(title, [match.span("c") for match in self._leading_segment.finditer(text)])
        if "(" in text:
            spans = [match.span("c") for match in self._parenthetical.finditer(text)]
            weak.extend(self._accept(title, spans, capitalised=True))
        if segmented:
            spans = [match.span("c") for match in self._trailing_segment.finditer(text)]
            weak.extend(self._accept(title, spans, capitalised=True))
        return [(name, True) for name in firm] + [(name, False) for name in weak]

    def in_description(self, description: Field) -> list[str]:
        found = []
        for anchor in _EMPLOYER_ANCHOR.finditer(description):
            name = _NAME.match(description.original, _skip_spaces(description.original, anchor.end()))
            if name:
                candidate = _clean_candidate(name.group())
                if candidate and self.plausible(candidate):
                    found.append(candidate)
        partner = _PARTNERS_WITH.search(description.original) if "partner" in description.text else None
        if partner:
            found.append(_clean_candidate(partner.group("c")))
        return found

    def client_in_description(self, description: Field) -> str | None:
        """The hiring client an agency names ("our client Copperline Insurance")."""
        for anchor in _CLIENT_ANCHOR.finditer(description):
            name = _NAME.match(description.original, _skip_spaces(description.original, anchor.end()))
            if name:
                candidate = _clean_candidate(name.group())
                if candidate and self.plausible(candidate):
                    return candidate
        return None

    def plausible(self, candidate: str) -> bool:
        """Not a stage, role, tool, meeting word, date or the user: could name a company."""
        if candidate[:1].isdigit():
            return False
        field = Field(candidate)
        return not self._reject.search(field) and not self._role_noun.search(field.text)

    def _accept(
        self, title: Field, spans: list[tuple[int, int]], loose: bool = False, capitalised: bool = False
    ) -> list[str]:
        accepted = []
        for start, end in spans:
            raw = title.original[start:end].strip()
            if not raw or (capitalised and not raw[:1].isupper()):
                continue
            if loose:
                kept = len(_FILLER_TAIL.sub("", fold(raw)).rstrip())
                raw = raw[:kept]
            candidate = _clean_candidate(raw)
            if candidate and len(candidate.split()) <= 4:
                accepted.append(candidate)
        return accepted


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position
