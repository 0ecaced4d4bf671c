"""Stages with their precedence (LABELING §4) and variants of an invite (LABELING §3)."""

from __future__ import annotations

import pytest

from calendar_desktop.detection import base_title, title_key, variant_of
from calendar_desktop.domain import Stage


@pytest.mark.parametrize(
    ("title", "stage"),
    [
        ("Orbital Foods – Final Round", Stage.FINAL),
        ("Orbital Foods – letzte Runde", Stage.FINAL),
        ("Dernier entretien – Orbital Foods", Stage.FINAL),
        ("Orbital Foods – Virtual Onsite", Stage.ONSITE),
        ("Orbital Foods Interview Loop", Stage.ONSITE),
        ("Orbital Foods Superday", Stage.ONSITE),
        ("Orbital Foods – Take-home presentation", Stage.TAKE_HOME_REVIEW),
        ("Orbital Foods – Revisión de la prueba técnica", Stage.TAKE_HOME_REVIEW),
        ("Orbital Foods – System Design Interview", Stage.TECHNICAL),
        ("Orbital Foods – Fachinterview", Stage.TECHNICAL),
        ("Orbital Foods – Entretien technique", Stage.TECHNICAL),
        ("Orbital Foods – Hiring Manager Interview", Stage.HIRING_MANAGER),
        ("Orbital Foods – Entrevista com o gestor", Stage.HIRING_MANAGER),
        ("Orbital Foods – Recruiter Screen", Stage.RECRUITER_SCREEN),
        ("Orbital Foods – Erstgespräch", Stage.RECRUITER_SCREEN),
        ("Orbital Foods – Entretien RH", Stage.RECRUITER_SCREEN),
        ("Orbital Foods – Phone Screen", Stage.RECRUITER_SCREEN),
        ("Orbital Foods – Behavioral Interview", Stage.OTHER),
        ("Orbital Foods – Dinâmica de grupo", Stage.OTHER),
        ("Orbital Foods – 2nd interview", Stage.OTHER),
        ("Orbital Foods – Interview", Stage.OTHER),
    ],
)
def test_stage_from_the_title(detect, invite, title, stage):
    assert detect(invite(title)).stage is stage


@pytest.mark.parametrize(
    ("title", "stage"),
    [
        ("Orbital Foods – Final Round (onsite)", Stage.FINAL),  # final > onsite
        ("Orbital Foods – Onsite: coding + hiring manager", Stage.ONSITE),  # onsite > technical > HM
        ("Orbital Foods – Case study presentation, technical deep dive", Stage.TAKE_HOME_REVIEW),
        ("Orbital Foods – Technical phone screen", Stage.TECHNICAL),  # technical > recruiter screen
        ("Orbital Foods – Recruiter + hiring manager chat", Stage.HIRING_MANAGER),
    ],
)
def test_stage_precedence(detect, invite, title, stage):
    assert detect(invite(title)).stage is stage


def test_title_stage_wins_over_the_description(detect, invite):
    result = detect(invite("Orbital Foods – HM round", "They will ask system design questions too."))
    assert result.stage is Stage.HIRING_MANAGER


def test_description_decides_when_the_title_names_no_stage(detect, invite):
    assert detect(invite("Microsoft Teams Meeting", "Invite for your coding interview.")).stage is Stage.TECHNICAL
    agenda = "Your interviews:\n10:00 - 10:45 Coding\n11:00 - 11:45 Design\n12:00 - 12:30 Manager"
    assert detect(invite("Interview – Tomasz Wren", agenda)).stage is Stage.ONSITE


def test_signature_is_not_a_recruiter_screen(detect, invite):
    text = "This confirms your interview with Ada.\n\nBest,\nAda Novak\nTalent Acquisition"
    assert detect(invite("Orbital Foods – Interview", text)).stage is Stage.OTHER


