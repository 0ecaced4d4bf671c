"""Accuracy of the interview detector on a labelled corpus (default: the dev set), as JSON.

    python bench/detection_eval.py [--events FILE --pipeline FILE] [--errors]

Labels are read here only, to score; the detector sees each record through
``calendar_desktop.detection.jsonl.parse_event``, which drops ``label``.

Scoring (over true-positive interviews for the fields):
* company: a pipeline company must come out as the entry's verbatim ``company``; any other company
  matches case-insensitively after folding accents, dropping punctuation and legal suffixes, when the
  token sequences are equal or one contains the other (``Tempus`` ~ ``Tempus AI``); null = null.
* stage, role_type: equality.
* role: token F1 between predicted and labelled role (tokens: folded words); null/null scores 1,
  null against a value 0. ``role`` (the figure held to the 0.80 target) is the mean token F1;
  ``role_exact`` and the share with F1 >= 0.5 and >= 0.8 are reported too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calendar_desktop.detection import Detection, Detector
from calendar_desktop.detection.jsonl import load_pipeline_file, parse_event
from calendar_desktop.detection.text import company_key, fold

CORPUS = Path("/work/shared/corpus")
TARGETS = {
    "precision": 0.98,
    "recall": 0.96,
    "company": 0.92,
    "stage": 0.85,
    "role_type": 0.90,
    "role": 0.80,
}
_WORD = re.compile(r"\w+")


def _tokens(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or ""))


def role_f1(predicted: str | None, expected: str | None) -> float:
    if not predicted and not expected:
        return 1.0
    if not predicted or not expected:
        return 0.0
    got, want = Counter(_tokens(predicted)), Counter(_tokens(expected))
    overlap = sum((got & want).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def company_ok(predicted: str | None, expected: str | None, pipeline_names: set[str]) -> bool:
    if expected is None or predicted is None:
        return predicted is None and expected is None
    if expected in pipeline_names:
        return predicted == expected
    got, want = company_key(predicted).split(), company_key(expected).split()
    return got == want or _contains(got, want) or _contains(want, got)


def evaluate(events_path: Path, pipeline_path: Path) -> dict[str, Any]:
    identity, entries = load_pipeline_file(pipeline_path)
    detector = Detector(identity, entries)
    pipeline_names = {entry.company for entry in entries}
    rows = []
    with open(events_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                rows.append((record, detector.detect(parse_event(record))))
    report = _score(rows, pipeline_names)
    report["halves"] = {
        name: _score([row for row in rows if int(row[0]["id"][1:]) % 2 == parity], pipeline_names)["summary"]
        for name, parity in (("odd_ids", 1), ("even_ids", 0))
    }
    return report


def _score(rows: list[tuple[dict[str, Any], Detection]], pipeline_names: set[str]) -> dict[str, Any]:
    tp = fp = fn = 0
    false_positives, false_negatives, field_errors = [], [], []
    company = stage = kind = exact = 0
    f1s: list[float] = []
    for record, got in rows:
        label = record["label"]
        if got.is_interview and not label["is_interview"]:
            fp += 1
            false_positives.append({"id": record["id"], "title": record["title"], "note": label.get("note", "")})
        elif label["is_interview"] and not got.is_interview:
            fn += 1
            false_negatives.append({"id": record["id"], "title": record["title"]})
        elif got.is_interview:
            tp += 1
            errors = {}
            if company_ok(got.company, label["company"], pipeline_names):
                company += 1
            else:
                errors["company"] = [label["company"], got.company]
            if got.stage and got.stage.value == label["stage"]:
                stage += 1
            else:
                errors["stage"] = [label["stage"], got.stage and got.stage.value]
            if got.role_type and got.role_type.value == label["role_type"]:
                kind += 1
            else:
                errors["role_type"] = [label["role_type"], got.role_type and got.role_type.value]
            f1 = role_f1(got.role, label["role"])
            f1s.append(f1)
            if " ".join(_tokens(got.role)) == " ".join(_tokens(label["role"])):
                exact += 1
            else:
                errors["role"] = [label["role"], got.role, round(f1, 2)]
            if errors:
                field_errors.append({"id": record["id"], "title": record["title"], **errors})
    positives = tp + fn
    summary = {
        "events": len(rows),
        "interviews": positives,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / positives, 4) if positives else 1.0,
        "company": round(company / tp, 4) if tp else 0.0,
        "stage": round(stage / tp, 4) if tp else 0.0,
        "role_type": round(kind / tp, 4) if tp else 0.0,
        "role": round(sum(f1s) / tp, 4) if tp else 0.0,
        "role_exact": round(exact / tp, 4) if tp else 0.0,
        "role_f1_ge_0.5": round(sum(f >= 0.5 for f in f1s) / tp, 4) if tp else 0.0,
        "role_f1_ge_0.8": round(sum(f >= 0.8 for f in f1s) / tp, 4) if tp else 0.0,
    }
    return {
        "summary": summary,
        "targets_met": {name: summary[name] >= target for name, target in TARGETS.items()},
        "confusion": {
            "true_positives": tp,
            "false_positives": false_positives,
            "false_negatives": false_negatives,
            "field_errors_by_field": dict(Counter(k for e in field_errors for k in e if k not in ("id", "title"))),
            "field_errors": field_errors,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=Path, default=CORPUS / "interviews-dev.jsonl")
    parser.add_argument("--pipeline", type=Path, default=CORPUS / "pipeline-dev.json")
    parser.add_argument("--summary-only", action="store_true", help="omit the list of errors")
    args = parser.parse_args(argv)
    report = evaluate(args.events, args.pipeline)
    if args.summary_only:
        report.pop("confusion")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
