"""Roles (LABELING §4): what is removed, what is kept, where the role is read, the most complete one;
and the role-type cue table with its precedence."""

from __future__ import annotations

import pytest

from calendar_desktop.detection.roles import clean_role
from calendar_desktop.domain import RoleType


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("Data Engineer (REQ-20417)", "Data Engineer"),  # requisition id
        ("Backend Engineer - JR104233", "Backend Engineer"),
        ("Robotics Engineer (m/w/d)", "Robotics Engineer"),  # gender markers
        ("Développeur Backend (H/F)", "Développeur Backend"),
        ("Analyst (all genders)", "Analyst"),
        ("Platform Engineer (Contract)", "Platform Engineer"),  # employment-type qualifiers
        ("Data Engineer – Vollzeit", "Data Engineer"),
        ("Ingénieur Data (CDI)", "Ingénieur Data"),
        ("Support Engineer (Part-time, 15 hrs/week)", "Support Engineer"),
        ("Entwickler in Teilzeit", "Entwickler"),
        ("Product Analyst, New Grad", "Product Analyst"),  # cohort markers
        ("Software Engineering Intern (Summer 2027)", "Software Engineering Intern"),
        ("ML Engineer - Remote", "ML Engineer"),  # locations
        ("Data Scientist basé à Lyon", "Data Scientist"),
        ("Senior Backend Engineer, Payments", "Senior Backend Engineer, Payments"),  # team and seniority kept
        ("Software Engineer (Backend)", "Software Engineer (Backend)"),
        ("Staff Engineer - Distributed Systems", "Staff Engineer - Distributed Systems"),
        ("SDE-2 Backend", "SDE-2 Backend"),  # abbreviations as written
        ("Werkstudent Data Analytics", "Werkstudent Data Analytics"),  # the title's own words
        ("Estagiária de Dados", "Estagiária de Dados"),  # original language
        ("Sr. Data Engineer (via Peak Staffing)", "Sr. Data Engineer"),  # who, not a team
    ],
)
def test_clean_role(raw, role):
    assert clean_role(raw) == role


def test_company_names_are_removed_from_a_role():
    assert clean_role("Orbital Intern 2027", ("Orbital",)) == "Intern"


@pytest.mark.parametrize(
    ("description", "role"),
    [
        ("Thanks for applying for the Data Engineer, Supply Chain position.", "Data Engineer, Supply Chain"),
        ("Excited to chat about the Analytics Engineer role!", "Analytics Engineer"),
        ("Your recruiter screen for Backend Engineer II.", "Backend Engineer II"),
        ("Position: Robotics Engineer (Contract-to-hire)", "Robotics Engineer"),
        ("Merci pour votre candidature au poste de Ingénieur Logiciel (CDI).", "Ingénieur Logiciel"),
        ("vielen Dank für deine Bewerbung als Werkstudent Backend bei uns.", "Werkstudent Backend"),
        ("Te esperamos para la posición de Analista de Datos en Madrid.", "Analista de Datos"),
        ("Sua entrevista para a vaga de Engenheira de Dados está confirmada.", "Engenheira de Dados"),
        ("re: Machine Learning Engineer", "Machine Learning Engineer"),
        ("Job: Data Engineer II\nLocation: Lyon", "Data Engineer II"),
        ("We're moving you forward for the role of Senior Data Engineer.", "Senior Data Engineer"),
        ("You are interviewing for Analytics Engineer at Orbital.", "Analytics Engineer"),
        ("Rolle: Data Engineer (m/w/d)", "Data Engineer"),
    ],
)
def test_role_read_from_the_description(detect, invite, description, role):
    result = detect(invite("Orbital Foods – interview", description))
    assert result.role == role


def test_the_most_complete_mention_wins(detect, invite):
    result = detect(
        invite(
            "Orbital Foods | Data Engineer | Technical Interview",
            "Technical interview for the Data Engineer, Forecasting Platform role.",
        )
    )
    assert result.role == "Data Engineer, Forecasting Platform"


def test_no_role_when_none_is_named(detect, invite):
    assert detect(invite("Orbital Foods technical interview", "60 minutes, shared editor.")).role is None


def test_stage_words_and_people_in_titles_are_not_roles(detect, event):
    assert detect(event("Orbital Foods (call w/ hiring manager)")).role is None
    assert detect(event("Phone screen w/ Jo (recruiter)")).role is None
    assert detect(event("orbital hm round - team lead ke saath")).role is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Summer internship, 12 weeks", RoleType.INTERNSHIP),
        ("Praktikum im Data-Team", RoleType.INTERNSHIP),
        ("Stage de fin d'études, 6 mois", RoleType.INTERNSHIP),
        ("vaga de estágio", RoleType.INTERNSHIP),
        ("12-month contract, W2", RoleType.CONTRACT),
        ("befristet auf 18 Monate", RoleType.CONTRACT),
        ("contrato temporal", RoleType.CONTRACT),
        ("Contratação PJ", RoleType.CONTRACT),
        ("20 hrs/week, evenings", RoleType.PART_TIME),
        ("Werkstudent (20 Std./Woche)", RoleType.PART_TIME),
        ("temps partiel", RoleType.PART_TIME),
        ("Full-time, remote", RoleType.FULL_TIME),
        ("unbefristet, Vollzeit", RoleType.FULL_TIME),
        ("Poste en CDI", RoleType.FULL_TIME),
        ("Contratação CLT", RoleType.FULL_TIME),
        ("New Grad program", RoleType.FULL_TIME),
        ("Senior, big team, great benefits", RoleType.UNKNOWN),  # seniority implies nothing
        ("internal mobility", RoleType.UNKNOWN),  # "internal" is not "intern"
    ],
)
def test_role_type_cues(detect, invite, text, kind):
    assert detect(invite("Orbital Foods – interview", text)).role_type is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Full-time summer internship", RoleType.INTERNSHIP),  # internship > full-time
        ("Contract-to-hire, full-time after 6 months", RoleType.CONTRACT),  # contract > full-time
        ("Freelance, 10 hrs/week", RoleType.CONTRACT),  # contract > part-time
        ("Part-time (20 hrs/week), permanent", RoleType.PART_TIME),  # part-time > full-time
    ],
)
def test_role_type_precedence(detect, invite, text, kind):
    assert detect(invite("Orbital Foods – interview", text)).role_type is kind


def test_urls_are_not_role_type_cues(detect, invite):
    text = "Details: https://careers.orbitalfoods.com/internship-program/contract"
    assert detect(invite("Orbital Foods – interview", text)).role_type is RoleType.UNKNOWN
