"""What a vocabulary regex can start with, and what it can match where one of those words starts.

All of it works on the pattern's source, once, when a lexicon is built. :func:`first_words` reads
the ``re`` parse tree. :func:`alternatives` splits the source at its alternations (a small
tokenizer: escapes, classes, groups, quantifiers) and keeps, in order, those that can start with
a given word, so that the regex tried where that word occurs is a handful of alternatives instead
of hundreds; it never changes what the regex matches there. :func:`is_bare` tells an alternative
that, at such a place, can only match the word itself (no regex needed), and :func:`bare_words`
a pattern that is nothing but a list of words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

_STATE_LIMIT = 4096
_Word = tuple[str, bool]  # (prefix so far, word complete)


@lru_cache(maxsize=16384)  # pruning asks about the same branches for every word they start with
def first_words(source: str) -> frozenset[str] | None:
    """Every word (``\\w`` run) a match of ``source`` can start with, or None when unbounded.

    Derived from the parse tree: literals extend the word; a non-word literal, ``\\s``, a
    ``(?!\\w)`` or ``\\b`` ends it; optional parts and alternatives branch. A pattern that can start
    with punctuation, a line anchor or an open-ended ``\\w*`` / ``\\d+`` has no finite set.
    """
    try:
        tree = sre_parse.parse(source)
    except re.error:
        return None
    states = _walk(list(tree), {("", False)})
    if states is None:
        return None
    words = set()
    for prefix, complete in states:
        if not complete or not prefix:
            return None
        words.add(prefix)
    return frozenset(words)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _end_word(states: set[_Word]) -> set[_Word] | None:
    if any(not prefix for prefix, _ in states):
        return None  # the match would start with a non-word character
    return {(prefix, True) for prefix, _ in states}


def _walk(items: list[tuple[object, object]], states: set[_Word]) -> set[_Word] | None:
    for op, argument in items:
        active = {state for state in states if not state[1]}
        if not active:
            return states
        complete = states - active
        following = _step(op, argument, active)
        if following is None:
            return None
        states = complete | following
        if len(states) > _STATE_LIMIT:
            return None
    return states


def _step(op: object, argument: object, active: set[_Word]) -> set[_Word] | None:
    if op is sre.LITERAL:
        char = chr(argument)  # type: ignore[call-overload]
        return {(prefix + char, False) for prefix, _ in active} if _is_word(char) else _end_word(active)
    if op is sre.AT:
        if argument in (sre.AT_BEGINNING, sre.AT_BEGINNING_LINE, sre.AT_BEGINNING_STRING):
            return None
        if argument is sre.AT_BOUNDARY and all(prefix for prefix, _ in active):
            return _end_word(active)
        return active
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        direction, sub = argument  # type: ignore[misc]
        if op is sre.ASSERT_NOT and direction == 1 and _is_word_class(list(sub)):
            return _end_word(active)
        return active
    if op is sre.SUBPATTERN:
        return _walk(list(argument[-1]), active)  # type: ignore[index]
    if op is sre.BRANCH:
        union: set[_Word] = set()
        for branch in argument[1]:  # type: ignore[index]
            walked = _walk(list(branch), active)
            if walked is None:
                return None
            union |= walked
        return union
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, sub = argument  # type: ignore[misc]
        body = list(sub)
        if _is_non_word_class(body):
            if low == 0:
                ended = _end_word({s for s in active if s[0]}) or set()
                return active | ended
            return _end_word(active)
        if low == 0 and high == 1:
            walked = _walk(body, active)
            return None if walked is None else active | walked
        return None
    if op is sre.IN:
        members = list(argument)  # type: ignore[call-overload]
        if _is_non_word_class([(op, members)]):
            return _end_word(active)
        if all(kind is sre.LITERAL and _is_word(chr(value)) for kind, value in members) and len(members) <= 10:
            return {(prefix + chr(value), False) for prefix, _ in active for _, value in members}
        return None
    if op is sre.CATEGORY:
        return _end_word(active) if argument in _NON_WORD_CATEGORIES else None
    return None


_NON_WORD_CATEGORIES = (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD, sre.CATEGORY_LINEBREAK)


def _is_word_class(items: list[tuple[object, object]]) -> bool:
    return (
        len(items) == 1 and items[0][0] is sre.IN and list(items[0][1]) == [(sre.CATEGORY, sre.CATEGORY_WORD)]  # type: ignore[call-overload]
    )


def _is_non_word_class(items: list[tuple[object, object]]) -> bool:
    if len(items) != 1:
        return False
    op, argument = items[0]
    if op is sre.LITERAL:
        return not _is_word(chr(argument))  # type: ignore[call-overload]
    if op is sre.CATEGORY:
        return argument in _NON_WORD_CATEGORIES
    if op is sre.IN:
        members = list(argument)  # type: ignore[call-overload]
        return bool(members) and all(
            (kind is sre.LITERAL and not _is_word(chr(value)))
            or (kind is sre.CATEGORY and value in _NON_WORD_CATEGORIES)
            for kind, value in members
        )
    return False


def literal_prefix(source: str) -> str:
    """The literal text every match of ``source`` starts with ("" when there is none)."""
    try:
        tree = sre_parse.parse(source)
    except re.error:
        return ""
    if tree.state.flags & sre.SRE_FLAG_IGNORECASE:
        return ""
    prefix = []
    for op, argument in tree:
        if op is not sre.LITERAL:
            break
        prefix.append(chr(argument))
    return "".join(prefix)


# --- pruning to one first word ----------------------------------------------------------------

_QUANTIFIER = re.compile(r"(?:[*+?]|\{(?:\d+(?:,\d*)?|,\d+)\})[?+]?")
_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def alternatives(source: str, word: str, following: str = "") -> list[str]:
    """The alternatives of ``source``, in order, that can match where the whole word ``word`` starts.

    ``following`` is the source that comes after ``source`` in the enclosing pattern. An
    alternative is dropped only when its :func:`first_words` (with what follows it) are known and
    exclude ``word``: it cannot match at such a position. Alternatives are split at the top level
    and, recursively, inside a non-capturing group that leads a branch (after zero-width
    assertions such as ``(?<!\\w)``): ``Z(?:a|b)R`` with ``Z`` zero-width tries ``ZaR`` then
    ``ZbR``, so listing those in order keeps what the first that matches at a position matches.
    A branch with capturing groups is not split (their names would repeat); it is pruned inside.
    """
    branches = _branches(source)
    kept: list[str] = []
    for items in branches:
        if len(branches) > 1:
            starts = first_words("".join(items) + following)
            if starts is not None and word not in starts:
                continue
        kept.extend(_sequence_alternatives(items, word, following))
    return kept or [source]


def _sequence_alternatives(items: tuple[str, ...], word: str, following: str) -> list[str]:
    for index, item in enumerate(items):
        if _is_zero_width(item):
            continue
        opening = _prunable_opening(item)
        if opening is None:
            break
        head, rest = "".join(items[:index]), "".join(items[index + 1 :])
        inner = alternatives(item[len(opening) : -1], word, rest + following)
        if opening == "(?:" and not _has_groups(head + item + rest):
            return [f"{head}(?:{alternative}){rest}" for alternative in inner]
        return [f"{head}{opening}{'|'.join(inner)}){rest}"]
    return ["".join(items)]


@lru_cache(maxsize=4096)
def _has_groups(source: str) -> bool:
    try:
        return bool(sre_parse.parse(source).state.groups > 1)
    except re.error:
        return True


def _prunable_opening(item: str) -> str | None:
    """The opening of a group without quantifier whose alternatives may be pruned, else None:
    plain, non-capturing and named capturing groups. Not atomic groups: there an earlier
    alternative that matches blocks later ones even when what follows the group then fails, so
    dropping it could change the result."""
    if not item.endswith(")") or not item.startswith("("):
        return None
    if item.startswith("(?P<"):
        return item[: item.index(">") + 1]
    if item.startswith("(?:"):
        return "(?:"
    return "(" if not item.startswith("(?") else None


@lru_cache(maxsize=4096)
def _is_zero_width(item: str) -> bool:
    try:
        return bool(sre_parse.parse(item).getwidth() == (0, 0))
    except re.error:
        return False


@lru_cache(maxsize=4096)
def _branches(source: str) -> tuple[tuple[str, ...], ...]:
    """The top-level alternatives of ``source``, each as its items (an atom with its quantifier)."""
    branches: list[list[str]] = [[]]
    position = 0
    while position < len(source):
        char = source[position]
        if char == "|":
            branches.append([])
            position += 1
            continue
        end = _atom_end(source, position)
        quantifier = _QUANTIFIER.match(source, end)
        if quantifier is not None:
            end = quantifier.end()
        branches[-1].append(source[position:end])
        position = end
    return tuple(tuple(items) for items in branches)


def _atom_end(source: str, position: int) -> int:
    char = source[position]
    if char == "\\":
        return _escape_end(source, position)
    if char == "[":
        return _class_end(source, position)
    if char == "(":
        depth = 0
        while position < len(source):
            char = source[position]
            if char == "\\":
                position = _escape_end(source, position)
                continue
            if char == "[":
                position = _class_end(source, position)
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        raise ValueError(f"unbalanced group in {source!r}")
    return position + 1


def _escape_end(source: str, position: int) -> int:
    kind = source[position + 1 : position + 2]
    if kind == "N" and source[position + 2 : position + 3] == "{":
        return source.index("}", position) + 1
    return position + _ESCAPE_LENGTHS.get(kind, 2)


def _class_end(source: str, position: int) -> int:
    position += 1
    if source[position : position + 1] == "^":
        position += 1
    if source[position : position + 1] == "]":
        position += 1
    while source[position] != "]":
        position = _escape_end(source, position) if source[position] == "\\" else position + 1
    return position + 1


# --- alternatives that match a whole word and nothing else ------------------------------------------

_NOT_WORD_BEHIND = (sre.ASSERT_NOT, (-1, [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_WORD)])]))
_NOT_WORD_AHEAD = (sre.ASSERT_NOT, (1, [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_WORD)])]))
_BOUNDARY = (sre.AT, sre.AT_BOUNDARY)
_NON_WORD = None  # stands for "a character that is not a word character, or the end of the text"


def is_bare(source: str, word: str) -> bool:
    """Does ``source``, tried where the whole word ``word`` starts, always match exactly ``word``?

    True for ``(?<!\\w)interview(?:s|ing)?(?!\\w)`` and ``interview``: such a regex needs no
    running there. Decided on the parse tree, conservatively: literals must spell ``word``, the
    word-boundary assertions hold at its edges, optional parts cannot start with the character that
    follows; anything else (classes, alternatives, groups, other assertions) answers False.
    """
    try:
        items = _normalised(list(sre_parse.parse(source)))
    except re.error:
        return False
    consumed = 0
    for op, argument in items:
        if (op, argument) == _NOT_WORD_BEHIND and consumed == 0:
            continue
        if (op, argument) == _BOUNDARY and consumed in (0, len(word)):
            continue
        if (op, argument) == _NOT_WORD_AHEAD and consumed == len(word):
            continue
        if op is sre.LITERAL and consumed < len(word) and chr(argument) == word[consumed]:  # type: ignore[call-overload]
            consumed += 1
            continue
        if op in _REPEATS and argument[0] == 0:  # type: ignore[index]
            following = word[consumed] if consumed < len(word) else _NON_WORD
            if _can_start_with(list(argument[2]), following) is False:  # type: ignore[index]
                continue
        return False
    return consumed == len(word)


def bare_words(source: str) -> frozenset[str] | None:
    """The words of a pattern that matches any of some whole words and nothing else
    (``words("the", "a", "an")``), or None when it is not that simple."""
    starts = first_words(source)
    if starts is None:
        return None
    for word in starts:
        found = alternatives(source, word)
        if len(found) != 1 or not is_bare(found[0], word):
            return None
    return starts


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def _normalised(items: list[tuple[object, object]]) -> list[tuple[object, object]]:
    """Parse items with their arguments as plain lists, so they compare with the constants above."""
    return [(op, _plain(argument)) for op, argument in items]


def _plain(argument: object) -> object:
    if isinstance(argument, sre_parse.SubPattern):
        return [(op, _plain(sub)) for op, sub in argument]
    if isinstance(argument, tuple):
        return tuple(_plain(part) for part in argument)
    if isinstance(argument, list):
        return [_plain(part) for part in argument]
    return argument


def _can_start_with(items: list[tuple[object, object]], char: str | None) -> bool | None:
    """Can a match of ``items`` start with ``char`` (None: a non-word character or the end)?
    None when the parse tree is not simple enough to tell."""
    if not items:
        return True
    op, argument = items[0]
    if op is sre.LITERAL:
        literal = chr(argument)  # type: ignore[call-overload]
        return literal == char if char is not _NON_WORD else not _is_word(literal)
    if op is sre.BRANCH:
        answers = [_can_start_with(list(branch), char) for branch in argument[1]]  # type: ignore[index]
        return None if None in answers else any(answers)
    if op is sre.IN and char is not _NON_WORD:
        members = list(argument)  # type: ignore[call-overload]
        if all(kind is sre.LITERAL for kind, _ in members):
            return any(chr(value) == char for _, value in members)
    if op is sre.IN and char is _NON_WORD and _is_word_class([(op, argument)]):
        return False
    return None
