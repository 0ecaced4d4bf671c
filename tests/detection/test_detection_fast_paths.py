"""Fast paths against the straightforward code they replace.

The detector avoids work where it can prove the result: a cheap test before a regex that could not
match, a pattern rewritten to lead with a character class, a string method for a regex. Each is
checked here against the plain version on generated text, with the awkward characters (Unicode
spaces, dashes, digits that are not decimal, capitals outside ASCII) mixed in.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from calendar_desktop.detection import companies, lexicon, roles
from calendar_desktop.detection.matching import Field
from calendar_desktop.detection.model import PipelineEntry
from calendar_desktop.detection.text import LEGAL_SUFFIXES, fold

PIECES = [
    *("Recruiting", "Team", "careers", "Interviews", "Talent Acquisition", "hr"),
    *("Senior", "Data", "Engineer", "engineer", "Intern", "PM", "Werkstudent", "Analista", "de", "Datos", "role"),
    *("Role", "position", "Opening", "the", "a", "our", "for", "The", "in", "at", "based", "Remote", "Vollzeit"),
    *("Paris", "NYC", "New", "Grad", "Summer", "2027", "20", "hrs/week", "REQ-20417", "JR104233", "m/w/d", "H/F"),
    *("(all genders)", "Contract", "part-time", "via", "Acme", "acme", "Orbital", "x", "@", "<>", "CDI", "early"),
    *("career", "Job", "req", "vacancy", "opportunity", "'s", "Maya's", "Ingénieur", "ſummer", "²", "İ", "ǅ"),
]
SEPARATORS = [" ", " ", "  ", "\t", "\n", "\u00a0", "\u2003", ", ", " - ", " – ", " — ", " | ", " / ", ": ", "(", ")"]
SEPARATORS += [" · ", " • ", " @ ", " <> ", " x ", "/", "-", ". ", "; ", "!", "?", ":\n", ".\n\n"]
texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda pairs: "".join(piece + separator for piece, separator in pairs)
)

# The patterns as they were written before being made to lead with a character class.
PLAIN_TITLE_SPLIT = re.compile(r"\s+[|·•]\s+|\s+[-–—]\s+|:\s+|\s+/\s+|\s+@\s+|\s+<>\s+|\s+x\s+")
PLAIN_SEGMENT_SPLIT = re.compile(r"\s+[-–—|·]\s+|,\s+|\s+/\s+(?=[A-Z])")
PLAIN_TRAILING_PLACE = re.compile(roles._TRAILING_PLACE.pattern.replace(r"\s\s*", r"\s+", 1))
PLAIN_SPACES = re.compile(r"\s+")
PLAIN_EDGES = re.compile(r"^[\s,;:/|·–—\-]+|[\s,;:/|·–—\-]+$")
PLAIN_LEAD_IN = re.compile(lexicon.ROLE_LEAD_IN)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_rewritten_patterns_find_what_the_plain_ones_find(text):
    assert _spans(roles._TITLE_SPLIT, text) == _spans(PLAIN_TITLE_SPLIT, text)
    assert _spans(roles._SEGMENT_SPLIT, text) == _spans(PLAIN_SEGMENT_SPLIT, text)
    folded = fold(text)
    assert _spans(roles._TRAILING_PLACE, folded) == _spans(PLAIN_TRAILING_PLACE, folded)


def plain_clean_role(raw: str, names_to_drop: tuple[str, ...] = ()) -> str:
    """``roles.clean_role`` as it was: every step a regex, run unconditionally (after the unbalanced
    parenthesis is dropped, a step with no fast path)."""
    text = roles._balance_parentheses(raw)
    if any(char.isdigit() for char in text):
        text = roles._REQUISITION.sub(" ", text)
    if "/" in text or "gender" in text.lower():
        text = roles._GENDER.sub(" ", text)
    lowered = text.lower()
    for name in names_to_drop:
        if name and name.lower() in lowered:
            text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    if "(" in text:
        text = roles._PARENTHETICAL.sub(roles._keep_team_parenthetical, text)
    cut = len(text)
    for separator in reversed(list(PLAIN_SEGMENT_SPLIT.finditer(text))):
        if separator.end() > cut or not roles._is_qualifier(text[separator.end() : cut]):
            break
        cut = separator.start()
    text = text[:cut]
    match = PLAIN_TRAILING_PLACE.search(fold(text))
    text = text[: match.start()] if match else text
    text = roles._COHORT.sub(" ", text)
    text = PLAIN_SPACES.sub(" ", text)
    text = roles._LEADING_NOISE.sub("", PLAIN_EDGES.sub("", text))
    text = roles._TRAILING_NOISE.sub("", text)
    return PLAIN_EDGES.sub("", text).strip()


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from([(), ("Acme",), ("Orbital", "Acme Corp")]))
@example("Intern 2027 Backend", ())
@example("Data Engineer, Summer", ())
@example("ſummer Intern", ())
@example("Backend Engineer Role", ())
@example("Analyst (Contract, 6 months)", ("Acme",))
def test_clean_role_matches_the_plain_version(raw, names):
    assert roles.clean_role(raw, names) == plain_clean_role(raw, names)


@settings(max_examples=400, deadline=None)
@given(texts)
@example("Intern 2027 Backend")
@example("Werkstudent role")
def test_cheap_checks_hold_wherever_the_pattern_matches(text):
    """A cheap check that lets a regex be skipped must hold wherever that regex matches."""
    if text.isascii() and roles._COHORT.search(text):
        assert roles._COHORT_PARTS.search(text.lower())
    if roles._SEGMENT_SPLIT.search(text):
        assert roles._SEGMENT_CHARS.search(text)
    # The two below are tested where they are used: on text without trailing whitespace (a final
    # newline would let "$" match before it).
    stripped = text.rstrip()
    if stripped.isascii() and roles._TRAILING_NOISE.search(stripped):
        assert stripped.lower().endswith(roles._TRAILING_NOISE_WORDS)
    if stripped.isascii() and companies._TRAILING_FUNCTION.search(stripped):
        assert stripped.lower().endswith(companies._TRAILING_FUNCTION_ENDS)


def plain_role_before(text: str, end: int) -> int | None:
    """Where the role before "role" at ``end`` starts, as it was found: the last sentence break in
    the 100 characters before, then the last lead-in word after it."""
    window_start = max(0, end - 100)
    breaks = list(roles._SENTENCE_BREAK.finditer(text, window_start, end))
    if breaks:
        window_start = breaks[-1].end()
    lead_ins = list(PLAIN_LEAD_IN.finditer(text, window_start, end))
    return lead_ins[-1].end() if lead_ins else None


@settings(max_examples=400, deadline=None)
@given(texts)
def test_role_before_is_read_from_the_same_lead_in(text):
    field = Field(text + " role")
    end = len(field.text) - len("role")
    lead_in_end = roles._last_lead_in(field.text, max(0, end - roles._LOOK_BACK), end)
    found = lead_in_end if lead_in_end >= 0 and not roles._SENTENCE_BREAK.search(field.text, lead_in_end, end) else None
    assert found == plain_role_before(field.text, end)


# --- companies ------------------------------------------------------------------------------


NAMES = [
    *("Acme", "Orbital", "Foods", "Inc.", "GmbH", "S.A.", "Ltd", "labs", "Recruiting", "talent", "Team", "HR"),
    *("acme's", "[Acme]", "(Acme)", "Acme)", "-Acme-", "Acme.", "Acme,", "&", "Co", "Ünïcode", "ſcheduling", "x"),
]
names = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from([" ", "  ", "\t", "", ", ", "\u00a0"])), max_size=6
).map(lambda pairs: "".join(name + separator for name, separator in pairs))
PLAIN_NON_ALNUM = re.compile(r"[^\w]+|_")


def plain_clean_candidate(raw: str) -> str:
    candidate = companies._CANDIDATE_EDGE.sub("", raw.strip())
    candidate = companies._TRAILING_FUNCTION.sub("", candidate)
    if not candidate:
        return ""
    name = companies._EDGE.sub("", candidate)
    words = name.strip().split()
    while len(words) > 1 and re.sub(r"[^\w]+", "", fold(words[-1])) in LEGAL_SUFFIXES:
        words.pop()
    name = " ".join(words).rstrip(" ,;-&").strip()
    if name.islower():
        name = " ".join(word[:1].upper() + word[1:] for word in name.split())
    return name


@settings(max_examples=400, deadline=None)
@given(names)
def test_company_cleaning_matches_the_plain_version(raw):
    assert companies._clean_candidate(raw) == plain_clean_candidate(raw)
    assert companies._compact(fold(raw)) == PLAIN_NON_ALNUM.sub("", fold(raw))
    assert companies._compact(raw) == PLAIN_NON_ALNUM.sub("", raw)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(["acme", "orbital", "getorbital", "2fa", "x-ray", "engineer", "data"]))
def test_spelling_pattern_finds_what_the_plain_one_finds(text, core):
    plain = re.compile(r"(?<!\w)" + r"[\s\-.]?".join(re.escape(char) for char in core) + r"(?!\w)")
    folded = fold(text + " " + text.replace(" ", "").lower())
    assert _spans(companies._spelling_pattern(core), folded) == _spans(plain, folded)


def test_label_variants_strip_brand_affixes():
    assert companies.label_variants("getorbitalhq") == ["getorbitalhq", "orbitalhq", "getorbital", "orbital"]
    assert companies.label_variants("acme") == ["acme"]


TITLE_PIECES = [
    *PIECES,
    *("Recruiting", "Team", "careers", "Interviews", "Talent Acquisition", "hr", "Interview", "with", "for"),
    *("at", "@", "w/", "Tomasz", "Wren", "tomasz", "[Acme]", "Acme's"),
]
titles = st.lists(st.tuples(st.sampled_from(TITLE_PIECES), st.sampled_from(SEPARATORS)), max_size=10).map(
    lambda pairs: "".join(piece + separator for piece, separator in pairs)
)


def plain_in_title(finder: companies.CandidateFinder, title: Field, first_cue: int | None) -> list[tuple[str, bool]]:
    """``CandidateFinder.in_title`` with every pattern run, whatever the title holds."""
    firm: list[str] = []
    for pattern, _ in finder._title_patterns:
        firm.extend(finder._accept(title, [m.span("c") for m in pattern.finditer(title.text)]))
    if first_cue and not companies._SEPARATOR.search(title.text, 0, first_cue):
        firm.extend(finder._accept(title, [(0, first_cue)], loose=True))
    weak = finder._accept(title, [m.span("c") for m in finder._leading_segment.finditer(title.text)])
    weak.extend(
        finder._accept(title, [m.span("c") for m in finder._parenthetical.finditer(title.text)], capitalised=True)
    )
    weak.extend(
        finder._accept(title, [m.span("c") for m in finder._trailing_segment.finditer(title.text)], capitalised=True)
    )
    return [(name, True) for name in firm] + [(name, False) for name in weak]


FINDER = companies.CandidateFinder("Tomasz Wren", "interview")


@settings(max_examples=300, deadline=None)
@given(titles, st.integers(min_value=0, max_value=30))
def test_title_candidates_match_running_every_pattern(text, cue):
    title = Field(text)
    first_cue = min(cue, len(title.text)) or None
    assert FINDER.in_title(title, first_cue) == plain_in_title(FINDER, title, first_cue)


MATCHER = companies.PipelineMatcher(
    [
        PipelineEntry("Orbital Foods, Inc."),
        PipelineEntry("Kestrel Pay Ltd", aliases=("Kestrel",)),
        PipelineEntry("Halcyon Labs, Inc."),
        PipelineEntry("Brightwater Learning"),
        PipelineEntry("Ferrocene S.A."),
    ]
)
typos = st.sampled_from(
    ["orbitalfoods", "kestrel", "halcyon", "brightwaterlearning", "ferrocene", "kestrelpay"]
).flatmap(
    lambda name: st.tuples(st.integers(0, len(name)), st.sampled_from(["", "x", "e", "aa"]), st.integers(0, 2)).map(
        lambda edit: name[: edit[0]] + edit[1] + name[edit[0] + edit[2] :]
    )
)


@settings(max_examples=300, deadline=None)
@given(typos)
def test_typo_lookup_matches_searching_every_name(candidate):
    """Names are looked up only among those whose length is within the typo limit."""
    compact = companies._compact(fold(candidate))
    expected = MATCHER._by_compact.get(compact)
    if expected is None and len(compact) >= 5:
        limit = 1 if len(compact) < 9 else 2
        found = companies.process.extractOne(
            compact, MATCHER._fuzzy_choices, scorer=companies.OSA.distance, score_cutoff=limit
        )
        if found is not None and found[0][:1] == compact[:1]:
            expected = MATCHER._by_compact[found[0]]
    assert MATCHER.fuzzy(candidate) == expected
