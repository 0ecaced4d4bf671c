"""Rules added from the fourth hand-written set (a graduate in campus recruiting for non-software
jobs: group discussions, assessment days, case presentations, HR rounds, reporting managers,
agencies with a confidential client, ATS notices). Invented events only."""

from __future__ import annotations

import json

import pytest
from detection_helpers import PERSONAL, make_event, make_invite

from calendar_desktop.detection import Detector, PipelineEntry
from calendar_desktop.detection.companies import consistent_with_label, name_keys
from calendar_desktop.detection.jsonl import load_pipeline_file
from calendar_desktop.detection.roles import clean_role
from calendar_desktop.domain import Stage, UserIdentity

SENDER = "Ada Novak <ada.novak@orbitalfoods.com>"


@pytest.mark.parametrize(
    ("title", "stage"),
    [
        ("Orbital Foods campus drive – Group Discussion (Supply Chain Analyst)", Stage.OTHER),
        ("Orbital Foods | GD round", Stage.OTHER),
        ("Aptitude test – Orbital Foods graduate scheme", Stage.OTHER),
        ("Psychometric assessment: Orbital Foods", Stage.OTHER),
        ("Orbital Foods Assessment Day", Stage.ONSITE),
        ("Case presentation – Orbital Foods", Stage.TAKE_HOME_REVIEW),
        ("Orbital Foods | Buyer | HR round", Stage.RECRUITER_SCREEN),
        ("HR discussion – Orbital Foods", Stage.RECRUITER_SCREEN),
        ("Telephonic round – Orbital Foods", Stage.RECRUITER_SCREEN),
        ("Orbital Foods – discussion with the Department Head", Stage.HIRING_MANAGER),
    ],
)
def test_campus_and_graduate_recruiting_wording(detect, title, stage):
    result = detect(make_invite(title, sender=SENDER))
    assert result.is_interview
    assert result.company == "Orbital Foods, Inc."
    assert result.stage is stage


def test_the_users_all_day_assessment_centre_block_is_an_onsite(detect):
    result = detect(make_event("cedar robotics AC day", all_day=True))
    assert result.is_interview and result.company == "Cedar Robotics GmbH" and result.stage is Stage.ONSITE


@pytest.mark.parametrize(
    "title",
    [
        "Group discussion – Organisational Behaviour class",
        "Case presentation – Strategy elective, team 3",
        "Placement committee: interview slot allocation",
        "Room allocation for Day 1 interviews",
    ],
)
def test_class_work_and_organising_others_interviews_are_not_interviews(detect, title):
    assert not detect(make_event(title)).is_interview


@pytest.mark.parametrize(
    "description",
    [
        "Round 2 with Mira Holt, to whom the role reports.",
        "You will meet your reporting manager for this position.",
        "Interviewer: Mira Holt, Plant Manager (this position reports to her).",
    ],
)
def test_the_manager_the_role_reports_to_is_a_hiring_manager_round(detect, description):
    result = detect(make_invite("Interview – Orbital Foods", description, sender=SENDER))
    assert result.stage is Stage.HIRING_MANAGER


def test_an_ats_recruiting_product_sending_on_behalf_of_the_employer_is_not_an_agency(detect):
    description = "Your interview is confirmed.\n\nThis message was sent by Acme Recruiting on behalf of Orbital Foods."
    result = detect(make_invite("Interview Invitation: Buyer – Orbital Foods", description, sender=SENDER))
    assert result.is_interview and result.stage is Stage.OTHER


def test_an_agency_with_a_confidential_client_names_no_company(detect):
    result = detect(
        make_invite(
            "Brightline Consultants – screening call – Credit Analyst (confidential NBFC client)",
            "Hi, a quick call about a Credit Analyst opening.",
            sender="Ravi <ravi@brightlineconsultants.in>",
        )
    )
    assert result.is_interview and result.company is None and result.role == "Credit Analyst"
    assert result.stage is Stage.RECRUITER_SCREEN


def test_call_from_a_named_companys_recruiter(detect):
    result = detect(make_event("Call from Lumora Insurance recruiter re: Claims Analyst"))
    assert result.is_interview and result.company == "Lumora Insurance" and result.role == "Claims Analyst"


def test_subdomains_of_reserved_example_domains_are_never_a_company(detect):
    result = detect(make_invite("Phone screen – Claims Analyst", sender="Ravi <ravi@agency.example.net>"))
    assert result.is_interview and result.company is None


def test_pipeline_names_with_several_generic_tails_match_every_head():
    assert {"lumora hospitals", "lumora"} <= name_keys("Lumora Hospitals Enterprise Ltd")
    assert "veldt" in name_keys("Veldt Assurance and Consulting Services LLP")
    detector = Detector(make_identity(), [PipelineEntry("Lumora Hospitals Enterprise Ltd", key=1)])
    result = detector.detect(make_event("Lumora Hospitals – panel interview"))
    assert result.company == "Lumora Hospitals Enterprise Ltd"


@pytest.mark.parametrize(
    ("candidate", "label", "fits"),
    [
        ("Lumora-Vantage", "lumvan", True),
        ("Orbital Foods", "orbfoods", True),
        ("KLM", "klmportal", True),
        ("Klm", "klmportal", False),
        ("Orbital Foods", "cedar", False),
        ("Orbital Foods", "orfo", True),
        ("Orbital Foods", "o", False),
    ],
)
def test_a_written_name_fits_a_mail_label_made_of_its_word_heads_or_acronym(candidate, label, fits):
    assert consistent_with_label(candidate, label) is fits


def test_a_written_hyphenated_name_wins_over_an_abbreviated_mail_label(detect):
    result = detect(make_invite("Interview Confirmation - Buyer - Lumora-Vantage", sender="TA <ta@lumvan.com>"))
    assert result.company == "Lumora-Vantage"


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("position of Store Manager", "Store Manager"),
        ("Marketing Coordinator (Req 2027-0412)", "Marketing Coordinator"),
    ],
)
def test_role_lead_ins_and_dashed_requisition_ids(raw, role):
    assert clean_role(raw) == role


def test_the_full_time_position_of_names_the_role(detect):
    description = "You are invited for a panel interview for the full-time position of Ward Coordinator (Cardiology)."
    result = detect(make_invite("Interview – Orbital Foods", description, sender=SENDER))
    assert result.role == "Ward Coordinator (Cardiology)"


def test_a_null_current_employer_is_no_employer(tmp_path):
    path = tmp_path / "pipeline.json"
    user = {"name": "Ines Park", "emails": ["ines@example.com"], "current_employer": None, "timezone": "UTC"}
    path.write_text(json.dumps({"user": user, "pipeline": []}), encoding="utf-8")
    identity, _ = load_pipeline_file(path)
    assert identity.current_employer == ""


def make_identity() -> UserIdentity:
    return UserIdentity(name="Ines Park", emails=(PERSONAL,), current_employer="", timezone="UTC")
