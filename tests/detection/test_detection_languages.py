"""Rules added from the third hand-written set (Dutch, Italian and more French, Spanish and
Portuguese wording; names written as web domains; roles in running text). Invented events only."""

from __future__ import annotations

import pytest
from detection_helpers import IDENTITY, make_event, make_invite

from calendar_desktop.detection import Detector, PipelineEntry
from calendar_desktop.detection.roles import clean_role
from calendar_desktop.domain import RoleType, Stage

SENDER = "Ada Novak <ada.novak@orbitalfoods.com>"


@pytest.mark.parametrize(
    ("title", "description", "stage"),
    [
        ("Kennismakingsgesprek Orbital Foods", "", Stage.RECRUITER_SCREEN),
        ("Orbital Foods – kennismaking met je toekomstige manager", "", Stage.HIRING_MANAGER),
        ("Tweede gesprek – Orbital Foods", "", Stage.OTHER),
        ("Colloquio conoscitivo – Orbital Foods", "", Stage.RECRUITER_SCREEN),
        ("Bate-papo inicial | Orbital Foods", "", Stage.RECRUITER_SCREEN),
        ("Premier échange – Orbital Foods", "", Stage.RECRUITER_SCREEN),
        ("Entrevista con Recursos Humanos – Orbital Foods", "", Stage.RECRUITER_SCREEN),
        ("Dernière étape : échange avec notre CTO – Orbital Foods", "", Stage.FINAL),
        ("Orbital Foods · Presentación de tu ejercicio técnico", "", Stage.TAKE_HOME_REVIEW),
        ("Orbital Foods — Project deep dive", "You'll present a project you shipped.", Stage.TAKE_HOME_REVIEW),
        ("Orbital Foods – Pairing + values interviews (half day)", "", Stage.ONSITE),
    ],
)
def test_interview_wording_in_more_languages(detect, title, description, stage):
    result = detect(make_invite(title, description, sender=SENDER))
    assert result.is_interview
    assert result.company == "Orbital Foods, Inc."
    assert result.stage is stage


def test_generic_dutch_teams_title_with_the_interview_in_the_body(detect):
    description = "Hoi Tomasz,\n\nHierbij de uitnodiging voor het tweede gesprek voor de functie Data Engineer bij ons."
    result = detect(make_invite("Microsoft Teams-vergadering", description, sender=SENDER))
    assert result.is_interview and result.role == "Data Engineer" and result.stage is Stage.OTHER


@pytest.mark.parametrize(
    "title",
    [
        "Simulation d'entretien avec Hugo (pour Orbital Foods)",
        "Train Warszawa Centralna → Berlin (Orbital Foods onsite)",
        "Benefits & pension intro – Orbital Foods People team",
    ],
)
def test_look_alikes_in_more_languages(detect, title):
    assert not detect(make_invite(title, sender=SENDER)).is_interview


def test_a_word_in_a_web_domain_name_is_the_name_not_a_look_alike(detect):
    result = detect(make_invite("incident.io Virtual Onsite", "Your virtual onsite for Product Engineer:",
                                sender="Jess <jess@incident.io>"))
    assert result.is_interview
    assert result.company == "incident.io" and result.role == "Product Engineer"


def test_a_pipeline_name_written_as_a_domain_matches_its_mail_domain_and_head():
    detector = Detector(IDENTITY, [PipelineEntry("Booking.com B.V.", aliases=("Booking.com",), key=1)])
    by_mail = detector.detect(make_invite("Interview – Hiring Manager", sender="Hannah <hannah@booking.com>"))
    by_title = detector.detect(make_event("Booking | Behavioural Interview"))
    assert by_mail.company == by_title.company == "Booking.com B.V."


def test_an_agency_named_in_the_title_is_never_the_company(detect):
    result = detect(make_event("Phone screen – Renata @ Paradigm Staffing (Vue dev, contract-to-hire)"))
    assert result.is_interview and result.company is None and result.role_type is RoleType.CONTRACT


def test_a_note_to_self_is_not_a_company(detect):
    assert detect(make_event("INTERVIEW 16:00 — DON'T BE LATE!!")).company is None


@pytest.mark.parametrize(
    ("description", "role"),
    [
        ("Lars is de hiring manager voor de rol Data Engineer (Payments).", "Data Engineer (Payments)"),
        ("Colloquio tecnico per la posizione Data Engineer. Nuovo orario.", "Data Engineer"),
        ("zum Abschluss des Auswahlprozesses für das Praktikum Datenanalyse laden wir Sie ein.",
         "Praktikum Datenanalyse"),
        ("Which role are you interested in?: Part-time Data Engineer (24 hrs/week)", "Data Engineer"),
        ("Final stage for the Data Engineer contract: 30 mins with the CTO.", "Data Engineer"),
        ("Je confirme notre échange au sujet du poste de Data Engineer (CDI, Paris ou remote en Europe).",
         "Data Engineer"),
    ],
)
def test_roles_read_from_running_text(detect, description, role):
    result = detect(make_invite("Interview – Orbital Foods", description, sender=SENDER))
    assert result.role == role


def test_a_parenthesis_the_location_names_is_a_place():
    assert clean_role("Graduate Engineer (Veldhoven)", place="hq veldhoven, building 7") == "Graduate Engineer"
    assert clean_role("Graduate Engineer (Metrology)", place="hq veldhoven") == "Graduate Engineer (Metrology)"


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("Lead Data Engineer, confidential client", "Lead Data Engineer"),
        ("Senior Data Engineer, Platform - Full-time:", "Senior Data Engineer, Platform"),
        ("re: Senior Data Engineer contract)", "Senior Data Engineer"),
    ],
)
def test_role_trimming(raw, role):
    assert clean_role(raw) == role


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("contratto a tempo indeterminato", RoleType.FULL_TIME),
        ("een fulltime functie met een vaste aanstelling", RoleType.FULL_TIME),
        ("Data Engineer (32 uur per week)", RoleType.PART_TIME),
        ("ASML stagegesprek", RoleType.INTERNSHIP),
    ],
)
def test_role_type_cues_in_more_languages(detect, text, kind):
    result = detect(make_invite("Interview – Orbital Foods", text, sender=SENDER))
    assert result.role_type is kind
