"""Run every benchmark in ``bench/`` and merge their JSON documents into one.

    python bench/run_all.py --json [--quick] [--only NAME ...] [--skip NAME ...] [--out FILE]

A benchmark is any ``bench/<name>.py`` whose name does not start with ``_`` (helpers) and is not
this file. Each runs in its own process from the repository root (``QT_QPA_PLATFORM=offscreen``)
and prints exactly one JSON object on stdout. Arguments come from an optional module-level
literal ``RUN_ALL_ARGS = {"full": [...], "quick": [...]}``, read without importing the script.
The merged document keys each result by the script's name; a script that fails or prints no
JSON is recorded with its error, and the others still run. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from bench._common import machine  # noqa: E402


def discover() -> list[Path]:
    return sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("_") and p.name != Path(__file__).name)


def arguments(script: Path, mode: str) -> list[str]:
    """``RUN_ALL_ARGS[mode]`` of ``script`` (a literal, read with ``ast``), or no arguments."""
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "RUN_ALL_ARGS" for t in node.targets):
            value = ast.literal_eval(node.value)
            return [str(arg) for arg in value.get(mode, [])]
    return []


def run(script: Path, args: list[str], timeout: float) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(script), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"ran longer than {timeout:g} s", "seconds": round(time.perf_counter() - started, 1)}
    seconds = round(time.perf_counter() - started, 1)
    if done.returncode != 0:
        return {"error": f"exit code {done.returncode}: {done.stderr.strip()[-1500:]}", "args": args, "seconds": seconds}
    try:
        result = json.loads(done.stdout)
    except ValueError:
        return {"error": f"no JSON on stdout: {done.stdout.strip()[-500:]!r}", "args": args, "seconds": seconds}
    return {"args": args, "seconds": seconds, "result": result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the merged JSON document (else a summary)")
    parser.add_argument("--quick", action="store_true", help="each script's quick arguments (smaller data, fewer runs)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these (names without .py)")
    parser.add_argument("--skip", nargs="+", default=[], metavar="NAME", help="leave these out")
    parser.add_argument("--out", type=Path, help="also write the merged JSON document here")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per script")
    args = parser.parse_args(argv)

    mode = "quick" if args.quick else "full"
    scripts = [s for s in discover() if (not args.only or s.stem in args.only) and s.stem not in args.skip]
    results: dict[str, object] = {}
    for script in scripts:
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        results[script.stem] = run(script, arguments(script, mode), args.timeout)
    document = {"mode": mode, "machine": machine(), "benches": results}
    text = json.dumps(document, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if args.json:
        print(text)
    else:
        for name, outcome in results.items():
            status = "ok" if "result" in outcome else f"FAILED: {str(outcome['error']).splitlines()[0][:100]}"  # type: ignore[operator]
            print(f"{name:28} {outcome['seconds']:>7} s  {status}")  # type: ignore[index]
    return 0 if all("result" in outcome for outcome in results.values()) else 1  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main())
