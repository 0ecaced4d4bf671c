"""The interview detector: one event in, one :class:`Detection` out. Pure, local, no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence

from calendar_desktop.detection import lexicon
from calendar_desktop.detection.companies import (
    CandidateFinder,
    PipelineMatcher,
    consistent_with_label,
    display_from_label,
    spelled_in,
    tidy_company,
)
from calendar_desktop.detection.matching import EMPTY, Cue, Field, Hits, no_hits
from calendar_desktop.detection.model import DetectableEvent, Detection, PipelineEntry, Variant
from calendar_desktop.detection.roles import best_role, description_roles, role_type, title_roles
from calendar_desktop.detection.stages import stage_of
from calendar_desktop.detection.text import blank_urls, domain_label, email_domain, fold, parse_address
from calendar_desktop.detection.variants import NOTICES, combine_variants, description_variant, split_folded
from calendar_desktop.detection.vocabulary import BODY, BODY_GATE, FAMILY_ORDER, FIRST_CUE, TITLE, TITLE_GATE
from calendar_desktop.domain import Confidence, UserIdentity

_CANDIDATE_REJECT_WORDS = "|".join(
    (lexicon.TITLE_STRONG, lexicon.ONSITE, lexicon.OTHER_EXPLICIT, lexicon.RECRUITER_TITLE, lexicon.TECHNICAL)
)
_NOT_INTERVIEW_SCORE = 49  # hundredths
_MEMO_LIMIT = 10_000
_NO_HITS = no_hits()


class _Participants:
    """Who is on the invite, seen from the user's side."""

    __slots__ = ("agency", "company_labels", "internal", "tool", "work_business")

    def __init__(
        self, internal: bool, work_business: bool, agency: bool, company_labels: tuple[str, ...], tool: bool
    ) -> None:
        self.internal = internal
        """Colleagues at the user's current employer invited the user (or the user's work address)."""
        self.work_business = work_business
        """The user's work address organises it with outside companies: their current job's business."""
        self.agency = agency
        self.company_labels = company_labels
        """Registrable labels of outside, non-tool, non-agency domains, organizer first."""
        self.tool = tool


class _Texts:
    """The event's texts, folded once (URLs and addresses blanked in description and location),
    with what the lexicons found in them, and the organizer's name."""

    __slots__ = (
        "description",
        "description_hits",
        "location",
        "location_hits",
        "organizer_name",
        "title",
        "title_hits",
    )

    def __init__(
        self,
        title: Field,
        title_hits: Hits,
        description: Field,
        description_hits: Hits,
        location: Field,
        location_hits: Hits,
        organizer_name: str,
    ) -> None:
        self.title, self.title_hits = title, title_hits
        self.description, self.description_hits = description, description_hits
        self.location, self.location_hits = location, location_hits
        self.organizer_name = organizer_name


