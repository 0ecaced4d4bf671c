"""Format and label-invariant check for a hand-labelled event set (LABELING.md, sections 1 and 5).

Run as a file, not a test:
    python tests/detection/data/check_handmade_set.py EVENTS.jsonl PIPELINE.json [OTHER_SET.jsonl ...]

Errors (exit 1) are schema or invariant violations. Warnings are where the label's role_type differs from a
literal reading of the cue table; each of those must be a judgement call listed in the set's NOTES file.
Other sets given on the command line are only used to check that no title is shared.
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

EVENT_FIELDS = {"id", "title", "description", "location", "organizer", "attendees", "start", "end", "all_day", "label"}
LABEL_FIELDS = {"is_interview", "company", "role", "role_type", "stage"}
OPTIONAL_LABEL_FIELDS = {"variant", "same_interview_as", "note"}
ROLE_TYPES = {"full_time", "internship", "contract", "part_time", "unknown"}
STAGES = {"recruiter_screen", "hiring_manager", "technical", "onsite", "final", "take_home_review", "other"}
VARIANTS = {"reschedule", "cancellation", "duplicate"}
EMAIL = r"[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+"
ORGANIZER = re.compile(rf"^(|{EMAIL}|[^<>]+ <{EMAIL}>)$")

# The cue table of LABELING.md section 4, in precedence order, matched on whole words outside URLs.
CUES = [
    ("internship", r"intern|internship|co-op|praktikum|praktikant\w*|pasant[ií]a|becari[oa]|est[aá]gio|"
                   r"estagi[aá]ri[oa](\(a\))?|stagiaire|stage de fin d'[ée]tudes|alternance"),
    ("contract", r"contract|contractor|contract-to-hire|c2c|freelance|fixed-term|befristet|cdd|"
                 r"contrato temporal|por proyecto|pj|aut[oó]nomo"),
    ("part_time", r"part[- ]?time|teilzeit|werkstudent\w*|working student|medio tiempo|media jornada|"
                  r"meio per[ií]odo|temps partiel|\d+\s*(hrs|hours)\s*/\s*week|\d+\s*std\.?\s*/\s*woche|"
                  r"\d+\s*horas\s*/\s*semana|\d+\s*heures\s*/\s*semaine"),
    ("full_time", r"full[- ]?time|fte|permanent|new grad|university grad|early-career program|vollzeit|"
                  r"festanstellung|unbefristet|cdi|tiempo completo|jornada completa|(contrato )?indefinido|"
                  r"tempo integral|clt|efetivo"),
]
URL = re.compile(r"https?://\S+")


def cue_role_type(text: str) -> str:
    text = URL.sub(" ", text).lower()
    for role_type, pattern in CUES:
        if re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", text):
            return role_type
    return "unknown"


def norm_title(title: str) -> str:
    return " ".join(title.lower().split())


def check(events_path: Path, pipeline_path: Path, other_sets: list[Path]) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    pipeline = json.loads(pipeline_path.read_text(encoding="utf-8"))
    user = pipeline.get("user", {})
    for key in ("name", "emails", "current_employer", "timezone"):
        if key not in user:
            errors.append(f"pipeline: user.{key} missing")
    entries = pipeline.get("pipeline", [])
    pipeline_names = {e["company"] for e in entries}
    alias_to_company = {a.lower(): e["company"] for e in entries for a in [e["company"], *e.get("aliases", [])]}
    for e in entries:
        if set(e) - {"company", "role", "aliases"} or "company" not in e or "role" not in e:
            errors.append(f"pipeline: bad entry {e}")

    records = []
    for n, line in enumerate(events_path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
    by_id = {r.get("id"): r for r in records}
    previous_start = None
    for n, r in enumerate(records, 1):
        rid = r.get("id", f"line {n}")
        if set(r) != EVENT_FIELDS:
            errors.append(f"{rid}: fields {sorted(set(r) ^ EVENT_FIELDS)} wrong")
            continue
        if r["id"] != f"e{n:04d}":
            errors.append(f"{rid}: expected id e{n:04d}")
        for key in ("title", "description", "location", "organizer"):
            if not isinstance(r[key], str):
                errors.append(f"{rid}: {key} not a string")
        if not r["title"].strip():
            errors.append(f"{rid}: empty title")
        if not ORGANIZER.match(r["organizer"]):
            errors.append(f"{rid}: organizer {r['organizer']!r} is neither 'Name <email>' nor an email")
        if not isinstance(r["attendees"], list) or not all(re.fullmatch(EMAIL, a) for a in r["attendees"]):
            errors.append(f"{rid}: attendees must be a list of e-mail addresses")
        try:
            start, end = datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["end"])
        except (TypeError, ValueError):
            errors.append(f"{rid}: start/end not ISO-8601")
            continue
        if start.utcoffset() is None or end.utcoffset() is None:
            errors.append(f"{rid}: start/end without UTC offset")
            continue
        if end <= start:
            errors.append(f"{rid}: end not after start")
        if previous_start is not None and start < previous_start:
            errors.append(f"{rid}: not sorted by start")
        previous_start = start
        if r["all_day"] is True:
            if start.time() != datetime.min.time() or end.time() != datetime.min.time() or \
                    (end - start) % timedelta(days=1):
                errors.append(f"{rid}: all-day event must run midnight to midnight")
        elif r["all_day"] is not False:
            errors.append(f"{rid}: all_day must be a bool")
        errors += check_label(r, by_id, pipeline_names, alias_to_company)
        label = r["label"]
        if label.get("is_interview") and label.get("role_type") in ROLE_TYPES:
            text = " ".join((r["title"], r["description"], r["location"]))
            literal = cue_role_type(text)
            if literal != label["role_type"]:
                warnings.append(f"{rid}: role_type {label['role_type']} but literal cue reading gives {literal} "
                                f"({r['title']!r})")

    titles = {norm_title(r.get("title", "")) for r in records}
    for other in other_sets:
        for line in other.read_text(encoding="utf-8").splitlines():
            title = norm_title(json.loads(line)["title"])
            if title in titles:
                errors.append(f"title shared with {other.name}: {title!r}")
    return errors, warnings


def check_label(r: dict, by_id: dict, pipeline_names: set[str], alias_to_company: dict[str, str]) -> list[str]:
    rid, label = r["id"], r["label"]
    errors = []
    if not LABEL_FIELDS <= set(label) or set(label) - LABEL_FIELDS - OPTIONAL_LABEL_FIELDS:
        return [f"{rid}: label fields wrong: {sorted(label)}"]
    if not isinstance(label["is_interview"], bool):
        return [f"{rid}: is_interview not a bool"]
    if not label["is_interview"]:
        if any(label[k] is not None for k in ("company", "role", "role_type", "stage")):
            errors.append(f"{rid}: non-interview with non-null fields")
        if "variant" in label or "same_interview_as" in label:
            errors.append(f"{rid}: variant/same_interview_as on a non-interview")
        return errors
    if label["role_type"] not in ROLE_TYPES:
        errors.append(f"{rid}: role_type {label['role_type']!r}")
    if label["stage"] not in STAGES:
        errors.append(f"{rid}: stage {label['stage']!r}")
    company = label["company"]
    if company is not None:
        if not isinstance(company, str) or not company.strip():
            errors.append(f"{rid}: company must be null or a non-empty string")
        elif company.lower() in alias_to_company and company not in pipeline_names:
            errors.append(f"{rid}: company {company!r} is a pipeline alias; use {alias_to_company[company.lower()]!r}")
    role = label["role"]
    if role is not None:
        text = " ".join((r["title"], r["description"], r["location"])).lower()
        if not isinstance(role, str) or role.lower() not in text:
            errors.append(f"{rid}: role {role!r} does not occur in the event text")
    variant = label.get("variant")
    if variant is not None and variant not in VARIANTS:
        errors.append(f"{rid}: variant {variant!r}")
    same = label.get("same_interview_as")
    if same is not None:
        if variant is None:
            errors.append(f"{rid}: same_interview_as without variant")
        target = by_id.get(same)
        if target is None or not target["label"].get("is_interview"):
            errors.append(f"{rid}: same_interview_as {same} is not an interview in this file")
        elif "variant" in target["label"]:
            errors.append(f"{rid}: same_interview_as {same} points at a variant, not the original")
    return errors


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    errors, warnings = check(Path(argv[1]), Path(argv[2]), [Path(p) for p in argv[3:]])
    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)
    print(json.dumps({"errors": len(errors), "warnings": len(warnings)}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
