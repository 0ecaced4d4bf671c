"""Fast vocabulary matching.

A :class:`Field` is an event text folded to ASCII (offsets kept) and split into a set of words once,
in C. A :class:`Lexicon` scans a field for many categories of vocabulary at once: it runs only
where a word that can start a match occurs, one regex per occurrence for all categories. A
:class:`Cue` is a single vocabulary regex run the same way. Over a 500-character invite, running
anchored where a first word occurs rather than searching the text is the difference between
~20 µs and ~1 µs per pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from calendar_desktop.detection.patterns import alternatives, first_words, is_bare, literal_prefix
from calendar_desktop.detection.text import fold

_WORD_BYTES = bytes(byte if chr(byte).isalnum() or byte == ord("_") else ord(" ") for byte in range(128)) + b" " * 128


def words_spaced(folded: str) -> str:
    """Folded text with every character that is not a word character made a space (same length)."""
    return folded.encode().translate(_WORD_BYTES).decode()


class Field:
    """One event text, folded once (see ``text.fold``; a ``folded`` text given must come from it,
    ASCII), and the set of its words, split in C.

    ``spaced`` is the text with every non-word character made a space, between two spaces: a
    whole-word occurrence of ``word`` is where ``" word "`` occurs in it (one position later)."""

    __slots__ = ("original", "spaced", "text", "words")

    def __init__(self, original: str, folded: str | None = None) -> None:
        self.original = original
        self.text = text = fold(original) if folded is None else folded
        if text:
            self.spaced = spaced = f" {words_spaced(text)} "
            self.words: frozenset[str] = frozenset(spaced.split())
        else:
            self.spaced, self.words = "  ", _NO_WORDS

    def locate(self, wanted: frozenset[str]) -> dict[str, list[int]]:
        """Where each wanted word that the text holds occurs as a whole word."""
        return {word: self.positions(word) for word in wanted.intersection(self.words)}

    def positions(self, word: str) -> list[int]:
        """Where ``word`` (all word characters) occurs as a whole word."""
        if word not in self.words:
            return []
        spaced, needle, found = self.spaced, f" {word} ", []
        at = spaced.find(needle)
        while at >= 0:
            found.append(at)
            at = spaced.find(needle, at + len(word) + 1)
        return found

    def __bool__(self) -> bool:
        return bool(self.text)


_NO_WORDS: frozenset[str] = frozenset()
EMPTY = Field("")

# --- cues -----------------------------------------------------------------------------------


class Cue:
    """One regex over folded text, run only where a word it can start with occurs (a pattern
    without finite first words, e.g. one led by punctuation, is searched in full)."""

    __slots__ = ("_anchored", "_starts", "pattern")

    def __init__(self, source: str) -> None:
        self.pattern = re.compile(source, re.MULTILINE)
        starts = first_words(source)
        self._anchored = starts is not None
        self._starts = frozenset(starts or ())

    def search(self, field: Field) -> re.Match[str] | None:
        """The leftmost match in ``field``, as ``pattern.search`` finds it."""
        if not field.text:
            return None
        if not self._anchored:
            return self.pattern.search(field.text)
        present = self._starts.intersection(field.words)
        if not present:
            return None
        best: re.Match[str] | None = None
        text = field.text
        match_at = self.pattern.match
        for word in present:
            for position in field.positions(word):
                if best is not None and position >= best.start():
                    break
                found = match_at(text, position)
                if found is not None:
                    best = found
                    break
        return best

    def finditer(self, field: Field) -> Iterator[re.Match[str]]:
        """Every match, left to right (anchored matches may overlap where ``finditer`` would not)."""
        if not field.text:
            return iter(())
        if not self._anchored:
            return self.pattern.finditer(field.text)
        present = self._starts.intersection(field.words)
        if not present:
            return iter(())
        text = field.text
        found: dict[int, re.Match[str]] = {}
        for word in present:
            for position in field.positions(word):
                if position not in found:
                    match = self.pattern.match(text, position)
                    if match is not None:
                        found[position] = match
        return iter([found[key] for key in sorted(found)])


class Lexicon:
    """Named categories of patterns, matched together in one pass over the words a field holds.

    For every word a pattern can start with, the categories that can match there are compiled into
    one regex of look-aheads, each category's alternatives pruned to those that can start with that
    word (:func:`~calendar_desktop.detection.patterns.alternatives`); a word's regex is compiled
    the first time the word is met. Scanning a field runs that regex once at each whole-word
    occurrence of each such word and reads every category's span from the groups. A category's
    patterns keep their order: at one position a category matches as the first of its patterns
    that matches there would. Categories listed in ``collect`` keep every match; the others keep
    their leftmost one.
    """

    def __init__(self, categories: dict[str, str | tuple[str, ...]], collect: frozenset[str] = frozenset()) -> None:
        self._scanned: list[tuple[str, re.Pattern[str], frozenset[str], str]] = []
        self.patterns: dict[str, list[re.Pattern[str]]] = {}
        """Every category's patterns, for inspection and tests."""
        self._collect = collect
        filed: dict[str, dict[str, list[str]]] = {}  # first word -> category -> its sources, in order
        for name, sources in categories.items():
            for source in (sources,) if isinstance(sources, str) else sources:
                self.patterns.setdefault(name, []).append(re.compile(source, re.MULTILINE))
                starts = first_words(source)
                if starts is None:
                    self._add_scanned(name, source, frozenset())
                    continue
                for word in starts:
                    filed.setdefault(word, {}).setdefault(name, []).append(source)
        self._filed = filed
        self._by_word = _Rules(self._compile_word)
        self._words = frozenset(filed)

    def _compile_word(self, word: str) -> _WordRule:
        """What to record where ``word`` occurs as a whole word.

        A category whose first alternative there is bare (:func:`is_bare`: it matches the word and
        nothing else) needs no regex: its span is the word's. Alternatives after a bare one are
        never reached; those before it run, with the word's span when none matches. The rest run
        as one regex of look-aheads, one group per distinct list of alternatives (categories often
        share theirs: a strong title cue is also a recruiter phrase and not a role).
        """
        bare_names: list[str] = []
        groups: dict[str, _Group] = {}  # alternatives -> their group
        for index, (name, sources) in enumerate(self._filed[word].items()):
            found = [
                alt.removeprefix(_NOT_AFTER_WORD)  # always true where a whole word starts
                for source in sources
                for alt in alternatives(_renamed_groups(source, index), word)
            ]
            bare = next((position for position, alt in enumerate(found) if is_bare(alt, word)), None)
            if bare == 0:
                bare_names.append(name)
                continue
            tried = "|".join(found if bare is None else found[:bare])
            group = groups.setdefault(tried, _Group(f"_{len(groups)}", index))
            (group.names if bare is None else group.fallback).append(name)
        pattern = re.compile(
            "".join(f"(?:(?=(?P<{group.name}>{tried}))|)" for tried, group in groups.items()), re.MULTILINE
        )
        collect = self._collect
        simple: list[tuple[int, str]] = []  # a look-ahead filed under one leftmost-only category
        general: list[tuple[int, tuple[str, ...], tuple[str, ...], tuple[int, ...]]] = []
        if bare_names:
            general.append((0, *_split_collected(bare_names, collect), ()))
        for group in groups.values():
            number = pattern.groupindex[group.name]
            named = _group_numbers(pattern, group.index)
            names = group.names + group.fallback
            if len(names) == 1 and names[0] not in collect and not named and not group.fallback:
                simple.append((number, names[0]))
            else:
                general.append((number, *_split_collected(names, collect), named))
            if group.fallback:
                general.append((-number, *_split_collected(group.fallback, collect), ()))
        return len(word), f" {word} ", pattern.match if groups else None, tuple(simple), tuple(general)

    def compile_all(self) -> None:
        """Compile every word's regex now rather than when the word is first met."""
        for word in self._filed:
            self._by_word[word]  # noqa: B018 - compiled and kept by _Rules.__missing__

    def starts(self, *names: str) -> frozenset[str]:
        """Every word a match of one of these categories can start with (for a cheap gate)."""
        return frozenset(word for word, by_name in self._filed.items() if any(name in by_name for name in names))

    def add_scanned(self, name: str, source: str, requires: tuple[str, ...]) -> None:
        """A pattern with no finite first words, searched in full when one of ``requires`` occurs."""
        self.patterns.setdefault(name, []).append(re.compile(source, re.MULTILINE))
        self._add_scanned(name, source, frozenset(requires))

    def _add_scanned(self, name: str, source: str, requires: frozenset[str]) -> None:
        pattern = re.compile(source, re.MULTILINE)
        self._scanned.append((name, pattern, requires, literal_prefix(source)))

    @property
    def scanned(self) -> tuple[str, ...]:
        """Categories with a pattern that is searched in full (no finite first words)."""
        return tuple(name for name, _, _, _ in self._scanned)

    def scan(self, field: Field) -> Hits:
        """Every category's leftmost hit in ``field`` (and all hits of the collected ones)."""
        text = field.text
        present = self._words.intersection(field.words)
        if not text or (not present and not self._scanned):
            return no_hits()
        first: dict[str, tuple[int, ...]] = {}
        every: dict[str, list[tuple[int, ...]]] = {}
        by_word = self._by_word
        spaced = field.spaced
        for word in present:
            size, needle, match_at, simple, general = by_word[word]
            position = spaced.find(needle)
            while position >= 0:  # each whole-word occurrence: " word " in the spaced text, one later
                end = position + size
                if match_at is not None:
                    regs = match_at(text, position).regs  # type: ignore[union-attr]  # it always matches
                    for number, name in simple:
                        found = regs[number]
                        if found[0] >= 0:
                            known = first.get(name)
                            if known is None or position < known[0]:
                                first[name] = found
                for number, names, collected, named in general:
                    if number == 0:  # bare: the word's span
                        found = (position, end)
                    elif number > 0:  # a look-ahead's span, if it matched
                        found = regs[number]
                        if found[0] < 0:
                            continue
                        if named:
                            found = found + tuple(bound for group in named for bound in regs[group])
                    elif regs[-number][0] < 0:  # the word's span, as look-ahead -number did not match
                        found = (position, end)
                    else:
                        continue
                    for name in names:
                        known = first.get(name)
                        if known is None or position < known[0]:
                            first[name] = found
                    for name in collected:
                        every.setdefault(name, []).append(found)
                        known = first.get(name)
                        if known is None or position < known[0]:
                            first[name] = found
                position = spaced.find(needle, end + 1)
        for name, pattern, requires, prefix in self._scanned:
            if (requires and requires.isdisjoint(field.words)) or prefix not in text:
                continue
            collected = name in self._collect
            for match in pattern.finditer(text):
                span = match.regs[0] + tuple(
                    bound for number in _named_numbers(pattern) for bound in match.regs[number]
                )
                known = first.get(name)
                if known is None or span[0] < known[0]:
                    first[name] = span
                if not collected:
                    break
                every.setdefault(name, []).append(span)
        for spans in every.values():
            if len(spans) > 1:
                spans.sort()
        hits = Hits(first)
        hits.every = every
        return hits