class Detector:
    """Built once per user and pipeline (everything is compiled here); ``detect`` is pure."""

    def __init__(self, identity: UserIdentity, pipeline: Sequence[PipelineEntry]) -> None:
        self._identity = identity
        self._pipeline = PipelineMatcher(pipeline)
        self._user_emails = frozenset(email.lower() for email in identity.emails)
        self._work_domains = frozenset(
            email_domain(email) for email in self._user_emails if not _is_personal_domain(email_domain(email))
        )
        employer_aliases = tuple(domain_label(domain) for domain in self._work_domains)
        self._employer = PipelineMatcher(
            [PipelineEntry(identity.current_employer, employer_aliases)] if identity.current_employer else []
        )
        self._employer_labels = frozenset(employer_aliases)
        self._domains: dict[str, tuple[str, str]] = {}
        self._candidates = CandidateFinder(identity.name, _CANDIDATE_REJECT_WORDS)
        self._user_name = fold(identity.name).strip()
        self._names_user_as_interviewer = (
            Cue(lexicon.words(r"(?:interviewers?|panel|panelists?)\s*:[^\n]*?" + re.escape(self._user_name)))
            if self._user_name
            else None
        )

    def detect(self, event: DetectableEvent) -> Detection:
        """Gate on interview words, reject look-alikes, find the company, decide; then the fields.

        Evidence is counted in hundredths (title cue 60 strong / 35 medium, description cue 20,
        hiring context 10, tool 10, company 15, role 10), so that scores come out exact."""
        title_text, prefix_variant, folded_title = split_folded(event.title or "")
        title = Field(title_text, folded_title)
        description = _body_field(event.description)
        cancelled = _is_cancelled(event)
        if TITLE_GATE.isdisjoint(title.words) and BODY_GATE.isdisjoint(description.words):
            notices = NOTICES.scan(description) if description else _NO_HITS
            variant = combine_variants(prefix_variant, description_variant(notices), cancelled)
            return Detection(False, None, None, None, None, None, 0.0, None, variant, _title_key(title.text))
        title_hits, description_hits = TITLE.scan(title), BODY.scan(description)
        variant = combine_variants(prefix_variant, description_variant(description_hits), cancelled)

        strong = "strong" in title_hits
        medium = not strong and "medium" in title_hits
        described = "strong" in description_hits
        if not (strong or medium or described):
            return Detection(False, None, None, None, None, None, 0.0, None, variant, _title_key(title.text))

        location = _body_field(event.location)
        organizer_name, organizer_email = parse_address(event.organizer)
        texts = _Texts(title, title_hits, description, description_hits, location, BODY.scan(location), organizer_name)
        people = self._participants(organizer_email, event.attendees, texts)
        hiring_context = "hiring_context" in description_hits
        evidence = (60 if strong else 35 if medium else 0) + (20 if described else 0)
        evidence += (10 if hiring_context else 0) + (10 if people.tool else 0)
        candidate_cue = "internal_candidate" in title_hits or "internal_candidate" in description_hits
        if self._family(texts, people, candidate_cue) is not None:
            return _rejected(evidence, variant, title.text)

        company, entry, firm = self._company(texts, people, candidate_cue)
        if company is not None and not candidate_cue and self._is_current_employer(company):
            return _rejected(evidence, variant, title.text)
        if company is not None:
            evidence += 15
        positive = bool(
            strong
            or (medium and (firm or hiring_context or people.tool))
            or (described and hiring_context and (company or people.tool or people.agency))
        )
        if not positive:
            score = min(evidence, _NOT_INTERVIEW_SCORE) / 100
            return Detection(False, None, None, None, None, None, score, None, variant, _title_key(title.text))

        return self._interview(texts, people, company, entry, evidence, variant)

    def _interview(
        self,
        texts: _Texts,
        people: _Participants,
        company: str | None,
        entry: PipelineEntry | None,
        evidence: int,
        variant: Variant,
    ) -> Detection:
        """Role, role type, stage and confidence of an event decided to be an interview."""
        names = [company or "", *((entry.company, *entry.aliases) if entry else ())]
        candidates = description_roles(texts.description, texts.description_hits)
        candidates.extend(description_roles(texts.title, texts.title_hits))
        candidates.extend(title_roles(texts.title, texts.title_hits))
        role = best_role(candidates, names, texts.location.text)
        if role:
            evidence += 10
        if entry is not None:
            confidence = Confidence.HIGH
        elif company and role:
            confidence = Confidence.MEDIUM
        else:
            confidence = Confidence.LOW
        found = (
            (texts.title, texts.title_hits),
            (texts.description, texts.description_hits),
            (texts.location, texts.location_hits),
        )
        return Detection(
            True,
            company,
            role,
            role_type(found),
            stage_of(
                texts.title_hits,
                (texts.description_hits, texts.location_hits),
                (texts.description, texts.location),
                people.agency,
            ),
            confidence,
            min(100, max(evidence, 50)) / 100,
            entry.key if entry else None,
            variant,
            _title_key(texts.title.text),
        )

    # --- who is on the invite --------------------------------------------------------------

    def _participants(self, organizer_email: str, attendees: Sequence[str], texts: _Texts) -> _Participants:
        user_emails, work_domains = self._user_emails, self._work_domains
        organizer_is_user = not organizer_email or organizer_email in user_emails
        organizer_at_work = _domain_of(organizer_email) in work_domains if organizer_email else False
        others = [] if organizer_is_user else [organizer_email]
        user_invited = []
        for address in attendees:
            if address:
                address = address.lower()
                if address in user_emails:
                    user_invited.append(address)
                elif address != organizer_email:
                    others.append(address)
        company_labels: list[str] = []
        agency = colleagues = outsiders = False
        tool = "tool" in texts.description_hits or "tool" in texts.location_hits
        domains = self._domains
        for email in others:
            domain = _domain_of(email)
            kind, label = domains.get(domain) or self._domain_kind(domain)
            if kind == "work":
                colleagues = True
            elif kind == "tool":
                tool = True
            elif kind == "agency":
                outsiders = agency = True
            elif kind == "company":
                outsiders = True
                if label not in company_labels:
                    company_labels.append(label)
        internal = (organizer_at_work and not organizer_is_user) or (
            organizer_is_user and organizer_at_work and colleagues and not outsiders
        )
        if user_invited and not company_labels and not organizer_is_user:
            for address in user_invited:
                if _domain_of(address) not in work_domains:
                    break
            else:  # only the user's work address is invited
                internal = True
        return _Participants(
            internal,
            organizer_is_user and organizer_at_work and bool(company_labels),
            agency or "agency" in texts.description_hits or "agency" in texts.title_hits,
            tuple(company_labels),
            tool,
        )

    def _domain_kind(self, domain: str) -> tuple[str, str]:
        """("work" | "personal" | "tool" | "agency" | "company", registrable label); memoised per
        domain, as a calendar holds few distinct domains."""
        known = self._domains.get(domain)
        if known is None:
            label = domain_label(domain)
            if domain in self._work_domains:
                known = ("work", label)
            elif _is_personal_domain(domain):
                known = ("personal", label)
            elif label in lexicon.TOOL_LABELS:
                known = ("tool", label)
            elif any(word in label for word in lexicon.AGENCY_DOMAIN_WORDS):
                known = ("agency", label)
            else:
                known = ("company", label)
            if len(self._domains) < _MEMO_LIMIT:
                self._domains[domain] = known
        return known

    def _labels_in_text(self, texts: _Texts) -> list[str]:
        """Labels of outside company domains written in the description or location ("acme.io")."""
        labels: list[str] = []
        for text in (texts.description, texts.location):
            if "." not in text.text:  # a domain's top level follows a dot
                continue
            for tld, positions in text.locate(lexicon.WEB_TLDS).items():
                for position in positions:
                    if position < 2 or text.text[position - 1] != ".":
                        continue
                    start = position - 1
                    while start > 0 and (text.text[start - 1].isalnum() or text.text[start - 1] in "-."):
                        start -= 1
                    kind, label = self._domain_kind(text.text[start:position] + tld)
                    if kind == "company" and label not in labels:
                        labels.append(label)
        return labels

    # --- look-alikes -------------------------------------------------------------------------

    def _family(self, texts: _Texts, people: _Participants, candidate_cue: bool) -> str | None:
        """The look-alike family (LABELING §2) the event belongs to, or None."""
        title_hits, description_hits = texts.title_hits, texts.description_hits
        if not lexicon.OTHER_MEANING_SYMBOLS.isdisjoint(texts.title.original):
            return "other_meaning"
        for name in FAMILY_ORDER:
            if name in title_hits and not _in_domain_name(texts.title.original, title_hits[name][1]):
                return name
        if "deadline" in title_hits and "one_way" not in title_hits:
            return "logistics"
        for name in FAMILY_ORDER:
            if name == "hiring_side":
                if any(
                    not self._names_user_as_candidate(texts.description, span)
                    for span in description_hits.every.get(name, ())
                ):
                    return name
            elif name in description_hits:
                return name
        if self._names_user_as_interviewer is not None and self._names_user_as_interviewer.search(texts.description):
            return "hiring_side"
        if people.internal and not candidate_cue:
            return "hiring_side"
        if people.work_business and not candidate_cue:
            return "business"
        if "coffee" in title_hits and "tie" not in title_hits and "tie" not in description_hits:
            return "logistics"
        return None

    def _names_user_as_candidate(self, description: Field, span: tuple[int, ...]) -> bool:
        """ "Candidate: <the user>" is the candidate's own invite, not an interviewer's."""
        line_end = description.text.find("\n", span[1])
        line = description.text[span[0] : line_end if line_end >= 0 else None]
        return bool(self._user_name) and "candidate" in line and self._user_name in line

    # --- the employer ----------------------------------------------------------------------

    def _is_current_employer(self, company: str) -> bool:
        if not self._identity.current_employer or company == self._identity.current_employer:
            return False
        return self._employer.in_text(Field(company)) is not None

    def _company(
        self, texts: _Texts, people: _Participants, candidate_cue: bool
    ) -> tuple[str | None, PipelineEntry | None, bool]:
        """The employer, its pipeline entry, and whether the source is firm: a pipeline entry (by
        domain, then by name), the current employer for an internal move, the client an agency
        names, an outside mail domain or a title pattern that names an employer; a title segment or
        a name in the description is not firm."""
        pipeline = self._pipeline
        for label in people.company_labels:
            entry = pipeline.by_label(label)
            if entry is not None:
                return entry.company, entry, True
        entry = pipeline.in_text(texts.title) or (
            pipeline.in_text(Field(texts.organizer_name)) if texts.organizer_name else None
        )
        if entry is None and not people.company_labels:
            entry = pipeline.in_text(texts.location, cased=True) or pipeline.in_text(texts.description, cased=True)
        if entry is None:
            entry = next(filter(None, map(pipeline.by_label, self._labels_in_text(texts))), None)
        if entry is not None:
            return entry.company, entry, True
        employer = self._identity.current_employer
        if (
            employer
            and candidate_cue
            and (
                people.internal
                or self._employer.in_text(texts.title) is not None
                or any(label in self._employer_labels for label in people.company_labels)
            )
        ):
            return employer, None, True
        if people.agency:
            client = self._candidates.client_in_description(texts.description)
            if client is None:
                return None, None, False
            entry = pipeline.fuzzy(client)
            return (entry.company, entry, True) if entry else (client, None, True)

        first_cue = None
        for name in FIRST_CUE:
            if name in texts.title_hits:
                start = texts.title_hits[name][0]
                if first_cue is None or start < first_cue:
                    first_cue = start
        written = self._candidates.in_title(texts.title, first_cue)
        for candidate, firm in written:
            entry = pipeline.fuzzy(candidate)
            if entry is not None:
                return entry.company, entry, firm
        for label in people.company_labels:
            for candidate, _ in written:
                if consistent_with_label(candidate, label) and self._candidates.plausible(candidate):
                    return candidate, None, True
            spelled = spelled_in(label, texts.title) or spelled_in(label, texts.description)
            return (tidy_company(spelled) if spelled else display_from_label(label)), None, True
        for candidate, firm in written:
            if self._candidates.plausible(candidate):
                return candidate, None, firm
        for candidate in self._candidates.in_description(texts.description):
            entry = pipeline.fuzzy(candidate)
            return (entry.company, entry, False) if entry else (candidate, None, False)
        return None, None, False


