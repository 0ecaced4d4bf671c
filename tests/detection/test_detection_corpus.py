"""Accuracy on labelled event sets, scored by ``bench/detection_eval.py``.

The dev corpus is read where the project keeps it (nothing is copied into the repository); the
hand-written sets in ``data/`` (other users, companies and phrasings than the dev corpus) always run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).parent
CORPUS = Path("/work/shared/corpus")


def _evaluator() -> ModuleType:
    path = HERE.parents[1] / "bench" / "detection_eval.py"
    spec = importlib.util.spec_from_file_location("detection_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EVAL = _evaluator()


def _check(events: Path, pipeline: Path) -> dict[str, float]:
    summary = EVAL.evaluate(events, pipeline)["summary"]
    for name, target in EVAL.TARGETS.items():
        assert summary[name] >= target, (name, summary)
    return summary


@pytest.mark.skipif(
    not (CORPUS / "interviews-dev.jsonl").exists(), reason="dev corpus not present at /work/shared/corpus"
)
def test_dev_corpus_meets_the_targets():
    _check(CORPUS / "interviews-dev.jsonl", CORPUS / "pipeline-dev.json")


@pytest.mark.parametrize("name", ["handmade", "handmade-b", "handmade-c", "handmade-d"])
def test_hand_written_sets_meet_the_targets(name):
    _check(HERE / "data" / f"{name}-events.jsonl", HERE / "data" / f"{name}-pipeline.json")


def test_scoring_rules():
    assert EVAL.company_ok("Tempus", "Tempus AI", set())
    assert EVAL.company_ok("ACME inc.", "Acme", set())
    assert not EVAL.company_ok("Acme", "Acme Corporation", {"Acme Corporation"})  # pipeline: verbatim
    assert EVAL.company_ok(None, None, set())
    assert EVAL.role_f1("Backend Engineer", "Backend Engineer, Payments") == pytest.approx(0.8)
    assert EVAL.role_f1(None, None) == 1.0 and EVAL.role_f1("PM", None) == 0.0
