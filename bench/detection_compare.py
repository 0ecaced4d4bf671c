"""Do two versions of the detector give the same verdicts? Differential run, as JSON.

    python bench/detection_compare.py [--against REV] [--events N] [--seed S]

The detector package as it is in git revision ``REV`` (default ``HEAD``) is extracted to a
temporary directory and imported under another name; both versions then judge the same events:
every event of the dev set and of the hand-written sets under each of their three users, and
``N`` events made by recombining and mutating those (titles, descriptions, locations,
organizers and attendees mixed across events; words inserted, dropped, swapped, accented,
re-cased, truncated; variant prefixes added). Every field of every ``Detection`` must be equal.
Prints the counts, the time each version took and the first differences; exits 1 if any.

Meant for changes that should not change results (speed-ups, refactoring): labels are never read.
Once the change is committed, ``HEAD`` is the change itself: compare with the revision it started
from (``--against main`` or its merge base). ``same_source`` in the report says when the detector
at ``REV`` is the working tree's, i.e. when the run proves nothing; the times are of one run each,
one after the other, on a shared machine: a rough figure, not a benchmark.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import io
import json
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calendar_desktop.detection.jsonl import CorpusEvent, load_pipeline_file, read_events  # noqa: E402

DATA = ROOT / "tests" / "detection" / "data"
SETS = [
    (Path("/work/shared/corpus/interviews-dev.jsonl"), Path("/work/shared/corpus/pipeline-dev.json")),
    (DATA / "handmade-events.jsonl", DATA / "handmade-pipeline.json"),
    (DATA / "handmade-b-events.jsonl", DATA / "handmade-b-pipeline.json"),
]
SEPARATORS = [" ", " - ", " | ", ": ", " / ", " x ", " @ ", " (", ") ", "\n", ", ", " <> ", " – ", "[", "] "]
SEPARATORS += [" at ", " with ", " for "]
ACCENTED = {"e": "é", "a": "á", "o": "ö", "u": "ü", "i": "í", "c": "ç", "n": "ñ", "s": "ß"}
PREFIXES = ["Updated invitation: ", "Canceled: ", "[RESCHEDULED] ", "Abgesagt: ", "Annulé : ", "Moved: "]


def load_version(revision: str, into: Path) -> ModuleType:
    """The detector package at ``revision``, importable as ``detection_<revision>``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "calendar_desktop/detection"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    name = "detection_" + "".join(char if char.isalnum() else "_" for char in revision)
    package = into / name
    (into / "calendar_desktop" / "detection").rename(package)
    for source in package.glob("*.py"):
        source.write_text(source.read_text(encoding="utf-8").replace("calendar_desktop.detection", name), "utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module(name)


def same_source(revision: str) -> bool:
    """Is the detector package in the working tree (untracked files included) the one at ``revision``?"""
    package = "calendar_desktop/detection"
    changed = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", revision, "--", package], check=False)
    untracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--others", "--exclude-standard", "--", package],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return changed.returncode == 0 and not untracked.strip()


class Mutator:
    """Events made from the corpus events by recombination and small edits."""

    def __init__(self, events: list[CorpusEvent], seed: int) -> None:
        self.random = random.Random(seed)
        self.events = events
        texts = [event.title for event in events] + [event.description for event in events]
        self.vocabulary = sorted({word for text in texts for word in text.split()})
        self.texts = texts

    def event(self, index: int) -> CorpusEvent:
        pick = self.random.choice
        base = pick(self.events)
        if self.random.random() < 0.4:
            title, description, location = base.title, base.description, base.location
            organizer, attendees = base.organizer, base.attendees
        else:
            title, description, location = (
                pick(self.events).title,
                pick(self.events).description,
                pick(self.events).location,
            )
            organizer, attendees = pick(self.events).organizer, pick(self.events).attendees
        for _ in range(self.random.randrange(4)):
            which = self.random.randrange(3)
            if which == 0:
                title = self.edit(title)
            elif which == 1:
                description = self.edit(description)
            else:
                location = self.edit(location)
        if self.random.random() < 0.05:
            organizer = None
        if self.random.random() < 0.05:
            attendees = ()
        if self.random.random() < 0.1:
            title = pick(PREFIXES) + title
        return dataclasses.replace(
            base,
            id=f"m{index}",
            title=title,
            description=description,
            location=location,
            organizer=organizer,
            attendees=attendees,
        )

    def edit(self, text: str) -> str:
        if not text:
            return text
        rnd, pick = self.random, self.random.choice
        words = text.split(" ")
        roll = rnd.random()
        if roll < 0.15:
            words.insert(rnd.randrange(len(words) + 1), pick(self.vocabulary))
        elif roll < 0.25 and len(words) > 1:
            del words[rnd.randrange(len(words))]
        elif roll < 0.35:
            words.insert(rnd.randrange(len(words) + 1), pick(SEPARATORS).strip() or "-")
        elif roll < 0.42:
            return text.upper()
        elif roll < 0.49:
            return text.lower()
        elif roll < 0.55:
            return text.title()
        elif roll < 0.62:
            at = rnd.randrange(len(text))
            return text[:at] + ACCENTED.get(text[at].lower(), text[at]) + text[at + 1 :]
        elif roll < 0.70:
            i, j = rnd.randrange(len(words)), rnd.randrange(len(words))
            words[i], words[j] = words[j], words[i]
        elif roll < 0.78:
            return text[: rnd.randrange(len(text) + 1)]
        elif roll < 0.86:
            other = pick(self.texts)
            return text + pick(SEPARATORS) + other[: rnd.randrange(len(other) + 1)]
        elif roll < 0.92:
            at = rnd.randrange(len(text))
            return text[:at] + pick(SEPARATORS) + text[at:]
        else:
            at = rnd.randrange(len(words))
            words[at] = words[at][:-1] or words[at]
        return " ".join(words)


def judge(
    package: ModuleType, pipelines: list[Path], cases: list[tuple[int, CorpusEvent]]
) -> tuple[list[tuple[object, ...]], float]:
    detectors = [package.Detector(*load_pipeline_file(pipeline)) for pipeline in pipelines]
    for user, event in cases[:300]:  # first use compiles; not what is timed
        detectors[user].detect(event)
    verdicts = []
    start = time.process_time()
    for user, event in cases:
        try:
            verdicts.append(dataclasses.astuple(detectors[user].detect(event)))
        except Exception as error:  # a crash is a difference too
            verdicts.append(("error", type(error).__name__, str(error)))
    return verdicts, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default="HEAD", help="git revision to compare the working tree with")
    parser.add_argument("--events", type=int, default=30_000, help="how many mutated events")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sets = [(events, pipeline) for events, pipeline in SETS if events.exists()]
    corpus = [event for events, _ in sets for event in read_events(events)]
    mutator = Mutator(corpus, args.seed)
    cases = [(user, event) for user in range(len(sets)) for event in corpus]
    cases += [(mutator.random.randrange(len(sets)), mutator.event(index)) for index in range(args.events)]
    pipelines = [pipeline for _, pipeline in sets]
    with tempfile.TemporaryDirectory() as directory:
        before, before_seconds = judge(load_version(args.against, Path(directory)), pipelines, cases)
    import calendar_desktop.detection as current

    now, now_seconds = judge(current, pipelines, cases)
    differences = [index for index, (old, new) in enumerate(zip(before, now, strict=True)) if old != new]
    report = {
        "against": args.against,
        "same_source": same_source(args.against),
        "events": len(cases),
        "interviews": sum(1 for verdict in now if verdict[0] is True),
        "differences": len(differences),
        "seconds": {args.against: round(before_seconds, 2), "working tree": round(now_seconds, 2)},
        "first_differences": [
            {"title": cases[index][1].title, args.against: repr(before[index]), "working tree": repr(now[index])}
            for index in differences[:5]
        ],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
