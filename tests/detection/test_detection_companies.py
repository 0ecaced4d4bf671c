"""Which company: pipeline entries by name, alias, legal suffix, typo and domain; names in the text."""

from __future__ import annotations

import pytest
from detection_helpers import WORK

from calendar_desktop.detection.companies import PipelineMatcher, display_from_label, name_keys
from calendar_desktop.detection.model import PipelineEntry

RECRUITER = "Vera Lind <vera.lind@fastmail.com>"  # a recruiter writing from a personal address


@pytest.mark.parametrize(
    ("title", "company"),
    [
        ("ORBITAL FOODS technical interview", "Orbital Foods, Inc."),  # casing
        ("Interview with Orbital Foods Inc", "Orbital Foods, Inc."),  # legal suffix without comma
        ("Orbital phone screen", "Orbital Foods, Inc."),  # distinctive head of "<name> Foods"
        ("Cedar Robotics interview", "Cedar Robotics GmbH"),  # legal suffix dropped in the event
        ("Cedar Robtics interview", "Cedar Robotics GmbH"),  # typo: one deletion
        ("Kestrel recruiter screen", "Kestrel Pay Ltd"),  # alias
        ("Trailhead – hiring manager interview", "Cascade Holdings, Inc."),  # brand listed as alias
        ("Halycon Labs coding interview", "Halcyon Labs, Inc."),  # typo: transposition
    ],
)
def test_pipeline_names_in_titles(detect, event, title, company):
    result = detect(event(title))
    assert result.is_interview
    assert result.company == company


@pytest.mark.parametrize(
    ("sender", "company"),
    [
        ("Ines <ines@kestrelpay.com>", "Kestrel Pay Ltd"),  # domain without the space
        ("Ines <ines@getorbital.io>", "Orbital Foods, Inc."),  # brand affix "get"
        ("Ines <ines@cascadehq.com>", "Cascade Holdings, Inc."),  # brand affix "hq"
        ("Ines <ines@halcyonlabs.ai>", "Halcyon Labs, Inc."),
        ("Ines <ines@ferrocene.com.br>", "Ferrocene S.A."),  # second-level public suffix
    ],
)
def test_pipeline_company_from_mail_domain_only(detect, invite, sender, company):
    result = detect(invite("Recruiter screen", "Talk about the open role.", sender=sender))
    assert result.company == company
    assert result.pipeline_key is not None


def test_web_domain_in_the_text_names_the_company(detect, event):
    result = detect(event("Phone screen", "Recruiter from kestrelpay.com will call; re: Backend Engineer"))
    assert result.is_interview
    assert result.company == "Kestrel Pay Ltd"


def test_free_mail_and_tool_domains_are_never_the_company(detect, invite):
    free = detect(invite("Interview @ Quasarline", "Your interview for the Analyst role.", sender=RECRUITER))
    assert free.company == "Quasarline"
    tool = detect(
        invite(
            "Interview: Tomasz Wren – Quasarline",
            "Your interview for the Analyst role.",
            sender="Quasarline via Greenhouse <no-reply@greenhouse.io>",
        )
    )
    assert tool.company == "Quasarline"


def test_user_own_domains_are_ignored(detect, event):
    typed_at_work = detect(event("Interview @ Quasarline", organizer=WORK, attendees=(WORK,)))
    assert typed_at_work.company == "Quasarline"


def test_company_from_an_outside_domain_when_the_text_names_none(detect, invite):
    result = detect(invite("Recruiter screen", "", sender="Rui <rui@brightwaterbio.com>"))
    assert result.company == "Brightwater Bio"


def test_text_spelling_wins_over_the_domain_label(detect, invite):
    result = detect(
        invite(
            "Recruiter screen",
            "Excited to tell you about QuasarLine Robotics and the Analyst opening.",
            sender="Rui <rui@quasarlinerobotics.com>",
        )
    )
    assert result.company == "QuasarLine Robotics"


def test_person_names_next_to_the_user_are_not_companies(detect, invite):
    result = detect(
        invite(
            "Mira <> Tomasz (Quasarline) - Behavioral Interview",
            "Behavioral interview for the Analyst opening.",
            sender="Mira <mira@quasarline.com>",
        )
    )
    assert result.company == "Quasarline"


def test_agency_call_reports_the_named_client_never_the_agency(detect, invite):
    named = detect(
        invite(
            "Intro call – Analytics Engineer",
            "We're hiring for our client Halcyon Labs: Analytics Engineer, 12-month contract.",
            sender="Joe <joe@peakstaffing.com>",
        )
    )
    assert named.is_interview and named.company == "Halcyon Labs, Inc."
    confidential = detect(
        invite(
            "Intro call – Analytics Engineer",
            "Analytics Engineer role for one of our clients (confidential for now).",
            sender="Joe <joe@peakstaffing.com>",
        )
    )
    assert confidential.is_interview and confidential.company is None
    assert confidential.stage is not None and confidential.stage.value == "recruiter_screen"


def test_no_company_when_nothing_names_it(detect, event):
    result = detect(event("Phone screen w/ Jo (recruiter)", "she calls my cell"))
    assert result.is_interview and result.company is None
    # "with <name>" may be a person as well as a company: without more evidence it is neither.
    assert detect(event("Interview with Kenji")).company is None


def test_name_keys_and_display_names():
    assert name_keys("Halcyon Labs, Inc.") == {"halcyon labs", "halcyon"}
    assert name_keys("Block, Inc.") == {"block"}
    assert display_from_label("quasarlinebio") == "Quasarline Bio"
    assert display_from_label("cascadehq") == "Cascade"


def test_fuzzy_matching_keeps_the_first_letter_and_the_distance_small():
    matcher = PipelineMatcher([PipelineEntry("Figment"), PipelineEntry("Stratos Analytics")])
    assert matcher.fuzzy("Figmnet") is not None  # transposition
    assert matcher.fuzzy("Pigment") is None  # different first letter
    assert matcher.fuzzy("Fragment") is None  # two edits on a short name
    assert matcher.fuzzy("Stratos Analitycs") is not None  # two edits on a long name
