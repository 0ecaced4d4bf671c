"""Interview signals: vocabulary in five languages, scheduling tools, confidence and score."""

from __future__ import annotations

import pytest

from calendar_desktop.domain import Confidence

SENDER = "Ada Novak <ada.novak@orbitalfoods.com>"


@pytest.mark.parametrize(
    "title",
    [
        "Interview: Tomasz / Orbital Foods",
        "Vorstellungsgespräch bei Orbital Foods",
        "Kennenlerngespräch – Orbital Foods",
        "Entretien avec l'équipe Orbital Foods",
        "Entrevista con Orbital Foods",
        "Entrevista com a Orbital Foods",
        "Orbital Foods | Recruiter screen",
        "orbital foods hm chat",
    ],
)
def test_interview_vocabulary_in_titles(detect, invite, title):
    assert detect(invite(title, sender=SENDER)).is_interview


def test_accents_are_optional(detect, invite):
    assert detect(invite("Entrevista tecnica - Orbital Foods")).is_interview
    assert detect(invite("Vorstellungsgesprach bei Orbital Foods")).is_interview


def test_event_without_interview_vocabulary_is_not_an_interview(detect, invite):
    result = detect(invite("Quarterly sync", "Agenda: roadmap, budget"))
    assert not result.is_interview
    assert result.company is None and result.stage is None and result.confidence is None


def test_description_can_carry_the_interview_when_the_title_is_generic(detect, invite):
    generic = invite(
        "Microsoft Teams Meeting",
        "Hi Tomasz,\nInvite for your technical interview for the Data Engineer position.\n",
    )
    result = detect(generic)
    assert result.is_interview
    assert result.company == "Orbital Foods, Inc."
    assert result.role == "Data Engineer"


def test_generic_title_and_plain_description_stay_out(detect, invite):
    assert not detect(invite("Microsoft Teams Meeting", "Let's sync on the Q3 numbers.")).is_interview


@pytest.mark.parametrize(
    ("tool_line", "sender"),
    [
        ("Scheduled via GoodTime", "GoodTime <no-reply@goodtime.io>"),
        ("Powered by Calendly.com", "Calendly <notifications@calendly.com>"),
        ("Sent via Greenhouse", "Greenhouse <no-reply@greenhouse.io>"),
        ("This event was scheduled with ModernLoop.", "ModernLoop <invites@modernloop.io>"),
    ],
)
def test_scheduling_tool_is_evidence_but_never_the_company(detect, invite, tool_line, sender):
    description = f"Your interview for the Robotics Engineer role at Cedar Robotics is confirmed.\n\n{tool_line}"
    result = detect(invite("Cedar Robotics – interview", description, sender=sender))
    assert result.is_interview
    assert result.company == "Cedar Robotics GmbH"


def test_medium_title_needs_a_firm_company_source(detect, event, invite):
    assert not detect(event("Onsite: window repair")).is_interview
    assert detect(invite("Onsite", "", sender="Ana <ana@cedarrobotics.de>")).is_interview
    assert detect(event("Cedar Robotics onsite 🤞")).is_interview


def test_karat_round_is_for_the_employer(detect, invite):
    result = detect(
        invite(
            "Technical interview for Halcyon Labs (via Karat)",
            "Halcyon Labs partners with Karat to run the first technical round.",
            sender="Karat <scheduling@karat.com>",
        )
    )
    assert result.is_interview
    assert result.company == "Halcyon Labs, Inc."
    assert result.stage is not None and result.stage.value == "technical"


def test_one_way_video_interview(detect, event):
    result = detect(event("Kestrel – HireVue one-way interview (due Thursday)"))
    assert result.is_interview
    assert result.stage is not None and result.stage.value == "other"


def test_confidence_levels(detect, event, invite):
    pipeline = detect(invite("Recruiter screen", "Chat about the Data Engineer role."))
    assert pipeline.confidence is Confidence.HIGH and pipeline.pipeline_key == 1
    parsed = detect(
        invite(
            "Interview @ Quasarline – Site Reliability Engineer",
            sender="Lea Brandt <lea@quasarline.com>",
        )
    )
    assert parsed.confidence is Confidence.MEDIUM
    assert parsed.company == "Quasarline" and parsed.role == "Site Reliability Engineer"
    assert parsed.pipeline_key is None
    bare = detect(event("phone screen w/ recruiter"))
    assert bare.is_interview and bare.company is None
    assert bare.confidence is Confidence.LOW


def test_score_orders_evidence(detect, event, invite):
    rich = detect(invite("Orbital Foods – Technical interview", "Your technical interview for the Data Engineer role."))
    thin = detect(event("phone screen"))
    none = detect(event("Dentist"))
    assert 0.5 <= thin.score <= rich.score <= 1.0
    assert 0.0 <= none.score < 0.5
