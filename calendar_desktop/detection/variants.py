"""Cancelled, rescheduled and updated copies of an invite (LABELING §3)."""

from __future__ import annotations

import re

from calendar_desktop.detection import lexicon
from calendar_desktop.detection.matching import Field, Hits, Lexicon, no_hits
from calendar_desktop.detection.model import Variant
from calendar_desktop.detection.text import fold

_KINDS = (
    ("cancellation", lexicon.CANCEL_PREFIX),
    ("reschedule", lexicon.RESCHEDULE_PREFIX),
    ("update", lexicon.UPDATE_PREFIX),
    ("original", lexicon.ORIGINAL_PREFIX),
)
_PREFIX = re.compile(
    r"\s*(?:\[\s*(?:" + "|".join(f"(?P<b{n}>{src})" for n, (_, src) in enumerate(_KINDS)) + r")\s*\]\s*[:\-]?"
    r"|(?:" + "|".join(f"(?P<p{n}>{src})" for n, (_, src) in enumerate(_KINDS)) + r")\s*[:\-](?=\s))\s*"
)
CATEGORIES: dict[str, str | tuple[str, ...]] = {
    "cancellation_notice": lexicon.CANCEL_DESC,
    "reschedule_notice": lexicon.RESCHEDULE_DESC,
    "update_notice": lexicon.UPDATE_DESC,
}
_NOTICES = (("cancellation", "cancellation_notice"), ("reschedule", "reschedule_notice"), ("update", "update_notice"))
_DESC_HEAD = 300  # tools put their notice at the top of the body
_SPACES = re.compile(r"\s+")
_EDGE_NOISE = re.compile(r"^[^\w\[(]+|[^\w\])]+$")
_RANK: dict[str, int] = {"original": 0, "update": 1, "reschedule": 2, "cancellation": 3}


def split_prefixes(title: str) -> tuple[str, Variant]:
    """Strip every variant prefix; return the rest of the title and the strongest kind seen."""
    rest, kind, _ = split_folded(title)
    return rest, kind


def split_folded(title: str) -> tuple[str, Variant, str]:
    """:func:`split_prefixes`, plus the rest of the title folded (see ``text.fold``)."""
    kind: Variant = "original"
    folded = fold(title)
    if ":" not in title and "]" not in title and "-" not in title:
        return title, kind, folded
    offset = 0
    while True:
        match = _PREFIX.match(folded, offset)
        if not match or match.end() == offset:
            break
        index = int((match.lastgroup or "p3")[1:])
        seen: Variant = _KINDS[index][0]  # type: ignore[assignment]
        if _RANK[seen] > _RANK[kind]:
            kind = seen
        offset = match.end()
    return title[offset:], kind, folded[offset:]


def description_variant(hits: Hits) -> Variant:
    """What the notice at the top of a description says happened to the event."""
    for kind, name in _NOTICES:
        span = dict.get(hits, name)
        if span is not None and span[0] < _DESC_HEAD:
            return kind  # type: ignore[return-value]
    return "original"


def base_title(title: str) -> str:
    """The title without variant prefixes, whitespace collapsed and edge punctuation removed."""
    rest, _ = split_prefixes(title)
    return _EDGE_NOISE.sub("", _SPACES.sub(" ", rest)).strip()


def title_key(title: str) -> str:
    """:func:`base_title` folded (case, accents, dashes): equal for copies of one invite."""
    return fold(base_title(title))


def combine_variants(prefix: Variant, body: Variant, cancelled_status: bool = False) -> Variant:
    """One kind from the title prefix, the body notice and the event status: a cancellation wins,
    then a new time (an "Updated invitation" whose body says the time changed is a reschedule)."""
    if cancelled_status or "cancellation" in (prefix, body):
        return "cancellation"
    if "reschedule" in (prefix, body):
        return "reschedule"
    if "update" in (prefix, body):
        return "update"
    return "original"


def variant_of(title: str, description: str = "", cancelled_status: bool = False) -> Variant:
    """The kind of record an event is, from its title, description and status."""
    _, prefix = split_prefixes(title)
    notices = NOTICES.scan(Field(description)) if description else no_hits()
    return combine_variants(prefix, description_variant(notices), cancelled_status)


NOTICES = Lexicon(CATEGORIES)