def _body_field(text: str | None) -> Field:
    if not text:
        return EMPTY
    return Field(text, blank_urls(fold(text)))


# Subdomains of the reserved example domains (RFC 2606) are reserved too.
_RESERVED_SUBDOMAIN_ENDS = (".example.com", ".example.org", ".example.net")


def _is_personal_domain(domain: str) -> bool:
    if domain in lexicon.FREE_MAIL_DOMAINS or domain.endswith(_RESERVED_SUBDOMAIN_ENDS):
        return True
    return domain.rpartition(".")[2] in lexicon.RESERVED_TLDS or domain_label(domain) in lexicon.FREE_MAIL_LABELS


def _is_cancelled(event: DetectableEvent) -> bool:
    status = getattr(event, "status", None)
    return status is not None and str(getattr(status, "value", status) or "").lower() == "cancelled"


def _rejected(evidence: int, variant: Variant, title_text: str) -> Detection:
    """A look-alike: its interview evidence, discounted."""
    score = min(evidence, 60) * 3 / 1000
    return Detection(False, None, None, None, None, None, score, None, variant, _title_key(title_text))


def _in_domain_name(text: str, end: int) -> bool:
    """Does the word ending at ``end`` go on as a web domain ("incident.io")? Then it is a name."""
    return text[end : end + 1] == "." and text[end + 1 : end + 2].isalpha()


def _domain_of(email: str) -> str:
    """``text.email_domain`` for an address already lower-cased."""
    return email.rpartition("@")[2].strip().rstrip(".>")


_KEY_EDGES = re.compile(r"^[^\w\[(]+|[^\w\])]+$")


def _title_key(folded_base: str) -> str:
    key = " ".join(folded_base.split())
    if key and not (key[0].isalnum() and key[-1].isalnum()):
        key = _KEY_EDGES.sub("", key)
    return key
