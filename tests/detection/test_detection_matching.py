"""The matching engine: folding keeps offsets, first words are derived right, and anchored
matching finds exactly what a plain ``re.search`` finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_desktop.detection import lexicon, variants, vocabulary
from calendar_desktop.detection.matching import Cue, Field, first_words
from calendar_desktop.detection.patterns import alternatives, is_bare
from calendar_desktop.detection.text import blank_urls, fold


def test_fold_keeps_offsets_and_makes_ascii():
    text = "Entretien RH – Stagiaire Ingénieur·e 📞 İzmir ß"
    folded = fold(text)
    assert len(folded) == len(text) and folded.isascii()
    assert folded.startswith("entretien rh - stagiaire ingenieur e")


def test_blank_urls_keeps_offsets():
    text = "Join https://meet.example.com/abc-defg or mail ana.b@quasarline.com (thanks)"
    blanked = blank_urls(text)
    assert len(blanked) == len(text)
    assert "https" not in blanked and "quasarline" not in blanked and blanked.endswith("(thanks)")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (r"(?<!\w)(?:interview(?:s|ing)?)(?!\w)", {"interview", "interviews", "interviewing"}),
        (r"\btake[- ]?home\s+review\b", {"take", "takehome"}),
        (r"(?<!\w)(?:you'?re\s+on)(?!\w)", {"you", "youre"}),
        (lexicon.words(lexicon.after(("with the",), "manager")), {"manager"}),
        (r"\d+\s*hrs", None),  # starts with a number
        (r"^\s*candidate:", None),  # starts at a line start
        (r"engineer\w*", None),  # open-ended word
    ],
)
def test_first_words(source, words):
    found = first_words(source)
    assert (None if found is None else set(found)) == words


def test_every_lexicon_pattern_is_anchored_except_the_declared_ones():
    """A pattern without first words is searched in full: a silent slowdown, so it must be chosen."""
    assert set(vocabulary.TITLE.scanned) <= {"hiring_side", "part_time"}
    assert set(vocabulary.BODY.scanned) <= {"part_time"}
    assert variants.NOTICES.scanned == ()


def test_positions_are_whole_words():
    field = Field("interviewer interview, re-interview; interviews")
    assert field.positions("interview") == [12, 26]


VOCABULARY_WORDS = sorted({w for pattern_words in (first_words(lexicon.TITLE_STRONG) or (),) for w in pattern_words})
FILLER = ["the", "with", "for", "your", "role", "round", "final", "screen", "a", "on", "-", ":", "(", ")", "\n"]
texts = st.lists(st.sampled_from(VOCABULARY_WORDS[:80] + FILLER), min_size=0, max_size=25).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_anchored_scan_agrees_with_plain_search(text):
    field = Field(text)
    for lexicon_ in (vocabulary.TITLE, vocabulary.BODY):
        hits = lexicon_.scan(Field(text))
        for name, patterns in lexicon_.patterns.items():
            expected = min((m.start() for p in patterns if (m := p.search(field.text))), default=None)
            found = hits.get(name)
            assert (found.start() if found else None) == expected, (name, text)


def test_cue_search_agrees_with_plain_search():
    cue = Cue(lexicon.FINAL)
    plain = re.compile(lexicon.FINAL)
    for text in ("our final round is here", "final exam", "last step: the final interview", ""):
        field = Field(text)
        found, expected = cue.search(field), plain.search(field.text)
        assert (found and found.span()) == (expected and expected.span())


# --- the combined scan against a straightforward reference ----------------------------------

LEXICONS = {"title": vocabulary.TITLE, "body": vocabulary.BODY, "notices": variants.NOTICES}
ALL_FIRST_WORDS = sorted(
    {
        word
        for lexicon_ in LEXICONS.values()
        for patterns in lexicon_.patterns.values()
        for p in patterns
        for word in first_words(p.pattern) or ()
    }
)
ANCHORED = {
    p.pattern
    for lexicon_ in LEXICONS.values()
    for patterns in lexicon_.patterns.values()
    for p in patterns
    if first_words(p.pattern) is not None
}
SEPARATORS = [
    " ",
    " ",
    " ",
    "  ",
    "\n",
    ": ",
    " - ",
    "-",
    ", ",
    ". ",
    " (",
    ") ",
    "/",
    " | ",
    "'s ",
    " 20 hrs/week ",
    "(you) ",
]
vocabulary_texts = st.lists(
    st.tuples(st.sampled_from(ALL_FIRST_WORDS + FILLER), st.sampled_from(SEPARATORS)), min_size=0, max_size=30
).map(lambda pairs: "".join(word + separator for word, separator in pairs))


def _reference_scan(lexicon_, text: str) -> tuple[dict[str, tuple[int, ...]], dict[str, list[tuple[int, ...]]]]:
    """Every category's patterns tried in order, one by one, at every whole-word position (at
    every position for a pattern without first words)."""
    first: dict[str, tuple[int, ...]] = {}
    every: dict[str, list[tuple[int, ...]]] = {}
    for name, patterns in lexicon_.patterns.items():
        spans = []
        for position in range(len(text)):
            word_start = not position or not (text[position - 1].isalnum() or text[position - 1] == "_")
            for pattern in patterns:
                if not word_start and pattern.pattern in ANCHORED:
                    continue
                match = pattern.match(text, position)
                if match is not None:
                    spans.append(
                        match.span() + tuple(b for group in pattern.groupindex.values() for b in match.span(group))
                    )
                    break
        if spans:
            first[name] = spans[0]
            if name in lexicon_._collect:
                every[name] = spans
    return first, every


@settings(max_examples=200, deadline=None)
@given(vocabulary_texts)
def test_combined_scan_agrees_with_trying_every_pattern(text):
    field = Field(text)
    for name, lexicon_ in LEXICONS.items():
        hits = lexicon_.scan(Field(text))
        first, every = _reference_scan(lexicon_, field.text)
        assert dict(hits) == first, (name, text)
        assert hits.every == every, (name, text)


def test_every_word_of_every_lexicon_compiles():
    """Word regexes are compiled on first use; a vocabulary edit must not leave one that fails then."""
    for lexicon_ in LEXICONS.values():
        lexicon_.compile_all()


# --- the pattern tools behind the combined scan ----------------------------------------------

PATTERN_WORDS = sorted(
    {
        (p.pattern, word)
        for lexicon_ in LEXICONS.values()
        for patterns in lexicon_.patterns.values()
        for p in patterns
        for word in first_words(p.pattern) or ()
    }
)


@settings(max_examples=250, deadline=None)
@given(st.sampled_from(PATTERN_WORDS), vocabulary_texts, st.sampled_from(SEPARATORS), vocabulary_texts)
def test_alternatives_match_what_the_pattern_matches_where_the_word_starts(pattern_word, before, separator, after):
    """Where ``word`` starts as a whole word, the alternatives kept for it match what the whole
    pattern matches; a bare first alternative means the pattern matches just the word."""
    source, word = pattern_word
    text = Field(before + " " + word + separator + after).text
    position = len(before) + 1
    found = alternatives(source, word)
    expected = re.compile(source, re.MULTILINE).match(text, position)
    got = re.compile("|".join(found), re.MULTILINE).match(text, position)
    assert (got and got.span()) == (expected and expected.span()), (source, word, text)
    if is_bare(found[0], word):
        assert expected is not None and expected.span() == (position, position + len(word))


def test_alternatives_match_what_the_pattern_matches_before_its_own_words():
    """The same, deterministically, with the word followed (and preceded) by the words the
    pattern itself spells: where a longer alternative could take over, it is tried."""
    for source, word in PATTERN_WORDS:
        whole = re.compile(source, re.MULTILINE)
        found = alternatives(source, word)
        kept = re.compile("|".join(found), re.MULTILINE)
        bare = is_bare(found[0], word)
        tokens = sorted(set(re.findall(r"[a-z]{2,}", source)) - {word})[:14] or ["x"]
        for before in ("x ", "with the ", f"{tokens[-1]} "):
            for separator in (" ", "-", ": ", "'s "):
                for token in tokens:
                    text = f"{before}{word}{separator}{token} y"
                    expected, got = whole.match(text, len(before)), kept.match(text, len(before))
                    assert (got and got.span()) == (expected and expected.span()), (source, word, text)
                    if bare:
                        assert expected is not None and expected.end() == len(before) + len(word), (source, text)