class _Rules(dict):  # type: ignore[type-arg]
    """Word -> its rule, compiled on first use."""

    def __init__(self, compile_word: Callable[[str], _WordRule]) -> None:
        super().__init__()
        self._compile_word = compile_word

    def __missing__(self, word: str) -> _WordRule:
        rule = self[word] = self._compile_word(word)
        return rule


class _Group:
    """A look-ahead being built: the categories it records, and those that fall back to the word."""

    __slots__ = ("fallback", "index", "name", "names")

    def __init__(self, name: str, index: int) -> None:
        self.name, self.index = name, index
        self.names: list[str] = []
        self.fallback: list[str] = []


# (the word's length, the word between spaces, the look-aheads' match or None, the look-aheads that each record one
#  leftmost-only category (group, category), and the rest: (0 for the word's span, a look-ahead's
#  group for its span, minus that group for the word's span when it failed; the categories that
#  keep their leftmost span, those that keep all, the named groups to append))
_WordRule = tuple[
    int,
    str,
    "Callable[[str, int], re.Match[str] | None] | None",
    tuple[tuple[int, str], ...],
    tuple[tuple[int, tuple[str, ...], tuple[str, ...], tuple[int, ...]], ...],
]


def _split_collected(names: list[str], collect: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(name for name in names if name not in collect), tuple(name for name in names if name in collect)


_NOT_AFTER_WORD = r"(?<!\w)"
_NAMED_GROUP = re.compile(r"\(\?P([<=])(\w+)([>)])")


def _renamed_groups(source: str, index: int) -> str:
    """Named groups made unique per category (``r`` -> ``_3_r``), so categories can share a regex."""
    return _NAMED_GROUP.sub(lambda m: f"(?P{m.group(1)}_{index}_{m.group(2)}{m.group(3)}", source)


def _group_numbers(pattern: re.Pattern[str], index: int) -> tuple[int, ...]:
    """Numbers of the named groups of category ``index`` in a combined pattern, in pattern order."""
    prefix = f"_{index}_"
    return tuple(sorted(number for name, number in pattern.groupindex.items() if name.startswith(prefix)))


def _named_numbers(pattern: re.Pattern[str]) -> tuple[int, ...]:
    return tuple(sorted(pattern.groupindex.values()))


class Span(tuple):  # type: ignore[type-arg]
    """A hit as :meth:`Lexicon.scan` stores it, ``(start, end, *named group bounds)``, with the
    accessors of ``re.Match`` for whole-match bounds."""

    __slots__ = ()

    def start(self) -> int:
        return int(self[0])

    def end(self) -> int:
        return int(self[1])

    def span(self) -> tuple[int, int]:
        return self[0], self[1]


class Hits(dict):  # type: ignore[type-arg]
    """What a :meth:`Lexicon.scan` found: category -> its leftmost hit, and in ``every`` all hits
    of the collected categories (sorted). A hit is ``(start, end, *named group bounds)``;
    ``hits[name]`` gives it as is, ``get``/``all`` wrap hits as :class:`Span` for callers that want
    match accessors. A dict itself, so that ``name in hits`` costs no Python call."""

    __slots__ = ("every",)

    def get(self, name: str) -> Span | None:  # type: ignore[override]
        found = dict.get(self, name)
        return None if found is None else Span(found)

    def all(self, name: str) -> list[Span]:
        return [Span(found) for found in self.every.get(name, ())]


def no_hits() -> Hits:
    hits = Hits()
    hits.every = {}
    return hits