@pytest.mark.parametrize(
    ("title", "kind", "base"),
    [
        ("Updated invitation: Orbital Foods – Final Round", "update", "Orbital Foods – Final Round"),
        ("Canceled: Orbital Foods – Final Round", "cancellation", "Orbital Foods – Final Round"),
        ("Cancelled: Orbital Foods – Final Round", "cancellation", "Orbital Foods – Final Round"),
        ("Rescheduled: Orbital Foods – Final Round", "reschedule", "Orbital Foods – Final Round"),
        ("[RESCHEDULED] Orbital Foods – Final Round", "reschedule", "Orbital Foods – Final Round"),
        ("Moved: Orbital Foods – Final Round", "reschedule", "Orbital Foods – Final Round"),
        ("Abgesagt: Orbital Foods – Finale Runde", "cancellation", "Orbital Foods – Finale Runde"),
        ("Aktualisierte Einladung: Orbital Foods", "update", "Orbital Foods"),
        ("Verschoben: Orbital Foods", "reschedule", "Orbital Foods"),
        ("Annulé : Entretien final – Orbital Foods", "cancellation", "Entretien final – Orbital Foods"),
        ("Invitation mise à jour : Entretien – Orbital", "update", "Entretien – Orbital"),
        ("Cancelado: Entrevista final – Orbital", "cancellation", "Entrevista final – Orbital"),
        ("Reprogramado: Entrevista final – Orbital", "reschedule", "Entrevista final – Orbital"),
        ("Convite atualizado: Entrevista – Orbital", "update", "Entrevista – Orbital"),
        ("Updated invitation: Canceled: Orbital Foods", "cancellation", "Orbital Foods"),
        ("Orbital Foods: update on timeline", "original", "Orbital Foods: update on timeline"),
    ],
)
def test_variant_prefixes_and_base_title(title, kind, base):
    assert variant_of(title) == kind
    assert base_title(title) == base


def test_title_key_links_copies_of_one_invite():
    assert title_key("Annulé : Entretien final – Orbital Foods 📞") == title_key("entretien final - orbital foods")


@pytest.mark.parametrize(
    ("notice", "kind"),
    [
        ("This event has been canceled.", "cancellation"),
        ("The organizer has cancelled this meeting.", "cancellation"),
        ("Dieser Termin wurde abgesagt.", "cancellation"),
        ("Cet événement a été annulé.", "cancellation"),
        ("Este evento se ha cancelado.", "cancellation"),
        ("This event has been updated.\nChanged: date and time", "reschedule"),
        ("This event has been changed.", "update"),
        ("We had to move this to a new time, sorry!", "reschedule"),
    ],
)
def test_variant_from_the_description(notice, kind):
    assert variant_of("Orbital Foods – Interview", notice + "\n\nDetails below.") == kind


def test_a_late_mention_is_not_a_notice():
    body = "Hi!\n" + "Details. " * 60 + "If the interview is canceled, we'll tell you."
    assert variant_of("Orbital Foods – Interview", body) == "original"


def test_cancelled_interview_is_still_an_interview(detect, invite):
    result = detect(invite("Canceled: Orbital Foods – Technical Interview", "This event has been canceled."))
    assert result.is_interview
    assert result.variant == "cancellation"
    assert result.stage is Stage.TECHNICAL
    assert result.title_key == "orbital foods - technical interview"


def test_cancelled_status_attribute_marks_a_cancellation(detect, invite):
    from dataclasses import dataclass

    @dataclass
    class WithStatus:
        title: str = "Orbital Foods – Interview"
        description: str = ""
        location: str = ""
        organizer: str | None = "Ada <ada@orbitalfoods.com>"
        attendees: tuple[str, ...] = ()
        start: object = None
        end: object = None
        all_day: bool = False
        status: str = "cancelled"

    assert detect(WithStatus()).variant == "cancellation"
    assert detect(WithStatus(status="confirmed")).variant == "original"


def test_variant_of_a_non_interview_is_reported_too(detect, event):
    result = detect(event("Canceled: mock interview with Pia"))
    assert not result.is_interview
    assert result.variant == "cancellation"


def test_the_apps_event_type_is_accepted(detect):
    from datetime import UTC, datetime

    from calendar_desktop.domain import Event, EventStatus

    event = Event(
        remote_id="r1",
        resource_id="r1",
        uid="uid-1@example",
        title="Cancelled: Orbital Foods – Recruiter Screen",
        start=datetime(2026, 9, 14, 13, tzinfo=UTC),
        end=datetime(2026, 9, 14, 14, tzinfo=UTC),
        organizer="Ada Novak <ada.novak@orbitalfoods.com>",
        attendees=("tomasz.wren@fastmail.com",),
        description="Chat about the Data Engineer role.",
        status=EventStatus.CANCELLED,
    )
    result = detect(event)
    assert result.is_interview and result.variant == "cancellation"
    assert (result.company, result.role, result.pipeline_key) == ("Orbital Foods, Inc.", "Data Engineer", 1)
