"""Every look-alike family of LABELING §2 stays out; the user on the hiring side stays out."""

from __future__ import annotations

import pytest
from detection_helpers import PERSONAL, WORK, make_event, make_invite

COLLEAGUE = "Ola Berg <ola.berg@lanternworks.io>"
RECRUITING = "Lanternworks Recruiting <recruiting@lanternworks.io>"


def internal(title: str, description: str = "", sender: str = COLLEAGUE):
    return make_event(title, description, organizer=sender, attendees=(WORK, "ola.berg@lanternworks.io"))


HIRING_SIDE = [
    internal("Interview: Priya Das – Data Engineer", "Candidate: Priya Das\nYour role: interviewer"),
    internal("Technical Interview – Jonas Weber (Backend)", "Interview kit attached. Submit your scorecard by 6pm."),
    internal("Debrief – Analytics Engineer loop"),
    internal("Hiring committee: Q4 backend reqs"),
    internal("Interviewer calibration – system design"),
    internal("Shadowing: onsite for Lena K. (Frontend)"),
    internal("Sourcing sync"),
    internal("Take-home review: Omar's submission"),
    internal("Dinner with candidate after the onsite"),
    internal("Lanternworks <> Mia Torres | Hiring Manager Chat", "You're the hiring manager for this req."),
    make_event("Panel interview – you're a panelist", organizer=RECRUITING, attendees=(WORK,)),
    make_event(
        "Phone screen: Rui Gomes (Analyst)",
        "Interviewer: Tomasz Wren\nResume attached.",
        organizer="GoodTime <no-reply@goodtime.io>",
        attendees=(WORK,),
    ),
    internal("Canceled: Interview: Priya Das – Data Engineer", "This event has been canceled."),
    make_event("Block 2h: interview loops this week", organizer=WORK, attendees=(WORK,)),
]
PRACTICE = [
    make_event("Mock interview with Hugo (system design)"),
    make_invite("Weekly mock interview", "Practice session, alternate roles.", sender="Hugo <hugo@example.org>"),
    make_event("Interview prep: Orbital Foods onsite"),
    make_event("Prep for Cedar Robotics final round"),
    make_event("Pramp peer interview"),
    make_event("LeetCode – 3 mediums before the Kestrel screen"),
    make_event("Vorbereitung: Fachinterview Cedar Robotics"),
    make_event("Simulacro de entrevista técnica"),
    make_event("Préparation entretien Ferrocene"),
    make_event("Simulado de entrevista com mentor"),
    make_event("Mentoring: mock interview for Kai (I'm the interviewer)"),
]
OTHER_MEANING = [
    make_event("Podcast interview – Data Tales 🎙️"),
    make_event("Interview with the local newspaper about the meetup"),
    make_event("Entrevista para la revista Código"),
    make_event("User interviews – onboarding flow", organizer=WORK, attendees=(WORK,)),
    make_event("Customer discovery call – logistics pilot"),
    make_event("Informational interview with Bea (ex-Halcyon)"),
    make_event("Alumni interview – applicant for the class of 2031"),
    make_event("Roommate interview – Sasha"),
    make_event("Nanny interview"),
    internal("Stay interview with my manager", sender="People Team <people@lanternworks.io>"),
    internal("Exit interview", sender="People Team <people@lanternworks.io>"),
    make_event("Visa interview at the consulate"),
    make_event("Movie night: The Interview 🍿"),
    make_event("Recording: interview with our CTO for the company blog"),
    make_event("Citizenship interview"),
    make_event("Daycare interview + tour"),
    make_event("Co-op board interview (apartment)"),
    make_event("Interviewing contractors for the kitchen remodel"),
]
LOGISTICS = [
    make_event("Career fair – Warsaw Tech Jobs"),
    make_event("Orbital Foods open house (virtual)"),
    make_event("Webinar: how to ace the system design interview"),
    make_event("Orbital Foods engineering livestream"),
    make_event("Career coaching – interview stories"),
    make_event("Resume review with career services"),
    make_event("Apply to 4 data roles"),
    make_event("Cedar Robotics take-home due"),
    make_event("Work on Kestrel take-home"),
    make_event("Train to Berlin for the Cedar Robotics onsite"),
    make_event("Hotel – Kestrel interview trip"),
    make_event("Thank-you notes to the Orbital panel"),
    make_event("Reference call for Ida (she's interviewing at Halcyon)"),
    make_event("Referral ask – ex-colleague at Orbital"),
    make_event("Coffee chat with a Halcyon recruiter", "Just networking, nothing open right now."),
    make_invite("Interview scheduling call with the Orbital coordinator"),
    make_event("Recruiting event at the university (volunteering for Lanternworks)"),
]
AFTER_OFFER = [
    make_invite("Offer call – Orbital Foods"),
    make_event("Salary negotiation prep for the Kestrel offer"),
    make_invite("Post-offer Q&A with the Orbital team"),
    make_event("Background check form – Cedar Robotics"),
    make_invite("Onboarding – first day at Orbital Foods"),
]
BUSINESS = [
    make_event("Kestrel renewal call", organizer=WORK, attendees=(WORK, "am@kestrelpay.com")),
    make_event("Orbital Foods integration sync", organizer=WORK, attendees=(WORK, "dev@orbitalfoods.com")),
    make_event("Vendor demo – Halcyon Labs", organizer=WORK, attendees=(WORK, "sales@halcyonlabs.ai")),
]
FREELANCE = [
    make_event("Freelance client discovery call – bakery website"),
    make_event("Pitch call with a potential client"),
]
LEXICAL = [
    make_event("Screen time limit"),
    make_event("Movie screening: Past Lives"),
    make_event("Annual health screening"),
    make_event("Onsite: plumber (kitchen sink)"),
    internal("Lanternworks team offsite", sender="Ops <ops@lanternworks.io>"),
    make_event("Final exam – Statistics"),
    make_event("Final payment due – car loan"),
    make_event("Chess league round 2"),
    make_event("Panel: Women in Robotics (moderator)"),
    make_event("Technical debt Friday"),
    make_event("Design review: ingestion v3", organizer=WORK, attendees=(WORK,)),
]


