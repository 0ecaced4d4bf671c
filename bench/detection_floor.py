"""The floor under the detector's throughput: reading the texts alone, as JSON.

    python bench/detection_floor.py [--events FILE --pipeline FILE] [--rounds R]

What every event costs before any rule runs: the title folded and split from its variant prefixes,
description and location folded with URLs blanked, all three split into words, and the one
vocabulary regex run at each occurrence of a vocabulary word (``Lexicon.scan`` without recording
its hits). CPU µs per event of each kind (as ``detection_throughput.py`` sorts them) and the rate
this alone would allow. Reads the lexicons' private word rules: a measuring aid, not an API.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calendar_desktop.detection import Detector  # noqa: E402
from calendar_desktop.detection.detector import _body_field  # noqa: E402
from calendar_desktop.detection.jsonl import CorpusEvent, load_pipeline_file, read_events  # noqa: E402
from calendar_desktop.detection.matching import Field, Lexicon  # noqa: E402
from calendar_desktop.detection.variants import split_folded  # noqa: E402
from calendar_desktop.detection.vocabulary import BODY, TITLE  # noqa: E402

CORPUS = Path("/work/shared/corpus")
RUN_ALL_ARGS = {"quick": ["--rounds", "2"]}


def _regexes_only(lexicon: Lexicon, field: Field) -> None:
    text, spaced, rules = field.text, field.spaced, lexicon._by_word
    for word in lexicon._words.intersection(field.words):
        size, needle, match_at, _, _ = rules[word]
        position = spaced.find(needle)
        while position >= 0:
            if match_at is not None:
                match_at(text, position)
            position = spaced.find(needle, position + size + 1)


def read_texts(event: CorpusEvent) -> None:
    title, _, folded_title = split_folded(event.title or "")
    _regexes_only(TITLE, Field(title, folded_title))
    _regexes_only(BODY, _body_field(event.description))
    _regexes_only(BODY, _body_field(event.location))


def measure(events_path: Path, pipeline_path: Path, rounds: int) -> dict[str, object]:
    detector = Detector(*load_pipeline_file(pipeline_path))
    corpus = list(read_events(events_path))
    kinds: dict[str, list[CorpusEvent]] = {"interview": [], "look_alike": [], "other": []}
    for event in corpus:
        found = detector.detect(event)  # also compiles every word regex the corpus meets
        kinds["interview" if found.is_interview else "look_alike" if found.score > 0 else "other"].append(event)
    figures, total = {}, 0.0
    for kind, events in kinds.items():
        if not events:
            continue
        repeated = events * max(1, 3000 // len(events))
        best = min(_cpu_seconds(repeated) for _ in range(rounds)) / len(repeated) * 1e6
        figures[kind] = {"events": len(events), "microseconds": round(best, 1)}
        total += best * len(events)
    mean = total / len(corpus)
    return {
        "microseconds_per_event_by_kind": figures,
        "microseconds_per_event": round(mean, 1),
        "events_per_second_ceiling": round(1e6 / mean),
        "date": time.strftime("%Y-%m-%d"),
    }


def _cpu_seconds(events: list[CorpusEvent]) -> float:
    start = time.process_time()
    for event in events:
        read_texts(event)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=Path, default=CORPUS / "interviews-dev.jsonl")
    parser.add_argument("--pipeline", type=Path, default=CORPUS / "pipeline-dev.json")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.events, args.pipeline, args.rounds), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
