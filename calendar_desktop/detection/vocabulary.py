"""The two lexicons the detector scans with: one for titles, one for descriptions and locations.

Category names are what the detector, ``stages``, ``roles`` and ``variants`` look up in the hits.
"""

from __future__ import annotations

from calendar_desktop.detection import lexicon, roles, stages, variants
from calendar_desktop.detection.matching import Lexicon

FAMILY_ORDER = (
    "hiring_side",
    "practice",
    "other_meaning",
    "logistics",
    "after_offer",
    "business",
    "freelance",
    "lexical",
)
# Where an interview or a stage is named first in a title (what precedes it may be the company).
FIRST_CUE = ("strong", "onsite", "other_explicit", "recruiter_title", "technical")

_SHARED: dict[str, str | tuple[str, ...]] = {
    "strong": lexicon.TITLE_STRONG,
    "internal_candidate": lexicon.INTERNAL_CANDIDATE,
    "tie": lexicon.ROLE_OR_PROCESS_TIE,
    **stages.CATEGORIES,
    **roles.CATEGORIES,
    **roles.TYPE_CATEGORIES,
}

TITLE = Lexicon(
    {
        **_SHARED,
        "medium": lexicon.TITLE_MEDIUM,
        "coffee": lexicon.COFFEE_CHAT_TITLE,
        "hiring_side": lexicon.HIRING_SIDE_TITLE,
        "practice": lexicon.PRACTICE_TITLE,
        "other_meaning": lexicon.OTHER_MEANING_TITLE,
        "logistics": lexicon.LOGISTICS_TITLE,
        "after_offer": lexicon.AFTER_OFFER_TITLE,
        "business": lexicon.BUSINESS_TITLE,
        "freelance": lexicon.FREELANCE_TITLE,
        "lexical": lexicon.LEXICAL_TITLE,
        "deadline": lexicon.DEADLINE_TITLE,
        "one_way": lexicon.ONE_WAY_TITLE,
        "agency": lexicon.CLIENT_UNNAMED,
        # Title parts that are about the meeting, not the job: never a role.
        "not_a_role": (
            lexicon.TITLE_STRONG,
            lexicon.words(
                r"on-?site|call|chat|screen|screening|round|loop|sync|meeting|intro|walk-?through|review|presentation",
                r"debrief|prep|mock|conversation|discussion|gesprach|runde|entretien|entrevista|coffee|interviewer",
                r"candidate",
                r"mobility|transfer|recruit(?:er|ing|ment)|hiring|hr|rh|talent\s+acquisition",
                r"echange|gesprek|kennismaking|colloquio|conversa|bate-?papo|llamada|presentacion|apresentacao",
            ),
        ),
    },
    collect=roles.COLLECTED | roles.TYPE_COLLECTED | {"not_a_role"},
)
TITLE.add_scanned(*roles.HOURS)

BODY = Lexicon(
    {
        **_SHARED,
        **variants.CATEGORIES,
        "hiring_side": lexicon.HIRING_SIDE_DESC,
        "practice": lexicon.PRACTICE_DESC,
        "other_meaning": lexicon.OTHER_MEANING_DESC,
        "logistics": lexicon.LOGISTICS_DESC,
        "after_offer": lexicon.AFTER_OFFER_DESC,
        "freelance": lexicon.FREELANCE_DESC,
        "hiring_context": lexicon.HIRING_CONTEXT_DESC,
        "tool": lexicon.TOOL_TEXT,
        "agency": lexicon.AGENCY_DESC,
    },
    collect=roles.COLLECTED | roles.TYPE_COLLECTED | {"hiring_side"},
)
BODY.add_scanned(*roles.HOURS)

# Words without which a title, or a description, cannot make an event an interview candidate.
TITLE_GATE = TITLE.starts("strong", "medium")
BODY_GATE = BODY.starts("strong")