@pytest.mark.parametrize(
    "case",
    [
        *(pytest.param(e, id=f"hiring-side:{e.title}") for e in HIRING_SIDE),
        *(pytest.param(e, id=f"practice:{e.title}") for e in PRACTICE),
        *(pytest.param(e, id=f"other-meaning:{e.title}") for e in OTHER_MEANING),
        *(pytest.param(e, id=f"logistics:{e.title}") for e in LOGISTICS),
        *(pytest.param(e, id=f"after-offer:{e.title}") for e in AFTER_OFFER),
        *(pytest.param(e, id=f"business:{e.title}") for e in BUSINESS),
        *(pytest.param(e, id=f"freelance:{e.title}") for e in FREELANCE),
        *(pytest.param(e, id=f"lexical:{e.title}") for e in LEXICAL),
    ],
)
def test_look_alikes_are_not_interviews(detect, case):
    result = detect(case)
    assert not result.is_interview
    assert (result.company, result.role, result.role_type, result.stage) == (None, None, None, None)


def test_internal_move_where_the_user_is_the_candidate(detect):
    result = detect(
        internal(
            "Internal transfer – Staff Data Engineer – hiring manager conversation",
            "Thanks for applying to the internal Staff Data Engineer opening on my team.",
        )
    )
    assert result.is_interview
    assert result.company == "Lanternworks"
    assert result.role == "Staff Data Engineer"
    assert result.stage is not None and result.stage.value == "hiring_manager"


def test_candidate_line_naming_the_user_is_the_users_own_invite(detect):
    result = detect(
        make_invite(
            "Orbital Foods – Technical Interview",
            "Candidate: Tomasz Wren\nInterviewer: Ada Novak\nDuration: 60 minutes",
        )
    )
    assert result.is_interview


def test_coffee_chat_tied_to_a_role_is_a_recruiter_screen(detect):
    result = detect(
        make_invite(
            "Coffee chat ☕ Halcyon Labs recruiting",
            "Let's talk about the ML Engineer role and the next steps in our process.",
            sender="Rae <rae@halcyonlabs.ai>",
        )
    )
    assert result.is_interview
    assert result.stage is not None and result.stage.value == "recruiter_screen"


def test_the_same_title_flips_with_who_sends_it(detect):
    candidate_side = make_invite("Interview with Ada Novak - Data Engineer", "This confirms your interview.")
    hiring_side = internal("Interview with Ada Novak - Data Engineer", "")
    assert detect(candidate_side).is_interview
    assert not detect(hiring_side).is_interview


def test_user_typed_entry_on_the_work_calendar_counts(detect):
    assert detect(make_event("Orbital Foods phone screen", organizer=WORK, attendees=(WORK,))).is_interview
    assert detect(make_event("Orbital Foods phone screen", organizer=PERSONAL)).is_interview
